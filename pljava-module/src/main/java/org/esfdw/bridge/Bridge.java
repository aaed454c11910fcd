package org.esfdw.bridge;

import java.nio.charset.StandardCharsets;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;
import org.esfdw.scan.Scan;
import org.esfdw.scan.SearchBody;

/**
 * The entry points the C shim calls through JNI (docs/boundary.md). Text crosses as UTF-8 byte[]; errors
 * cross as exceptions that C describes with describeError. Nothing here may end the process.
 */
public final class Bridge {
    public static final String VERSION = "0.1.0";

    private Bridge() {
    }

    /** Parses the scan description, detects the server, opens the point in time or scroll. */
    public static long openScan(byte[] scanJson) {
        return ScanRegistry.register(Scan.open(ScanDescriptionParser.parse(scanJson)));
    }

    /** The next page of rows; 0 rows when the scan is done. */
    public static byte[] nextBatch(long handle) {
        return ScanRegistry.get(handle).nextBatch();
    }

    /** Releases the point in time or scroll; the next batch starts from the first row. */
    public static void rescan(long handle) {
        ScanRegistry.get(handle).rescan();
    }

    /** Releases the scan's server-side context and forgets the handle; never fails. */
    public static void endScan(long handle) {
        Scan scan = ScanRegistry.remove(handle);
        if (scan != null) {
            scan.close();
        }
    }

    /** The first page's request for EXPLAIN VERBOSE, without network or credentials. */
    public static byte[] explain(byte[] scanJson) {
        return utf8(SearchBody.explain(ScanDescriptionParser.parse(scanJson)));
    }

    /** {"sqlstate","message","detail","hint","stack"} for any throwable. */
    public static byte[] describeError(Throwable error) {
        return Json.utf8(ErrorDescription.of(error));
    }

    public static byte[] version() {
        return utf8(VERSION);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
