package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.config.AggregateSpec;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.HttpTransport;

/**
 * The rows of a pushed-down GROUP BY: a size-0 search whose composite aggregation pages through the groups
 * (after_key), one row per group, each shaped like a hit whose _source holds the outputs o0, o1, … in the
 * row's order. Without GROUP BY, one row from plain metric aggregations and the exact hit count.
 */
final class AggregationHitSource implements HitSource {
    private final HttpTransport transport;
    private final ScanDescription scan;
    private final AggregateSpec spec;
    private final String where;
    private JsonNode afterKey;
    private boolean done;

    AggregationHitSource(HttpTransport transport, ScanDescription scan) {
        this.transport = transport;
        this.scan = scan;
        this.spec = scan.aggregate();
        this.where = "index \"" + scan.index() + "\" of " + transport.connection().displayUrl();
    }

    @Override
    public List<JsonNode> next(int max) {
        if (done) {
            return List.of();
        }
        JsonNode answer = Json.parse(transport.send(AggregationRequests.page(scan, max, afterKey)).body());
        scan.shardRules().check(answer.path("_shards"), transport.connection().displayUrl());
        if (spec.groupBy().isEmpty()) {
            done = true;
            return List.of(row(answer.path("aggregations"), answer.path("hits").path("total").path("value"), null));
        }
        JsonNode groups = answer.path("aggregations").path(AggregationRequests.GROUPS);
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode bucket : groups.path("buckets")) {
            rows.add(row(bucket, bucket.path("doc_count"), bucket.path("key")));
        }
        afterKey = groups.get("after_key");
        done = rows.size() < max || afterKey == null;
        return rows;
    }

    /** A hit-shaped row: {"_id":"", "_source":{"o0":…, …}}. */
    private JsonNode row(JsonNode metrics, JsonNode count, JsonNode key) {
        ObjectNode hit = Json.object().put("_id", "");
        ObjectNode source = hit.putObject("_source");
        for (AggregateSpec.Output output : spec.outputs()) {
            source.set(output.name(), switch (output.kind()) {
                case "group" -> AggregationValues.groupKey(key.path(AggregationRequests.groupName(output.group())),
                        spec.groupBy().get(output.group()).type());
                case "count" -> count;
                default -> AggregationValues.output(output, metrics.path(output.name()), where);
            });
        }
        return hit;
    }

    @Override
    public void restart() {
        afterKey = null;
        done = false;
    }

    @Override
    public void close() {
        done = true;
    }
}
