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
    private final String index;
    private final ShardRules rules;
    private final ObjectNode searchBody;
    private final Duration keepAlive;
    private String pitId;
    private JsonNode searchAfter;
    /** The next page, asked for as soon as the current one arrived. */
    private PendingRequest nextPage;
    /** The size of the page after the next one; -1 until the caller says (then: the same size). */
    private int followingSize = -1;
    private int nextPageSize;

    PointInTimePager(HttpTransport transport, ShardRules rules, ObjectNode searchBody, Duration keepAlive) {
        super(transport);
        this.index = rules.index();
        this.rules = rules;
        this.searchBody = searchBody;
        this.keepAlive = keepAlive;
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
     * already being fetched (with the same size; the scan trims what a limit does not want).
     */
    @Override
    SearchPage fetchPage(int size) {
        PendingRequest pending = takePrefetched(size);
        SearchPage page = SearchPageReader.read(transport.await(pending).body(),
                transport.connection().displayUrl(), rules);
        if (page.pitId() != null) {
            pitId = page.pitId();
        }
        searchAfter = page.lastSortValues();
        int ahead = followingSize < 0 ? size : followingSize;
        if (ahead > 0 && !isLastPage(page, size)) {
            nextPage = start(ahead);
            nextPageSize = ahead;
        }
        return page;
    }

    private PendingRequest start(int size) {
        return transport.start(PagingRequests.pointInTimePage(searchBody, size, pitId, keepAlive, searchAfter));
    }

    /** The page already asked for, if it has this size; else a new request (the other is abandoned). */
    private PendingRequest takePrefetched(int size) {
        PendingRequest taken = nextPage;
        nextPage = null;
        if (taken != null && nextPageSize == size) {
            return taken;
        }
        if (taken != null) {
            taken.cancel();
        }
        return start(size);
    }

    private void discardPrefetch() {
        if (nextPage != null) {
            nextPage.cancel();
            nextPage = null;
        }
    }

    @Override
    boolean isLastPage(SearchPage page, int size) {
        return page.hits().size() < size;
    }

    @Override
    public void followingPageSize(int size) {
        followingSize = size;
    }

    @Override
    EsRequest takeReleaseRequest() {
        discardPrefetch();
        EsRequest request = pitId == null ? null : PagingRequests.closePointInTime(pitId);
        pitId = null;
        return request;
    }
}
