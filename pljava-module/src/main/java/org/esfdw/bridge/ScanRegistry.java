package org.esfdw.bridge;

import org.esfdw.scan.RowSource;

/** The open scans, by the handle the C shim keeps in its scan state. */
final class ScanRegistry {
    private static final Handles<RowSource> SCANS = new Handles<>("scan");

    private ScanRegistry() {
    }

    static long register(RowSource scan) {
        return SCANS.register(scan);
    }

    static RowSource get(long handle) {
        return SCANS.get(handle);
    }

    /** Forgets the scan; null when the handle is unknown. */
    static RowSource remove(long handle) {
        return SCANS.remove(handle);
    }
}
