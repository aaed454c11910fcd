package org.esfdw.write;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;

/**
 * Pure builders of _bulk requests: one metadata line per action (index, id, routing, pipeline), then the
 * document as C encoded it (wrapped in {"doc": …} for a partial update; none for a delete). The refresh
 * of a request is the strongest any of its actions' tables asks for.
 */
final class BulkBody {
    private BulkBody() {
    }

    static EsRequest request(List<WriteAction> actions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String refresh = "false";
        for (WriteAction action : actions) {
            append(out, action);
            refresh = stronger(refresh, action.target().refresh());
        }
        return EsRequest.postNdjson("/_bulk" + (refresh.equals("false") ? "" : "?refresh=" + refresh), out.toByteArray());
    }

    static void append(ByteArrayOutputStream out, WriteAction action) {
        ObjectNode line = Json.object();
        ObjectNode meta = line.putObject(action.op().bulkName);
        meta.put("_index", action.target().index()).put("_id", action.id());
        if (action.routing() != null) {
            meta.put("routing", action.routing());
        }
        if (action.conditional()) {
            meta.put("if_seq_no", action.ifSeqNo()).put("if_primary_term", action.ifPrimaryTerm());
        }
        if (action.target().pipeline() != null
                && (action.op() == WriteAction.Op.INDEX || action.op() == WriteAction.Op.CREATE)) {
            meta.put("pipeline", action.target().pipeline());
        }
        out.writeBytes(Json.utf8(line));
        out.write('\n');
        switch (action.op()) {
            case INDEX, CREATE -> {
                out.writeBytes(action.doc());
                out.write('\n');
            }
            case UPDATE -> {
                out.writeBytes(DOC_PREFIX);
                out.writeBytes(action.doc());
                out.writeBytes(DOC_SUFFIX);
            }
            default -> {
            }
        }
    }

    /** Bytes one action adds to a bulk body (an upper bound of its metadata line). */
    static long size(WriteAction action) {
        return action.size() + action.target().index().length() + 64;
    }

    private static final byte[] DOC_PREFIX = "{\"doc\":".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    private static final byte[] DOC_SUFFIX = "}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private static String stronger(String a, String b) {
        if (a.equals("true") || b.equals("true")) {
            return "true";
        }
        return a.equals("wait_for") || b.equals("wait_for") ? "wait_for" : "false";
    }
}
