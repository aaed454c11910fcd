package org.esfdw.bridge;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.write.Writer;

/** The open writers (one per writing statement and table), by handle. Handles are never reused. */
final class WriterRegistry {
    private static final Map<Long, Writer> WRITERS = new ConcurrentHashMap<>();
    private static final AtomicLong LAST_HANDLE = new AtomicLong();

    private WriterRegistry() {
    }

    static long register(Writer writer) {
        long handle = LAST_HANDLE.incrementAndGet();
        WRITERS.put(handle, writer);
        return handle;
    }

    static Writer get(long handle) {
        Writer writer = WRITERS.get(handle);
        if (writer == null) {
            throw new EsFdwException(SqlState.INVALID_HANDLE, "es_fdw writer handle " + handle + " is not open", null,
                    null);
        }
        return writer;
    }

    /** The transaction ended: no writer outlives it. */
    static void clear() {
        WRITERS.clear();
    }

    static Writer remove(long handle) {
        return WRITERS.remove(handle);
    }
}
