package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.Test;

/** The exact bytes es_fdw puts on the wire, checked against a scripted local HTTP server. */
class FakeWireIT {
    private static final String PASSWORD = "pä🎉ss";
    private static final String ES_819_NODE =
            "{\"nodes\":{\"n\":{\"version\":\"8.19.0\",\"build_flavor\":\"default\",\"build_type\":\"zip\"}}}";
    private static final String ONE_HIT_PAGE = "{\"pit_id\":\"P2\",\"_shards\":{\"total\":1,\"failed\":0},"
            + "\"hits\":{\"hits\":[{\"_id\":\"d1\",\"_source\":{\"title\":\"🎉\"},\"sort\":[0]}]}}";
    /** A first page that does not hold every match, so the scan pages in a point in time or scroll. */
    private static final String PARTIAL_FIRST_PAGE = "{\"_shards\":{\"total\":1,\"failed\":0},"
            + "\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"hits\":[{\"_id\":\"d0\",\"_source\":{}}]}}";
    private static final String TITLE = column("title", "title", "text", false);

    private static String scanWithCredentials(FakeServer server) {
        String credentials = "\"username\":\"bob\",\"password\":\"" + PASSWORD + "\"";
        return TestIndex.scanJson(server.url(), "articles", 10, TITLE)
                .replace("\"timeout_ms\":10000", "\"timeout_ms\":10000," + credentials);
    }

    private static List<List<String>> scanAll(String scanJson) {
        long handle = Bridge.openScan(utf8(scanJson));
        try {
            return RowBatches.decode(Bridge.nextBatch(handle), 1);
        } finally {
            Bridge.endScan(handle);
        }
    }

    @Test
    void pointInTimeScanSendsPlainJsonWithBasicAuthAndClosesThePointInTime() {
        try (FakeServer server = new FakeServer().answer("/_nodes/_local", 200, ES_819_NODE)
                .answer("/articles/_search", 200, PARTIAL_FIRST_PAGE)
                .answer("/articles/_pit", 200, "{\"id\":\"P1\"}").answer("/_search", 200, ONE_HIT_PAGE)
                .answer("/_pit", 200, "{\"succeeded\":true}")) {
            assertEquals(List.of(List.of("d1", "🎉")), scanAll(scanWithCredentials(server)));

            assertEquals(List.of(
                    "POST /articles/_search {\"size\":10,\"_source\":[\"title\"]}",
                    "GET /_nodes/_local?filter_path=nodes.*.version,nodes.*.build_flavor,nodes.*.build_type",
                    "POST /articles/_pit?keep_alive=60000ms",
                    "POST /_search {\"size\":10,\"_source\":[\"title\"],"
                            + "\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},"
                            + "\"sort\":[{\"_shard_doc\":\"asc\"}],\"track_total_hits\":false}",
                    "DELETE /_pit {\"id\":\"P2\"}"),
                    server.received.stream().map(FakeServer.Received::line).toList());
            byte[] userAndPassword = ("bob:" + PASSWORD).getBytes(StandardCharsets.UTF_8);
            String basic = "Basic " + Base64.getEncoder().encodeToString(userAndPassword);
            for (FakeServer.Received request : server.received) {
                assertEquals(basic, request.header("Authorization"), request.line());
                assertEquals("application/json", request.header("Accept"), request.line());
            }
            assertEquals("application/json", server.received.get(0).header("Content-Type"));
            assertEquals("application/json", server.received.get(3).header("Content-Type"));
        }
    }

    @Test
    void refusedCredentialsAreAnAuthErrorThatNeverShowsThePassword() {
        String refused = "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [bob]\"}}";
        try (FakeServer server = new FakeServer().answer("/_nodes/_local", 401, refused)
                .answer("/articles/_search", 401, refused)) {
            EsFdwException error = assertThrows(EsFdwException.class, () -> scanAll(scanWithCredentials(server)));
            assertEquals("28000", error.sqlstate());
            assertEquals("authentication to Elasticsearch at " + server.url() + " failed", error.getMessage());
            String described = new String(Bridge.describeError(error), StandardCharsets.UTF_8);
            assertFalse(described.contains(PASSWORD), described);
        }
    }

    @Test
    void userWithoutMonitorPrivilegeIsIdentifiedFromTheRootEndpoint() {
        try (FakeServer server = new FakeServer().answer("/_nodes/_local", 403, "{}")
                .answer("/", 200, "{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.6\"}}")
                .answer("/articles/_search", 200, "{\"_scroll_id\":\"S1\",\"hits\":{\"hits\":[]}}")
                .answer("/_search/scroll", 200, "{\"succeeded\":true}")) {
            assertEquals(List.of(), scanAll(TestIndex.scanJson(server.url(), "articles", 10, TITLE)));
            assertEquals("POST /articles/_search {\"size\":10,\"_source\":[\"title\"]}", server.received.get(0).line());
            assertEquals(List.of("GET /", "POST /articles/_search?scroll=60000ms {\"size\":10,\"_source\":[\"title\"],"
                            + "\"sort\":[\"_doc\"]}", "DELETE /_search/scroll {\"scroll_id\":[\"S1\"]}"),
                    server.received.stream().skip(2).map(FakeServer.Received::line).toList());
        }
    }

    @Test
    void serverThatCannotBeIdentifiedPagesWithScroll() {
        try (FakeServer server = new FakeServer().answer("/_nodes/_local", 403, "{}").answer("/", 405, "{}")
                .answer("/articles/_search", 200, "{\"_scroll_id\":\"S1\",\"hits\":{\"hits\":[]}}")) {
            assertEquals(List.of(), scanAll(TestIndex.scanJson(server.url(), "articles", 10, TITLE)));
            assertTrue(server.received.get(3).line().startsWith("POST /articles/_search?scroll=60000ms "),
                    server.received.get(3).line());
        }
    }

    @Test
    void httpClientThreadsAreDaemons() {
        try (FakeServer server = new FakeServer().answer("/articles/_search", 200,
                "{\"hits\":{\"total\":{\"value\":0,\"relation\":\"eq\"},\"hits\":[]}}")) {
            scanAll(TestIndex.scanJson(server.url(), "articles", 10, TITLE));
        }
        List<Thread> httpThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("es_fdw-http") || t.getName().startsWith("HttpClient-")).toList();
        assertFalse(httpThreads.isEmpty(), "the scan used HTTP client threads");
        httpThreads.forEach(t -> assertTrue(t.isDaemon(), t.getName() + " is a daemon"));
    }
}
