package org.esfdw.write;

import org.esfdw.config.WriteDescription;

/**
 * One change to send with _bulk: index (replace), create (refuse an existing id), update (merge a partial
 * document), delete, or truncate (every document of the index). doc is the document's JSON as C encoded
 * it, sent as is (never re-parsed, so numbers keep every digit); nest is the PostgreSQL transaction nesting
 * level it was made at, so a rolled-back savepoint drops it; ifSeqNo/ifPrimaryTerm (-1: none) make an update
 * or delete apply only to the document version the statement read; version (-1: none) is an external
 * version (table sync, docs/sync.md): Elasticsearch applies the action only over an older version.
 */
record WriteAction(Op op, WriteDescription target, String id, String routing, byte[] doc, int nest, long ifSeqNo,
        long ifPrimaryTerm, long version) {

    WriteAction(Op op, WriteDescription target, String id, String routing, byte[] doc, int nest) {
        this(op, target, id, routing, doc, nest, -1, -1, -1);
    }

    WriteAction(Op op, WriteDescription target, String id, String routing, byte[] doc, int nest, long ifSeqNo,
            long ifPrimaryTerm) {
        this(op, target, id, routing, doc, nest, ifSeqNo, ifPrimaryTerm, -1);
    }

    /** Applies only if the document is still at this sequence number and primary term (optimistic concurrency). */
    boolean conditional() {
        return ifSeqNo >= 0 && ifPrimaryTerm >= 0;
    }

    /** The same action without its condition. */
    WriteAction unconditional() {
        return new WriteAction(op, target, id, routing, doc, nest);
    }

    enum Op {
        INDEX("index"), CREATE("create"), UPDATE("update"), DELETE("delete"), TRUNCATE("truncate");

        final String bulkName;
        /** {"<bulkName>":{ as bytes, the start of a _bulk metadata line */
        final byte[] metadataOpening;

        Op(String bulkName) {
            this.bulkName = bulkName;
            this.metadataOpening = ("{\"" + bulkName + "\":{").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** The key of an index of a server ("server\nindex"), for reads of the transaction's own writes. */
    static String indexKey(WriteDescription target) {
        return indexKey(target.connection().displayUrl(), target.index());
    }

    static String indexKey(String server, String index) {
        return server + '\n' + index;
    }

    long size() {
        return (doc == null ? 0 : doc.length) + (id == null ? 0 : id.length()) + 64;
    }
}
