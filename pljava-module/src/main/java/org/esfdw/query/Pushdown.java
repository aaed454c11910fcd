package org.esfdw.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;

/**
 * What C pushed down into a scan: the condition (null: every document), the raw Query DSL of es_search()
 * (null: none; ANDed with the condition), the sort keys (the default_sort option's when C sent none), the
 * most rows it needs (empty: all), whether it only wants the count, the fields to highlight and the
 * aggregations object of an aggregate call (null: none).
 */
public record Pushdown(Expr query, ObjectNode rawQuery, List<SortKey> sort, OptionalLong limit, boolean countOnly,
                       List<String> highlight, ObjectNode aggs) {
    public static final Pushdown NONE =
            new Pushdown(null, null, List.of(), OptionalLong.empty(), false, List.of(), null);

    public Pushdown {
        sort = List.copyOf(sort);
        highlight = List.copyOf(highlight);
    }

    /** The _id values when the whole search is an ids test (no raw query), else null. */
    public List<String> idsOnly() {
        return rawQuery == null && query instanceof Expr.Ids ids ? ids.values() : null;
    }

    /** True when the search scores documents: a raw query, or a full-text node in the condition. */
    public boolean scores() {
        return rawQuery != null || QueryTranslator.conjuncts(query).stream().anyMatch(Expr.FullText.class::isInstance);
    }

    /** The condition's first query_string or dsl node (what the _query column shows), or null. */
    public Expr.FullText queryColumnNode() {
        return QueryTranslator.conjuncts(query).stream()
                .filter(c -> c instanceof Expr.QueryString || c instanceof Expr.DslQuery)
                .map(Expr.FullText.class::cast).findFirst().orElse(null);
    }
}
