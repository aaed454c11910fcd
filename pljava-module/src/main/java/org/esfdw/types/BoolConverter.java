package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;

/** bool: JSON true/false, and the strings "true"/"false" that Elasticsearch also accepts. */
final class BoolConverter {
    private BoolConverter() {
    }

    static String convert(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue() ? "t" : "f";
        }
        if (value.isTextual() && value.textValue().equals("true")) {
            return "t";
        }
        if (value.isTextual() && value.textValue().equals("false")) {
            return "f";
        }
        throw new InvalidValue("is not a boolean");
    }
}
