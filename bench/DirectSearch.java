import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;

import org.esfdw.shaded.jackson.databind.JsonNode;
import org.esfdw.shaded.jackson.databind.ObjectMapper;

/**
 * The baseline of `make bench`: a standalone Java client in one warm JVM sends the same _search that
 * es_fdw sends and reads every hit's _source fields, so the ratio shows what the embedded path costs.
 * Run with the shaded es_fdw.jar on the class path (for Jackson):
 *   java -cp es_fdw.jar bench/DirectSearch.java URL INDEX BODY ITERATIONS
 * Prints the median milliseconds per search.
 */
public final class DirectSearch {
    public static void main(String[] args) throws Exception {
        String url = args[0] + "/" + args[1] + "/_search";
        String body = args[2];
        int iterations = Integer.parseInt(args[3]);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ObjectMapper mapper = new ObjectMapper();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        for (int i = 0; i < 50; i++) {
            search(client, mapper, request);
        }
        double[] millis = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            search(client, mapper, request);
            millis[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(millis);
        System.out.printf("%.3f%n", millis[iterations / 2]);
    }

    private static int search(HttpClient client, ObjectMapper mapper, HttpRequest request) throws Exception {
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        int fields = 0;
        for (JsonNode hit : mapper.readTree(response.body()).path("hits").path("hits")) {
            fields += hit.path("_source").size();
        }
        return fields;
    }
}
