package org.esfdw.bridge;

import java.nio.charset.StandardCharsets;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.config.WriteDescription;
import org.esfdw.importschema.ImportSchema;
import org.esfdw.json.Json;
import org.esfdw.mapping.FieldTypes;
import org.esfdw.scan.Aggregation;
import org.esfdw.scan.OfflineAnswers;
import org.esfdw.scan.RowSource;
import org.esfdw.scan.Scan;
import org.esfdw.config.OfflineSettings;
import org.esfdw.config.ScanDescription;
import org.esfdw.offline.OfflineStatus;
import org.esfdw.offline.ResultCache;
import org.esfdw.offline.Warnings;
import org.esfdw.transport.ServerUnreachable;
import org.esfdw.scan.ScanRequests;
import org.esfdw.write.Writer;

/**
 * The entry points the C shim calls through JNI (docs/boundary.md). Text crosses as UTF-8 byte[]; errors
 * cross as exceptions that C describes with describeError. Nothing here may end the process.
 */
public final class Bridge {
    public static final String VERSION = "0.1.0";

    private Bridge() {
    }

    /**
     * Parses the scan description and prepares the scan; the server is first asked at the first batch
     * (and detected, and a point in time or scroll opened, only if one search page cannot answer it).
     */
    public static long openScan(byte[] scanJson) {
        ScanDescription description = ScanDescriptionParser.parse(scanJson);
        try {
            return ScanRegistry.register(Scan.open(description));
        } catch (ServerUnreachable e) {
            if (description.offline().mode() == OfflineSettings.Mode.ERROR) {
                throw e;
            }
            return ScanRegistry.register(OfflineAnswers.answer(description, e));
        }
    }

    /** WARNINGs for PostgreSQL (offline answers), one per line; "" when there are none. */
    public static byte[] takeWarnings() {
        return utf8(Warnings.take());
    }

    /** One server's status for es_status(): reachable, version, breaker, cache counts (docs/boundary.md). */
    public static byte[] status(byte[] targetJson) {
        return Json.utf8(OfflineStatus.server(
                new org.esfdw.transport.HttpTransport(ScanDescriptionParser.parseTarget(targetJson).connection())));
    }

    /** Empties the result cache (what 0), or closes every circuit breaker (what 1); how many. */
    public static long clearCache(int what) {
        return what == 0 ? ResultCache.clear() : org.esfdw.offline.CircuitBreaker.resetAll();
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
        RowSource scan = ScanRegistry.remove(handle);
        if (scan != null) {
            scan.close();
        }
    }

    /**
     * The scan's first request for EXPLAIN VERBOSE, without network or credentials: the _search, _count
     * or _mget (an ids-only condition on a name without * or ,; if that name turns out to be an alias,
     * the scan searches with the ids query instead).
     */
    public static byte[] explain(byte[] scanJson) {
        return utf8(ScanRequests.explain(ScanDescriptionParser.parse(scanJson)));
    }

    /**
     * The mapping of the description's index as flat JSON {"path":"type"}: object sub-fields and
     * multi-fields by their dotted path, "conflict" where the indices behind a pattern or alias disagree,
     * {} for a missing index. Cached per server and index for 60 s.
     */
    public static byte[] fieldTypes(byte[] scanJson) {
        return Json.utf8(FieldTypes.of(ScanDescriptionParser.parseTarget(scanJson)));
    }

    /**
     * The description's aggregations ("aggs", JSON text) over the documents its query and raw_query match:
     * one _search with size 0; the answer's aggregations object as UTF-8 JSON, {} when it has none.
     */
    public static byte[] aggregate(byte[] scanJson) {
        return Json.utf8(Aggregation.run(ScanDescriptionParser.parse(scanJson)));
    }

    /** Prepares the writes of a statement to a foreign table (docs/boundary.md, "Writes"). */
    public static long openWriter(byte[] writeJson) {
        return WriterRegistry.register(new Writer(WriteDescription.parse(writeJson)));
    }

    /**
     * A batch of index/create/update/delete actions, binary-encoded by C; statementEnd: the statement
     * sends no more (an immediate writer sends what it buffered).
     */
    public static void write(long handle, byte[] actions, boolean statementEnd) {
        Writer writer = WriterRegistry.get(handle);
        writer.write(actions);
        if (statementEnd) {
            writer.finish();
        }
    }

    /** Table sync: sends versioned actions now; the items not done (docs/sync.md). */
    public static byte[] deliver(long handle, byte[] actions) {
        return WriterRegistry.get(handle).deliver(actions);
    }

    /** TRUNCATE of the writer's index, at the given transaction nesting level. */
    public static void truncate(long handle, int nest) {
        WriterRegistry.get(handle).truncate(nest);
    }

    /** The statement ended: an immediate writer sends what it buffered; the handle is forgotten. */
    public static void endWriter(long handle) {
        Writer writer = WriterRegistry.remove(handle);
        if (writer != null) {
            writer.finish();
        }
    }

    /** Forgets a writer after an error, sending nothing; never fails. */
    public static void abortWriter(long handle) {
        WriterRegistry.remove(handle);
    }

    /**
     * PRE_COMMIT (0: send the transaction's writes), end of the transaction (1: anything pending is dropped,
     * writers forgotten), subtransaction commit (2) or abort (3) at a nesting level.
     */
    public static void transactionEvent(int event, int level) {
        if (event == 1) {
            WriterRegistry.clear();
        }
        Writer.transactionEvent(event, level);
    }

    /** IMPORT FOREIGN SCHEMA: the tables a remote schema holds, as neutral JSON (docs/import-schema.md). */
    public static byte[] importSchema(byte[] requestJson) {
        return ImportSchema.describe(requestJson);
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
