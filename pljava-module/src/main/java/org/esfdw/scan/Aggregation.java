package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.query.QueryTranslator;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;

/**
 * Answers Bridge.aggregate: one POST /<index>/_search with "size":0, the scan's query (condition and raw
 * query) and the description's aggregations object, through the scan's transport, error mapping and shard
 * rules; the answer's aggregations object ({} when it has none).
 */
public final class Aggregation {
    private Aggregation() {
    }

    /** The request, as a pure function of the description. */
    public static EsRequest request(ScanDescription scan) {
        ObjectNode body = Json.object();
        body.put("size", 0);
        ObjectNode query = QueryTranslator.search(scan.pushdown());
        if (query != null) {
            body.set("query", query);
        }
        if (scan.pushdown().aggs() != null) {
            body.set("aggs", scan.pushdown().aggs().deepCopy());
        }
        return EsRequest.post(IndexPath.of(scan.index()) + "/_search", body);
    }

    public static ObjectNode run(ScanDescription scan) {
        HttpTransport transport = new HttpTransport(scan.connection());
        JsonNode answer = Json.parse(transport.send(request(scan)).body());
        scan.shardRules().check(answer.path("_shards"), transport.connection().displayUrl());
        JsonNode aggregations = answer.get("aggregations");
        return aggregations instanceof ObjectNode object ? object : Json.object();
    }
}
