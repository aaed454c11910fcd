package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;

/**
 * Answers a count-only scan with one _count request, as a single hit whose _source holds the count
 * under COUNT_FIELD (read by an int8 column; the row's _id is empty). Failed shards would undercount,
 * so they are an error like on a search page.
 */
final class CountHitSource implements HitSource {
    static final String COUNT_FIELD = "count";

    private final HttpTransport transport;
    private final ScanDescription scan;
    private boolean done;

    CountHitSource(HttpTransport transport, ScanDescription scan) {
        this.transport = transport;
        this.scan = scan;
    }

    @Override
    public List<JsonNode> next(int max) {
        if (done) {
            return List.of();
        }
        done = true;
        EsRequest request = ScanRequests.count(scan);
        JsonNode answer = Json.parse(transport.send(request).body());
        scan.shardRules().check(answer.path("_shards"), transport.connection().displayUrl());
        if (!answer.path("count").canConvertToLong()) {
            throw new EsFdwException(SqlState.FDW_ERROR, "no count in the answer of Elasticsearch at "
                    + transport.connection().displayUrl(), Json.text(answer), null);
        }
        ObjectNode hit = Json.object().put("_id", "");
        hit.putObject("_source").put(COUNT_FIELD, answer.path("count").asLong());
        return List.of(hit);
    }

    @Override
    public void restart() {
        done = false;
    }

    @Override
    public void close() {
        done = true;
    }
}
