package org.esfdw.write;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.config.WriteDescription;
import org.esfdw.transport.EsRequest;

/**
 * Pure builders of _bulk requests: one metadata line per action (index, id, routing, pipeline), then the
 * document as C encoded it (wrapped in {"doc": …} for a partial update; none for a delete). The refresh
 * of a request is the strongest any of its actions' tables asks for.
 *
 * <p>The answer is filtered to what BulkResult reads (ANSWER_FILTER): "errors", and each item's status and
 * error, in request order. Unfiltered, 10,000 items make a ~1.6 MB answer that Elasticsearch writes and the
 * backend's JVM receives and collects; filtered, ~0.25 MB. The failed document's id and index are those of
 * the action at the item's position.
 *
 * <p>Built straight into bytes, sized up front: a transaction's 10,000 actions are one or two requests, and
 * this runs at COMMIT.
 */
final class BulkBody {
    static final String ANSWER_FILTER = "filter_path=errors,items.*.status,items.*.error";

    private BulkBody() {
    }

    static EsRequest request(List<WriteAction> actions) {
        long capacity = 0;
        for (WriteAction action : actions) {
            capacity += size(action);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(capacity, Integer.MAX_VALUE - 16));
        Map<WriteDescription, byte[]> indexFields = new IdentityHashMap<>();
        String refresh = "false";
        for (WriteAction action : actions) {
            append(out, action, indexFields.computeIfAbsent(action.target(), BulkBody::indexField));
            refresh = stronger(refresh, action.target().refresh());
        }
        return EsRequest.postNdjson("/_bulk?" + ANSWER_FILTER + (refresh.equals("false") ? "" : "&refresh=" + refresh),
                out.toByteArray());
    }

    /** "_index":"<index>" */
    private static byte[] indexField(WriteDescription target) {
        return ("\"_index\":" + quoted(target.index())).getBytes(StandardCharsets.UTF_8);
    }

    private static void append(ByteArrayOutputStream out, WriteAction action, byte[] indexField) {
        out.writeBytes(action.op().metadataOpening);
        out.writeBytes(indexField);
        out.writeBytes(ID_FIELD);
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(action.id()));
        out.write('"');
        if (action.routing() != null) {
            utf8(out, ",\"routing\":" + quoted(action.routing()));
        }
        if (action.conditional()) {
            utf8(out, ",\"if_seq_no\":" + action.ifSeqNo() + ",\"if_primary_term\":" + action.ifPrimaryTerm());
        }
        if (action.version() >= 0) {
            utf8(out, ",\"version\":" + action.version() + ",\"version_type\":\"external\"");
        }
        if (action.target().pipeline() != null
                && (action.op() == WriteAction.Op.INDEX || action.op() == WriteAction.Op.CREATE)) {
            utf8(out, ",\"pipeline\":" + quoted(action.target().pipeline()));
        }
        out.writeBytes(METADATA_CLOSING);
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

    private static void utf8(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String quoted(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** Bytes one action adds to a bulk body (an upper bound of its metadata line). */
    static long size(WriteAction action) {
        return action.size() + action.target().index().length() + 64;
    }

    private static final byte[] ID_FIELD = ",\"_id\":\"".getBytes(StandardCharsets.UTF_8);
    private static final byte[] METADATA_CLOSING = "}}\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOC_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] DOC_SUFFIX = "}\n".getBytes(StandardCharsets.UTF_8);

    private static String stronger(String a, String b) {
        if (a.equals("true") || b.equals("true")) {
            return "true";
        }
        return a.equals("wait_for") || b.equals("wait_for") ? "wait_for" : "false";
    }
}
