package org.esfdw.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.scan.RowSource;

/** The open scans, by the handle the C shim keeps in its scan state. Handles are never reused. */
final class ScanRegistry {
    private static final Map<Long, RowSource> SCANS = new ConcurrentHashMap<>();
    private static final AtomicLong LAST_HANDLE = new AtomicLong();

    private ScanRegistry() {
    }

    static long register(RowSource scan) {
        long handle = LAST_HANDLE.incrementAndGet();
        SCANS.put(handle, scan);
        return handle;
    }

    static RowSource get(long handle) {
        RowSource scan = SCANS.get(handle);
        if (scan == null) {
            throw new EsFdwException(SqlState.INVALID_HANDLE, "es_fdw scan handle " + handle + " is not open", null,
                    null);
        }
        return scan;
    }

    /** Forgets the scan; null when the handle is unknown. */
    static RowSource remove(long handle) {
        return SCANS.remove(handle);
    }
}
