package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * The OPTIONS of IMPORT FOREIGN SCHEMA. flatten (default true): object fields become one column per leaf
 * field; false: each top-level object field becomes one jsonb column. id_column (default "id"): the name of
 * the column that holds the document _id; empty for no such column. Values may be JSON or, as PostgreSQL
 * keeps option values, text: flatten 'off' is flatten false.
 */
record ImportOptions(boolean flatten, String idColumn) {
    static final ImportOptions DEFAULTS = new ImportOptions(true, "id");
    private static final List<String> NAMES = List.of("flatten", "id_column");
    private static final Map<String, Boolean> BOOLEAN_WORDS = Map.of("true", true, "on", true, "yes", true,
            "1", true, "false", false, "off", false, "no", false, "0", false);
    /** PostgreSQL's NAMEDATALEN - 1: a longer column name would be truncated. */
    private static final int MAX_NAME_BYTES = 63;

    static ImportOptions parse(JsonNode options) {
        if (options == null || options.isNull()) {
            return DEFAULTS;
        }
        if (!options.isObject()) {
            throw ImportRequest.invalid("\"options\" must be an object");
        }
        options.fieldNames().forEachRemaining(ImportOptions::requireKnown);
        return new ImportOptions(flatten(options.get("flatten")), idColumn(options.get("id_column")));
    }

    boolean hasIdColumn() {
        return !idColumn.isEmpty();
    }

    private static void requireKnown(String name) {
        if (!NAMES.contains(name)) {
            throw new EsFdwException(SqlState.INVALID_OPTION_NAME,
                    "invalid IMPORT FOREIGN SCHEMA option \"" + name + "\"", null,
                    "Valid options are: " + String.join(", ", NAMES) + ".");
        }
    }

    private static boolean flatten(JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULTS.flatten;
        }
        Boolean flatten = value.isBoolean() ? Boolean.valueOf(value.booleanValue())
                : value.isTextual() ? BOOLEAN_WORDS.get(value.textValue().strip().toLowerCase(Locale.ROOT)) : null;
        if (flatten == null) {
            throw invalidValue("flatten", value, "Use true or false.");
        }
        return flatten;
    }

    private static String idColumn(JsonNode value) {
        if (value == null || value.isNull()) {
            return DEFAULTS.idColumn;
        }
        if (!value.isTextual()) {
            throw invalidValue("id_column", value, "Give a column name, or '' for no id column.");
        }
        if (value.textValue().getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw invalidValue("id_column", value, "A PostgreSQL column name has at most 63 bytes.");
        }
        return value.textValue();
    }

    private static EsFdwException invalidValue(String option, JsonNode value, String hint) {
        return new EsFdwException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for IMPORT FOREIGN SCHEMA option \"" + option + "\": " + value, null, hint);
    }
}
