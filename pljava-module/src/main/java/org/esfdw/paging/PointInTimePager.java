package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PendingRequest;

/**
 * Pages with an Elasticsearch point in time and search_after on the scan's sort plus _shard_doc: a
 * consistent snapshot, no from+size limit. A short page is the last one, so the point in time is closed without an extra call.
 */
final class PointInTimePager extends ServerContextPager {
    private String pitId;
    private JsonNode searchAfter;

    PointInTimePager(HttpTransport transport, ShardRules rules, ObjectNode searchBody, Duration keepAlive) {
        super(transport, rules, searchBody, keepAlive);
    }

    @Override
    void openContext() {
        JsonNode answer = Json.parse(transport.send(PagingRequests.openPointInTime(index, keepAlive)).body());
        if (!answer.path("id").isTextual()) {
            throw new EsFdwException(SqlState.FDW_ERROR, "could not open a point in time on index \"" + index
                    + "\" at " + transport.connection().displayUrl(), Json.text(answer), null);
        }
        pitId = answer.path("id").textValue();
        searchAfter = null;
    }

    /**
     * The page of size hits after the last one read. While PostgreSQL consumes it, the following page is
     * already being fetched, as large as the caller said it would want it.
     */
    @Override
    SearchPage fetchPage(int size) {
        PendingRequest pending = ahead.take(size, true);
        if (pending == null) {
            pending = start(size);
        }
        SearchPage page = readPage(pending);
        if (page.pitId() != null) {
            pitId = page.pitId();
        }
        searchAfter = page.lastSortValues();
        int following = ahead.sizeAfter(size);
        if (following > 0 && !isLastPage(page, size)) {
            ahead.asked(start(following), following);
        }
        return page;
    }

    private PendingRequest start(int size) {
        return transport.start(PagingRequests.pointInTimePage(searchBody, size, pitId, keepAlive, searchAfter));
    }

    @Override
    boolean isLastPage(SearchPage page, int size) {
        return page.hits().size() < size;
    }

    @Override
    EsRequest takeReleaseRequest() {
        EsRequest request = pitId == null ? null : PagingRequests.closePointInTime(pitId);
        pitId = null;
        return request;
    }
}
