package org.esfdw.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Reads JSON text a user wrote (a dsl query, es_search()'s raw query, an aggregations object) as one JSON
 * object, or fails with SQLSTATE 22P02 naming where the text came from and what is wrong with it.
 */
final class JsonObjectText {
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private JsonObjectText() {
    }

    /** @param what where the text came from, e.g. "raw_query" */
    static ObjectNode parse(String text, String what) {
        JsonNode node;
        try {
            node = READER.readTree(text);
        } catch (JsonProcessingException e) {
            throw invalid(what, problem(e));
        }
        if (node == null || node.isMissingNode()) {
            throw invalid(what, "the text is empty");
        }
        if (!node.isObject()) {
            throw invalid(what, "it is not a JSON object but " + kind(node));
        }
        return (ObjectNode) node;
    }

    private static String problem(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String message = e.getOriginalMessage();
        return at == null ? message : message + " at line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    private static String kind(JsonNode node) {
        if (node.isArray()) {
            return "an array";
        }
        if (node.isTextual()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.isBoolean() ? "a boolean" : "null";
    }

    private static EsFdwException invalid(String what, String problem) {
        return new EsFdwException(SqlState.INVALID_VALUE, "invalid Query DSL in " + what + ": " + problem, null,
                "Write " + what + " as the JSON text of one object.");
    }
}
