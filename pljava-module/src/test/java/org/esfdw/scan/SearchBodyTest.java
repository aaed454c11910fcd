package org.esfdw.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.esfdw.config.ScanDescription;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class SearchBodyTest {

    static ScanDescription scan(String columns) {
        return ScanDescriptionParser.parse(("{\"connection\":{\"url\":\"http://127.0.0.1:9200\","
                + "\"username\":\"bob\",\"password\":\"secret\"},\"index\":\"articles\",\"fetch_size\":1000,"
                + "\"columns\":[" + columns + "]}").getBytes(StandardCharsets.UTF_8));
    }

    static String column(String name, String field, String type) {
        return "{\"name\":\"" + name + "\",\"field\":\"" + field + "\",\"type\":\"" + type + "\",\"array\":false}";
    }

    @Test
    void sourceIsRestrictedToTheColumnsFieldsInOrderWithoutDuplicates() {
        ScanDescription scan = scan(column("id", "_id", "text") + "," + column("title", "title", "text") + ","
                + column("views", "stats.views", "int8") + "," + column("title2", "title", "text"));
        assertEquals("{\"size\":1000,\"_source\":[\"title\",\"stats.views\"]}", Json.text(SearchBody.of(scan)));
    }

    @Test
    void onlyMetadataColumnsFetchNoSource() {
        assertEquals("{\"size\":1000,\"_source\":false}",
                Json.text(SearchBody.of(scan(column("id", "_id", "text") + "," + column("s", "_score", "float8")))));
        assertEquals("{\"size\":1000,\"_source\":false}", Json.text(SearchBody.of(scan(""))));
    }

    @Test
    void numericColumnFetchesTheWholeSourceToKeepDecimalsExact() {
        assertEquals("{\"size\":1000}",
                Json.text(SearchBody.of(scan(column("title", "title", "text") + "," + column("p", "price",
                        "numeric")))));
    }

    @Test
    void versionColumnAsksForTheVersion() {
        assertEquals("{\"size\":1000,\"_source\":false,\"version\":true}",
                Json.text(SearchBody.of(scan(column("v", "_version", "int8")))));
    }

    @Test
    void explainShowsTheFirstPageRequestWithoutCredentials() {
        String explain = ScanRequests.explain(scan(column("title", "title", "text") + "," + column("views", "views",
                "int8")));
        assertEquals("POST /articles/_search {\"size\":1000,\"_source\":[\"title\",\"views\"]}", explain);
    }
}
