package org.esfdw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class PagingRequestsTest {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private static ObjectNode searchBody() {
        ObjectNode body = Json.object().put("size", 2);
        body.putArray("_source").add("title");
        return body;
    }

    @Test
    void pointInTimeOpenPagesAndClose() {
        assertEquals("POST /logs-2024.01/_pit?keep_alive=60000ms",
                PagingRequests.openPointInTime("logs-2024.01", MINUTE).toString());
        assertEquals("POST /_search {\"size\":2,\"_source\":[\"title\"],\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},"
                        + "\"sort\":[{\"_shard_doc\":\"asc\"}],\"track_total_hits\":false}",
                PagingRequests.pointInTimePage(searchBody(), 2, "P1", MINUTE, null).toString());
        assertEquals("POST /_search {\"size\":2,\"_source\":[\"title\"],\"pit\":{\"id\":\"P2\",\"keep_alive\":\"60000ms\"},"
                        + "\"sort\":[{\"_shard_doc\":\"asc\"}],\"search_after\":[17],\"track_total_hits\":false}",
                PagingRequests.pointInTimePage(searchBody(), 2, "P2", MINUTE, Json.MAPPER.createArrayNode().add(17))
                        .toString());
        assertEquals("DELETE /_pit {\"id\":\"P2\"}", PagingRequests.closePointInTime("P2").toString());
    }

    @Test
    void scrollFirstNextAndClear() {
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":2,\"_source\":[\"title\"],\"sort\":[\"_doc\"]}",
                PagingRequests.scrollFirstPage("articles", searchBody(), 2, MINUTE).toString());
        assertEquals("POST /_search/scroll {\"scroll\":\"60000ms\",\"scroll_id\":\"S1\"}",
                PagingRequests.scrollNextPage("S1", MINUTE).toString());
        assertEquals("DELETE /_search/scroll {\"scroll_id\":[\"S1\"]}", PagingRequests.clearScroll("S1").toString());
    }

    @Test
    void pageSizeIsEachRequestsOwn() {
        assertEquals("POST /_search {\"size\":3,\"_source\":[\"title\"],\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},"
                        + "\"sort\":[{\"_shard_doc\":\"asc\"}],\"track_total_hits\":false}",
                PagingRequests.pointInTimePage(searchBody(), 3, "P1", MINUTE, null).toString());
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":3,\"_source\":[\"title\"],\"sort\":[\"_doc\"]}",
                PagingRequests.scrollFirstPage("articles", searchBody(), 3, MINUTE).toString());
    }

    @Test
    void pointInTimeTiebreakComesAfterTheScanSortAndScrollKeepsTheScanSort() {
        ObjectNode body = searchBody();
        body.putArray("sort").addObject().putObject("n").put("order", "desc").put("missing", "_first");
        assertEquals("POST /_search {\"size\":2,\"_source\":[\"title\"],"
                        + "\"sort\":[{\"n\":{\"order\":\"desc\",\"missing\":\"_first\"}},{\"_shard_doc\":\"asc\"}],"
                        + "\"pit\":{\"id\":\"P1\",\"keep_alive\":\"60000ms\"},\"track_total_hits\":false}",
                PagingRequests.pointInTimePage(body, 2, "P1", MINUTE, null).toString());
        assertEquals("POST /articles/_search?scroll=60000ms {\"size\":2,\"_source\":[\"title\"],"
                        + "\"sort\":[{\"n\":{\"order\":\"desc\",\"missing\":\"_first\"}}]}",
                PagingRequests.scrollFirstPage("articles", body, 2, MINUTE).toString());
        assertEquals("POST /articles/_search {\"size\":2,\"_source\":[\"title\"],"
                        + "\"sort\":[{\"n\":{\"order\":\"desc\",\"missing\":\"_first\"}}]}",
                PagingRequests.plainSearch("articles", body).toString());
    }

    @Test
    void pagingLeavesTheScanSearchBodyUntouched() {
        ObjectNode body = searchBody();
        PagingRequests.pointInTimePage(body, 7, "P", MINUTE, null);
        PagingRequests.scrollFirstPage("i", body, 7, MINUTE);
        assertEquals("{\"size\":2,\"_source\":[\"title\"]}", Json.text(body));
    }
}
