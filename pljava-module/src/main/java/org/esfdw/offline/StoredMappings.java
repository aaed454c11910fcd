package org.esfdw.offline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.esfdw.json.Json;

/**
 * The last flat mapping read of each server and index, under StateDirectory/mapping, for planning while
 * the server is unreachable. Written only when it changed; an unreadable file is no mapping.
 */
public final class StoredMappings {
    private StoredMappings() {
    }

    private static Path file(String key) {
        Path root = StateDirectory.root();
        return root == null ? null : root.resolve("mapping").resolve(StateDirectory.fileName(key));
    }

    public static void store(String key, ObjectNode types) {
        Path file = file(key);
        if (file == null || types.isEmpty()) {
            return;
        }
        String text = Json.text(types);
        try {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
                return;
            }
        } catch (IOException e) {
            // rewritten below
        }
        try {
            StateDirectory.writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            // planning while the server is down then has no mapping: defaults, as without this file
        }
    }

    public static ObjectNode load(String key) {
        Path file = file(key);
        if (file == null) {
            return null;
        }
        try {
            JsonNode node = Json.parse(Files.readAllBytes(file));
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
