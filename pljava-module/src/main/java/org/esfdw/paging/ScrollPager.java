package org.esfdw.paging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PendingRequest;

/**
 * Pages with a scroll, which every Elasticsearch and OpenSearch version supports. The first search opens
 * the scroll and fixes the page size for the whole scroll; an empty page ends it (the scroll API promises
 * nothing about short pages).
 */
final class ScrollPager extends ServerContextPager {
    private String scrollId;

    ScrollPager(HttpTransport transport, ShardRules rules, ObjectNode searchBody, Duration keepAlive) {
        super(transport, rules, searchBody, keepAlive);
    }

    @Override
    void openContext() {
        // nothing to open: the first page's search opens the scroll
    }

    /** The next page; while PostgreSQL consumes it, the one after is already being fetched. */
    @Override
    SearchPage fetchPage(int size) {
        PendingRequest pending = ahead.take(size, false);
        if (pending == null) {
            pending = transport.start(scrollId == null
                    ? PagingRequests.scrollFirstPage(index, searchBody, size, keepAlive)
                    : PagingRequests.scrollNextPage(scrollId, keepAlive));
        }
        SearchPage page = readPage(pending);
        if (page.scrollId() != null) {
            scrollId = page.scrollId();
        }
        if (ahead.sizeAfter(size) > 0 && !isLastPage(page, size)) {
            ahead.asked(transport.start(PagingRequests.scrollNextPage(scrollId, keepAlive)), size);
        }
        return page;
    }

    @Override
    boolean isLastPage(SearchPage page, int size) {
        return page.hits().isEmpty();
    }

    @Override
    EsRequest takeReleaseRequest() {
        EsRequest request = scrollId == null ? null : PagingRequests.clearScroll(scrollId);
        scrollId = null;
        return request;
    }
}
