package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * Translates a pushed-down condition into Elasticsearch Query DSL with SQL's three-valued logic: every
 * node gets the query of its TRUE documents and the query of its FALSE ones (see TwoSided), so NOT and
 * <> never match a document that lacks the field. and: TRUE = all TRUE, FALSE = any FALSE; or: TRUE =
 * any TRUE, FALSE = all FALSE; not: swapped. Full-text nodes (ANDed at the top level only) and the raw
 * query of es_search() score, so they go into bool.must and everything else into bool.filter. Pure: no
 * network, no state.
 */
public final class QueryTranslator {
    private QueryTranslator() {
    }

    /** The query of a search, _count or aggregation: the condition and the raw query; null when neither. */
    public static ObjectNode search(Pushdown pushdown) {
        if (pushdown.query() == null) {
            return pushdown.rawQuery() == null ? null : pushdown.rawQuery().deepCopy();
        }
        return query(pushdown.query(), pushdown.rawQuery());
    }

    /** The condition's query, as search() without a raw query. */
    public static ObjectNode query(Expr root) {
        return query(root, null);
    }

    /**
     * {"bool":{"must":[raw, full-text…],"filter":[the other conjuncts' TRUE documents…]}}; without anything
     * that scores, the root's TRUE documents as {"bool":{"filter":[…]}}.
     */
    static ObjectNode query(Expr root, ObjectNode rawQuery) {
        List<ObjectNode> must = new ArrayList<>();
        if (rawQuery != null) {
            must.add(rawQuery.deepCopy());
        }
        List<ObjectNode> filter = new ArrayList<>();
        for (Expr conjunct : conjuncts(root)) {
            if (conjunct instanceof Expr.FullText fullText) {
                must.add(fullText(fullText));
            } else {
                filter.add(translate(conjunct).whenTrue());
            }
        }
        return must.isEmpty() ? filterOnly(root) : Dsl.mustAndFilter(must, filter);
    }

    /** The operands of the top-level AND (nested ANDs flattened), the root alone, or none for null. */
    static List<Expr> conjuncts(Expr root) {
        List<Expr> conjuncts = new ArrayList<>();
        if (root instanceof Expr.And and) {
            and.args().forEach(arg -> conjuncts.addAll(conjuncts(arg)));
        } else if (root != null) {
            conjuncts.add(root);
        }
        return conjuncts;
    }

    private static ObjectNode fullText(Expr.FullText node) {
        if (node instanceof Expr.QueryString queryString) {
            return Dsl.queryString(queryString.query());
        }
        if (node instanceof Expr.DslQuery dsl) {
            return dsl.query().deepCopy();
        }
        Expr.Match match = (Expr.Match) node;
        return Dsl.match(match.field(), match.query());
    }

    private static ObjectNode filterOnly(Expr root) {
        ObjectNode whenTrue = translate(root).whenTrue();
        JsonNode bool = whenTrue.get("bool");
        if (bool != null && bool.size() == 1 && bool.has("filter")) {
            return whenTrue;
        }
        return Dsl.filter(List.of(whenTrue));
    }

    static TwoSided translate(Expr expr) {
        if (expr instanceof Expr.And and) {
            return new TwoSided(Dsl.allOf(each(and.args(), TwoSided::whenTrue)),
                    Dsl.anyOf(each(and.args(), TwoSided::whenFalse)));
        }
        if (expr instanceof Expr.Or or) {
            return new TwoSided(Dsl.anyOf(each(or.args(), TwoSided::whenTrue)),
                    Dsl.allOf(each(or.args(), TwoSided::whenFalse)));
        }
        if (expr instanceof Expr.Not not) {
            return translate(not.arg()).negated();
        }
        if (expr instanceof Expr.FullText fullText) {
            throw underNotOrOr(fullText);
        }
        return leaf(expr);
    }

    private static TwoSided leaf(Expr expr) {
        if (expr instanceof Expr.Cmp cmp) {
            if (cmp.cmp() == CmpOp.NE) {
                return translate(new Expr.Cmp(CmpOp.EQ, cmp.field(), cmp.type(), cmp.value())).negated();
            }
            ValueRule rule = ValueRules.of(cmp.type(), cmp.field());
            return TwoSided.onField(cmp.field(), rule.compare(cmp.field(), cmp.cmp(), cmp.value()));
        }
        if (expr instanceof Expr.In in) {
            return TwoSided.onField(in.field(), ValueRules.of(in.type(), in.field()).in(in.field(), in.values()));
        }
        if (expr instanceof Expr.IsNull isNull) {
            return new TwoSided(Dsl.not(Dsl.exists(isNull.field())), Dsl.exists(isNull.field()));
        }
        if (expr instanceof Expr.IsNotNull isNotNull) {
            return new TwoSided(Dsl.exists(isNotNull.field()), Dsl.not(Dsl.exists(isNotNull.field())));
        }
        if (expr instanceof Expr.Like like) {
            return TwoSided.onField(like.field(),
                    LikePattern.query(like.field(), like.pattern(), like.caseInsensitive()));
        }
        if (expr instanceof Expr.Unknown) {
            return new TwoSided(Dsl.matchNone(), Dsl.matchNone());
        }
        if (expr instanceof Expr.Ids ids) {
            return new TwoSided(Dsl.ids(ids.values()), Dsl.not(Dsl.ids(ids.values())));
        }
        Expr.ArrayContains contains = (Expr.ArrayContains) expr;
        ValueRule rule = ValueRules.of(contains.type(), contains.field());
        return TwoSided.onField(contains.field(), rule.compare(contains.field(), CmpOp.EQ, contains.value()));
    }

    /** C never sends a full-text node under not or or: a score there has no meaning for SQL's logic. */
    public static EsFdwException underNotOrOr(Expr.FullText node) {
        return new EsFdwException(SqlState.FDW_ERROR, "full-text condition \"" + node.op()
                + "\" can only be ANDed at the top level of a pushed-down query, not under not or or", null, null);
    }

    private static List<ObjectNode> each(List<Expr> args, Function<TwoSided, ObjectNode> side) {
        return args.stream().map(QueryTranslator::translate).map(side).toList();
    }
}
