package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ColumnSpec;
import org.esfdw.json.Json;
import org.esfdw.types.InvalidValue;
import org.esfdw.types.ValueConverter;

/**
 * Reads one column's text from a hit: metadata from the hit itself, anything else from _source; a value
 * that does not fit the type becomes an error naming the column, the document and the value.
 */
final class ColumnReader {
    private static final int MAX_VALUE_CHARS = 100;

    private final ColumnSpec column;
    private final String index;

    ColumnReader(ColumnSpec column, String index) {
        this.column = column;
        this.index = index;
    }

    /** The column text, or null for SQL NULL. */
    String read(JsonNode hit) {
        JsonNode value = column.isMetadata()
                ? hit.get(column.field())
                : FieldPath.lookup(hit.path("_source"), column.field());
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
