package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.esfdw.EsFdwException;
import org.esfdw.config.ConnectionOptions;
import org.esfdw.config.ScanDescriptionParser;
import org.junit.jupiter.api.Test;

/** The TLS keys of the connection object: how they combine, what a bad one says, and the client they share. */
class TlsSettingsTest {

    private static ConnectionOptions connection(String url, String settings) {
        String json = "{\"connection\":{\"url\":\"" + url + "\"" + (settings.isEmpty() ? "" : "," + settings)
                + "},\"index\":\"i\",\"columns\":[]}";
        return ScanDescriptionParser.parseTarget(json.getBytes(StandardCharsets.UTF_8)).connection();
    }

    private static ConnectionOptions https(String settings) {
        return connection("https://h:9200", settings);
    }

    private static EsFdwException refused(String settings) {
        return assertThrows(EsFdwException.class, () -> new HttpTransport(https(settings)));
    }

    @Test
    void readsEveryKey() {
        ConnectionOptions.Tls tls = https("\"ca_file\":\"/etc/es/ca.crt\",\"client_cert\":\"/c.crt\","
                + "\"client_key\":\"/c.key\"").tls();
        assertEquals(new ConnectionOptions.Tls("/etc/es/ca.crt", null, true, "/c.crt", "/c.key"), tls);
        assertEquals(new ConnectionOptions.Tls(null, "AB:CD", false, null, null).caFingerprint(),
                https("\"ca_fingerprint\":\"AB:CD\"").tls().caFingerprint());
        assertEquals(false, https("\"tls_verify\":false").tls().verify());
        assertEquals(ConnectionOptions.Tls.DEFAULTS, https("\"ca_file\":\"\",\"tls_verify\":null").tls());
    }

    @Test
    void contradictionsAreRefused() {
        EsFdwException both = assertThrows(EsFdwException.class,
                () -> https("\"ca_file\":\"/ca.crt\",\"ca_fingerprint\":\"ab\""));
        assertEquals("HV00N", both.sqlstate());
        assertEquals("invalid TLS settings for Elasticsearch at https://h:9200: ca_file and ca_fingerprint are both set",
                both.getMessage());
        assertEquals("invalid TLS settings for Elasticsearch at https://h:9200: tls_verify is false but "
                + "ca_fingerprint is set", assertThrows(EsFdwException.class,
                        () -> https("\"tls_verify\":false,\"ca_fingerprint\":\"ab\"")).getMessage());
        assertEquals("invalid TLS settings for Elasticsearch at https://h:9200: client_cert is set without client_key",
                assertThrows(EsFdwException.class, () -> https("\"client_cert\":\"/c.crt\"")).getMessage());
        assertEquals("invalid es_fdw scan description: \"tls_verify\" must be true or false, not \"false\"",
                assertThrows(EsFdwException.class, () -> https("\"tls_verify\":\"false\"")).getMessage());
    }

    @Test
    void unusableSettingsNameTheOptionTheFileAndTheServer() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("client", "ca", null);
            pki.issue("other", "ca", null);
            EsFdwException missing = refused("\"ca_file\":\"" + pki.file("nope.crt") + "\"");
            assertEquals("HV00N", missing.sqlstate());
            assertEquals("could not set up TLS for Elasticsearch at https://h:9200: ca_file \"" + pki.file("nope.crt")
                    + "\" does not exist", missing.getMessage());
            assertEquals("Give the absolute path of a PEM file that the database server's operating-system user can "
                    + "read.", missing.hint());
            assertEquals("could not set up TLS for Elasticsearch at https://h:9200: ca_file \"" + pki.file("ca.key")
                    + "\" holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    refused("\"ca_file\":\"" + pki.file("ca.key") + "\"").getMessage());
            assertEquals("could not set up TLS for Elasticsearch at https://h:9200: ca_fingerprint \"12:34\" is not a "
                    + "SHA-256 fingerprint", refused("\"ca_fingerprint\":\"12:34\"").getMessage());
            assertEquals("could not set up TLS for Elasticsearch at https://h:9200: client_key \"" + pki.file("other.key")
                    + "\" is not the private key of client_cert \"" + pki.file("client.crt") + "\"",
                    refused("\"client_cert\":\"" + pki.file("client.crt") + "\",\"client_key\":\""
                            + pki.file("other.key") + "\"").getMessage());
        }
    }

    @Test
    void clientCertificateWithPkcs8EcOrPkcs1RsaKey() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("client", "ca", null);
            pki.rsaPkcs1("rsa");
            new HttpTransport(https("\"client_cert\":\"" + pki.file("client.crt") + "\",\"client_key\":\""
                    + pki.file("client.key") + "\""));
            new HttpTransport(https("\"client_cert\":\"" + pki.file("rsa.crt") + "\",\"client_key\":\""
                    + pki.file("rsa.key") + "\""));
        }
    }

    @Test
    void oneClientPerTlsSettingRenewedWhenItsFilesChange() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            String caFile = "\"ca_file\":\"" + pki.file("ca.crt") + "\"";
            assertSame(HttpClients.forConnection(https(caFile)),
                    HttpClients.forConnection(connection("https://other:9243", caFile + ",\"username\":\"u\"")));
            assertNotSame(HttpClients.forConnection(https(caFile)), HttpClients.forConnection(https("")));
            assertSame(HttpClients.forConnection(connection("http://h:9200", caFile)),
                    HttpClients.forConnection(connection("http://other:9200", "\"tls_verify\":false")));

            var before = HttpClients.forConnection(https(caFile));
            Files.setLastModifiedTime(pki.dir.resolve("ca.crt"), FileTime.from(Instant.now().plusSeconds(60)));
            var renewed = HttpClients.forConnection(https(caFile));
            assertNotSame(before, renewed);
            assertSame(renewed, HttpClients.forConnection(https(caFile)));
        }
    }
}
