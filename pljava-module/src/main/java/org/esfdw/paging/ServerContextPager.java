package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.PendingRequest;

/**
 * The life cycle every strategy shares: open lazily, page, release the context as soon as the hits run
 * out or anything fails, and never page again after close.
 */
abstract class ServerContextPager implements Pager {
    /** Releasing after a cancel must not hold PostgreSQL up: the server expires the context anyway. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(1);

    private enum State { NOT_OPEN, OPEN, DONE }

    protected final HttpTransport transport;
    /** The index expression searched, and how its shard reports are judged. */
    protected final ShardRules rules;
    protected final String index;
    protected final ObjectNode searchBody;
    protected final Duration keepAlive;
    /** The page asked for ahead of time (cancelled when the context is released). */
    protected final PageAhead ahead = new PageAhead();
    private State state = State.NOT_OPEN;

    ServerContextPager(HttpTransport transport, ShardRules rules, ObjectNode searchBody, Duration keepAlive) {
        this.transport = transport;
        this.rules = rules;
        this.index = rules.index();
        this.searchBody = searchBody;
        this.keepAlive = keepAlive;
    }

    /** The page a started request answers, its shard report judged by the rules. */
    final SearchPage readPage(PendingRequest pending) {
        return SearchPageReader.read(transport.await(pending).body(), transport.connection().displayUrl(), rules);
    }

    /** Opens the context (may be nothing when the first page opens it). */
    abstract void openContext();

    abstract SearchPage fetchPage(int size);

    /** True when no page follows this one (which was asked for size hits). */
    abstract boolean isLastPage(SearchPage page, int size);

    /** The request that releases the context, or null when none is held; forgets the context. */
    abstract EsRequest takeReleaseRequest();

    @Override
    public final void open() {
        if (state == State.NOT_OPEN) {
            runReleasingOnFailure(this::openContext);
            state = State.OPEN;
        }
    }

    @Override
    public final List<JsonNode> nextPage(int size) {
        if (state == State.DONE) {
            return List.of();
        }
        open();
        SearchPage page = fetchReleasingOnFailure(size);
        if (isLastPage(page, size)) {
            close();
        }
        return page.hits();
    }

    @Override
    public final void followingPageSize(int size) {
        ahead.followingSize(size);
    }

    @Override
    public final void restart() {
        release();
        state = State.NOT_OPEN;
    }

    @Override
    public final void close() {
        release();
        state = State.DONE;
    }

    private SearchPage fetchReleasingOnFailure(int size) {
        try {
            return fetchPage(size);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void runReleasingOnFailure(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void release() {
        ahead.discard();
        EsRequest releaseRequest = takeReleaseRequest();
        if (releaseRequest != null) {
            transport.sendQuietly(releaseRequest, RELEASE_WAIT);
        }
    }
}
