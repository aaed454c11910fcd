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
        ConnectionOptions connection = connection(root.path("connection"));
        OfflineSettings offline = OfflineSettings.parse(root.get("offline"));
        return new ScanDescription(
                connection,
                requiredText(root, "index"),
                (int) positive(root, "fetch_size", DEFAULT_FETCH_SIZE, MAX_FETCH_SIZE),
                Duration.ofMillis(positive(root, "keep_alive_ms", DEFAULT_KEEP_ALIVE_MS, Integer.MAX_VALUE)),
                root.path("allow_partial_results").asBoolean(false),
                columns(root.path("columns")),
                PushdownParser.parse(root),
                AggregateSpec.parse(root.get("aggregate")),
                offline,
                !offline.usesCache() ? null
                        : root.hasNonNull("cache_key") ? root.get("cache_key").asText() : cacheKey(root, connection));
    }

    /**
     * The result cache's key of a scan when C did not send one ("cache_key", which the C shim also uses to
     * answer offline without the JVM): the server URL and the description without its connection (which
     * holds credentials) and offline settings: only the query and the table definition, nothing fetched
     * live, so the same query finds its entry while the server is down.
     */
    private static String cacheKey(JsonNode root, ConnectionOptions connection) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = root.deepCopy();
        copy.remove("connection");
        copy.remove("offline");
        return connection.displayUrl() + "\n" + Json.text(copy);
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
        List<URI> hosts = new ArrayList<>();
        for (String one : requiredText(node, "url").split(",")) {
            hosts.add(httpUrl(one.trim()));
        }
        URI url = hosts.get(0);
        Duration timeout = Duration.ofMillis(positive(node, "timeout_ms", DEFAULT_TIMEOUT_MS, Integer.MAX_VALUE));
        String username = optionalText(node, "username");
        String apiKey = nonEmptyText(node, "api_key");
        String bearerToken = nonEmptyText(node, "bearer_token");
        onlyOneCredentialKind(username, apiKey, bearerToken);
        ConnectionOptions connection = new ConnectionOptions(url, timeout, username, optionalText(node, "password"),
                apiKey, bearerToken, new ConnectionOptions.Tls(nonEmptyText(node, "ca_file"),
                        nonEmptyText(node, "ca_fingerprint"), tlsVerify(node.get("tls_verify")),
                        nonEmptyText(node, "client_cert"), nonEmptyText(node, "client_key")),
                nonEmptyText(node, "mapping"), hosts.subList(1, hosts.size()),
                node.hasNonNull("connect_timeout_ms")
                        ? Duration.ofMillis(positive(node, "connect_timeout_ms", DEFAULT_TIMEOUT_MS, Integer.MAX_VALUE))
                        : null);
        checkTls(connection);
        return connection;
    }

    private static void onlyOneCredentialKind(String username, String apiKey, String bearerToken) {
        List<String> given = new ArrayList<>();
        if (username != null) {
            given.add("username");
        }
        if (apiKey != null) {
            given.add("api_key");
        }
        if (bearerToken != null) {
            given.add("bearer_token");
        }
        if (given.size() > 1) {
            throw new EsFdwException(SqlState.AUTH_REFUSED, "conflicting Elasticsearch credentials: "
                    + String.join(" and ", given) + (given.size() == 2 ? " are both set" : " are all set"), null,
                    "Set only one of username and password, api_key or bearer_token in the user mapping.");
        }
    }

    private static boolean tlsVerify(JsonNode value) {
        if (value == null || value.isNull()) {
            return true;
        }
        if (!value.isBoolean()) {
            throw invalid("\"tls_verify\" must be true or false, not " + value);
        }
        return value.booleanValue();
    }

    /**
     * Refuses contradictory TLS settings rather than picking one reading: each would trust a different set
     * of servers. Checked whatever the URL's scheme, though only https uses them.
     */
    private static void checkTls(ConnectionOptions connection) {
        ConnectionOptions.Tls tls = connection.tls();
        if (tls.caFile() != null && tls.caFingerprint() != null) {
            throw invalidTls(connection, "ca_file and ca_fingerprint are both set",
                    "Set ca_file to trust a CA, or ca_fingerprint to pin one, not both.");
        }
        if (!tls.verify() && (tls.caFile() != null || tls.caFingerprint() != null)) {
            throw invalidTls(connection, "tls_verify is false but "
                    + (tls.caFile() != null ? "ca_file" : "ca_fingerprint") + " is set",
                    "Remove tls_verify to verify the server, or the CA option to trust any server.");
        }
        if ((tls.clientCert() == null) != (tls.clientKey() == null)) {
            throw invalidTls(connection, tls.clientCert() == null ? "client_key is set without client_cert"
                    : "client_cert is set without client_key", "Mutual TLS needs both client_cert and client_key.");
        }
    }

    private static EsFdwException invalidTls(ConnectionOptions connection, String why, String hint) {
        return new EsFdwException(SqlState.UNABLE_TO_CONNECT,
                "invalid TLS settings for Elasticsearch at " + connection.displayUrl() + ": " + why, null, hint);
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

    /** Optional text where an empty string means absent too (the keys added for TLS and tokens). */
    private static String nonEmptyText(JsonNode node, String key) {
        String text = optionalText(node, key);
        return text == null || text.isEmpty() ? null : text;
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
