package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.esfdw.query.CmpOp;
import org.esfdw.query.Expr;
import org.esfdw.query.Pushdown;
import org.esfdw.query.SortKey;
import org.esfdw.types.PgType;

/**
 * Reads the pushdown keys of a scan description (docs/boundary.md, "Pushdown"): query, sort, limit and
 * count_only, each optional (absent means: every document, no order, no limit, the rows themselves).
 */
final class PushdownParser {
    private PushdownParser() {
    }

    static Pushdown parse(JsonNode root) {
        JsonNode query = root.get("query");
        return new Pushdown(query == null || query.isNull() ? null : expr(query), sort(root.get("sort")),
                limit(root.get("limit")), root.path("count_only").asBoolean(false));
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
