package org.esfdw.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import javax.net.ssl.SSLException;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ConnectionOptions;

/**
 * Turns what can go wrong on the wire into PostgreSQL errors: unreachable server or failed TLS handshake
 * (HV00N), missing index (HV00R), refused credentials or access (28000), any other Elasticsearch error
 * (HV000, with its type and reason as detail). Messages name the server URL and request, never the
 * credentials: what the server answers is scrubbed of them too.
 */
final class TransportErrors {
    private static final String CHECK_URL_HINT =
            "Check the url (or host and port) option of the foreign server and that Elasticsearch is running there.";

    private TransportErrors() {
    }

    static EsFdwException fromResponse(ConnectionOptions connection, EsRequest request, EsResponse response) {
        if (meansUnavailable(response)) {
            return unavailable(connection, request, response);
        }
        EsErrorBody error = EsErrorBody.parse(response.body());
        String server = connection.displayUrl();
        String detail = AuthHeaders.redact(connection, error.detail());
        if (response.status() == 401) {
            return new EsFdwException(SqlState.AUTH_REFUSED, "authentication to Elasticsearch at " + server + " failed"
                    + mapping(connection), detail, unauthorizedHint(connection));
        }
        if (response.status() == 403) {
            return new EsFdwException(SqlState.AUTH_REFUSED,
                    "permission denied by Elasticsearch at " + server + " for " + request.line() + mapping(connection),
                    detail,
                    request.ndjson() != null || request.method().equals("PUT") || request.method().equals("DELETE")
                            ? "Grant the Elasticsearch user the write privilege on the index."
                            : "Grant the Elasticsearch user the read privilege on the index.");
        }
        if ("index_not_found_exception".equals(error.type())) {
            return new EsFdwException(SqlState.TABLE_NOT_FOUND,
                    "index \"" + error.index() + "\" does not exist on Elasticsearch at " + server, detail,
                    "Check the foreign table's index option, or create the index.");
        }
        return new EsFdwException(SqlState.FDW_ERROR, "request " + request.line() + " to Elasticsearch at " + server
                + " failed with HTTP status " + response.status(), detail, hintFor(error));
    }

    private static String unauthorizedHint(ConnectionOptions connection) {
        return switch (connection.credentialKind()) {
            case USERNAME_PASSWORD -> "Check the username and password of the user mapping.";
            case API_KEY -> "Check the api_key of the user mapping: it may be wrong, expired or invalidated.";
            case BEARER_TOKEN -> "Check the bearer_token of the user mapping: access tokens expire "
                    + "(after 20 minutes by default).";
            case NONE -> "The server requires credentials: set username and password, api_key or bearer_token "
                    + "in a user mapping.";
        };
    }

    /** " (user mapping for role \"alice\" on server \"es\")", or "" when C did not say. */
    private static String mapping(ConnectionOptions connection) {
        return connection.mapping() == null ? "" : " (" + connection.mapping() + ")";
    }

    static EsFdwException fromFailure(ConnectionOptions connection, EsRequest request, Throwable failure) {
        String server = connection.displayUrl();
        TlsRejection rejection = find(failure, TlsRejection.class);
        if (rejection != null) {
            return rejection.toError(server, failure);
        }
        if (find(failure, SSLException.class) != null) {
            return new EsFdwException(SqlState.UNABLE_TO_CONNECT, "TLS handshake with Elasticsearch at " + server
                    + " failed: " + describe(failure), null, handshakeHint(failure), failure);
        }
        if (failure instanceof HttpConnectTimeoutException) {
            String why = "connection timed out after " + connection.connectTimeout().toMillis() + " ms";
            return unreachable(server, why, failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return timedOut(connection, request, failure);
        }
        if (isConnectFailure(failure)) {
            return unreachable(server, describe(failure), failure);
        }
        return new EsFdwException(SqlState.FDW_ERROR, "request " + request.line() + " to Elasticsearch at " + server
                + " failed: " + describe(failure), null, null, failure);
    }

    static EsFdwException timedOut(ConnectionOptions connection, EsRequest request, Throwable cause) {
        return new ServerUnreachable(connection.displayUrl(), "no answer from Elasticsearch at "
                + connection.displayUrl() + " to " + request.line() + " within " + connection.timeout().toMillis()
                + " ms", null, "Raise the timeout option of the foreign server or table, or check the server's load.",
                cause);
    }

    private static EsFdwException unreachable(String server, String why, Throwable cause) {
        return new ServerUnreachable(server, "could not connect to Elasticsearch at " + server + ": " + why, null,
                CHECK_URL_HINT, cause);
    }

    /**
     * An answer that means the server cannot serve anyone right now: a gateway's 502/503/504, or a cluster
     * without a master or blocked as a whole (not an index's read-only block: that is about the query).
     */
    static boolean meansUnavailable(EsResponse response) {
        int status = response.status();
        if (status == 502 || status == 503 || status == 504) {
            return true;
        }
        if (status != 500) {
            return false;
        }
        String type = EsErrorBody.parse(response.body()).type();
        return "master_not_discovered_exception".equals(type) || "no_shard_available_action_exception".equals(type);
    }

    static EsFdwException unavailable(ConnectionOptions connection, EsRequest request, EsResponse response) {
        EsErrorBody error = EsErrorBody.parse(response.body());
        return new ServerUnreachable(connection.displayUrl(), "Elasticsearch at " + connection.displayUrl()
                + " is unavailable: HTTP " + response.status() + " to " + request.line(), error.detail(),
                "The cluster has no elected master or is starting or overloaded; try again later.", null);
    }

    /** Why a request failed, in a few words ("connection refused"). */
    static String reason(Throwable failure) {
        return failure instanceof HttpConnectTimeoutException ? "connection timed out" : describe(failure);
    }

    /** The request never reached the server (refused, unknown host, connect timeout): safe to send elsewhere. */
    static boolean failedToConnect(Throwable failure) {
        return failure instanceof HttpConnectTimeoutException || isConnectFailure(failure);
    }

    private static boolean isConnectFailure(Throwable failure) {
        return find(failure, ConnectException.class) != null || find(failure, UnresolvedAddressException.class) != null;
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> kind) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }

    /**
     * The TLS alerts a server sends when it wants a client certificate (TLS 1.3's certificate_required,
     * TLS 1.2's bad_certificate), and the JDK's words for a server that does not speak TLS at all.
     */
    private static String handshakeHint(Throwable failure) {
        String what = describe(failure);
        if (what.contains("certificate_required") || what.contains("bad_certificate")) {
            return "The server wants a client certificate it trusts: set client_cert and client_key.";
        }
        if (what.contains("Unsupported or unrecognized SSL message")) {
            return "The server does not speak TLS on this port: use an http:// URL, or check the port.";
        }
        return CHECK_URL_HINT;
    }

    /**
     * The innermost message worth showing, e.g. "Connection refused". java.net.http often reports a refused
     * connection as a ConnectException whose causes carry no message at all: name what happened then.
     */
    private static String describe(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message != null) {
            return message;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof UnresolvedAddressException) {
                return "host name could not be resolved";
            }
        }
        return failure.toString();
    }

    private static String hintFor(EsErrorBody error) {
        if ("search_context_missing_exception".equals(error.type())) {
            return "The point in time or scroll expired between two pages: raise the scroll_duration option.";
        }
        return null;
    }
}
