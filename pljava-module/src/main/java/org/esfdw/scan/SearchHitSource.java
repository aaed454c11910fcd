package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.esfdw.config.ScanDescription;
import org.esfdw.paging.Pager;
import org.esfdw.paging.Pagers;
import org.esfdw.paging.PagingRequests;
import org.esfdw.paging.SearchPage;
import org.esfdw.paging.SearchPageReader;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.ServerDetector;

/**
 * Searches the index. The first page goes out as one plain _search with no server-side context: when it
 * holds every match (exact hits.total equal to its hits) or as many as the limit asks for, the scan is
 * done in one request. Otherwise that page is dropped and the scan pages from the start in a point in
 * time or scroll (detecting the server only then), so every row it returns comes from one snapshot.
 */
final class SearchHitSource implements HitSource {
    private enum State { FIRST_PAGE, PAGING, DONE }

    private final HttpTransport transport;
    private final ScanDescription scan;
    private final ObjectNode searchBody;
    private State state = State.FIRST_PAGE;
    private Pager pager;
    private int followingSize = -1;

    SearchHitSource(HttpTransport transport, ScanDescription scan) {
        this.transport = transport;
        this.scan = scan;
        this.searchBody = SearchBody.of(scan);
    }

    @Override
    public List<JsonNode> next(int max) {
        return switch (state) {
            case FIRST_PAGE -> firstPage(max);
            case PAGING -> pager.nextPage(max);
            case DONE -> List.of();
        };
    }

    private List<JsonNode> firstPage(int max) {
        ObjectNode body = searchBody.deepCopy().put("size", max);
        SearchPage page = SearchPageReader.read(transport.send(PagingRequests.plainSearch(scan.index(), body)).body(),
                transport.connection().displayUrl(), scan.shardRules());
        if (page.holdsEveryMatch() || page.hits().size() >= scan.rowLimit()) {
            state = State.DONE;
            return page.hits();
        }
        pager = Pagers.create(ServerDetector.detect(transport).pagingStrategy(), transport,
                SearchBody.forPaging(searchBody, scan), scan.keepAlive(), scan.shardRules());
        state = State.PAGING;
        pager.followingPageSize(followingSize);
        pager.open();
        return pager.nextPage(max);
    }

    @Override
    public void followingCallSize(int size) {
        followingSize = size;
        if (pager != null) {
            pager.followingPageSize(size);
        }
    }

    @Override
    public void restart() {
        close();
        followingSize = -1;
        state = State.FIRST_PAGE;
    }

    @Override
    public void close() {
        if (pager != null) {
            pager.close();
            pager = null;
        }
        state = State.DONE;
    }
}
