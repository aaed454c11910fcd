package org.esfdw.transport;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.esfdw.json.Json;

/**
 * The useful part of an Elasticsearch error answer, {"error":{"type","reason","index","root_cause"}}:
 * its type, reason, the index it names, and the root cause when that says more. Tolerates bodies that
 * are not JSON (a proxy's HTML page, say).
 */
record EsErrorBody(String type, String reason, String index, String rootCause) {
    private static final int MAX_RAW_CHARS = 300;

    static EsErrorBody parse(byte[] body) {
        JsonNode error;
        try {
            error = Json.parse(body).path("error");
        } catch (UncheckedIOException notJson) {
            return raw(body);
        }
        if (error.isTextual()) {
            return new EsErrorBody(null, error.textValue(), null, null);
        }
        return new EsErrorBody(text(error, "type"), text(error, "reason"), text(error, "index"),
                rootCause(error));
    }

    /** "type: reason", followed by the root cause when it differs. */
    String detail() {
        String detail = type == null ? reason : type + ": " + reason;
        return rootCause == null ? detail : detail + "; root cause " + rootCause;
    }

    private static String rootCause(JsonNode error) {
        JsonNode root = error.path("root_cause").path(0);
        String rootReason = text(root, "reason");
        if (rootReason == null || rootReason.equals(text(error, "reason"))) {
            return null;
        }
        return text(root, "type") + ": " + rootReason;
    }

    private static EsErrorBody raw(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        return new EsErrorBody(null, text.length() > MAX_RAW_CHARS ? text.substring(0, MAX_RAW_CHARS) + "..." : text,
                null, null);
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
