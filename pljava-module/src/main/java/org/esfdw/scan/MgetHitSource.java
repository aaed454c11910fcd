package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexAliases;
import org.esfdw.write.TransactionReads;

/**
 * Reads the documents of an ids-only condition with _mget, which is realtime: it finds a document
 * written a moment ago, before any refresh. The ids go out distinct, in their order, as many per request
 * as the batch asks for; documents not found are skipped. On an alias (found out at the first batch)
 * it hands over to a search with the ids query, since _mget needs one concrete index. Inside a transaction
 * that has pending writes on the index, the documents are what those writes make of them (TransactionReads).
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
            String server = transport.connection().displayUrl();
            if (TransactionReads.touches(server, scan.index())) {
                found.addAll(TransactionReads.overlay(server, scan.index(), chunk, this::stored));
            } else {
                found.addAll(stored(chunk).values());
            }
        }
        return found;
    }

    /** Elasticsearch's documents of ids, realtime, by id, in the ids' order. */
    private Map<String, JsonNode> stored(List<String> chunk) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        JsonNode answer = Json.parse(transport.send(ScanRequests.mget(scan, chunk)).body());
        for (JsonNode doc : answer.path("docs")) {
            if (doc.path("found").asBoolean(false)) {
                found.put(doc.path("_id").asText(), doc);
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
