import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.esfdw.shaded.jackson.databind.JsonNode;
import org.esfdw.shaded.jackson.databind.ObjectMapper;
import org.esfdw.shaded.jackson.databind.node.ObjectNode;

/**
 * The baseline of `make bench` for full scans: a standalone Java client pages through an index with a
 * point in time + search_after on _shard_doc (the loop es_fdw runs) and reads every hit's _source.
 *   java -cp es_fdw.jar bench/DirectScan.java URL INDEX PAGE_SIZE
 * Prints: documents seconds documents_per_second.
 */
public final class DirectScan {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String index = args[1];
        int pageSize = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectMapper mapper = new ObjectMapper();
        long start = System.nanoTime();
        String pit = mapper.readTree(send(client, "POST", url + "/" + index + "/_pit?keep_alive=1m", null))
                .path("id").asText();
        long documents = 0;
        JsonNode after = null;
        while (true) {
            ObjectNode body = mapper.createObjectNode();
            body.put("size", pageSize);
            body.putObject("pit").put("id", pit).put("keep_alive", "1m");
            body.putArray("sort").addObject().put("_shard_doc", "asc");
            if (after != null) {
                body.set("search_after", after);
            }
            JsonNode hits = mapper.readTree(send(client, "POST", url + "/_search", body.toString()))
                    .path("hits").path("hits");
            for (JsonNode hit : hits) {
                documents++;
                hit.path("_source").forEach(field -> { });
                after = hit.path("sort");
            }
            if (hits.size() < pageSize) {
                break;
            }
        }
        send(client, "DELETE", url + "/_pit", "{\"id\":\"" + pit + "\"}");
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%d %.3f %.0f%n", documents, seconds, documents / seconds);
    }

    private static byte[] send(HttpClient client, String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + url + ": HTTP " + response.statusCode());
        }
        return response.body();
    }
}
