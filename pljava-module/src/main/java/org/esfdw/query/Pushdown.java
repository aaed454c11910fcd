package org.esfdw.query;

import java.util.List;
import java.util.OptionalLong;

/**
 * What C pushed down into a scan: the condition (null: every document), the sort keys, the most rows it
 * needs (empty: all) and whether it only wants the count.
 */
public record Pushdown(Expr query, List<SortKey> sort, OptionalLong limit, boolean countOnly) {
    public static final Pushdown NONE = new Pushdown(null, List.of(), OptionalLong.empty(), false);

    public Pushdown {
        sort = List.copyOf(sort);
    }

    /** The _id values when the whole condition is an ids test, else null. */
    public List<String> idsOnly() {
        return query instanceof Expr.Ids ids ? ids.values() : null;
    }
}
