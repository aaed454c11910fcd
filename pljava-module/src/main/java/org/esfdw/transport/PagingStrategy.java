package org.esfdw.transport;

/** How a scan walks through all hits of an index without from+size. */
public enum PagingStrategy {
    /** Elasticsearch point in time with search_after on the _shard_doc tiebreak. */
    POINT_IN_TIME,
    /** A scroll context, which every server version supports. */
    SCROLL
}
