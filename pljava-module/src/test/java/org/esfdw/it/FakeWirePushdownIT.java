package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.esfdw.bridge.Bridge;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.Test;

/** The requests of the fast paths, the limit and the count, on a scripted local server. */
class FakeWirePushdownIT {
    private static final String ES_819_NODE =
            "{\"nodes\":{\"n\":{\"version\":\"8.19.0\",\"build_flavor\":\"default\",\"build_type\":\"zip\"}}}";
    private static final String TITLE = column("title", "title", "text", false);

    private static String hits(long total, String relation, int from, int count) {
        List<String> hits = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            hits.add("{\"_id\":\"d" + i + "\",\"_source\":{\"title\":\"t" + i + "\"},\"sort\":[" + i + "]}");
        }
        return "{\"_shards\":{\"total\":1,\"failed\":0},\"hits\":{\"total\":{\"value\":" + total + ",\"relation\":\""
                + relation + "\"},\"hits\":[" + String.join(",", hits) + "]}}";
    }

    private static List<List<String>> scanAll(String scanJson, int columns) {
        long handle = Bridge.openScan(utf8(scanJson));
        List<List<String>> rows = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), columns)).isEmpty()) {
                rows.addAll(batch);
            }
        } finally {
            Bridge.endScan(handle);
        }
        return rows;
    }

    private static String withKeys(String scanJson, String keys) {
        return scanJson.substring(0, scanJson.length() - 1) + keys + "}";
    }

    private static List<String> lines(FakeServer server) {
        return server.received.stream().map(FakeServer.Received::line).toList();
    }

    @Test
    void pageHoldingEveryMatchIsTheWholeScanInOneRequest() {
        try (FakeServer server = new FakeServer().answer("/articles/_search", 200, hits(3, "eq", 0, 3))) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "articles", 10, TITLE),
                    ",\"query\":{\"op\":\"cmp\",\"cmp\":\"eq\",\"field\":\"status\",\"type\":\"text\",\"value\":\"x\"}");
            assertEquals(3, scanAll(scan, 1).size());
            assertEquals(List.of("POST /articles/_search {\"size\":10,\"query\":{\"bool\":{\"filter\":"
                    + "[{\"term\":{\"status\":\"x\"}}]}},\"_source\":[\"title\"]}"), lines(server));
        }
    }

    @Test
    void limitReachedOnTheFirstPageIsOneRequestOfLimitSize() {
        try (FakeServer server = new FakeServer().answer("/articles/_search", 200, hits(10000, "gte", 0, 2))) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "articles", 10, TITLE),
                    ",\"limit\":2,\"sort\":[{\"field\":\"n\",\"descending\":false,\"nulls_first\":false}]");
            assertEquals(List.of(List.of("d0", "t0"), List.of("d1", "t1")), scanAll(scan, 1));
            assertEquals(List.of("POST /articles/_search {\"size\":2,\"sort\":[{\"n\":{\"order\":\"asc\","
                    + "\"missing\":\"_last\"}}],\"_source\":[\"title\"]}"), lines(server));
        }
    }

    @Test
    void pagingAfterTheFirstPageAsksOnlyForTheRowsTheLimitLeaves() {
        try (FakeServer server = new FakeServer().answer("/_nodes/_local", 200, ES_819_NODE)
                .answer("/articles/_search", 200, hits(50, "eq", 0, 4))
                .answer("/articles/_pit", 200, "{\"id\":\"P1\"}").answer("/_search", 200, hits(50, "eq", 0, 4))
                .answer("/_pit", 200, "{}")) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "articles", 4, TITLE),
                    ",\"limit\":6,\"sort\":[{\"field\":\"n\",\"descending\":true,\"nulls_first\":true}]");
            assertEquals(6, scanAll(scan, 1).size());
            String sort = "\"sort\":[{\"n\":{\"order\":\"desc\",\"missing\":\"_first\"}},{\"_shard_doc\":\"asc\"}]";
            assertEquals(List.of(
                    "POST /articles/_search {\"size\":4,\"sort\":[{\"n\":{\"order\":\"desc\",\"missing\":\"_first\"}}],"
                            + "\"_source\":[\"title\"]}",
                    "GET /_nodes/_local?filter_path=nodes.*.version,nodes.*.build_flavor,nodes.*.build_type",
                    "POST /articles/_pit?keep_alive=60000ms",
                    "POST /_search {\"size\":4," + sort + ",\"_source\":[\"title\"],"
                            + "\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},\"track_total_hits\":false}",
                    "POST /_search {\"size\":2," + sort + ",\"_source\":[\"title\"],"
                            + "\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},\"search_after\":[3],"
                            + "\"track_total_hits\":false}",
                    "DELETE /_pit {\"id\":\"P1\"}"), lines(server));
        }
    }

    @Test
    void idsOnOneIndexAreOneMultiGetInIdOrderSkippingMissingDocuments() {
        try (FakeServer server = new FakeServer().answer("/_alias/articles", 404, "{}").answer("/articles/_mget", 200,
                "{\"docs\":[{\"_id\":\"b\",\"found\":true,\"_source\":{\"title\":\"B\"}},{\"_id\":\"x\",\"found\":false},"
                        + "{\"_id\":\"a\",\"found\":true,\"_source\":{\"title\":\"A\"}}]}")) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "articles", 10, TITLE),
                    ",\"query\":{\"op\":\"ids\",\"values\":[\"b\",\"x\",\"b\",\"a\"]}");
            assertEquals(List.of(List.of("b", "B"), List.of("a", "A")), scanAll(scan, 1));
            assertEquals(List.of("GET /_alias/articles",
                    "POST /articles/_mget?_source_includes=title {\"ids\":[\"b\",\"x\",\"a\"]}"), lines(server));
        }
    }

    @Test
    void idsOnAnAliasAreSearched() {
        try (FakeServer server = new FakeServer().answer("/_alias/both", 200, "{\"a\":{\"aliases\":{\"both\":{}}}}")
                .answer("/both/_search", 200, hits(1, "eq", 0, 1))) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "both", 10, TITLE),
                    ",\"query\":{\"op\":\"ids\",\"values\":[\"d0\"]}");
            assertEquals(List.of(List.of("d0", "t0")), scanAll(scan, 1));
            assertEquals(List.of("GET /_alias/both", "POST /both/_search {\"size\":10,\"query\":{\"bool\":{\"filter\":"
                    + "[{\"ids\":{\"values\":[\"d0\"]}}]}},\"_source\":[\"title\"]}"), lines(server));
        }
    }

    @Test
    void countOnlyIsOneCountRowWithOneColumn() {
        try (FakeServer server = new FakeServer().answer("/articles/_count", 200,
                "{\"count\":42,\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}")) {
            String scan = withKeys(TestIndex.scanJson(server.url(), "articles", 10, TITLE), ",\"count_only\":true");
            assertEquals(List.of(List.of("", "42")), scanAll(scan, 1));
            assertEquals(List.of("POST /articles/_count"), lines(server));
        }
    }

    @Test
    void fieldTypesAreCachedAndMissingIndexIsEmpty() {
        try (FakeServer server = new FakeServer().answer("/articles/_mapping", 200,
                "{\"articles\":{\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"}}}}}")) {
            String scan = TestIndex.scanJson(server.url(), "articles", 10);
            assertEquals("{\"n\":\"long\"}", new String(Bridge.fieldTypes(utf8(scan)), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals("{\"n\":\"long\"}", new String(Bridge.fieldTypes(utf8(scan)), java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(1, server.received.size(), "one mapping request for two calls");
            String missing = TestIndex.scanJson(server.url(), "nope", 10);
            assertEquals("{}", new String(Bridge.fieldTypes(utf8(missing)), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
