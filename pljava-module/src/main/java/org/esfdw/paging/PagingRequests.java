package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.IndexPath;

/**
 * The exact requests of both paging strategies, as pure functions of the scan's search body (from
 * org.esfdw.scan.SearchBody) and the paging state. Nothing here touches the network.
 */
public final class PagingRequests {
    private PagingRequests() {
    }

    public static EsRequest openPointInTime(String index, Duration keepAlive) {
        return EsRequest.post(IndexPath.of(index) + "/_pit?keep_alive=" + timeValue(keepAlive), null);
    }

    /** One search, no server-side context: the fast path that may answer a whole scan at once. */
    public static EsRequest plainSearch(String index, ObjectNode searchBody) {
        return EsRequest.post(IndexPath.of(index) + "/_search", searchBody);
    }

    /**
     * The search body with this page's size, plus the point in time, the _shard_doc tiebreak after the
     * scan's own sort, and search_after when not first.
     */
    public static EsRequest pointInTimePage(ObjectNode searchBody, int size, String pitId, Duration keepAlive,
                                            JsonNode searchAfter) {
        ObjectNode body = searchBody.deepCopy();
        body.put("size", size);
        body.putObject("pit").put("id", pitId).put("keep_alive", timeValue(keepAlive));
        sortOf(body).addObject().put("_shard_doc", "asc");
        if (searchAfter != null) {
            body.set("search_after", searchAfter);
        }
        body.put("track_total_hits", false);
        return EsRequest.post("/_search", body);
    }

    public static EsRequest closePointInTime(String pitId) {
        ObjectNode body = Json.object().put("id", pitId);
        return EsRequest.delete("/_pit", body);
    }

    /**
     * The search body with the scroll's page size, in the scan's sort or else by _doc, the cheapest order
     * for a scroll (which needs no tiebreak).
     */
    public static EsRequest scrollFirstPage(String index, ObjectNode searchBody, int size, Duration keepAlive) {
        ObjectNode body = searchBody.deepCopy();
        body.put("size", size);
        if (!body.has("sort")) {
            body.putArray("sort").add("_doc");
        }
        return EsRequest.post(IndexPath.of(index) + "/_search?scroll=" + timeValue(keepAlive), body);
    }

    public static EsRequest scrollNextPage(String scrollId, Duration keepAlive) {
        ObjectNode body = Json.object().put("scroll", timeValue(keepAlive)).put("scroll_id", scrollId);
        return EsRequest.post("/_search/scroll", body);
    }

    public static EsRequest clearScroll(String scrollId) {
        ObjectNode body = Json.object();
        body.putArray("scroll_id").add(scrollId);
        return EsRequest.delete("/_search/scroll", body);
    }

    private static ArrayNode sortOf(ObjectNode body) {
        return body.has("sort") ? (ArrayNode) body.get("sort") : body.putArray("sort");
    }

    /** Elasticsearch time units: "60000ms". */
    static String timeValue(Duration duration) {
        return duration.toMillis() + "ms";
    }
}
