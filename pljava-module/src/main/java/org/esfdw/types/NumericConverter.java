package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;

/** numeric: exact decimal text straight from the JSON (never through double); NaN and ±Infinity strings. */
final class NumericConverter {
    private NumericConverter() {
    }

    static String convert(JsonNode value) {
        if (value.isTextual()) {
            String special = JsonNumbers.specialValue(value.textValue());
            if (special != null) {
                return special;
            }
        }
        return JsonNumbers.decimal(value).toString();
    }
}
