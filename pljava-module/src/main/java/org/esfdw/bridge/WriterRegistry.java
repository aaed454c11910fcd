package org.esfdw.bridge;

import org.esfdw.write.Writer;

/** The open writers (one per writing statement and table, or per transaction and table), by handle. */
final class WriterRegistry {
    private static final Handles<Writer> WRITERS = new Handles<>("writer");

    private WriterRegistry() {
    }

    static long register(Writer writer) {
        return WRITERS.register(writer);
    }

    static Writer get(long handle) {
        return WRITERS.get(handle);
    }

    /** The transaction ended: no writer outlives it. */
    static void clear() {
        WRITERS.clear();
    }

    static Writer remove(long handle) {
        return WRITERS.remove(handle);
    }
}
