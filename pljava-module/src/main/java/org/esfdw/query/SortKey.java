package org.esfdw.query;

/** One ORDER BY key C pushed down: an Elasticsearch field (or "_score"), direction and NULLS placement. */
public record SortKey(String field, boolean descending, boolean nullsFirst) {
    public static final String SCORE = "_score";
}
