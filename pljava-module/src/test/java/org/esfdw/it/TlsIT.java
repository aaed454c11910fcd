package org.esfdw.it;

import static org.esfdw.it.TestIndex.column;
import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.esfdw.transport.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * es_fdw over https, with every kind of credentials. Scripted local servers (the JDK's HttpsServer with
 * certificates made at test time) show what the real servers cannot: a certificate for another host, an
 * expired one, tls_verify false, a server that demands a client certificate, the exact ApiKey header
 * (these Elasticsearch builds cannot create API keys). The real secured servers of esfdw.it.tls show the
 * rest with real searches; those tests are skipped when the property is absent.
 */
class TlsIT {
    /**
     * The secured servers: comma-separated "url|ca_file|user:password", e.g.
     * https://127.0.0.1:19206|/tmp/es_fdw-es-19206.x/certs/ca.crt|esfdw_admin:admin-secret-1 (from
     * scripts/es-server.sh url and ca); the directory of ca_file also holds client.crt and client.key.
     */
    static final String PROPERTY = "esfdw.it.tls";
    private static final String ID_AND_N = column("id", "_id", "text", false) + "," + column("n", "n", "int4", false);
    private static final String ONE_HIT = "{\"_shards\":{\"total\":1,\"failed\":0},\"hits\":{\"total\":"
            + "{\"value\":1,\"relation\":\"eq\"},\"hits\":[{\"_id\":\"d1\",\"_source\":{\"n\":7}}]}}";

    /** One secured server of esfdw.it.tls. */
    record SecuredServer(String url, Path caFile, String user, String password) {
        @Override
        public String toString() {
            return url;
        }

        Path clientCert() {
            return caFile.resolveSibling("client.crt");
        }

        Path clientKey() {
            return caFile.resolveSibling("client.key");
        }
    }

    static List<SecuredServer> securedServers() {
        String property = System.getProperty(PROPERTY, "");
        assumeTrue(!property.isBlank(), "no secured servers: run with -D" + PROPERTY + "=url|ca_file|user:password");
        return Arrays.stream(property.split(",")).map(String::strip).filter(s -> !s.isEmpty()).map(entry -> {
            String[] parts = entry.split("\\|");
            String[] user = parts[2].split(":", 2);
            return new SecuredServer(parts[0], Path.of(parts[1]), user[0], user[1]);
        }).toList();
    }

    // --- scans -------------------------------------------------------------------------------------------

    /** A scan description of the index with extra keys in its connection object. */
    private static String scan(String url, String index, String connectionKeys) {
        return TestIndex.scanJson(url, index, 10, ID_AND_N)
                .replace("\"timeout_ms\":10000", "\"timeout_ms\":10000," + connectionKeys);
    }

    private static List<List<String>> rows(String scanJson) {
        long handle = Bridge.openScan(utf8(scanJson));
        try {
            return RowBatches.decode(Bridge.nextBatch(handle), 2);
        } finally {
            Bridge.endScan(handle);
        }
    }

    private static EsFdwException refused(String scanJson) {
        return assertThrows(EsFdwException.class, () -> rows(scanJson));
    }

    private static String quoted(Object value) {
        return "\"" + value + "\"";
    }

    private static String basic(SecuredServer server) {
        return "\"username\":" + quoted(server.user()) + ",\"password\":" + quoted(server.password());
    }

    // --- scripted local servers ----------------------------------------------------------------------------

    /** An https server on a loopback port that answers every search with one hit, presenting a test certificate. */
    private static final class LocalHttpsServer implements AutoCloseable {
        private final HttpsServer server;

        LocalHttpsServer(SSLContext context, boolean needClientCertificate) {
            try {
                server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.setHttpsConfigurator(new HttpsConfigurator(context) {
                @Override
                public void configure(HttpsParameters parameters) {
                    SSLParameters ssl = context.getDefaultSSLParameters();
                    ssl.setNeedClientAuth(needClientCertificate);
                    parameters.setSSLParameters(ssl);
                }
            });
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                byte[] body = ONE_HIT.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
        }

        String url(String host) {
            return "https://" + host + ":" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void certificateForAnotherHostIsRefusedNamingTheHostAndTheCertificatesNames() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "DNS:es.example.com,IP:10.1.2.3");
            try (LocalHttpsServer server = new LocalHttpsServer(pki.serverContext("node", "node.crt"), false)) {
                for (String host : new String[] {"127.0.0.1", "localhost"}) {
                    EsFdwException error = refused(scan(server.url(host), "articles",
                            "\"ca_file\":" + quoted(pki.file("ca.crt"))));
                    assertEquals("HV00N", error.sqlstate());
                    assertEquals("could not verify the TLS certificate of Elasticsearch at " + server.url(host)
                            + ": the certificate is not valid for host \"" + host + "\"", error.getMessage());
                    assertEquals("The certificate \"CN=node\" is valid for DNS:es.example.com, IP:10.1.2.3.",
                            error.detail());
                }
            }
        }
    }

    @Test
    void caFileTrustsTheServerAndExpiredCertificateNamesItsEndDate() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "IP:127.0.0.1");
            pki.issue("old", "ca", "IP:127.0.0.1", Instant.parse("2020-01-01T00:00:00Z"),
                    Instant.parse("2020-03-01T12:00:00Z"));
            String caFile = "\"ca_file\":" + quoted(pki.file("ca.crt"));
            try (LocalHttpsServer server = new LocalHttpsServer(pki.serverContext("node", "node.crt"), false)) {
                assertEquals(List.of(List.of("d1", "d1", "7")), rows(scan(server.url("127.0.0.1"), "articles", caFile)));
            }
            try (LocalHttpsServer server = new LocalHttpsServer(pki.serverContext("old", "old.crt"), false)) {
                EsFdwException error = refused(scan(server.url("127.0.0.1"), "articles", caFile));
                assertEquals("could not verify the TLS certificate of Elasticsearch at " + server.url("127.0.0.1")
                        + ": the certificate \"CN=old\" expired on 2020-03-01 12:00:00 UTC", error.getMessage());
            }
        }
    }

    @Test
    void tlsVerifyFalseTrustsAnyCertificateForAnyHostWithoutLooseningOtherClients() {
        try (TestPki pki = new TestPki()) {
            pki.selfSigned("node", "DNS:es.example.com");
            try (LocalHttpsServer server = new LocalHttpsServer(pki.serverContext("node", "node.crt"), false)) {
                String url = server.url("127.0.0.1");
                assertEquals(List.of(List.of("d1", "d1", "7")), rows(scan(url, "articles", "\"tls_verify\":false")));
                EsFdwException verifying = refused(scan(url, "articles", "\"tls_verify\":true"));
                assertEquals("could not verify the TLS certificate of Elasticsearch at " + url
                        + ": the certificate is self-signed and not trusted", verifying.getMessage());
                assertEquals("Set the ca_file option to the PEM file of the server's CA certificate, or "
                        + "ca_fingerprint to its SHA-256 fingerprint.", verifying.hint());
                assertEquals(List.of(List.of("d1", "d1", "7")), rows(scan(url, "articles", "\"tls_verify\":false")));
            }
        }
    }

    @Test
    void clientCertificateIsPresentedToAServerThatDemandsOne() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "IP:127.0.0.1");
            pki.issue("client", "ca", null);
            try (LocalHttpsServer server = new LocalHttpsServer(pki.serverContext("node", "node.crt", "ca.crt"), true)) {
                String url = server.url("127.0.0.1");
                String caFile = "\"ca_file\":" + quoted(pki.file("ca.crt"));
                assertEquals(List.of(List.of("d1", "d1", "7")), rows(scan(url, "articles", caFile
                        + ",\"client_cert\":" + quoted(pki.file("client.crt")) + ",\"client_key\":"
                        + quoted(pki.file("client.key")))));
                // The JDK's server drops the connection rather than sending an alert, so the message varies;
                // the hint for the alerts of a real server is TransportErrorsTest's.
                EsFdwException error = refused(scan(url, "articles", caFile));
                assertTrue(error.getMessage().contains("Elasticsearch at " + url), error.getMessage());
            }
        }
    }

    @Test
    void apiKeyAndBearerTokenAreTheExactHeadersOnTheWire() {
        String pair = "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw";
        String encoded = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        try (FakeServer server = new FakeServer().answer("/articles/_search", 200, ONE_HIT)) {
            rows(scan(server.url(), "articles", "\"api_key\":" + quoted(pair)));
            rows(scan(server.url(), "articles", "\"api_key\":" + quoted(encoded)));
            rows(scan(server.url(), "articles", "\"bearer_token\":\"dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu\""));
            assertEquals(List.of("ApiKey " + encoded, "ApiKey " + encoded, "Bearer dGhpcyBpcyBub3QgYSByZWFsIHRva2Vu"),
                    server.received.stream().map(request -> request.header("Authorization")).toList());
        }
    }

    // --- real secured servers ----------------------------------------------------------------------------

    /** Raw calls as the admin user, through the JDK's own TLS stack (independent of es_fdw's). */
    private static String admin(SecuredServer server, String method, String path, String body) {
        try {
            KeyStore trusted = keyStoreOf(server.caFile());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(context).build();
            String basic = Base64.getEncoder().encodeToString((server.user() + ":" + server.password())
                    .getBytes(StandardCharsets.UTF_8));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
                    .header("Authorization", "Basic " + basic).header("Content-Type", "application/json")
                    .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
            return client.send(request.build(), BodyHandlers.ofString()).body();
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(method + " " + server.url() + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static KeyStore keyStoreOf(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot read " + pemFile, e);
        }
    }

    /** A three-document index on the secured server, deleted on close. */
    private record SecuredIndex(SecuredServer server, String name) implements AutoCloseable {
        static SecuredIndex create(SecuredServer server) {
            SecuredIndex index = new SecuredIndex(server, "esfdw-it-tls-" + UUID.randomUUID().toString().substring(0, 8));
            StringBuilder bulk = new StringBuilder();
            IntStream.range(0, 3).forEach(i -> bulk.append("{\"index\":{\"_id\":\"doc-").append(i).append("\"}}\n")
                    .append("{\"n\":").append(i).append("}\n"));
            String answer = admin(server, "POST", "/" + index.name + "/_bulk?refresh=true", bulk.toString());
            assertFalse(Json.parse(answer.getBytes(StandardCharsets.UTF_8)).path("errors").asBoolean(true), answer);
            return index;
        }

        String scan(String connectionKeys) {
            return TlsIT.scan(server.url(), name, connectionKeys);
        }

        @Override
        public void close() {
            admin(server, "DELETE", "/" + name, null);
        }
    }

    private static final List<List<String>> THREE_DOCUMENTS =
            List.of(List.of("doc-0", "doc-0", "0"), List.of("doc-1", "doc-1", "1"), List.of("doc-2", "doc-2", "2"));

    private static List<List<String>> sortedRows(String scanJson) {
        return rows(scanJson).stream().sorted((a, b) -> a.get(0).compareTo(b.get(0))).toList();
    }

    /** The CA file's SHA-256 as openssl prints it, upper case with colons. */
    private static String fingerprint(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(ca.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void basicAuthWithCaFileSearches(SecuredServer server) {
        try (SecuredIndex index = SecuredIndex.create(server)) {
            assertEquals(THREE_DOCUMENTS,
                    sortedRows(index.scan(basic(server) + ",\"ca_file\":" + quoted(server.caFile()))));
        }
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void caFingerprintPinsTheServersCa(SecuredServer server) {
        try (SecuredIndex index = SecuredIndex.create(server)) {
            assertEquals(THREE_DOCUMENTS, sortedRows(index.scan(basic(server) + ",\"ca_fingerprint\":"
                    + quoted(fingerprint(server.caFile())))));
            String other = "00".repeat(32);
            EsFdwException error = refused(index.scan(basic(server) + ",\"ca_fingerprint\":" + quoted(other)));
            assertEquals("could not verify the TLS certificate of Elasticsearch at " + server.url()
                    + ": no certificate the server sent matches ca_fingerprint", error.getMessage());
            String serverCa = fingerprint(server.caFile()).replace(":", "").toLowerCase();
            assertTrue(error.detail().startsWith("ca_fingerprint is " + other + "; the server sent "), error.detail());
            assertTrue(error.detail().contains("\"CN=es_fdw test CA\" (SHA-256 " + serverCa + ")"), error.detail());
        }
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void withoutCaTheServerIsAnUnknownCa(SecuredServer server) {
        EsFdwException error = refused(scan(server.url(), "any", basic(server)));
        assertEquals("HV00N", error.sqlstate());
        assertEquals("could not verify the TLS certificate of Elasticsearch at " + server.url()
                + ": the certificate is not issued by a trusted certificate authority", error.getMessage());
        assertTrue(error.detail().startsWith("The server's certificate \"CN=esfdw test node\", issued by "
                + "\"CN=es_fdw test CA\", does not lead to a CA of the JVM's trust store ("), error.detail());
        assertEquals("Set the ca_file option to the PEM file of the server's CA certificate, or ca_fingerprint to its "
                + "SHA-256 fingerprint.", error.hint());
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void tlsVerifyFalseSearches(SecuredServer server) {
        try (SecuredIndex index = SecuredIndex.create(server)) {
            assertEquals(THREE_DOCUMENTS, sortedRows(index.scan(basic(server) + ",\"tls_verify\":false")));
        }
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void bearerTokenSearchesAndAWrongOneIsRefusedWithoutBeingShown(SecuredServer server) {
        String answer = admin(server, "POST", "/_security/oauth2/token", "{\"grant_type\":\"password\",\"username\":"
                + quoted(server.user()) + ",\"password\":" + quoted(server.password()) + "}");
        String token = Json.parse(answer.getBytes(StandardCharsets.UTF_8)).path("access_token").asText();
        assertFalse(token.isEmpty(), answer);
        String caFile = ",\"ca_file\":" + quoted(server.caFile());
        try (SecuredIndex index = SecuredIndex.create(server)) {
            assertEquals(THREE_DOCUMENTS, sortedRows(index.scan("\"bearer_token\":" + quoted(token) + caFile)));
            String wrong = new StringBuilder(token).reverse().toString();
            EsFdwException error = refused(index.scan("\"bearer_token\":" + quoted(wrong) + caFile));
            assertEquals("28000", error.sqlstate());
            assertEquals("authentication to Elasticsearch at " + server.url() + " failed", error.getMessage());
            String described = new String(Bridge.describeError(error), StandardCharsets.UTF_8);
            assertFalse(described.contains(wrong) || described.contains(token), described);
        }
    }

    @ParameterizedTest
    @MethodSource("securedServers")
    void clientCertificateAloneAuthenticatesThroughThePkiRealm(SecuredServer server) {
        assumeTrue(Files.isReadable(server.clientKey()), "no client.key beside " + server.caFile());
        try (SecuredIndex index = SecuredIndex.create(server)) {
            assertEquals(THREE_DOCUMENTS, sortedRows(index.scan("\"ca_file\":" + quoted(server.caFile())
                    + ",\"client_cert\":" + quoted(server.clientCert()) + ",\"client_key\":"
                    + quoted(server.clientKey()))));
        }
    }
}
