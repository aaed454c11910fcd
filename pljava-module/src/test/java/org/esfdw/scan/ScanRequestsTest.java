package org.esfdw.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.esfdw.config.ScanDescription;
import org.esfdw.config.ScanDescriptionParser;
import org.junit.jupiter.api.Test;

/** The first request of each way a scan reads, as EXPLAIN shows it. */
class ScanRequestsTest {
    private static final String TITLE = "{\"name\":\"title\",\"field\":\"title\",\"type\":\"text\",\"array\":false}";

    private static ScanDescription scan(String index, String columns, String keys) {
        String json = "{\"connection\":{\"url\":\"http://127.0.0.1:9200\",\"username\":\"bob\",\"password\":\"pw\"},"
                + "\"index\":\"" + index + "\",\"fetch_size\":100,\"columns\":[" + columns + "]" + keys + "}";
        return ScanDescriptionParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String explain(String index, String columns, String keys) {
        return ScanRequests.explain(scan(index, columns, keys));
    }

    @Test
    void searchShowsSizeQuerySortAndSourceInThatOrder() {
        assertEquals("POST /articles/_search {\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"term\":{\"status\":\"x\"}}]}},"
                        + "\"sort\":[{\"published\":{\"order\":\"desc\",\"missing\":\"_first\"}}],\"_source\":[\"title\"]}",
                explain("articles", TITLE, ",\"query\":{\"op\":\"cmp\",\"cmp\":\"eq\",\"field\":\"status\","
                        + "\"type\":\"text\",\"value\":\"x\"},\"sort\":[{\"field\":\"published\",\"descending\":true,"
                        + "\"nulls_first\":true}]"));
    }

    @Test
    void limitSmallerThanFetchSizeIsTheFirstPageSize() {
        assertEquals("POST /articles/_search {\"size\":7,\"_source\":[\"title\"]}", explain("articles", TITLE, ",\"limit\":7"));
        assertEquals("POST /articles/_search {\"size\":100,\"_source\":[\"title\"]}",
                explain("articles", TITLE, ",\"limit\":700"));
    }

    @Test
    void countOnlyIsACountWithTheQuery() {
        assertEquals("POST /articles/_count {\"query\":{\"bool\":{\"filter\":[{\"exists\":{\"field\":\"a\"}}]}}}",
                explain("articles", "", ",\"count_only\":true,\"query\":{\"op\":\"is_not_null\",\"field\":\"a\"}"));
        assertEquals("POST /articles/_count", explain("articles", "", ",\"count_only\":true"));
    }

    @Test
    void idsOnlyOnOneIndexIsAMultiGetOfTheDistinctIds() {
        String ids = ",\"query\":{\"op\":\"ids\",\"values\":[\"1\",\"2\",\"1\"]}";
        assertEquals("POST /articles/_mget?_source_includes=title {\"ids\":[\"1\",\"2\"]}", explain("articles", TITLE, ids));
        assertEquals("POST /articles/_mget?_source=false {\"ids\":[\"1\",\"2\"]}", explain("articles", "", ids));
        assertEquals("POST /articles/_mget {\"ids\":[\"1\",\"2\"]}",
                explain("articles", "{\"name\":\"p\",\"field\":\"p\",\"type\":\"numeric\",\"array\":false}", ids));
    }

    @Test
    void idsOnAPatternOrWithASortAreSearched() {
        String ids = ",\"query\":{\"op\":\"ids\",\"values\":[\"1\"]}";
        assertEquals("POST /logs-*/_search {\"size\":100,\"query\":{\"bool\":{\"filter\":[{\"ids\":{\"values\":[\"1\"]}}]}},"
                + "\"_source\":false}", explain("logs-*", "", ids));
        assertTrue(explain("articles", "", ids + ",\"sort\":[{\"field\":\"n\"}]").startsWith("POST /articles/_search "));
    }

    @Test
    void onlyPlainNamesCanBeOneIndex() {
        assertTrue(ScanRequests.namesOneIndex("articles"));
        assertTrue(ScanRequests.namesOneIndex("logs-2024.01"));
        assertFalse(ScanRequests.namesOneIndex("logs-*"));
        assertFalse(ScanRequests.namesOneIndex("a,b"));
        assertFalse(ScanRequests.namesOneIndex("remote:articles"));
        assertFalse(ScanRequests.namesOneIndex("<logs-{now/d}>"));
        assertFalse(ScanRequests.namesOneIndex("_all"));
    }

    @Test
    void explainNeverShowsCredentials() {
        String explain = explain("articles", TITLE, ",\"count_only\":true");
        assertFalse(explain.contains("bob") || explain.contains("pw"), explain);
    }
}
