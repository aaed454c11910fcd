package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;
import org.esfdw.json.Json;

/** The types whose text is the JSON text itself, possibly validated: text, json/jsonb, uuid, inet. */
final class TextConverters {
    private static final Pattern UUID = Pattern.compile(
            "\\{?\\p{XDigit}{8}-?\\p{XDigit}{4}-?\\p{XDigit}{4}-?\\p{XDigit}{4}-?\\p{XDigit}{12}}?");
    /** Loose on purpose: PostgreSQL's inet input does the exact check; this catches non-addresses. */
    private static final Pattern INET = Pattern.compile("[\\p{XDigit}.:]*[.:][\\p{XDigit}.:]*(/\\d{1,3})?");

    private TextConverters() {
    }

    /** A string as is; numbers, booleans and objects as their JSON text. */
    static String text(JsonNode value) {
        return value.isTextual() ? value.textValue() : Json.text(value);
    }

    static String json(JsonNode value) {
        return Json.text(value);
    }

    static String uuid(JsonNode value) {
        return matching(value, UUID, "is not a UUID");
    }

    static String inet(JsonNode value) {
        return matching(value, INET, "is not an IP address");
    }

    private static String matching(JsonNode value, Pattern pattern, String reason) {
        if (!value.isTextual() || !pattern.matcher(value.textValue()).matches()) {
            throw new InvalidValue(reason);
        }
        return value.textValue();
    }
}
