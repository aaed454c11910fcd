package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.esfdw.json.Json;

/** The answers captured from real servers, in src/test/resources/importschema, and JSON written in tests. */
final class Fixtures {
    private Fixtures() {
    }

    static JsonNode resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/importschema/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource importschema/" + name);
            }
            return Json.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
