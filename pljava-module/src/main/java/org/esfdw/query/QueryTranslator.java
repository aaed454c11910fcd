package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * Translates a pushed-down condition into Elasticsearch Query DSL with SQL's three-valued logic: every
 * node gets the query of its TRUE documents and the query of its FALSE ones (see TwoSided), so NOT and
 * <> never match a document that lacks the field. and: TRUE = all TRUE, FALSE = any FALSE; or: TRUE =
 * any TRUE, FALSE = all FALSE; not: swapped. Pure: no network, no state.
 */
public final class QueryTranslator {
    private QueryTranslator() {
    }

    /** The search's query: the root's TRUE documents as {"bool":{"filter":[…]}} (no scoring needed). */
    public static ObjectNode query(Expr root) {
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

    private static List<ObjectNode> each(List<Expr> args, Function<TwoSided, ObjectNode> side) {
        return args.stream().map(QueryTranslator::translate).map(side).toList();
    }
}
