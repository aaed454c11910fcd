package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;
import org.esfdw.types.PgType;

/**
 * Reads the scan description JSON the C shim sends (docs/boundary.md) into a ScanDescription, applying
 * defaults and rejecting what cannot work. Unknown keys are ignored so later issues can add to it.
 */
public final class ScanDescriptionParser {
    static final int DEFAULT_TIMEOUT_MS = 10_000;
    static final int DEFAULT_FETCH_SIZE = 1_000;
    static final int DEFAULT_KEEP_ALIVE_MS = 60_000;
    /** Elasticsearch refuses a page larger than index.max_result_window, 10,000 by default. */
    static final int MAX_FETCH_SIZE = 10_000;

    private ScanDescriptionParser() {
    }

    public static ScanDescription parse(byte[] scanJson) {
        JsonNode root = readTree(scanJson);
        return new ScanDescription(
                connection(root.path("connection")),
                requiredText(root, "index"),
                (int) positive(root, "fetch_size", DEFAULT_FETCH_SIZE, MAX_FETCH_SIZE),
                Duration.ofMillis(positive(root, "keep_alive_ms", DEFAULT_KEEP_ALIVE_MS, Integer.MAX_VALUE)),
                root.path("allow_partial_results").asBoolean(false),
                columns(root.path("columns")),
                PushdownParser.parse(root),
                AggregateSpec.parse(root.get("aggregate")));
    }

    /** Only where a description points: its connection and index (for calls that read no rows). */
    public static Target parseTarget(byte[] scanJson) {
        JsonNode root = readTree(scanJson);
        return new Target(connection(root.path("connection")), requiredText(root, "index"));
    }

    /** A server and an index name (or pattern, or alias). */
    public record Target(ConnectionOptions connection, String index) {
    }

    private static JsonNode readTree(byte[] scanJson) {
        try {
            JsonNode root = Json.parse(scanJson);
            if (!root.isObject()) {
                throw invalid("it is not a JSON object");
            }
            return root;
        } catch (UncheckedIOException e) {
            throw invalid(e.getCause().getMessage());
        }
    }

    public static ConnectionOptions connection(JsonNode node) {
        URI url = httpUrl(requiredText(node, "url"));
        Duration timeout = Duration.ofMillis(positive(node, "timeout_ms", DEFAULT_TIMEOUT_MS, Integer.MAX_VALUE));
        return new ConnectionOptions(url, timeout, optionalText(node, "username"), optionalText(node, "password"));
    }

    private static URI httpUrl(String text) {
        try {
            URI url = new URI(text);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase();
            if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                throw invalidUrl(text);
            }
            return url;
        } catch (URISyntaxException e) {
            throw invalidUrl(text);
        }
    }

    private static EsFdwException invalidUrl(String text) {
        return new EsFdwException(SqlState.UNABLE_TO_CONNECT,
                "invalid Elasticsearch URL \"" + withoutUserInfo(text) + "\"", null,
                "The foreign server's url option must look like http://host:9200 or https://host:9200.");
    }

    private static String withoutUserInfo(String text) {
        return text.replaceFirst("//[^/@]*@", "//");
    }

    private static List<ColumnSpec> columns(JsonNode node) {
        if (!node.isArray()) {
            throw invalid("\"columns\" must be an array");
        }
        List<ColumnSpec> columns = new ArrayList<>();
        for (JsonNode column : node) {
            columns.add(new ColumnSpec(requiredText(column, "name"), requiredText(column, "field"),
                    PgType.fromName(requiredText(column, "type")), column.path("array").asBoolean(false)));
        }
        return columns;
    }

    private static String requiredText(JsonNode node, String key) {
        String text = optionalText(node, key);
        if (text == null || text.isEmpty()) {
            throw invalid("\"" + key + "\" is missing");
        }
        return text;
    }

    private static String optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static long positive(JsonNode node, String key, long defaultValue, long max) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return defaultValue;
        }
        if (!value.canConvertToExactIntegral() || value.asLong() < 1 || value.asLong() > max) {
            throw invalid("\"" + key + "\" must be an integer from 1 to " + max + ", not " + value);
        }
        return value.asLong();
    }

    static EsFdwException invalid(String why) {
        return new EsFdwException(SqlState.FDW_ERROR, "invalid es_fdw scan description: " + why, null, null);
    }
}
