package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one Elasticsearch field value into the text of a column: SQL NULL for a missing field, JSON null
 * or an empty array; a PostgreSQL array literal for array columns; a multi-valued field in a scalar column
 * is refused. json and jsonb take any JSON value, arrays included.
 */
public final class ValueConverter {
    private ValueConverter() {
    }

    /**
     * @param value the field value, or null when the document lacks the field
     * @return the column text, or null for SQL NULL
     * @throws InvalidValue when the value does not fit the type
     */
    public static String convert(JsonNode value, PgType type, boolean array) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (array) {
            return arrayLiteral(value, type);
        }
        if (type.holdsAnyJson()) {
            return scalar(value, type);
        }
        if (value.isArray()) {
            if (value.isEmpty()) {
                return null;
            }
            throw new InvalidValue("has several values (a JSON array)",
                    "Declare the column as an array, e.g. " + type.sqlName() + "[], or as json or jsonb.");
        }
        return scalar(value, type);
    }

    private static String arrayLiteral(JsonNode value, PgType type) {
        List<String> elements = new ArrayList<>();
        for (JsonNode element : elementsOf(value, type, new ArrayList<>())) {
            elements.add(element.isNull() ? null : scalar(element, type));
        }
        return ArrayLiteral.of(elements);
    }

    /** Nested arrays are flattened as Elasticsearch does, except for json elements, which keep them. */
    private static List<JsonNode> elementsOf(JsonNode value, PgType type, List<JsonNode> elements) {
        if (!value.isArray()) {
            elements.add(value);
            return elements;
        }
        for (JsonNode element : value) {
            if (element.isArray() && !type.holdsAnyJson()) {
                elementsOf(element, type, elements);
            } else {
                elements.add(element);
            }
        }
        return elements;
    }

    private static String scalar(JsonNode value, PgType type) {
        String text = type.toPgText(value);
        if (text.indexOf('\0') >= 0) {
            throw new InvalidValue("contains a NUL character, which PostgreSQL text cannot hold");
        }
        return text;
    }
}
