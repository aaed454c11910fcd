package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Walks every hit of an index page by page, holding a server-side context (point in time or scroll)
 * that it always releases: when the hits run out, on restart, and on close.
 */
public interface Pager {
    /** Opens the server-side context if the strategy needs one before the first page. */
    void open();

    /** The hits of the next page, at most size of them; empty once every hit was returned. */
    List<JsonNode> nextPage(int size);

    /**
     * The size of the page the caller will ask for after the next one (0: none, a LIMIT is reached), so
     * that a page asked for ahead of time asks for no more rows than needed.
     */
    default void followingPageSize(int size) {
    }

    /** Releases the context; the next page is the first one again. */
    void restart();

    /** Releases the context for good; never throws. */
    void close();
}
