package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.bridge.Bridge;
import org.esfdw.config.ScanDescription;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;
import org.esfdw.paging.PagingRequests;
import org.esfdw.paging.SearchPage;
import org.esfdw.paging.SearchPageReader;
import org.esfdw.transport.HttpTransport;

/**
 * A throughput harness for full scans, not a test (neither surefire nor failsafe runs a class with this
 * name). Run it with the backend's JVM options to see what the backend sees:
 *
 * <pre>
 *   java -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=32m \
 *        -cp target/classes:target/test-classes:JACKSON_JARS org.esfdw.scan.ScanThroughputMain \
 *        URL INDEX [FETCH_SIZE] [ROUNDS] [MODE...]
 * </pre>
 *
 * Modes (default: all): "bridge" runs Bridge.openScan/nextBatch/endScan end to end; "hits" the same
 * paging loop without conversion and encoding; "offline" fetches the pages once and then times, with no
 * network, parsing only ("parse") and parsing plus conversion and encoding ("parse+encode").
 * Columns: id (_id) text, title text, views int8, published date, score float8.
 */
public final class ScanThroughputMain {
    private ScanThroughputMain() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String index = args[1];
        int fetchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        List<String> modes = args.length > 4 ? List.of(args).subList(4, args.length)
                : List.of("bridge", "hits", "offline");
        byte[] scanJson = scanJson(url, index, fetchSize);
        for (int round = 1; round <= rounds; round++) {
            if (modes.contains("bridge")) {
                report(round, "bridge (parse+convert+encode)", bridge(scanJson));
            }
            if (modes.contains("hits")) {
                report(round, "hits only (parse)", hitsOnly(scanJson));
            }
        }
        if (modes.contains("offline")) {
            offline(scanJson, rounds);
        }
    }

    private static byte[] scanJson(String url, String index, int fetchSize) {
        String json = "{\"connection\":{\"url\":\"" + url + "\",\"timeout_ms\":30000},\"index\":\"" + index
                + "\",\"fetch_size\":" + fetchSize + ",\"keep_alive_ms\":60000,\"columns\":["
                + "{\"name\":\"id\",\"field\":\"_id\",\"type\":\"text\",\"array\":false},"
                + "{\"name\":\"title\",\"field\":\"title\",\"type\":\"text\",\"array\":false},"
                + "{\"name\":\"views\",\"field\":\"views\",\"type\":\"int8\",\"array\":false},"
                + "{\"name\":\"published\",\"field\":\"published\",\"type\":\"date\",\"array\":false},"
                + "{\"name\":\"score\",\"field\":\"score\",\"type\":\"float8\",\"array\":false}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static final java.lang.management.ThreadMXBean THREADS =
            java.lang.management.ManagementFactory.getThreadMXBean();

    /** cpuNanos: CPU time of the calling thread (the backend's, in PostgreSQL), -1 when not measured. */
    private record Result(long rows, long bytes, long nanos, long cpuNanos) {
        Result(long rows, long bytes, long nanos) {
            this(rows, bytes, nanos, -1);
        }
    }

    private static void report(int round, String what, Result result) {
        double seconds = result.nanos / 1e9;
        System.out.printf("round %d  %-32s %8d rows %7.3f s %9.0f rows/s  %6.1f MB out%s%n", round, what,
                result.rows, seconds, result.rows / seconds, result.bytes / 1e6, result.cpuNanos < 0 ? ""
                        : String.format("  calling thread CPU %.2f us/row", result.cpuNanos / 1e3 / result.rows));
    }

    private static Result bridge(byte[] scanJson) {
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long handle = Bridge.openScan(scanJson);
        long rows = 0;
        long bytes = 0;
        try {
            while (true) {
                byte[] batch = Bridge.nextBatch(handle);
                int n = ((batch[0] & 0xff) << 24) | ((batch[1] & 0xff) << 16) | ((batch[2] & 0xff) << 8)
                        | (batch[3] & 0xff);
                bytes += batch.length;
                if (n == 0) {
                    break;
                }
                rows += n;
            }
        } finally {
            Bridge.endScan(handle);
        }
        return new Result(rows, bytes, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpuStart);
    }

    private static Result hitsOnly(byte[] scanJson) {
        ScanDescription description = ScanDescriptionParser.parse(scanJson);
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        SearchHitSource source = new SearchHitSource(new HttpTransport(description.connection()), description);
        long rows = 0;
        try {
            while (true) {
                int n = source.next(description.fetchSize()).size();
                if (n == 0) {
                    break;
                }
                rows += n;
            }
        } finally {
            source.close();
        }
        return new Result(rows, 0, System.nanoTime() - start, THREADS.getCurrentThreadCpuTime() - cpuStart);
    }

    /** Fetches every page once (PIT + search_after, as the pager asks), then times the CPU work alone. */
    private static void offline(byte[] scanJson, int rounds) {
        ScanDescription description = ScanDescriptionParser.parse(scanJson);
        HttpTransport transport = new HttpTransport(description.connection());
        String pit = Json.parse(transport.send(PagingRequests.openPointInTime(description.index(),
                Duration.ofMinutes(1))).body()).path("id").textValue();
        List<byte[]> bodies = new ArrayList<>();
        JsonNode after = null;
        var body = SearchBody.forPaging(SearchBody.of(description), description);
        while (true) {
            byte[] answer = transport.send(PagingRequests.pointInTimePage(body, description.fetchSize(), pit,
                    Duration.ofMinutes(1), after)).body();
            SearchPage page = SearchPageReader.read(answer, "x", description.shardRules());
            if (page.hits().isEmpty()) {
                break;
            }
            bodies.add(answer);
            after = page.lastSortValues();
        }
        transport.sendQuietly(PagingRequests.closePointInTime(pit), Duration.ofSeconds(1));
        long input = bodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf("offline: %d pages, %.1f MB of answers%n", bodies.size(), input / 1e6);
        RowBatchEncoder encoder = new RowBatchEncoder(description.columns().stream()
                .map(c -> new ColumnReader(c, description.index())).toList());
        for (int round = 1; round <= rounds; round++) {
            long start = System.nanoTime();
            long rows = 0;
            for (byte[] answer : bodies) {
                rows += SearchPageReader.read(answer, "x", description.shardRules()).hits().size();
            }
            report(round, "offline parse", new Result(rows, 0, System.nanoTime() - start));
            start = System.nanoTime();
            rows = 0;
            long bytes = 0;
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            for (byte[] answer : bodies) {
                List<JsonNode> hits = SearchPageReader.read(answer, "x", description.shardRules()).hits();
                rows += hits.size();
                byte[] batch = encoder.encode(hits);
                bytes += batch.length;
                crc.update(batch);
            }
            report(round, "offline parse+convert+encode", new Result(rows, bytes, System.nanoTime() - start));
            System.out.printf("        crc32 of the batches: %08x%n", crc.getValue());
        }
    }
}
