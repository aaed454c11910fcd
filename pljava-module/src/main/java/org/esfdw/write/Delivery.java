package org.esfdw.write;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.esfdw.json.Json;
import org.esfdw.transport.HttpTransport;

/**
 * Table sync's delivery (docs/sync.md): a batch of externally versioned index and delete actions sent with
 * _bulk, answering each item's outcome instead of failing on the first refused one:
 * <ul>
 * <li>done: applied; or a version conflict (Elasticsearch already holds this version or a newer one, which
 * is how a replay ends); or a delete of a missing document;
 * <li>retry: the item may succeed later unchanged (a full write queue, a server error, a missing index or
 * ingest pipeline, a write block);
 * <li>dead: Elasticsearch refuses the document itself (mapping errors, too large, bad values): it goes to the
 * dead letters and never blocks the rest.
 * </ul>
 * A failure of a request as a whole (unreachable, 5xx, bad credentials) throws, and the caller retries.
 */
public final class Delivery {
    enum Outcome {
        DONE, RETRY, DEAD
    }

    private Delivery() {
    }

    /** Sends the actions; the items that are not done, as JSON: [{"i","outcome","status","error"}…]. */
    static byte[] send(HttpTransport transport, List<WriteAction> actions) {
        Map<WriteAction, Integer> positions = new IdentityHashMap<>();
        List<WriteAction> sendable = new ArrayList<>();
        StringJoiner notDone = new StringJoiner(",", "[", "]");
        for (int i = 0; i < actions.size(); i++) {
            WriteAction action = actions.get(i);
            positions.put(action, i);
            if (BulkBody.size(action) <= action.target().maxBulkBytes()) {
                sendable.add(action);
            } else {
                notDone.add(item(i, Outcome.DEAD, 413, "document_too_large: the document is " + action.doc().length
                        + " bytes, more than the target table's bulk_max_mb allows"));
            }
        }
        BulkSender.sendInLanes(transport, sendable, (part, response) -> {
            if (BulkResult.reportsNoErrors(response.body())) {
                return;
            }
            JsonNode items = Json.parse(response.body()).path("items");
            for (int i = 0; i < items.size(); i++) {
                JsonNode item = items.get(i).elements().next();
                Outcome outcome = classify(item);
                if (outcome != Outcome.DONE) {
                    notDone.add(item(positions.get(part.get(i)), outcome, item.path("status").asInt(),
                            BulkResult.describe(item)));
                }
            }
        });
        return notDone.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What one item of a _bulk answer means for a versioned delivery. */
    static Outcome classify(JsonNode item) {
        int status = item.path("status").asInt(200);
        String type = item.path("error").path("type").asText("");
        if (status < 300 || status == 409 || BulkResult.missingDocument(item)) {
            return Outcome.DONE;
        }
        if (status == 429 || status >= 500 || type.equals("index_not_found_exception")
                || type.equals("cluster_block_exception") || status == 401 || status == 403
                || missingPipeline(item.path("error"))) {
            return Outcome.RETRY;
        }
        return Outcome.DEAD;
    }

    /** A missing ingest pipeline is the index's or the table's configuration, not the document's fault. */
    private static boolean missingPipeline(JsonNode error) {
        String reason = error.path("reason").asText("");
        return error.path("type").asText("").equals("illegal_argument_exception") && reason.startsWith("pipeline with id [")
                && reason.endsWith("] does not exist");
    }

    private static String item(int position, Outcome outcome, int status, String error) {
        return "{\"i\":" + position + ",\"outcome\":\"" + (outcome == Outcome.DEAD ? "dead" : "retry")
                + "\",\"status\":" + status + ",\"error\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(error)) + "\"}";
    }
}
