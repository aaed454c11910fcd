package org.esfdw.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class FieldPathTest {

    private static String find(String source, String path) {
        JsonNode found = FieldPath.lookup(Json.parse(source.getBytes(StandardCharsets.UTF_8)), path);
        return found == null ? null : Json.text(found);
    }

    @Test
    void dotsWalkNestedObjects() {
        assertEquals("\"Ann\"", find("{\"author\":{\"name\":\"Ann\"}}", "author.name"));
    }

    @Test
    void literalDottedKeysAreFound() {
        assertEquals("1", find("{\"a.b\":1}", "a.b"));
        assertEquals("2", find("{\"a\":{\"b.c\":2}}", "a.b.c"));
        assertEquals("3", find("{\"a.b\":{\"c\":3}}", "a.b.c"));
    }

    @Test
    void arraysOfObjectsGiveAllTheirValues() {
        assertEquals("[\"x\",\"y\",\"z\"]",
                find("{\"authors\":[{\"name\":\"x\"},{\"name\":[\"y\",\"z\"]},{\"other\":1}]}", "authors.name"));
    }

    @Test
    void missingFieldsAreNull() {
        assertNull(find("{\"a\":{\"b\":1}}", "a.c"));
        assertNull(find("{\"a\":1}", "a.b"));
        assertNull(find("{}", "x"));
        assertNull(find("{\"authors\":[{\"other\":1}]}", "authors.name"));
    }

    @Test
    void explicitNullIsReturnedAsNullNode() {
        assertEquals("null", find("{\"a\":null}", "a"));
    }
}
