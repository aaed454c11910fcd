package org.esfdw.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Finds out which server and version a URL points to, once per URL for the life of the JVM. Asks
 * GET /_nodes/_local (the test distributions answer GET / with 405), and GET / when the user lacks the
 * monitor privilege (403). When neither may be read, the server stays unidentified and gets scroll,
 * which every version supports. OpenSearch nodes carry no build_flavor and send no X-Elastic-Product
 * header.
 */
public final class ServerDetector {
    static final String NODES_INFO =
            "/_nodes/_local?filter_path=nodes.*.version,nodes.*.build_flavor,nodes.*.build_type";
    private static final Map<String, ServerInfo> CACHE = new ConcurrentHashMap<>();

    private ServerDetector() {
    }

    public static ServerInfo detect(HttpTransport transport) {
        String url = url(transport);
        ServerInfo known = CACHE.get(url);
        if (known != null) {
            return known;
        }
        ServerInfo detected = ask(transport);
        CACHE.put(url, detected);
        return detected;
    }

    private static ServerInfo ask(HttpTransport transport) {
        EsRequest nodesInfo = EsRequest.get(NODES_INFO);
        EsResponse response = transport.exchange(nodesInfo);
        if (response.status() == 403) {
            return fromRootInfoIfReadable(transport);
        }
        if (!response.isSuccess()) {
            throw TransportErrors.fromResponse(transport.connection(), nodesInfo, response);
        }
        boolean elasticHeader = response.headers().firstValue("X-Elastic-Product").isPresent();
        return fromNodesInfo(body(response, url(transport), NODES_INFO), elasticHeader, url(transport));
    }

    static ServerInfo fromNodesInfo(JsonNode body, boolean elasticProductHeader, String server) {
        Iterator<JsonNode> nodes = body.path("nodes").elements();
        if (!nodes.hasNext()) {
            throw unreadable(server, NODES_INFO);
        }
        JsonNode node = nodes.next();
        Distribution distribution = node.has("build_flavor")
                ? flavored(node.path("build_flavor").asText())
                : elasticProductHeader ? Distribution.ELASTICSEARCH : Distribution.OPENSEARCH;
        return withVersion(distribution, node.path("version").asText(), server, NODES_INFO);
    }

    private static ServerInfo fromRootInfoIfReadable(HttpTransport transport) {
        EsRequest rootInfo = EsRequest.get("/");
        EsResponse response = transport.exchange(rootInfo);
        if (response.status() == 403 || response.status() == 405) {
            return ServerInfo.UNIDENTIFIED;
        }
        if (!response.isSuccess()) {
            throw TransportErrors.fromResponse(transport.connection(), rootInfo, response);
        }
        return fromRootInfo(body(response, url(transport), "/"), url(transport));
    }

    static ServerInfo fromRootInfo(JsonNode body, String server) {
        JsonNode version = body.path("version");
        Distribution distribution = "opensearch".equals(version.path("distribution").asText())
                ? Distribution.OPENSEARCH
                : flavored(version.path("build_flavor").asText());
        return withVersion(distribution, version.path("number").asText(), server, "/");
    }

    private static JsonNode body(EsResponse response, String server, String endpoint) {
        try {
            return Json.parse(response.body());
        } catch (UncheckedIOException notJson) {
            throw unreadable(server, endpoint);
        }
    }

    private static String url(HttpTransport transport) {
        return transport.connection().displayUrl();
    }

    private static Distribution flavored(String buildFlavor) {
        return "oss".equals(buildFlavor) ? Distribution.ELASTICSEARCH_OSS : Distribution.ELASTICSEARCH;
    }

    private static ServerInfo withVersion(Distribution distribution, String version, String server,
                                          String endpoint) {
        String[] parts = version.split("[.-]");
        if (parts.length < 2 || !parts[0].matches("\\d+") || !parts[1].matches("\\d+")) {
            throw unreadable(server, endpoint);
        }
        return new ServerInfo(distribution, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    private static EsFdwException unreadable(String server, String endpoint) {
        return new EsFdwException(SqlState.FDW_ERROR, "could not read the version of the server at "
                + server + " from GET " + endpoint, null,
                "Check that the foreign server's url option points to Elasticsearch or OpenSearch.");
    }
}
