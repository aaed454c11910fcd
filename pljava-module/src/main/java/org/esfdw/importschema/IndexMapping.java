package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.esfdw.types.PgType;

/**
 * One index's mapping (the "mappings" object of GET /<index>/_mapping) as the fields that become columns.
 * With flatten, object fields are walked down to their leaves ("host.name"); without, a top-level object is
 * one field. An object without mapped sub-fields (enabled: false, or nothing mapped yet), a nested field
 * and a flattened field are one field each. Multi-fields ("message.keyword") read the same _source value as
 * their parent and give no column of their own. An alias field reads its target. Runtime fields are not in
 * _source, which is what es_fdw reads, so they give no column.
 *
 * @param warnings about fields, without the index's name so that the same one from many indices (the
 *                 backing indices of a data stream) is said once
 */
record IndexMapping(String index, List<MappedField> fields, Set<String> warnings, boolean sourceDisabled) {

    static IndexMapping of(String index, JsonNode mappings, boolean flatten) {
        Walk walk = new Walk(flatten);
        JsonNode properties = mappings.path("properties");
        walk.collectSpecs("", properties);
        walk.fields("", properties, true);
        mappings.path("runtime").fieldNames().forEachRemaining(name -> walk.warnings.add("runtime field \"" + name
                + "\" is not imported: es_fdw reads _source, which has no value for it"));
        boolean sourceDisabled = !mappings.path("_source").path("enabled").asBoolean(true);
        return new IndexMapping(index, walk.fields, walk.warnings, sourceDisabled);
    }

    private static final class Walk {
        private final boolean flatten;
        private final Map<String, JsonNode> specs = new HashMap<>();
        private final List<MappedField> fields = new ArrayList<>();
        private final Set<String> warnings = new LinkedHashSet<>();

        Walk(boolean flatten) {
            this.flatten = flatten;
        }

        /** Every mapped path, for the targets of alias fields (which may point anywhere, flattened or not). */
        void collectSpecs(String prefix, JsonNode properties) {
            properties.properties().forEach(field -> {
                String path = prefix + field.getKey();
                specs.put(path, field.getValue());
                collectSpecs(path + ".", field.getValue().path("properties"));
            });
        }

        void fields(String prefix, JsonNode properties, boolean topLevel) {
            properties.properties().forEach(field -> {
                String path = prefix + field.getKey();
                JsonNode spec = field.getValue();
                String type = type(spec);
                JsonNode children = spec.path("properties");
                if (isObject(type) && !children.isEmpty() && (flatten || !topLevel)) {
                    fields(path + ".", children, false);
                } else if (type.equals("alias")) {
                    fields.add(alias(path, spec.path("path").asText()));
                } else {
                    fields.add(field(path, path, spec));
                }
            });
        }

        private MappedField alias(String path, String target) {
            JsonNode targetSpec = specs.get(target);
            if (targetSpec == null) {
                warnings.add("alias field \"" + path + "\" points to \"" + target
                        + "\", which the mapping lacks: imported as jsonb");
                return new MappedField(path, target, "alias", PgType.JSONB);
            }
            return field(path, target, targetSpec);
        }

        private MappedField field(String path, String source, JsonNode spec) {
            String esType = type(spec);
            PgType pgType = EsTypes.pgType(esType);
            if (pgType == null) {
                warnings.add("field \"" + path + "\" has type \"" + esType
                        + "\", unknown to es_fdw: imported as jsonb");
                pgType = PgType.JSONB;
            } else if (pgType == PgType.TIMESTAMPTZ && !DateFormats.readable(spec.path("format").asText(null))) {
                warnings.add("date field \"" + path + "\" has format \"" + spec.path("format").asText()
                        + "\": imported as text, since es_fdw reads dates only as ISO 8601 text or epoch milliseconds");
                pgType = PgType.TEXT;
            }
            return new MappedField(path, source, esType, pgType);
        }

        private static String type(JsonNode spec) {
            return spec.path("type").asText("object");
        }

        private static boolean isObject(String type) {
            return type.equals("object") || type.equals("passthrough");
        }
    }
}
