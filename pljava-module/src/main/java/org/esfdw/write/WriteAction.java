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

        Op(String bulkName) {
            this.bulkName = bulkName;
        }
    }

    /** The key of the document it changes, for reads of the transaction's own writes. */
    String documentKey() {
        return documentKey(target.connection().displayUrl(), target.index(), id);
    }

    static String documentKey(String server, String index, String id) {
        return server + '\n' + index + '\n' + id;
    }

    /** The key of the index it changes. */
    String indexKey() {
        return target.connection().displayUrl() + '\n' + target.index();
    }

    long size() {
        return (doc == null ? 0 : doc.length) + (id == null ? 0 : id.length()) + 64;
    }
}
