package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.importschema.RemoteSource.Kind;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;

/**
 * The mappings of the sources to import, per source: {"<index>":{"mappings":{…}}, …} as GET /<name>/_mapping
 * answers it. An alias or data stream is asked alone, its answer holding exactly its indices; concrete
 * indices are asked together, a comma list per request (a pattern may match hundreds of daily indices),
 * each request line kept well below the 4 kB Elasticsearch accepts.
 */
final class MappingFetcher {
    static final int MAX_NAMES_CHARS = 3000;

    private MappingFetcher() {
    }

    static Map<String, JsonNode> fetch(HttpTransport transport, List<RemoteSource> sources) {
        Map<String, JsonNode> bySource = new HashMap<>();
        List<String> batch = new ArrayList<>();
        for (RemoteSource source : sources) {
            if (source.kind() != Kind.INDEX) {
                bySource.put(source.name(), mappings(transport, source.name()));
                continue;
            }
            String longer = String.join(",", batch) + "," + source.name();
            if (!batch.isEmpty() && IndexPath.of(longer).length() > MAX_NAMES_CHARS) {
                splitByIndex(mappings(transport, String.join(",", batch)), batch, bySource);
                batch.clear();
            }
            batch.add(source.name());
        }
        if (!batch.isEmpty()) {
            splitByIndex(mappings(transport, String.join(",", batch)), batch, bySource);
        }
        return bySource;
    }

    private static JsonNode mappings(HttpTransport transport, String names) {
        return Json.parse(transport.send(EsRequest.get(IndexPath.of(names) + "/_mapping")).body());
    }

    private static void splitByIndex(JsonNode answer, List<String> indices, Map<String, JsonNode> bySource) {
        for (String index : indices) {
            ObjectNode own = Json.object();
            if (answer.has(index)) {
                own.set(index, answer.get(index));
            }
            bySource.put(index, own);
        }
    }
}
