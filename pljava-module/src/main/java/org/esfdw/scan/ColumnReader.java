package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ColumnSpec;
import org.esfdw.json.Json;
import org.esfdw.query.Expr;
import org.esfdw.types.InvalidValue;
import org.esfdw.types.ValueConverter;

/**
 * Reads one column's text from a hit: metadata from the hit itself (_source: the whole document,
 * _highlight: the hit's highlight object), _query from the scan's own query_string or dsl node (its text
 * as given; a dsl object as JSON in a json or jsonb column), anything else from _source; a value that
 * does not fit the type becomes an error naming the column, the document and the value.
 */
final class ColumnReader {
    private static final int MAX_VALUE_CHARS = 100;

    private final ColumnSpec column;
    private final String index;
    private final JsonNode queryValue;

    /** @param queryNode the scan's query_string or dsl node (the _query column's value), or null */
    ColumnReader(ColumnSpec column, String index, Expr.FullText queryNode) {
        this.column = column;
        this.index = index;
        this.queryValue = queryValue(queryNode, column);
    }

    ColumnReader(ColumnSpec column, String index) {
        this(column, index, null);
    }

    private static JsonNode queryValue(Expr.FullText node, ColumnSpec column) {
        if (node instanceof Expr.DslQuery dsl) {
            return column.type().holdsAnyJson() ? dsl.query() : TextNode.valueOf(dsl.text());
        }
        return node instanceof Expr.QueryString queryString ? TextNode.valueOf(queryString.query()) : null;
    }

    /** The column text, or null for SQL NULL. */
    String read(JsonNode hit) {
        JsonNode value = switch (column.field()) {
            case "_query" -> queryValue;
            case "_highlight" -> hit.get("highlight");
            default -> column.isMetadata()
                    ? hit.get(column.field())
                    : FieldPath.lookup(hit.path("_source"), column.field());
        };
        try {
            return ValueConverter.convert(value, column.type(), column.array());
        } catch (InvalidValue e) {
            throw invalid(hit.path("_id").asText(), hit.path("_index").asText(index), value, e);
        }
    }

    private EsFdwException invalid(String documentId, String hitIndex, JsonNode value, InvalidValue problem) {
        return new EsFdwException(SqlState.INVALID_VALUE,
                "invalid value for column \"" + column.name() + "\" of type " + typeName() + " in document \""
                        + documentId + "\": " + shortText(value) + " " + problem.reason(),
                "Elasticsearch field \"" + column.field() + "\" of index \"" + hitIndex + "\".",
                problem.hint());
    }

    private String typeName() {
        return column.type().sqlName() + (column.array() ? "[]" : "");
    }

    private static String shortText(JsonNode value) {
        String text = Json.text(value);
        return text.length() > MAX_VALUE_CHARS ? text.substring(0, MAX_VALUE_CHARS) + "..." : text;
    }
}
