package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;

/** Reads a JSON number, or a string holding one (Elasticsearch coerces those), as an exact BigDecimal. */
final class JsonNumbers {
    private static final Map<String, String> SPECIAL_VALUES = Map.of(
            "nan", "NaN",
            "infinity", "Infinity", "+infinity", "Infinity", "inf", "Infinity", "+inf", "Infinity",
            "-infinity", "-Infinity", "-inf", "-Infinity");
    private JsonNumbers() {
    }

    static BigDecimal decimal(JsonNode value) {
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            return parse(value.textValue().strip());
        }
        throw new InvalidValue("is not a number");
    }

    static BigDecimal parse(String text) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new InvalidValue("is not a number");
        }
    }

    /** How many digits the value has before the decimal point (at most; 1 for values below one). */
    static int integerDigits(BigDecimal value) {
        return Math.max(1, value.precision() - value.scale());
    }

    /** NaN or ±Infinity in PostgreSQL's spelling when the text is one of their spellings, else null. */
    static String specialValue(String text) {
        return SPECIAL_VALUES.get(text.strip().toLowerCase(Locale.ROOT));
    }
}
