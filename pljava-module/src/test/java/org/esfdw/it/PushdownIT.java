package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.esfdw.bridge.Bridge;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pushdown rule against the real servers of esfdw.it.urls: the documents each condition returns
 * from a small index with NULLs, missing fields, arrays, dates at day and sub-millisecond edges and
 * unicode; sort, limit, the one-request path, _mget, _count and fieldTypes.
 */
class PushdownIT {
    private static final String PROPERTIES = """
            {"k":{"type":"keyword"},"n":{"type":"long"},"d":{"type":"date"},"ts":{"type":"date"},
             "tn":{"type":"date_nanos"},"tags":{"type":"keyword"},"u":{"type":"keyword"},
             "flag":{"type":"boolean"},"ip":{"type":"ip"},"price":{"type":"double"}}""";
    private static final List<String> DOCUMENTS = List.of(
            """
            {"k":"apple","n":1,"d":"2024-02-29T23:30:00Z","ts":"2024-01-01T00:00:00.123Z",
             "tn":"2024-01-01T00:00:00.123400Z","tags":["red","green"],"u":"Ünïcode 🎉","flag":true,
             "ip":"10.0.0.1","price":1.5}""",
            """
            {"k":"Apricot","n":2,"d":"2024-03-01","ts":"2024-01-01T00:00:00.124Z",
             "tn":"2024-01-01T00:00:00.123456Z","tags":["blue"],"u":"naïve","flag":false,"ip":"10.0.0.2"}""",
            """
            {"k":"banana","n":null,"d":"2024-02-28T00:00:00Z","tags":[],"u":"a*b?c\\\\d","flag":true}""",
            """
            {"k":"a_c%","n":3}""",
            "{}",
            """
            {"k":"abc","n":-5,"d":"2023-12-31T23:59:59.999Z","ts":"2024-01-01T00:00:00.122Z",
             "tn":"2024-01-01T00:00:00.123500Z","tags":["red"]}""",
            """
            {"n":7}""");
    private static final Map<String, TestIndex> INDICES = new ConcurrentHashMap<>();
    private static final String ID = column("id", "_id", "text", false);

    private static TestIndex index(String url) {
        return INDICES.computeIfAbsent(url, u -> TestIndex.create(u, PROPERTIES, DOCUMENTS));
    }

    @AfterAll
    static void dropIndices() {
        INDICES.values().forEach(TestIndex::close);
    }

    static String q(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static String cmp(String cmp, String field, String type, String value) {
        return "{'op':'cmp','cmp':'" + cmp + "','field':'" + field + "','type':'" + type + "','value':" + value + "}";
    }

    static String not(String node) {
        return "{'op':'not','arg':" + node + "}";
    }

    /** The _id column of every row of a scan with these extra description keys, in row order. */
    static List<String> ids(String url, String index, int fetchSize, String keys) {
        String scan = TestIndex.scanJson(url, index, fetchSize, ID);
        long handle = Bridge.openScan(utf8(scan.substring(0, scan.length() - 1) + q(keys) + "}"));
        List<String> ids = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), 1)).isEmpty()) {
                assertTrue(batch.size() <= fetchSize, "batch of " + batch.size());
                batch.forEach(row -> ids.add(row.get(1)));
            }
        } finally {
            Bridge.endScan(handle);
        }
        return ids;
    }

    /** The document numbers a condition returns, as a sorted set ("doc-3" is 3). */
    private static Set<Integer> where(String url, String query) {
        return ids(url, index(url).name, 3, ",'query':" + query).stream()
                .map(id -> Integer.parseInt(id.substring("doc-".length())))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> docs(Integer... numbers) {
        return new TreeSet<>(List.of(numbers));
    }

    static Stream<String> urls() {
        return ItServers.urls().stream();
    }

    @ParameterizedTest
    @MethodSource("urls")
    void comparisonsNeverMatchDocumentsWithoutTheField(String url) {
        assertEquals(docs(0), where(url, cmp("eq", "n", "int8", "1")));
        assertEquals(docs(1, 3, 5, 6), where(url, cmp("ne", "n", "int8", "1")));
        assertEquals(docs(1, 3, 5, 6), where(url, not(cmp("eq", "n", "int8", "1"))));
        assertEquals(docs(0, 5), where(url, cmp("lt", "n", "int8", "2")));
        assertEquals(docs(0, 1, 5), where(url, cmp("le", "n", "int8", "2")));
        assertEquals(docs(3, 6), where(url, cmp("gt", "n", "int8", "2")));
        assertEquals(docs(1, 3, 6), where(url, cmp("ge", "n", "int8", "2")));
        assertEquals(docs(0, 3), where(url, "{'op':'in','field':'n','type':'int8','values':[1,3]}"));
        assertEquals(docs(1, 5, 6), where(url, not("{'op':'in','field':'n','type':'int8','values':[1,3]}")));
        assertEquals(docs(2, 4), where(url, "{'op':'is_null','field':'n'}"));
        assertEquals(docs(0, 1, 3, 5, 6), where(url, "{'op':'is_not_null','field':'n'}"));
        assertEquals(docs(0), where(url, cmp("gt", "price", "numeric", "1.25")));
        assertEquals(docs(0, 2), where(url, cmp("eq", "flag", "bool", "true")));
        assertEquals(docs(1), where(url, cmp("ne", "flag", "bool", "true")));
        assertEquals(docs(1), where(url, cmp("eq", "ip", "inet", "'10.0.0.2'")));
        assertEquals(docs(1), where(url, cmp("eq", "u", "text", "'naïve'")));
        assertEquals(docs(), where(url, "{'op':'unknown'}"));
        assertEquals(docs(), where(url, not("{'op':'unknown'}")));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void notOverOrAndAndFollowThreeValuedLogic(String url) {
        String nIs1OrKNull = "{'op':'or','args':[" + cmp("eq", "n", "int8", "1") + ",{'op':'is_null','field':'k'}]}";
        assertEquals(docs(1, 3, 5), where(url, not(nIs1OrKNull)));
        String nIs1AndApple = "{'op':'and','args':[" + cmp("eq", "n", "int8", "1") + ","
                + cmp("eq", "k", "text", "'apple'") + "]}";
        assertEquals(docs(1, 2, 3, 5, 6), where(url, not(nIs1AndApple)));
        String neOrNe = "{'op':'or','args':[" + cmp("ne", "n", "int8", "1") + "," + cmp("ne", "k", "text", "'apple'") + "]}";
        assertEquals(docs(0), where(url, not(neOrNe)));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void likeAndIlike(String url) {
        assertEquals(docs(0), where(url, "{'op':'like','field':'k','pattern':'ap%','case_insensitive':false}"));
        assertEquals(docs(0, 1), where(url, "{'op':'like','field':'k','pattern':'ap%','case_insensitive':true}"));
        assertEquals(docs(3), where(url, "{'op':'like','field':'k','pattern':'a\\\\_c\\\\%','case_insensitive':false}"));
        assertEquals(docs(3, 5), where(url, "{'op':'like','field':'k','pattern':'a_c%','case_insensitive':false}"));
        assertEquals(docs(1, 2),
                where(url, not("{'op':'like','field':'k','pattern':'a%','case_insensitive':false}")));
        assertEquals(docs(0), where(url, "{'op':'like','field':'u','pattern':'%🎉','case_insensitive':false}"));
        assertEquals(docs(1), where(url, "{'op':'like','field':'u','pattern':'na_ve','case_insensitive':false}"));
        assertEquals(docs(0), where(url, "{'op':'like','field':'u','pattern':'ünï%','case_insensitive':true}"));
        assertEquals(docs(0), where(url, "{'op':'like','field':'u','pattern':'%CODE 🎉','case_insensitive':true}"));
        assertEquals(docs(), where(url, "{'op':'like','field':'u','pattern':'ünï%','case_insensitive':false}"));
        assertEquals(docs(2), where(url, "{'op':'like','field':'u','pattern':'a*b?c\\\\\\\\d','case_insensitive':false}"));
        assertEquals(docs(0, 1, 2, 3, 5), where(url, "{'op':'like','field':'k','pattern':'%','case_insensitive':false}"));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void dateComparesWholeUtcDays(String url) {
        assertEquals(docs(0), where(url, cmp("eq", "d", "date", "'2024-02-29'")));
        assertEquals(docs(1, 2, 5), where(url, cmp("ne", "d", "date", "'2024-02-29'")));
        assertEquals(docs(2, 5), where(url, cmp("lt", "d", "date", "'2024-02-29'")));
        assertEquals(docs(0, 2, 5), where(url, cmp("le", "d", "date", "'2024-02-29'")));
        assertEquals(docs(1), where(url, cmp("gt", "d", "date", "'2024-02-29'")));
        assertEquals(docs(0, 1), where(url, cmp("ge", "d", "date", "'2024-02-29'")));
        assertEquals(docs(2, 5), where(url, "{'op':'in','field':'d','type':'date','values':['2024-02-28','2023-12-31']}"));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void timestampsAreExactToTheMicrosecondOnMillisecondAndNanosecondFields(String url) {
        String micros = "'2024-01-01T00:00:00.123400Z'";
        assertEquals(docs(0), where(url, cmp("eq", "ts", "timestamp", "'2024-01-01T00:00:00.123'")));
        assertEquals(docs(), where(url, cmp("eq", "ts", "timestamptz", micros)));
        assertEquals(docs(0, 1, 5), where(url, cmp("ne", "ts", "timestamptz", micros)));
        assertEquals(docs(0, 5), where(url, cmp("lt", "ts", "timestamptz", micros)));
        assertEquals(docs(0, 5), where(url, cmp("le", "ts", "timestamptz", micros)));
        assertEquals(docs(1), where(url, cmp("gt", "ts", "timestamptz", micros)));
        assertEquals(docs(1), where(url, cmp("ge", "ts", "timestamptz", micros)));
        String nanosValue = "'2024-01-01T00:00:00.123456'";
        assertEquals(docs(1), where(url, cmp("eq", "tn", "timestamp", nanosValue)));
        assertEquals(docs(0), where(url, cmp("lt", "tn", "timestamp", nanosValue)));
        assertEquals(docs(0, 1), where(url, cmp("le", "tn", "timestamp", nanosValue)));
        assertEquals(docs(5), where(url, cmp("gt", "tn", "timestamp", nanosValue)));
        assertEquals(docs(1, 5), where(url, cmp("ge", "tn", "timestamp", nanosValue)));
        assertEquals(docs(0), where(url, cmp("eq", "tn", "timestamptz", micros)));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void idsAndArrayContains(String url) {
        assertEquals(docs(1, 3), where(url, "{'op':'ids','values':['doc-1','doc-3']}"));
        assertEquals(docs(0, 2, 3, 4, 5, 6), where(url, not("{'op':'ids','values':['doc-1']}")));
        assertEquals(docs(0, 5), where(url, "{'op':'array_contains','field':'tags','type':'text','value':'red'}"));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void sortWithNullsFirstAndLastAcrossPages(String url) {
        String name = index(url).name;
        List<String> asc = ids(url, name, 2, ",'sort':[{'field':'n','descending':false,'nulls_first':false}]");
        assertEquals(List.of("doc-5", "doc-0", "doc-1", "doc-3", "doc-6"), asc.subList(0, 5));
        assertEquals(Set.of("doc-2", "doc-4"), Set.copyOf(asc.subList(5, 7)));
        List<String> desc = ids(url, name, 2, ",'sort':[{'field':'n','descending':true,'nulls_first':true}]");
        assertEquals(Set.of("doc-2", "doc-4"), Set.copyOf(desc.subList(0, 2)));
        assertEquals(List.of("doc-6", "doc-3", "doc-1", "doc-0", "doc-5"), desc.subList(2, 7));
        List<String> byKeyword = ids(url, name, 3, ",'sort':[{'field':'k','descending':false,'nulls_first':true},"
                + "{'field':'n','descending':false,'nulls_first':false}]");
        assertEquals(List.of("doc-6", "doc-4", "doc-1", "doc-3", "doc-5", "doc-0", "doc-2"), byKeyword);
        assertEquals(0, TestIndex.openContexts(url), "open search contexts after sorted scans");
    }

    @ParameterizedTest
    @MethodSource("urls")
    void limitSmallerAndLargerThanFetchSize(String url) {
        String name = index(url).name;
        String sorted = ",'sort':[{'field':'n','descending':false,'nulls_first':false}]";
        assertEquals(List.of("doc-5", "doc-0", "doc-1"), ids(url, name, 2, sorted + ",'limit':3"));
        assertEquals(List.of("doc-5", "doc-0", "doc-1"), ids(url, name, 10, sorted + ",'limit':3"));
        assertEquals(7, ids(url, name, 2, sorted + ",'limit':100").size());
        assertEquals(List.of(), ids(url, name, 2, ",'limit':0"));
        assertEquals(0, TestIndex.openContexts(url), "open search contexts after limited scans");
    }

    @ParameterizedTest
    @MethodSource("urls")
    void scanThatFitsOnePageIsOneRequestOnTheWire(String url) {
        try (CountingProxy proxy = new CountingProxy(url)) {
            String name = index(url).name;
            assertEquals(7, ids(proxy.url(), name, 10, "").size());
            assertEquals(List.of("POST /" + name + "/_search"), proxy.paths());
            proxy.requests.clear();
            assertEquals(3, ids(proxy.url(), name, 2, ",'limit':3").size());
            assertEquals("POST /" + name + "/_search", proxy.paths().get(0));
            assertTrue(proxy.paths().size() > 2, "a limit above the page size pages: " + proxy.requests);
            proxy.requests.clear();
            assertEquals(2, ids(proxy.url(), name, 10, ",'limit':2").size());
            assertEquals(List.of("POST /" + name + "/_search"), proxy.paths());
        }
        assertEquals(0, TestIndex.openContexts(url), "open search contexts");
    }

    @ParameterizedTest
    @MethodSource("urls")
    void idsAreReadRealtimeWithMultiGetInIdOrder(String url) {
        String name = "esfdw-it-" + UUID.randomUUID().toString().substring(0, 8);
        TestIndex.call(url, "PUT", "/" + name, "{\"settings\":{\"number_of_shards\":2,\"number_of_replicas\":0,"
                + "\"refresh_interval\":\"-1\"}}", "application/json");
        try (CountingProxy proxy = new CountingProxy(url)) {
            TestIndex.call(url, "PUT", "/" + name + "/_doc/fresh?refresh=false", "{\"t\":\"just written\"}",
                    "application/json");
            TestIndex.call(url, "PUT", "/" + name + "/_doc/older?refresh=false", "{\"t\":\"also\"}", "application/json");
            String ids = ",'query':{'op':'ids','values':['fresh','missing','older','fresh']}";
            assertEquals(List.of("fresh", "older"), PushdownIT.ids(proxy.url(), name, 10, ids));
            assertEquals(List.of("GET /_alias/" + name, "POST /" + name + "/_mget"), proxy.paths());
            assertEquals(List.of(), PushdownIT.ids(url, name + "*", 10, ids), "a search does not see them yet");
        } finally {
            TestIndex.call(url, "DELETE", "/" + name, null, null);
        }
    }

    @ParameterizedTest
    @MethodSource("urls")
    void countOnlyIsOneCount(String url) {
        String name = index(url).name;
        assertEquals(List.of(List.of("", "5")), count(url, name, ",'query':{'op':'is_not_null','field':'n'}"));
        assertEquals(List.of(List.of("", "7")), count(url, name, ""));
    }

    private static List<List<String>> count(String url, String index, String keys) {
        String scan = TestIndex.scanJson(url, index, 10);
        long handle = Bridge.openScan(utf8(scan.substring(0, scan.length() - 1) + q(",'count_only':true" + keys) + "}"));
        try {
            List<List<String>> rows = RowBatches.decode(Bridge.nextBatch(handle), 1);
            assertEquals(List.of(), RowBatches.decode(Bridge.nextBatch(handle), 1));
            return rows;
        } finally {
            Bridge.endScan(handle);
        }
    }

    @ParameterizedTest
    @MethodSource("urls")
    void fieldTypesFlattenTheMappingAndMarkConflictsAcrossAPattern(String url) {
        String prefix = "esfdw-it-" + UUID.randomUUID().toString().substring(0, 8);
        TestIndex.call(url, "PUT", "/" + prefix + "-a", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"long\"},"
                + "\"title\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\"}}},"
                + "\"author\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}}}}}", "application/json");
        TestIndex.call(url, "PUT", "/" + prefix + "-b", "{\"mappings\":{\"properties\":{\"n\":{\"type\":\"keyword\"},"
                + "\"title\":{\"type\":\"text\",\"fields\":{\"keyword\":{\"type\":\"keyword\"}}}}}}", "application/json");
        try {
            Map<String, String> a = fieldTypes(url, prefix + "-a");
            assertEquals(Map.of("n", "long", "title", "text", "title.keyword", "keyword", "author", "object",
                    "author.name", "keyword"), a);
            Map<String, String> both = fieldTypes(url, prefix + "-*");
            assertEquals(Map.of("n", "conflict", "title", "text", "title.keyword", "keyword", "author", "object",
                    "author.name", "keyword"), both);
            assertEquals(Map.of(), fieldTypes(url, prefix + "-missing"));
        } finally {
            TestIndex.call(url, "DELETE", "/" + prefix + "-a," + prefix + "-b", null, null);
        }
    }

    private static Map<String, String> fieldTypes(String url, String index) {
        byte[] answer = Bridge.fieldTypes(utf8(TestIndex.scanJson(url, index, 10)));
        Map<String, String> types = new java.util.HashMap<>();
        Json.parse(answer).properties().forEach(e -> types.put(e.getKey(), e.getValue().asText()));
        assertTrue(new String(answer, StandardCharsets.UTF_8).startsWith("{"));
        return types;
    }
}
