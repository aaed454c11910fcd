package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.esfdw.types.PgType;

/**
 * A pushed-down condition as the C shim describes it (docs/boundary.md, "Pushdown"): a tree of and/or/not
 * over leaf tests on one Elasticsearch field each. Values stay JSON, exactly as C wrote them. Full-text
 * nodes (FullText) score documents and only appear ANDed at the top level (the parser checks it).
 */
public sealed interface Expr {

    record And(List<Expr> args) implements Expr {
        public And {
            args = List.copyOf(args);
        }
    }

    record Or(List<Expr> args) implements Expr {
        public Or {
            args = List.copyOf(args);
        }
    }

    record Not(Expr arg) implements Expr {
    }

    /** field (cmp) value */
    record Cmp(CmpOp cmp, String field, PgType type, JsonNode value) implements Expr {
    }

    /** field IN (values), never with a NULL element */
    record In(String field, PgType type, List<JsonNode> values) implements Expr {
        public In {
            values = List.copyOf(values);
        }
    }

    record IsNull(String field) implements Expr {
    }

    record IsNotNull(String field) implements Expr {
    }

    /** field LIKE pattern (PostgreSQL syntax, backslash escapes), or ILIKE when caseInsensitive */
    record Like(String field, String pattern, boolean caseInsensitive) implements Expr {
    }

    /** _id = value or _id IN (values) */
    record Ids(List<String> values) implements Expr {
        public Ids {
            values = List.copyOf(values);
        }
    }

    /**
     * A condition that is UNKNOWN for every document (C sends {"op":"unknown"} for a comparison with a
     * NULL value): neither it nor its negation matches anything.
     */
    record Unknown() implements Expr {
    }

    /** value = ANY(field), the field being an array column; never under not */
    record ArrayContains(String field, PgType type, JsonNode value) implements Expr {
    }

    /** A condition that scores documents (docs/boundary.md, "Search"): goes into bool.must, never under not/or. */
    sealed interface FullText extends Expr {
        /** The node's "op" in the description. */
        String op();
    }

    /** Elasticsearch query_string syntax over all fields (the query column). */
    record QueryString(String query) implements FullText {
        @Override
        public String op() {
            return "query_string";
        }
    }

    /** A Query DSL object (the query column with query_dsl): the text as given and its parsed form. */
    record DslQuery(String text, ObjectNode query) implements FullText {
        @Override
        public String op() {
            return "dsl";
        }
    }

    /** es_match(column, text): a match query on one field. */
    record Match(String field, String query) implements FullText {
        @Override
        public String op() {
            return "match";
        }
    }
}
