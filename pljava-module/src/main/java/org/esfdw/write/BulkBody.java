package org.esfdw.write;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
        StringBuilder line = new StringBuilder(96).append("{\"").append(action.op().bulkName).append("\":{\"_index\":");
        quoted(line, action.target().index()).append(",\"_id\":");
        quoted(line, action.id());
        if (action.routing() != null) {
            quoted(line.append(",\"routing\":"), action.routing());
        }
        if (action.conditional()) {
            line.append(",\"if_seq_no\":").append(action.ifSeqNo()).append(",\"if_primary_term\":")
                    .append(action.ifPrimaryTerm());
        }
        if (action.version() >= 0) {
            line.append(",\"version\":").append(action.version()).append(",\"version_type\":\"external\"");
        }
        if (action.target().pipeline() != null
                && (action.op() == WriteAction.Op.INDEX || action.op() == WriteAction.Op.CREATE)) {
            quoted(line.append(",\"pipeline\":"), action.target().pipeline());
        }
        out.writeBytes(line.append("}}\n").toString().getBytes(StandardCharsets.UTF_8));
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

    private static StringBuilder quoted(StringBuilder line, String text) {
        return line.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
    }

    /** Bytes one action adds to a bulk body (an upper bound of its metadata line). */
    static long size(WriteAction action) {
        return action.size() + action.target().index().length() + 64;
    }

    private static final byte[] DOC_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOC_SUFFIX = "}\n".getBytes(StandardCharsets.UTF_8);

    private static String stronger(String a, String b) {
        if (a.equals("true") || b.equals("true")) {
            return "true";
        }
        return a.equals("wait_for") || b.equals("wait_for") ? "wait_for" : "false";
    }
}
