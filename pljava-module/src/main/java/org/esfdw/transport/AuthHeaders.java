package org.esfdw.transport;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ConnectionOptions;

/**
 * The Authorization header of a connection's credentials, and the scrubbing of those credentials out of
 * any text es_fdw shows. Secrets are checked here, before java.net.http sees them, because its own
 * "invalid header value" error quotes the whole value.
 */
final class AuthHeaders {
    private static final String REDACTED = "[redacted]";

    private AuthHeaders() {
    }

    /** The header value, or null when the connection has no credentials. */
    static String authorization(ConnectionOptions connection) {
        return switch (connection.credentialKind()) {
            case USERNAME_PASSWORD -> "Basic " + basicCredential(connection);
            case API_KEY -> "ApiKey " + apiKeyCredential(connection.apiKey());
            case BEARER_TOKEN -> "Bearer " + headerToken(connection.bearerToken(), "bearer_token");
            case NONE -> null;
        };
    }

    /**
     * Elasticsearch's create-API-key answer holds the key both as "id" and "api_key" and as "encoded",
     * base64 of "id:api_key"; the header wants the encoded form. Base64 has no colon, so a value with one
     * is the id:api_key pair and is encoded here; any other value is sent as given.
     */
    private static String apiKeyCredential(String apiKey) {
        String key = apiKey.strip();
        return key.indexOf(':') >= 0 ? base64(key) : headerToken(key, "api_key");
    }

    /** The text with every credential of the connection (raw and as sent) replaced by "[redacted]". */
    static String redact(ConnectionOptions connection, String text) {
        if (text == null || !connection.hasCredentials()) {
            return text;
        }
        String redacted = text;
        for (String secret : secrets(connection)) {
            redacted = redacted.replace(secret, REDACTED);
        }
        return redacted;
    }

    /** Each secret as configured and as encoded on the wire, longest first so none is left half replaced. */
    private static List<String> secrets(ConnectionOptions connection) {
        List<String> secrets = new ArrayList<>();
        for (String secret : new String[] {connection.password(), connection.apiKey(), connection.bearerToken()}) {
            if (secret != null && !secret.isBlank()) {
                secrets.add(secret);
                secrets.add(secret.strip());
            }
        }
        if (connection.credentialKind() == ConnectionOptions.CredentialKind.USERNAME_PASSWORD) {
            secrets.add(basicCredential(connection));
        }
        if (connection.apiKey() != null && connection.apiKey().indexOf(':') >= 0) {
            secrets.add(base64(connection.apiKey().strip()));
        }
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return secrets;
    }

    private static String headerToken(String token, String option) {
        String value = token.strip();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new EsFdwException(SqlState.AUTH_REFUSED, "the " + option
                        + " of the user mapping has a character that cannot be sent in an HTTP header", null,
                        "Copy the " + option + " again: it is printable ASCII without spaces.");
            }
        }
        return value;
    }

    private static String basicCredential(ConnectionOptions connection) {
        return base64(connection.username() + ":" + (connection.password() == null ? "" : connection.password()));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
