package org.esfdw.transport;

/**
 * What es_fdw needs to know about a server: its distribution and version, and from them the paging
 * strategy. Point in time needs Elasticsearch's default distribution from 7.12, where the _shard_doc
 * tiebreak appeared. OpenSearch has its own point in time, but (checked on 2.19.6) no _shard_doc sort and
 * no other unique per-document tiebreak for search_after, so it pages with scroll like the OSS builds.
 */
public record ServerInfo(Distribution distribution, int major, int minor) {
    public static final ServerInfo UNIDENTIFIED = new ServerInfo(Distribution.UNKNOWN, 0, 0);

    public PagingStrategy pagingStrategy() {
        boolean shardDocSort = major > 7 || (major == 7 && minor >= 12);
        return distribution == Distribution.ELASTICSEARCH && shardDocSort
                ? PagingStrategy.POINT_IN_TIME
                : PagingStrategy.SCROLL;
    }
}
