package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Full-text search against the real servers of esfdw.it.urls: query_string, match and dsl nodes, the raw
 * query of es_search(), highlights, the _query/_source/_highlight columns, relevance order across pages,
 * default_sort, and Bridge.aggregate. Document i of 30: "postgres" in its title when i is even, "fdw"
 * when i is a multiple of 3; its body repeats "fdw" i%5+1 times (so scores differ); k is a (i<15), b
 * (i<25) or c.
 */
class SearchIT {
    private static final int DOCUMENTS = 30;
    private static final String PROPERTIES = """
            {"title":{"type":"text"},"body":{"type":"text"},"k":{"type":"keyword"},"n":{"type":"long"}}""";
    private static final Map<String, TestIndex> INDICES = new ConcurrentHashMap<>();
    private static final String ID = column("id", "_id", "text", false);
    private static final String SCORE = column("score", "_score", "float8", false);

    static String document(int i) {
        String title = ((i % 2 == 0 ? "postgres " : "") + (i % 3 == 0 ? "fdw " : "") + "document " + i).strip();
        return Json.text(Json.object().put("title", title).put("body", ("fdw ".repeat(i % 5 + 1) + "text").strip())
                .put("k", i < 15 ? "a" : i < 25 ? "b" : "c").put("n", i));
    }

    private static TestIndex index(String url) {
        return INDICES.computeIfAbsent(url, u -> TestIndex.create(u, PROPERTIES,
                IntStream.range(0, DOCUMENTS).mapToObj(SearchIT::document).toList()));
    }

    @AfterAll
    static void dropIndices() {
        INDICES.values().forEach(TestIndex::close);
    }

    /** A description of the test index with these columns and extra keys. */
    private static byte[] scan(String url, int fetchSize, ObjectNode keys, String... columns) {
        ObjectNode scan = (ObjectNode) Json.parse(utf8(index(url).scanJson(fetchSize, columns)));
        scan.setAll(keys);
        return Json.utf8(scan);
    }

    /** Every row of the scan (each [_id, columns…]), checking no batch exceeds the fetch size. */
    private static List<List<String>> rows(byte[] scanJson, int columns, int fetchSize) {
        long handle = Bridge.openScan(scanJson);
        List<List<String>> rows = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), columns)).isEmpty()) {
                assertTrue(batch.size() <= fetchSize, "batch of " + batch.size());
                rows.addAll(batch);
            }
        } finally {
            Bridge.endScan(handle);
        }
        return rows;
    }

    private static ObjectNode query(ObjectNode node) {
        ObjectNode keys = Json.object();
        keys.set("query", node);
        return keys;
    }

    private static ObjectNode node(String op, String... keysAndValues) {
        ObjectNode node = Json.object().put("op", op);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            node.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return node;
    }

    private static Set<Integer> numbers(List<List<String>> rows) {
        return rows.stream().map(row -> Integer.parseInt(row.get(0).substring("doc-".length())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> where(java.util.function.IntPredicate test) {
        return IntStream.range(0, DOCUMENTS).filter(test).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    /** Every document at most once, and the scores (column 2) present and never increasing. */
    private static void assertOnceByScoreDescending(List<List<String>> rows) {
        assertEquals(rows.size(), new HashSet<>(rows.stream().map(row -> row.get(0)).toList()).size(), "duplicates");
        double previous = Double.POSITIVE_INFINITY;
        for (List<String> row : rows) {
            assertNotNull(row.get(2), "score of " + row.get(0));
            double score = Double.parseDouble(row.get(2));
            assertTrue(score > 0 && score <= previous, "scores out of order: " + rows);
            previous = score;
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void queryStringPagesByScoreDescendingAndShowsItsText(String url) {
        String text = "body:fdw";
        List<List<String>> rows = rows(scan(url, 4, query(node("query_string", "query", text)), ID, SCORE,
                column("q", "_query", "text", false)), 3, 4);
        assertEquals(where(i -> true), numbers(rows));
        assertOnceByScoreDescending(rows);
        assertTrue(rows.stream().map(row -> row.get(2)).distinct().count() > 1, "scores should differ: " + rows);
        rows.forEach(row -> assertEquals(text, row.get(3)));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void queryStringSyntaxSelectsTheDocuments(String url) {
        List<List<String>> rows = rows(scan(url, 2, query(node("query_string", "query",
                "title:postgres AND title:fdw")), ID, SCORE), 2, 2);
        assertEquals(where(i -> i % 6 == 0), numbers(rows));
        assertOnceByScoreDescending(rows);
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void matchAndedWithAFilter(String url) {
        ObjectNode and = Json.object().put("op", "and");
        and.putArray("args").add(node("match", "field", "title", "query", "postgres"))
                .add(Json.object().put("op", "cmp").put("cmp", "lt").put("field", "n").put("type", "int8").put("value", 10));
        List<List<String>> rows = rows(scan(url, 3, query(and), ID, SCORE, column("q", "_query", "text", false)), 3, 3);
        assertEquals(where(i -> i % 2 == 0 && i < 10), numbers(rows));
        assertOnceByScoreDescending(rows);
        rows.forEach(row -> assertNull(row.get(3), "no query_string or dsl node: _query is NULL"));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void dslQueryAndItsTextInTheQueryColumn(String url) {
        String dsl = "{\"match\": {\"title\": \"fdw\"}}";
        List<List<String>> rows = rows(scan(url, 1000, query(node("dsl", "query", dsl)), ID, SCORE,
                column("q", "_query", "text", false), column("qj", "_query", "jsonb", false)), 4, 1000);
        assertEquals(where(i -> i % 3 == 0), numbers(rows));
        assertOnceByScoreDescending(rows);
        rows.forEach(row -> assertEquals(dsl, row.get(3)));
        rows.forEach(row -> assertEquals("{\"match\":{\"title\":\"fdw\"}}", row.get(4)));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void highlightsComeBackInTheHighlightColumn(String url) {
        ObjectNode keys = query(node("match", "field", "title", "query", "postgres"));
        keys.putArray("highlight").add("title");
        List<List<String>> rows = rows(scan(url, 4, keys, ID, column("h", "_highlight", "jsonb", false)), 2, 4);
        assertEquals(where(i -> i % 2 == 0), numbers(rows));
        for (List<String> row : rows) {
            JsonNode highlight = Json.parse(row.get(2).getBytes(StandardCharsets.UTF_8));
            assertTrue(highlight.path("title").path(0).asText().contains("<em>postgres</em>"), row.toString());
        }
        List<List<String>> none = rows(scan(url, 1000, Json.object(), ID, column("h", "_highlight", "jsonb", false)),
                2, 1000);
        none.forEach(row -> assertNull(row.get(2)));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void sourceColumnHoldsTheWholeDocument(String url) {
        for (int fetchSize : new int[] {1000, 7}) {
            List<List<String>> rows = rows(scan(url, fetchSize, Json.object(), ID, column("title", "title", "text", false),
                    column("doc", "_source", "jsonb", false)), 3, fetchSize);
            assertEquals(DOCUMENTS, rows.size());
            for (List<String> row : rows) {
                int i = Integer.parseInt(row.get(0).substring("doc-".length()));
                assertEquals(Json.parse(utf8(document(i))), Json.parse(utf8(row.get(3))));
                assertEquals(Json.parse(utf8(document(i))).path("title").asText(), row.get(2));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void rawQueryNeedingSeveralPagesReturnsEveryHitOnce(String url) {
        ObjectNode keys = Json.object().put("raw_query", "{\"match\":{\"title\":\"postgres\"}}");
        List<List<String>> rows = rows(scan(url, 3, keys, ID, SCORE), 2, 3);
        assertEquals(15, rows.size());
        assertEquals(where(i -> i % 2 == 0), numbers(rows));
        assertOnceByScoreDescending(rows);
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void rawQueryAndedWithTheCondition(String url) {
        ObjectNode keys = query(Json.object().put("op", "cmp").put("cmp", "ge").put("field", "n").put("type", "int8")
                .put("value", 20));
        keys.put("raw_query", "{\"match\":{\"title\":\"fdw\"}}");
        assertEquals(where(i -> i % 3 == 0 && i >= 20), numbers(rows(scan(url, 2, keys, ID, SCORE), 2, 2)));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void defaultSortOrdersTheRowsAndScoresStillArrive(String url) {
        ObjectNode keys = query(node("match", "field", "title", "query", "postgres")).put("default_sort", "k:desc,n");
        List<List<String>> rows = rows(scan(url, 4, keys, ID, SCORE, column("n", "n", "int8", false)), 3, 4);
        List<Integer> expected = new ArrayList<>();
        IntStream.range(25, DOCUMENTS).filter(i -> i % 2 == 0).forEach(expected::add);
        IntStream.range(15, 25).filter(i -> i % 2 == 0).forEach(expected::add);
        IntStream.range(0, 15).filter(i -> i % 2 == 0).forEach(expected::add);
        assertEquals(expected, rows.stream().map(row -> Integer.parseInt(row.get(3))).toList());
        rows.forEach(row -> assertTrue(Double.parseDouble(row.get(2)) > 0, row.toString()));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aggregateReturnsTheTermsBuckets(String url) {
        ObjectNode keys = Json.object().put("aggs", "{\"by_k\":{\"terms\":{\"field\":\"k\"}}}");
        JsonNode all = Json.parse(Bridge.aggregate(scan(url, 1000, keys)));
        assertEquals(Json.parse(utf8("[{\"key\":\"a\",\"doc_count\":15},{\"key\":\"b\",\"doc_count\":10},"
                + "{\"key\":\"c\",\"doc_count\":5}]")), all.path("by_k").path("buckets"));
        keys.put("raw_query", "{\"match\":{\"title\":\"postgres\"}}");
        keys.set("query", Json.object().put("op", "cmp").put("cmp", "ge").put("field", "n").put("type", "int8")
                .put("value", 2));
        JsonNode some = Json.parse(Bridge.aggregate(scan(url, 1000, keys)));
        assertEquals(Json.parse(utf8("[{\"key\":\"a\",\"doc_count\":7},{\"key\":\"b\",\"doc_count\":5},"
                + "{\"key\":\"c\",\"doc_count\":2}]")), some.path("by_k").path("buckets"));
        assertEquals("{}", new String(Bridge.aggregate(scan(url, 1000, Json.object())), StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aggregateOnAMissingIndexIsTableNotFound(String url) {
        byte[] scan = utf8("{\"connection\":{\"url\":\"" + url + "\"},\"index\":\"esfdw-it-no-such-index\","
                + "\"columns\":[],\"aggs\":\"{\\\"by_k\\\":{\\\"terms\\\":{\\\"field\\\":\\\"k\\\"}}}\"}");
        EsFdwException missing = assertThrows(EsFdwException.class, () -> Bridge.aggregate(scan));
        assertEquals("HV00R", missing.sqlstate());
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aQueryTheServerRefusesIsAnError(String url) {
        ObjectNode keys = Json.object().put("raw_query", "{\"no_such_query\":{}}");
        EsFdwException refused = assertThrows(EsFdwException.class, () -> rows(scan(url, 5, keys, ID), 1, 5));
        assertTrue(refused.getMessage().contains(url), refused.getMessage());
    }
}
