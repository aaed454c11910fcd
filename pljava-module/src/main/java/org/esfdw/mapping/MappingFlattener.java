package org.esfdw.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import org.esfdw.json.Json;

/**
 * Flattens a GET /<index>/_mapping answer, {"<index>":{"mappings":{"properties":{…}}}, …}, into
 * {"path":"type"}: object and nested sub-fields as "author.name", multi-fields as "title.keyword", an
 * object without an explicit type as "object". A path whose type differs between the indices of the
 * answer (a pattern or an alias over several) is "conflict". A 7.x answer with a mapping type level
 * ({"mappings":{"_doc":{"properties":…}}}, include_type_name) is read through that level. Pure.
 */
public final class MappingFlattener {
    public static final String CONFLICT = "conflict";

    private MappingFlattener() {
    }

    public static ObjectNode flatten(JsonNode mappingAnswer) {
        ObjectNode types = Json.object();
        for (JsonNode index : mappingAnswer) {
            JsonNode properties = properties(index.path("mappings"));
            addProperties(types, "", properties);
        }
        return types;
    }

    private static JsonNode properties(JsonNode mappings) {
        if (mappings.has("properties")) {
            return mappings.get("properties");
        }
        Iterator<JsonNode> typeLevel = mappings.elements();
        while (typeLevel.hasNext()) {
            JsonNode mappingType = typeLevel.next();
            if (mappingType.has("properties")) {
                return mappingType.get("properties");
            }
        }
        return Json.object();
    }

    private static void addProperties(ObjectNode types, String prefix, JsonNode properties) {
        for (Map.Entry<String, JsonNode> field : properties.properties()) {
            String path = prefix + field.getKey();
            JsonNode spec = field.getValue();
            add(types, path, spec.path("type").asText("object"));
            if (spec.has("properties")) {
                addProperties(types, path + ".", spec.get("properties"));
            }
            if (spec.has("fields")) {
                addProperties(types, path + ".", spec.get("fields"));
            }
        }
    }

    private static void add(ObjectNode types, String path, String type) {
        JsonNode known = types.get(path);
        if (known == null) {
            types.put(path, type);
        } else if (!known.asText().equals(type)) {
            types.put(path, CONFLICT);
        }
    }
}
