package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.esfdw.EsFdwException;
import org.esfdw.config.ConnectionOptions;
import org.junit.jupiter.api.Test;

class TransportErrorsTest {
    private static final ConnectionOptions WITH_PASSWORD =
            new ConnectionOptions(URI.create("http://h:9200"), Duration.ofSeconds(5), "bob", "hunter2");
    private static final EsRequest SEARCH = EsRequest.post("/articles/_search", null);

    private static EsFdwException answer(int status, String body) {
        EsResponse response = new EsResponse(status, HttpHeaders.of(Map.of(), (name, value) -> true),
                body.getBytes(StandardCharsets.UTF_8));
        return TransportErrors.fromResponse(WITH_PASSWORD, SEARCH, response);
    }

    @Test
    void missingIndexIsTableNotFound() {
        EsFdwException error = answer(404, "{\"error\":{\"root_cause\":[{\"type\":\"index_not_found_exception\","
                + "\"reason\":\"no such index [articles]\",\"index\":\"articles\"}],\"type\":\"index_not_found_exception\","
                + "\"reason\":\"no such index [articles]\",\"index\":\"articles\"},\"status\":404}");
        assertEquals("HV00R", error.sqlstate());
        assertEquals("index \"articles\" does not exist on Elasticsearch at http://h:9200", error.getMessage());
        assertEquals("index_not_found_exception: no such index [articles]", error.detail());
    }

    @Test
    void refusedCredentialsAreAuthErrorsWithoutThePassword() {
        EsFdwException unauthorized = answer(401,
                "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate user [bob]\"}}");
        assertEquals("28000", unauthorized.sqlstate());
        assertEquals("authentication to Elasticsearch at http://h:9200 failed", unauthorized.getMessage());
        assertEquals("Check the username and password of the user mapping.", unauthorized.hint());
        EsFdwException forbidden = answer(403, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"no\"}}");
        assertEquals("28000", forbidden.sqlstate());
        assertEquals("permission denied by Elasticsearch at http://h:9200 for POST /articles/_search",
                forbidden.getMessage());
        for (EsFdwException error : new EsFdwException[] {unauthorized, forbidden}) {
            assertFalse((error.getMessage() + error.detail() + error.hint()).contains("hunter2"));
        }
    }

    @Test
    void otherErrorsCarryTypeReasonAndRootCause() {
        EsFdwException error = answer(400, "{\"error\":{\"root_cause\":[{\"type\":\"query_shard_exception\","
                + "\"reason\":\"No mapping found for [x]\"}],\"type\":\"search_phase_execution_exception\","
                + "\"reason\":\"all shards failed\"},\"status\":400}");
        assertEquals("HV000", error.sqlstate());
        assertEquals("request POST /articles/_search to Elasticsearch at http://h:9200 failed with HTTP status 400",
                error.getMessage());
        assertEquals("search_phase_execution_exception: all shards failed; root cause query_shard_exception: "
                + "No mapping found for [x]", error.detail());
    }

    @Test
    void nonJsonErrorBodyIsShownAsText() {
        assertEquals("<html>Bad Gateway</html>", answer(502, "<html>Bad Gateway</html>").detail());
    }

    @Test
    void expiredScrollHintsAtKeepAlive() {
        EsFdwException error = answer(404,
                "{\"error\":{\"type\":\"search_context_missing_exception\",\"reason\":\"No search context found for id [1]\"}}");
        assertEquals("The point in time or scroll expired between two pages: raise the scroll_duration option.",
                error.hint());
    }

    @Test
    void unreachableServerIsUnableToConnect() {
        IOException refused = new ConnectException();
        refused.initCause(new ConnectException("Connection refused"));
        EsFdwException error = TransportErrors.fromFailure(WITH_PASSWORD, SEARCH, refused);
        assertEquals("HV00N", error.sqlstate());
        assertEquals("could not connect to Elasticsearch at http://h:9200: Connection refused", error.getMessage());
        EsFdwException slow = TransportErrors.fromFailure(WITH_PASSWORD, SEARCH, new HttpConnectTimeoutException("x"));
        assertEquals("could not connect to Elasticsearch at http://h:9200: connection timed out after 5000 ms",
                slow.getMessage());
    }

    @Test
    void unauthorizedHintNamesTheKindOfCredentialsAndTheDetailNeverEchoesThem() {
        String token = "dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu";
        ConnectionOptions withToken = new ConnectionOptions(URI.create("https://h:9200"), Duration.ofSeconds(5), null,
                null, null, token, ConnectionOptions.Tls.DEFAULTS);
        EsResponse refused = new EsResponse(401, HttpHeaders.of(Map.of(), (name, value) -> true),
                ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"invalid token [" + token + "]\"}}")
                        .getBytes(StandardCharsets.UTF_8));
        EsFdwException error = TransportErrors.fromResponse(withToken, SEARCH, refused);
        assertEquals("authentication to Elasticsearch at https://h:9200 failed", error.getMessage());
        assertEquals("security_exception: invalid token [[redacted]]", error.detail());
        assertEquals("Check the bearer_token of the user mapping: access tokens expire (after 20 minutes by default).",
                error.hint());
        ConnectionOptions withApiKey = new ConnectionOptions(URI.create("https://h:9200"), Duration.ofSeconds(5), null,
                null, "id:key", null, ConnectionOptions.Tls.DEFAULTS);
        assertEquals("Check the api_key of the user mapping: it may be wrong, expired or invalidated.",
                TransportErrors.fromResponse(withApiKey, SEARCH, refused).hint());
        ConnectionOptions anonymous = new ConnectionOptions(URI.create("https://h:9200"), Duration.ofSeconds(5), null,
                null);
        assertEquals("The server requires credentials: set username and password, api_key or bearer_token in a user "
                + "mapping.", TransportErrors.fromResponse(anonymous, SEARCH, refused).hint());
    }

    @Test
    void refusedCertificateIsReportedWithTheServerUrl() {
        TlsRejection rejection = TlsRejection.other(new CertificateException("Certificates do not conform"));
        IOException failure = new IOException(new SSLHandshakeException("PKIX failure"));
        failure.getCause().initCause(rejection);
        EsFdwException error = TransportErrors.fromFailure(WITH_PASSWORD, SEARCH, failure);
        assertEquals("HV00N", error.sqlstate());
        assertEquals("could not verify the TLS certificate of Elasticsearch at http://h:9200: Certificates do not "
                + "conform", error.getMessage());
    }

    @Test
    void otherHandshakeFailuresSayWhatTheServerWants() {
        EsFdwException noClientCertificate = TransportErrors.fromFailure(WITH_PASSWORD, SEARCH,
                new IOException(new SSLHandshakeException("Received fatal alert: certificate_required")));
        assertEquals("HV00N", noClientCertificate.sqlstate());
        assertEquals("TLS handshake with Elasticsearch at http://h:9200 failed: Received fatal alert: "
                + "certificate_required", noClientCertificate.getMessage());
        assertEquals("The server wants a client certificate it trusts: set client_cert and client_key.",
                noClientCertificate.hint());
        assertEquals("The server does not speak TLS on this port: use an http:// URL, or check the port.",
                TransportErrors.fromFailure(WITH_PASSWORD, SEARCH, new SSLException(
                        "Unsupported or unrecognized SSL message")).hint());
    }

    @Test
    void indexPathKeepsIndexExpressionsReadable() {
        assertEquals("/logs-*,metrics-2024.01", IndexPath.of("logs-*,metrics-2024.01"));
        assertEquals("/a%20b%2Fc%C3%A9", IndexPath.of("a b/cé"));
    }
}
