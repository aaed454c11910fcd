package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexAliases;

/**
 * Reads the documents of an ids-only condition with _mget, which is realtime: it finds a document
 * written a moment ago, before any refresh. The ids go out distinct, in their order, as many per request
 * as the batch asks for; documents not found are skipped. On an alias (found out at the first batch)
 * it hands over to a search with the ids query, since _mget needs one concrete index.
 */
final class MgetHitSource implements HitSource {
    private final HttpTransport transport;
    private final ScanDescription scan;
    private final List<String> ids;
    private int nextId;
    private HitSource aliasFallback;

    MgetHitSource(HttpTransport transport, ScanDescription scan) {
        this.transport = transport;
        this.scan = scan;
        this.ids = scan.pushdown().idsOnly().stream().distinct().toList();
    }

    @Override
    public List<JsonNode> next(int max) {
        if (aliasFallback == null && nextId == 0 && IndexAliases.isAlias(transport, scan.index())) {
            aliasFallback = new SearchHitSource(transport, scan);
        }
        if (aliasFallback != null) {
            return aliasFallback.next(max);
        }
        List<JsonNode> found = new ArrayList<>();
        while (found.isEmpty() && nextId < ids.size()) {
            List<String> chunk = ids.subList(nextId, Math.min(ids.size(), nextId + max));
            nextId += chunk.size();
            JsonNode answer = Json.parse(transport.send(ScanRequests.mget(scan, chunk)).body());
            for (JsonNode doc : answer.path("docs")) {
                if (doc.path("found").asBoolean(false)) {
                    found.add(doc);
                }
            }
        }
        return found;
    }

    @Override
    public void restart() {
        close();
        nextId = 0;
    }

    @Override
    public void close() {
        if (aliasFallback != null) {
            aliasFallback.close();
            aliasFallback = null;
        }
        nextId = ids.size();
    }
}
