package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Where and how a foreign table's writes go (docs/boundary.md, "Writes"): the server, the index, and the
 * table's write options. Parsed from the JSON the C shim sends when a statement starts writing.
 *
 * @param immediate   write_mode 'immediate': sent during the statement, not at commit
 * @param refresh     the _bulk refresh parameter: "false", "true" or "wait_for"
 * @param routing     the table's fixed routing, or null (a _routing column routes per row)
 * @param pipeline    the ingest pipeline of index and create actions, or null
 * @param batchSize   most actions per _bulk request
 * @param maxBulkBytes most bytes per _bulk request; a single larger document is refused
 * @param autoCreate  may the first write create a missing index
 */
public record WriteDescription(ConnectionOptions connection, String index, boolean immediate, String refresh,
        String routing, String pipeline, int batchSize, long maxBulkBytes, boolean autoCreate) {
    static final int DEFAULT_BATCH_SIZE = 10_000;
    static final long DEFAULT_MAX_BULK_BYTES = 10L << 20;

    public static WriteDescription parse(byte[] json) {
        JsonNode root;
        try {
            root = Json.parse(json);
        } catch (UncheckedIOException e) {
            throw invalid(e.getCause().getMessage());
        }
        String index = root.path("index").asText("");
        if (index.isEmpty()) {
            throw invalid("it has no index");
        }
        String refresh = root.path("refresh").asText("false");
        if (!refresh.equals("false") && !refresh.equals("true") && !refresh.equals("wait_for")) {
            throw invalid("refresh is \"" + refresh + "\"");
        }
        return new WriteDescription(ScanDescriptionParser.connection(root.path("connection")), index,
                root.path("immediate").asBoolean(false), refresh, textOrNull(root, "routing"),
                textOrNull(root, "pipeline"), Math.max(1, root.path("batch_size").asInt(DEFAULT_BATCH_SIZE)),
                Math.max(1, root.path("max_bulk_bytes").asLong(DEFAULT_MAX_BULK_BYTES)),
                root.path("auto_create").asBoolean(false));
    }

    private static String textOrNull(JsonNode root, String key) {
        JsonNode node = root.get(key);
        return node == null || node.isNull() || node.asText().isEmpty() ? null : node.asText();
    }

    private static EsFdwException invalid(String why) {
        return new EsFdwException(SqlState.FDW_ERROR, "invalid write description from the C shim: " + why, null, null);
    }
}
