package org.esfdw.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.config.WriteDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.EsResponse;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;

/**
 * TRUNCATE of a foreign table: every document of its index deleted, the index (mapping, settings) kept.
 * _delete_by_query where the server has it (the reindex module); otherwise — Elastic's test builds lack
 * that module — the ids are read with a scroll and deleted with _bulk. Documents written while it runs
 * may survive, as with _delete_by_query.
 */
final class Truncation {
    private static final int PAGE = 1_000;

    private Truncation() {
    }

    static void run(HttpTransport transport, WriteDescription target) {
        String path = IndexPath.of(target.index()) + "/_delete_by_query?conflicts=proceed&refresh=true";
        ObjectNode matchAll = Json.object();
        matchAll.putObject("query").putObject("match_all");
        EsResponse answer = transport.exchange(EsRequest.post(path, matchAll));
        if (answer.isSuccess()) {
            return;
        }
        if (answer.status() != 400 && answer.status() != 404 && answer.status() != 405) {
            transport.send(EsRequest.post(path, matchAll)); // reports the error as any failed request does
        }
        deleteByScroll(transport, target);
    }

    private static void deleteByScroll(HttpTransport transport, WriteDescription target) {
        ObjectNode body = Json.object().put("size", PAGE).put("_source", false);
        body.putArray("sort").add("_doc");
        JsonNode page = Json.parse(transport.send(EsRequest.post(IndexPath.of(target.index())
                + "/_search?scroll=1m", body)).body());
        String scrollId = page.path("_scroll_id").asText(null);
        try {
            while (page.path("hits").path("hits").size() > 0) {
                List<WriteAction> deletes = new ArrayList<>();
                for (JsonNode hit : page.path("hits").path("hits")) {
                    WriteDescription index = new WriteDescription(target.connection(), hit.path("_index").asText(),
                            true, "false", null, null, PAGE, target.maxBulkBytes(), true);
                    String routing = hit.hasNonNull("_routing") ? hit.path("_routing").asText() : null;
                    deletes.add(new WriteAction(WriteAction.Op.DELETE, index, hit.path("_id").asText(), routing, null, 0));
                }
                BulkSender.send(transport, deletes);
                ObjectNode next = Json.object().put("scroll", "1m").put("scroll_id", scrollId);
                page = Json.parse(transport.send(EsRequest.post("/_search/scroll", next)).body());
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            if (scrollId != null) {
                ObjectNode release = Json.object();
                release.putArray("scroll_id").add(scrollId);
                transport.sendQuietly(EsRequest.delete("/_search/scroll", release), Duration.ofSeconds(2));
            }
        }
        transport.send(EsRequest.post(IndexPath.of(target.index()) + "/_refresh", null));
    }
}
