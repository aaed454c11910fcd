package org.esfdw.scan;

import static org.esfdw.scan.SearchBodyTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.config.ScanDescription;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;
import org.esfdw.paging.PagingRequests;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.Test;

/**
 * The search features of docs/boundary.md ("Search"): highlights, default_sort, the relevance order of
 * paging, the _query/_source/_highlight columns, and the aggregation request, against exact JSON.
 */
class FullTextSearchBodyTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final String TITLE = column("title", "title", "text");
    private static final String MATCH = "{'op':'match','field':'title','query':'fdw'}";

    /** A description with these columns and (single-quoted) extra keys. */
    static ScanDescription scan(String columns, String singleQuotedKeys) {
        return ScanDescriptionParser.parse(("{\"connection\":{\"url\":\"http://127.0.0.1:9200\"},\"index\":\"articles\","
                + "\"fetch_size\":100,\"columns\":[" + columns + "]" + singleQuotedKeys.replace('\'', '"') + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String body(String columns, String keys) {
        return Json.text(SearchBody.of(scan(columns, keys)));
    }

    @Test
    void highlightAsksForEachField() {
        assertEquals("{\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":{\"query\":\"fdw\"}}}]}},"
                        + "\"highlight\":{\"fields\":{\"title\":{},\"body\":{}}},\"_source\":[\"title\"]}",
                body(TITLE, ",'query':" + MATCH + ",'highlight':['title','body']"));
        assertEquals("{\"size\":100,\"_source\":[\"title\"]}", body(TITLE, ",'highlight':[]"));
        assertThrows(EsFdwException.class, () -> scan(TITLE, ",'highlight':'title'"));
    }

    @Test
    void sourceColumnReadsTheWholeUnfilteredSource() {
        assertEquals("{\"size\":100}", body(TITLE + "," + column("doc", "_source", "jsonb"), ""));
        assertEquals("{\"size\":100}", body(column("doc", "_source", "json"), ""));
        assertEquals("{\"size\":100,\"_source\":false}",
                body(column("q", "_query", "text") + "," + column("h", "_highlight", "jsonb"), ""));
        assertEquals("POST /articles/_mget {\"ids\":[\"1\"]}", ScanRequests.explain(scan(column("doc", "_source",
                "jsonb"), ",'query':{'op':'ids','values':['1']}")));
    }

    @Test
    void defaultSortIsTheSortOnlyWhenCSentNone() {
        String defaultSort = ",'default_sort':'views:desc,title'";
        assertEquals("{\"size\":100,\"sort\":[{\"views\":{\"order\":\"desc\",\"missing\":\"_last\"}},"
                + "{\"title\":{\"order\":\"asc\",\"missing\":\"_last\"}}],\"_source\":[\"title\"]}", body(TITLE, defaultSort));
        assertEquals("{\"size\":100,\"sort\":[{\"n\":{\"order\":\"asc\",\"missing\":\"_last\"}}],\"_source\":[\"title\"]}",
                body(TITLE, defaultSort + ",'sort':[{'field':'n','descending':false,'nulls_first':false}]"));
        assertEquals("{\"size\":100,\"sort\":[{\"views\":{\"order\":\"desc\",\"missing\":\"_last\"}},"
                + "{\"title\":{\"order\":\"asc\",\"missing\":\"_last\"}}],\"_source\":[\"title\"]}",
                body(TITLE, defaultSort + ",'sort':[]"));
        EsFdwException bad = assertThrows(EsFdwException.class, () -> scan(TITLE, ",'default_sort':'views:sideways'"));
        assertEquals("22P02", bad.sqlstate());
        assertEquals("invalid value for option \"default_sort\": \"views:sideways\"", bad.getMessage());
    }

    @Test
    void aSortedScoringSearchStillComputesScoresForTheScoreColumn() {
        String sorted = ",'query':" + MATCH + ",'sort':[{'field':'n','descending':false,'nulls_first':false}]";
        assertEquals("{\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":{\"query\":\"fdw\"}}}]}},"
                        + "\"sort\":[{\"n\":{\"order\":\"asc\",\"missing\":\"_last\"}}],\"track_scores\":true,\"_source\":false}",
                body(column("s", "_score", "float8"), sorted));
        assertEquals("{\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":{\"query\":\"fdw\"}}}]}},"
                + "\"sort\":[{\"n\":{\"order\":\"asc\",\"missing\":\"_last\"}}],\"_source\":[\"title\"]}", body(TITLE, sorted));
    }

    @Test
    void firstPageOfAScoringSearchHasNoExplicitSort() {
        assertEquals("POST /articles/_search {\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":"
                + "{\"query\":\"fdw\"}}}]}},\"_source\":[\"title\"]}", ScanRequests.explain(scan(TITLE, ",'query':" + MATCH)));
    }

    @Test
    void pointInTimePagesOfAScoringSearchSortByScoreBeforeTheTiebreak() {
        ScanDescription scan = scan(TITLE, ",'query':" + MATCH);
        assertEquals("POST /_search {\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":{\"query\":\"fdw\"}}}]}},"
                        + "\"_source\":[\"title\"],\"sort\":[{\"_score\":{\"order\":\"desc\"}},{\"_shard_doc\":\"asc\"}],"
                        + "\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},\"track_total_hits\":false}",
                PagingRequests.pointInTimePage(SearchBody.forPaging(SearchBody.of(scan), scan), 100, "P1", MINUTE, null)
                        .toString());
    }

    @Test
    void scrollPagesOfAScoringSearchSortByScoreInsteadOfDoc() {
        ScanDescription scan = scan(TITLE, ",'raw_query':'{\\'match_all\\':{}}'");
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":100,\"query\":{\"match_all\":{}},"
                        + "\"_source\":[\"title\"],\"sort\":[{\"_score\":{\"order\":\"desc\"}}]}",
                PagingRequests.scrollFirstPage("articles", SearchBody.forPaging(SearchBody.of(scan), scan), 100, MINUTE)
                        .toString());
    }

    @Test
    void pagingKeepsAnExplicitSortAndLeavesFilterOnlySearchesAlone() {
        ScanDescription sorted = scan(TITLE, ",'query':" + MATCH + ",'default_sort':'n'");
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":100,\"query\":{\"bool\":{\"must\":[{\"match\":"
                        + "{\"title\":{\"query\":\"fdw\"}}}]}},\"sort\":[{\"n\":{\"order\":\"asc\",\"missing\":\"_last\"}}],"
                        + "\"_source\":[\"title\"]}",
                PagingRequests.scrollFirstPage("articles", SearchBody.forPaging(SearchBody.of(sorted), sorted), 100,
                        MINUTE).toString());
        ScanDescription filter = scan(TITLE, ",'query':{'op':'is_null','field':'n'}");
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"bool\":"
                        + "{\"must_not\":[{\"exists\":{\"field\":\"n\"}}]}}]}},\"_source\":[\"title\"],\"sort\":[\"_doc\"]}",
                PagingRequests.scrollFirstPage("articles", SearchBody.forPaging(SearchBody.of(filter), filter), 100,
                        MINUTE).toString());
    }

    @Test
    void countOfARawQueryAndTheCondition() {
        assertEquals("POST /articles/_count {\"query\":{\"bool\":{\"must\":[{\"match_all\":{}}],"
                        + "\"filter\":[{\"term\":{\"n\":1}}]}}}",
                ScanRequests.explain(scan("", ",'count_only':true,'raw_query':'{\\'match_all\\':{}}',"
                        + "'query':{'op':'cmp','cmp':'eq','field':'n','type':'int8','value':1}")));
    }

    @Test
    void aggregationIsOneSizeZeroSearchWithTheQueryAndTheAggs() {
        assertEquals("POST /articles/_search {\"size\":0,\"query\":{\"bool\":{\"must\":[{\"match\":{\"title\":"
                        + "{\"query\":\"fdw\"}}}]}},\"aggs\":{\"by_k\":{\"terms\":{\"field\":\"k\"}}}}",
                Aggregation.request(scan("", ",'query':" + MATCH
                        + ",'aggs':'{\\'by_k\\':{\\'terms\\':{\\'field\\':\\'k\\'}}}'")).toString());
        assertEquals("POST /articles/_search {\"size\":0}", Aggregation.request(scan("", "")).toString());
        assertEquals("22P02", assertThrows(EsFdwException.class, () -> scan("", ",'aggs':'{\\'by_k\\''"))
                .sqlstate());
    }

    @Test
    void queryHighlightAndSourceColumns() {
        ScanDescription scan = scan(column("q", "_query", "text") + "," + column("qj", "_query", "jsonb") + ","
                + column("doc", "_source", "jsonb") + "," + column("h", "_highlight", "json"),
                ",'query':{'op':'dsl','query':'{ \\'match\\' : {\\'title\\':\\'fdw\\'}}'}");
        RowBatchEncoder encoder = new RowBatchEncoder(scan.columns().stream()
                .map(c -> new ColumnReader(c, scan.index(), scan.pushdown().queryColumnNode())).toList());
        List<JsonNode> hits = List.of(
                Json.parse(("{\"_id\":\"1\",\"_source\":{\"title\":\"an fdw\",\"n\":1.50},"
                        + "\"highlight\":{\"title\":[\"an <em>fdw</em>\"]}}").getBytes(StandardCharsets.UTF_8)),
                Json.parse("{\"_id\":\"2\",\"_source\":{}}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(
                        Arrays.asList("1", "{ \"match\" : {\"title\":\"fdw\"}}", "{\"match\":{\"title\":\"fdw\"}}",
                                "{\"title\":\"an fdw\",\"n\":1.50}", "{\"title\":[\"an <em>fdw</em>\"]}"),
                        Arrays.asList("2", "{ \"match\" : {\"title\":\"fdw\"}}", "{\"match\":{\"title\":\"fdw\"}}", "{}",
                                null)),
                RowBatches.decode(encoder.encode(hits), 4));
    }

    @Test
    void queryColumnShowsAQueryStringAndIsNullWithoutOne() {
        ScanDescription withText = scan(column("q", "_query", "text"), ",'query':{'op':'and','args':[" + MATCH
                + ",{'op':'query_string','query':'postgres AND fdw'}]}");
        ScanDescription without = scan(column("q", "_query", "text"), ",'query':" + MATCH);
        JsonNode hit = Json.parse("{\"_id\":\"1\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("postgres AND fdw",
                new ColumnReader(withText.columns().get(0), "i", withText.pushdown().queryColumnNode()).read(hit));
        assertEquals(null, new ColumnReader(without.columns().get(0), "i", without.pushdown().queryColumnNode())
                .read(hit));
    }
}
