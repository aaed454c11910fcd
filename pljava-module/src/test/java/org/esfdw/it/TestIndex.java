package org.esfdw.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.esfdw.json.Json;

/**
 * A uniquely named index on a real server, filled through _bulk and deleted on close, plus the raw
 * server calls the tests check against (open search contexts, node version). Independent of es_fdw's
 * own transport on purpose.
 */
final class TestIndex implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** A server stuck on a request fails the test instead of hanging the build (Elasticsearch's own timeouts are 30 s). */
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(90);

    final String url;
    final String name;

    private TestIndex(String url, String name) {
        this.url = url;
        this.name = name;
    }

    /** Creates the index with two shards (so paging crosses shards) and indexes the documents. */
    static TestIndex create(String url, List<String> documents) {
        return create(url, "{}", documents);
    }

    /** Same, with explicit mapping properties, e.g. {"n":{"type":"keyword"}}. */
    static TestIndex create(String url, String properties, List<String> documents) {
        TestIndex index = new TestIndex(url, "esfdw-it-" + UUID.randomUUID().toString().substring(0, 8));
        call(url, "PUT", "/" + index.name, "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":" + properties + "}}", "application/json");
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < documents.size(); i++) {
            bulk.append("{\"index\":{\"_id\":\"doc-").append(i).append("\"}}\n")
                    .append(documents.get(i).replace('\n', ' ')).append('\n');
        }
        if (!documents.isEmpty()) {
            JsonNode answer = call(url, "POST", "/" + index.name + "/_bulk?refresh=true", bulk.toString(),
                    "application/x-ndjson");
            if (answer.path("errors").asBoolean()) {
                throw new AssertionError("bulk failed: " + answer);
            }
        }
        return index;
    }

    /** Search contexts (scroll and point in time) open on the server's nodes. */
    static long openContexts(String url) {
        JsonNode stats = call(url, "GET", "/_nodes/stats/indices/search?filter_path=**.open_contexts", null, null);
        long open = 0;
        for (JsonNode node : stats.path("nodes")) {
            open += node.path("indices").path("search").path("open_contexts").asLong();
        }
        return open;
    }

    /**
     * Open search contexts once the server is done with requests the client abandoned (a cancelled
     * page request may still run there for a moment, holding a context): polled for up to 5 s.
     */
    static long openContextsSettled(String url) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long open;
        while ((open = openContexts(url)) > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return open;
    }

    static JsonNode call(String url, String method, String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).timeout(CALL_TIMEOUT)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        try {
            byte[] answer = CLIENT.send(request.build(), BodyHandlers.ofByteArray()).body();
            return Json.parse(answer);
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        call(url, "DELETE", "/" + name, null, null);
    }

    /** A scan description of this index, as the C shim would write it. */
    String scanJson(int fetchSize, String... columns) {
        return scanJson(url, name, fetchSize, columns);
    }

    static String scanJson(String url, String index, int fetchSize, String... columns) {
        return "{\"connection\":{\"url\":\"" + url + "\",\"timeout_ms\":10000},\"index\":\"" + index
                + "\",\"fetch_size\":" + fetchSize + ",\"keep_alive_ms\":60000,\"columns\":["
                + String.join(",", columns) + "]}";
    }

    static String column(String name, String field, String type, boolean array) {
        return "{\"name\":\"" + name + "\",\"field\":\"" + field + "\",\"type\":\"" + type + "\",\"array\":" + array
                + "}";
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
