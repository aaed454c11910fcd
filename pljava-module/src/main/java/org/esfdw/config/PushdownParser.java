package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.esfdw.query.CmpOp;
import org.esfdw.query.DefaultSort;
import org.esfdw.query.Expr;
import org.esfdw.query.Pushdown;
import org.esfdw.query.QueryTranslator;
import org.esfdw.query.SortKey;
import org.esfdw.types.PgType;

/**
 * Reads the pushdown keys of a scan description (docs/boundary.md, "Pushdown" and "Search"): query,
 * raw_query, sort (else default_sort), limit, count_only, highlight and aggs, each optional (absent means:
 * every document, no order, no limit, the rows themselves, no highlights, no aggregations). Full-text
 * nodes are accepted only ANDed at the top level of the query.
 */
final class PushdownParser {
    private PushdownParser() {
    }

    static Pushdown parse(JsonNode root) {
        JsonNode queryNode = root.get("query");
        Expr query = queryNode == null || queryNode.isNull() ? null : expr(queryNode);
        checkFullTextPlacement(query, true);
        List<SortKey> defaultSort = defaultSort(root.get("default_sort"));
        List<SortKey> sort = sort(root.get("sort"));
        return new Pushdown(query, jsonObject(root, "raw_query"), sort.isEmpty() ? defaultSort : sort,
                limit(root.get("limit")), root.path("count_only").asBoolean(false), highlight(root.get("highlight")),
                jsonObject(root, "aggs"));
    }

    /** Full-text nodes may be the root or operands of top-level ANDs, nowhere else. */
    private static void checkFullTextPlacement(Expr expr, boolean topLevel) {
        if (expr instanceof Expr.FullText fullText && !topLevel) {
            throw QueryTranslator.underNotOrOr(fullText);
        }
        if (expr instanceof Expr.And and) {
            and.args().forEach(arg -> checkFullTextPlacement(arg, topLevel));
        } else if (expr instanceof Expr.Or or) {
            or.args().forEach(arg -> checkFullTextPlacement(arg, false));
        } else if (expr instanceof Expr.Not not) {
            checkFullTextPlacement(not.arg(), false);
        }
    }

    /** A JSON object given as JSON text (an object is taken as is); null when absent. */
    private static ObjectNode jsonObject(JsonNode root, String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject()) {
            return (ObjectNode) node;
        }
        if (!node.isTextual()) {
            throw ScanDescriptionParser.invalid("\"" + key + "\" must be the JSON text of an object, not " + node);
        }
        return JsonObjectText.parse(node.textValue(), key);
    }

    private static List<SortKey> defaultSort(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isTextual()) {
            throw ScanDescriptionParser.invalid("\"default_sort\" must be a string, not " + node);
        }
        return DefaultSort.parse(node.textValue());
    }

    private static List<String> highlight(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ScanDescriptionParser.invalid("\"highlight\" must be an array of field names, not " + node);
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode field : node) {
            if (!field.isTextual() || field.textValue().isEmpty()) {
                throw ScanDescriptionParser.invalid("\"highlight\" must be an array of field names, not " + node);
            }
            fields.add(field.textValue());
        }
        return fields;
    }

    static Expr expr(JsonNode node) {
        String op = text(node, "op");
        return switch (op) {
            case "and" -> new Expr.And(list(node, "args", PushdownParser::expr));
            case "or" -> new Expr.Or(list(node, "args", PushdownParser::expr));
            case "not" -> new Expr.Not(expr(required(node, "arg")));
            case "cmp" -> new Expr.Cmp(cmp(node), text(node, "field"), type(node), value(node));
            case "in" -> new Expr.In(text(node, "field"), type(node), list(node, "values", PushdownParser::notNull));
            case "is_null" -> new Expr.IsNull(text(node, "field"));
            case "is_not_null" -> new Expr.IsNotNull(text(node, "field"));
            case "like" -> new Expr.Like(text(node, "field"), text(node, "pattern"),
                    node.path("case_insensitive").asBoolean(false));
            case "ids" -> new Expr.Ids(list(node, "values", value -> notNull(value).asText()));
            case "unknown" -> new Expr.Unknown();
            case "array_contains" -> new Expr.ArrayContains(text(node, "field"), type(node), value(node));
            case "query_string" -> new Expr.QueryString(text(node, "query"));
            case "dsl" -> new Expr.DslQuery(text(node, "query"), JsonObjectText.parse(text(node, "query"),
                    "the dsl query"));
            case "match" -> new Expr.Match(text(node, "field"), text(node, "query"));
            default -> throw ScanDescriptionParser.invalid("unknown query op \"" + op + "\"");
        };
    }

    private static List<SortKey> sort(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw ScanDescriptionParser.invalid("\"sort\" must be an array");
        }
        List<SortKey> keys = new ArrayList<>();
        for (JsonNode key : node) {
            boolean descending = key.path("descending").asBoolean(false);
            // PostgreSQL's default: NULLS FIRST for DESC, NULLS LAST for ASC
            keys.add(new SortKey(text(key, "field"), descending, key.path("nulls_first").asBoolean(descending)));
        }
        return keys;
    }

    private static OptionalLong limit(JsonNode node) {
        if (node == null || node.isNull()) {
            return OptionalLong.empty();
        }
        if (!node.canConvertToExactIntegral() || node.asLong() < 0) {
            throw ScanDescriptionParser.invalid("\"limit\" must be an integer of at least 0, not " + node);
        }
        return OptionalLong.of(node.asLong());
    }

    private static CmpOp cmp(JsonNode node) {
        String name = text(node, "cmp");
        return CmpOp.fromName(name)
                .orElseThrow(() -> ScanDescriptionParser.invalid("unknown comparison \"" + name + "\""));
    }

    private static PgType type(JsonNode node) {
        return PgType.fromName(text(node, "type"));
    }

    private static JsonNode value(JsonNode node) {
        return notNull(required(node, "value"));
    }

    private static JsonNode notNull(JsonNode value) {
        if (value.isNull() || value.isContainerNode()) {
            throw ScanDescriptionParser.invalid("a query value must be a JSON scalar, not " + value);
        }
        return value;
    }

    private static <T> List<T> list(JsonNode node, String key, Function<JsonNode, T> element) {
        JsonNode array = node.get(key);
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw ScanDescriptionParser.invalid("query op \"" + node.path("op").asText() + "\" needs a non-empty \""
                    + key + "\" array");
        }
        List<T> elements = new ArrayList<>();
        array.forEach(item -> elements.add(element.apply(item)));
        return elements;
    }

    private static JsonNode required(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            throw ScanDescriptionParser.invalid("query op \"" + node.path("op").asText() + "\" needs \"" + key + "\"");
        }
        return value;
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw ScanDescriptionParser.invalid("\"" + key + "\" must be a string in " + node);
        }
        return value.textValue();
    }
}
