package org.esfdw.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.json.Json;

/**
 * One action equivalent to two successive ones on the same document (see PendingWrites.mergeInto), keeping
 * the first one's version condition: a delete wins; a full document replaces; a partial update merges into
 * a pending full document or partial update, as Elasticsearch would merge it. A change after a pending
 * delete is not folded (it re-creates the document: two actions).
 */
final class ActionMerge {
    private ActionMerge() {
    }

    static WriteAction merge(WriteAction first, WriteAction second) {
        WriteAction.Op op = first.op();
        if (op == WriteAction.Op.DELETE || op == WriteAction.Op.TRUNCATE) {
            return null;
        }
        return switch (second.op()) {
            case DELETE -> with(first, WriteAction.Op.DELETE, null, second);
            case INDEX, CREATE -> with(first, op == WriteAction.Op.CREATE ? WriteAction.Op.CREATE : second.op(),
                    second.doc(), second);
            case UPDATE -> {
                ObjectNode doc = (ObjectNode) Json.parse(first.doc());
                TransactionReads.merge(doc, (ObjectNode) Json.parse(second.doc()));
                yield with(first, op, Json.utf8(doc), second);
            }
            default -> null;
        };
    }

    private static WriteAction with(WriteAction first, WriteAction.Op op, byte[] doc, WriteAction second) {
        return new WriteAction(op, second.target(), first.id(), second.routing() != null ? second.routing()
                : first.routing(), doc, first.nest(), first.ifSeqNo(), first.ifPrimaryTerm());
    }
}
