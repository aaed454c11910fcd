package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.config.AggregateSpec;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.paging.PagingRequests;
import org.esfdw.query.QueryTranslator;
import org.esfdw.transport.EsRequest;
import org.esfdw.types.PgType;

/**
 * Pure builders of the search a pushed-down GROUP BY sends: size 0, the scan's query, a composite
 * aggregation named "groups" over the grouping fields (terms, or whole UTC days for date columns; a
 * missing value is its own bucket, as a NULL group is in SQL) with one sub-aggregation per metric output
 * (value_count; min, max; stats for sum and avg, whose count and extremes prove an integer sum exact);
 * without GROUP BY the metrics alone and the exact hit count.
 */
final class AggregationRequests {
    static final String GROUPS = "groups";
    /** The top_hits under a bigint min/max output. */
    static final String EXTREME = "v";

    private AggregationRequests() {
    }

    static String groupName(int position) {
        return "g" + position;
    }

    /** The request for a page of at most size groups after afterKey (null: the first page). */
    static EsRequest page(ScanDescription scan, int size, JsonNode afterKey) {
        AggregateSpec spec = scan.aggregate();
        ObjectNode body = Json.object().put("size", 0);
        ObjectNode query = QueryTranslator.search(scan.pushdown());
        if (query != null) {
            body.set("query", query);
        }
        if (spec.groupBy().isEmpty()) {
            body.put("track_total_hits", true);
            body.set("aggs", metrics(spec));
            return PagingRequests.plainSearch(scan.index(), body);
        }
        ObjectNode composite = body.putObject("aggs").putObject(GROUPS);
        ObjectNode definition = composite.putObject("composite").put("size", size);
        ArrayNode sources = definition.putArray("sources");
        for (int i = 0; i < spec.groupBy().size(); i++) {
            sources.addObject().set(groupName(i), source(spec.groupBy().get(i)));
        }
        if (afterKey != null) {
            definition.set("after", afterKey);
        }
        ObjectNode metrics = metrics(spec);
        if (!metrics.isEmpty()) {
            composite.set("aggs", metrics);
        }
        return PagingRequests.plainSearch(scan.index(), body);
    }

    private static ObjectNode source(AggregateSpec.Group group) {
        ObjectNode source = Json.object();
        if (group.type() == PgType.DATE) {
            source.putObject("date_histogram").put("field", group.field()).put("calendar_interval", "1d")
                    .put("time_zone", "UTC").put("missing_bucket", true);
        } else {
            source.putObject("terms").put("field", group.field()).put("missing_bucket", true);
        }
        return source;
    }

    private static ObjectNode metrics(AggregateSpec spec) {
        ObjectNode aggs = Json.object();
        for (AggregateSpec.Output output : spec.outputs()) {
            switch (output.kind()) {
                case "count_field" -> aggs.putObject(output.name()).putObject("value_count").put("field", output.field());
                case "min", "max" -> aggs.set(output.name(), extreme(output));
                case "sum", "avg" -> aggs.putObject(output.name()).putObject("stats").put("field", output.field());
                default -> {
                }
            }
        }
        return aggs;
    }

    /**
     * min/max: the metric, a double, which holds every value of the other pushed types exactly; a bigint's
     * extreme is the sort value of the first document that has the field (sort values of long fields are
     * exact longs).
     */
    private static ObjectNode extreme(AggregateSpec.Output output) {
        ObjectNode agg = Json.object();
        if (output.type() != PgType.INT8) {
            agg.putObject(output.kind()).put("field", output.field());
            return agg;
        }
        agg.putObject("filter").putObject("exists").put("field", output.field());
        ObjectNode top = agg.putObject("aggs").putObject(EXTREME).putObject("top_hits").put("size", 1)
                .put("_source", false);
        top.putArray("sort").addObject().putObject(output.field())
                .put("order", output.kind().equals("min") ? "asc" : "desc");
        return agg;
    }
}
