package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.esfdw.json.Json;

/**
 * Finds a dotted field path in a _source document the way Elasticsearch does: "author.name" walks
 * objects, and also matches a literal key "author.name" or any mix ({"author": {"name.first": ...}}).
 * Walking through an array of objects collects the values of every element, as a multi-valued field.
 */
final class FieldPath {
    private FieldPath() {
    }

    /** The value at the path, or null when the document has none. */
    static JsonNode lookup(JsonNode node, String path) {
        if (node.isArray()) {
            return collect(node, path);
        }
        if (!node.isObject()) {
            return null;
        }
        JsonNode literal = node.get(path);
        if (literal != null) {
            return literal;
        }
        for (int dot = path.indexOf('.'); dot > 0; dot = path.indexOf('.', dot + 1)) {
            JsonNode child = node.get(path.substring(0, dot));
            JsonNode found = child == null ? null : lookup(child, path.substring(dot + 1));
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static JsonNode collect(JsonNode array, String path) {
        ArrayNode values = Json.MAPPER.createArrayNode();
        for (JsonNode element : array) {
            JsonNode found = lookup(element, path);
            if (found != null && found.isArray()) {
                values.addAll((ArrayNode) found);
            } else if (found != null) {
                values.add(found);
            }
        }
        return values.isEmpty() ? null : values;
    }
}
