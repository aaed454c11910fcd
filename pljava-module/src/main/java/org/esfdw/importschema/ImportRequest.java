package org.esfdw.importschema;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.config.ScanDescriptionParser;
import org.esfdw.json.Json;

/**
 * The request the C shim's ImportForeignSchema sends (docs/import-schema.md): the server's connection (the
 * object a scan description carries, read by the same parser), the remote schema (an index name, pattern,
 * comma list, alias or data stream), PostgreSQL's LIMIT TO / EXCEPT list and the OPTIONS.
 */
record ImportRequest(ConnectionOptions connection, String remoteSchema, ListType listType, Set<String> tableList,
                     ImportOptions options) {

    /** IMPORT FOREIGN SCHEMA's list clause: none, LIMIT TO (…) or EXCEPT (…). */
    enum ListType {
        ALL, LIMIT_TO, EXCEPT
    }

    static ImportRequest parse(byte[] requestJson) {
        JsonNode root = readTree(requestJson);
        String remoteSchema = root.path("remote_schema").asText("");
        if (remoteSchema.isBlank()) {
            throw invalid("\"remote_schema\" is missing");
        }
        return new ImportRequest(connection(root.get("connection")), remoteSchema,
                listType(root.get("list_type")), tableList(root.get("table_list")),
                ImportOptions.parse(root.get("options")));
    }

    /** Whether the list clause lets PostgreSQL import a table of this (generated) name. */
    boolean imports(String tableName) {
        return switch (listType) {
            case ALL -> true;
            case LIMIT_TO -> tableList.contains(tableName);
            case EXCEPT -> !tableList.contains(tableName);
        };
    }

    private static JsonNode readTree(byte[] requestJson) {
        try {
            JsonNode root = Json.parse(requestJson);
            if (!root.isObject()) {
                throw invalid("it is not a JSON object");
            }
            return root;
        } catch (UncheckedIOException e) {
            throw invalid(e.getCause().getMessage());
        }
    }

    private static ConnectionOptions connection(JsonNode connection) {
        if (connection == null || !connection.isObject()) {
            throw invalid("\"connection\" must be an object");
        }
        return ScanDescriptionParser.connection(connection);
    }

    private static ListType listType(JsonNode value) {
        if (value == null || value.isNull()) {
            return ListType.ALL;
        }
        try {
            return ListType.valueOf(value.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("\"list_type\" must be \"all\", \"limit_to\" or \"except\", not " + value);
        }
    }

    private static Set<String> tableList(JsonNode value) {
        Set<String> names = new LinkedHashSet<>();
        if (value == null || value.isNull()) {
            return names;
        }
        if (!value.isArray()) {
            throw invalid("\"table_list\" must be an array of table names");
        }
        for (JsonNode name : value) {
            if (!name.isTextual()) {
                throw invalid("\"table_list\" must be an array of table names, not " + value);
            }
            names.add(name.textValue());
        }
        return names;
    }

    static EsFdwException invalid(String why) {
        return new EsFdwException(SqlState.FDW_ERROR, "invalid es_fdw import request: " + why, null, null);
    }
}
