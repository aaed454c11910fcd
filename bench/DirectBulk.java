import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The write baseline of `make bench`: a standalone Java client sends the documents es_fdw writes
 * ({"title":"article N","views":N}, ids 1..N) as one _bulk request to a freshly created index, RUNS
 * times (the index recreated before each, outside the timing), and prints the median milliseconds; with
 * WARMUP, as many runs before those are not counted.
 *   java bench/DirectBulk.java URL INDEX DOCUMENTS RUNS [WARMUP]
 */
public final class DirectBulk {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String index = args[1];
        int documents = Integer.parseInt(args[2]);
        int counted = Integer.parseInt(args[3]);
        int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 0;
        int runs = warmup + counted;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= documents; i++) {
            body.append("{\"index\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(i).append("\"}}\n")
                    .append("{\"title\":\"article ").append(i).append("\",\"views\":").append(i).append("}\n");
        }
        byte[] bulk = body.toString().getBytes(StandardCharsets.UTF_8);
        double[] millis = new double[runs];
        for (int run = 0; run < runs; run++) {
            send(client, "DELETE", url + "/" + index, null);
            send(client, "PUT", url + "/" + index,
                    "{\"mappings\":{\"properties\":{\"title\":{\"type\":\"keyword\"},\"views\":{\"type\":\"long\"}}}}".getBytes());
            long start = System.nanoTime();
            String answer = send(client, "POST", url + "/_bulk", bulk);
            millis[run] = (System.nanoTime() - start) / 1e6;
            if (answer.contains("\"errors\":true")) {
                throw new IllegalStateException("bulk failed: " + answer.substring(0, Math.min(500, answer.length())));
            }
        }
        double[] timed = Arrays.copyOfRange(millis, warmup, runs);
        Arrays.sort(timed);
        System.out.printf("%.1f%n", timed[counted / 2]);
    }

    private static String send(HttpClient client, String method, String url, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", body != null && url.endsWith("_bulk") ? "application/x-ndjson" : "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
