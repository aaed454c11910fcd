package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each step of the server check and the rejection it gives, on chains made at test time (no network). */
class ServerTrustTest {
    /** What JSSE passes for TLS 1.3. */
    private static final String AUTH_TYPE = "UNKNOWN";

    private static X509Certificate[] chain(TestPki pki, String... certificates) {
        return java.util.Arrays.stream(certificates).map(pki::certificate).toArray(X509Certificate[]::new);
    }

    private static TlsRejection refused(ServerTrust trust, X509Certificate[] chain, String host) {
        return assertThrows(TlsRejection.class, () -> trust.validate(chain, AUTH_TYPE, host));
    }

    private static ServerTrust pinnedTo(TestPki pki, String certificate) {
        return ServerTrust.pinnedTo(CaFingerprint.parse(pki.opensslFingerprint(certificate)).orElseThrow());
    }

    @Test
    void caFileTrustsTheServersItIssuedForTheirNamesOnly() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "DNS:localhost,IP:127.0.0.1");
            ServerTrust trust = ServerTrust.anchoredIn(List.of(pki.certificate("ca.crt")));
            trust.validate(chain(pki, "node.crt"), AUTH_TYPE, "localhost");
            trust.validate(chain(pki, "node.crt", "ca.crt"), AUTH_TYPE, "127.0.0.1");

            TlsRejection wrongHost = refused(trust, chain(pki, "node.crt"), "es.example.com");
            assertEquals("the certificate is not valid for host \"es.example.com\"", wrongHost.getMessage());
            assertEquals("could not verify the TLS certificate of Elasticsearch at https://es.example.com:9200: "
                    + "the certificate is not valid for host \"es.example.com\"",
                    wrongHost.toError("https://es.example.com:9200", wrongHost).getMessage());
            assertEquals("The certificate \"CN=node\" is valid for DNS:localhost, IP:127.0.0.1.",
                    wrongHost.toError("https://es.example.com:9200", wrongHost).detail());
        }
    }

    @Test
    void unknownCaIsRefusedWithAHintAtCaFileOrCaFingerprint() throws GeneralSecurityException {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "DNS:localhost");
            TlsRejection unknown = refused(ServerTrust.anchoredIn(List.of()), chain(pki, "node.crt"), "localhost");
            assertEquals("the certificate is not issued by a trusted certificate authority", unknown.getMessage());
            var error = unknown.toError("https://localhost:9200", unknown);
            assertEquals("HV00N", error.sqlstate());
            assertTrue(error.detail().startsWith("The server's certificate \"CN=node\", issued by \"CN=ca\", does not "
                    + "lead to a CA of the JVM's trust store ("), error.detail());
            assertEquals("Set the ca_file option to the PEM file of the server's CA certificate, or ca_fingerprint to "
                    + "its SHA-256 fingerprint.", error.hint());

            pki.ca("otherca");
            TlsRejection wrongCa = refused(ServerTrust.anchoredIn(List.of(pki.certificate("otherca.crt"))),
                    chain(pki, "node.crt"), "localhost");
            var wrongCaError = wrongCa.toError("https://localhost:9200", wrongCa);
            assertTrue(wrongCaError.detail().contains("does not lead to a CA of ca_file or of the JVM's trust store"));
            assertEquals("Check that ca_file holds the CA certificate that issued the server's certificate.",
                    wrongCaError.hint());
        }
    }

    @Test
    void selfSignedServerIsNamedSo() throws GeneralSecurityException {
        try (TestPki pki = new TestPki()) {
            pki.selfSigned("node", "DNS:localhost");
            assertEquals("the certificate is self-signed and not trusted",
                    refused(ServerTrust.anchoredIn(List.of()), chain(pki, "node.crt"), "localhost").getMessage());
        }
    }

    @Test
    void certificateOutsideItsValidityNamesItsDates() throws GeneralSecurityException {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("old", "ca", "DNS:localhost", Instant.parse("2020-01-01T00:00:00Z"),
                    Instant.parse("2020-01-02T00:00:00Z"));
            pki.issue("future", "ca", "DNS:localhost", Instant.parse("2099-01-01T00:00:00Z"),
                    Instant.parse("2099-01-02T00:00:00Z"));
            ServerTrust trust = ServerTrust.anchoredIn(List.of(pki.certificate("ca.crt")));
            TlsRejection expired = refused(trust, chain(pki, "old.crt"), "localhost");
            assertEquals("the certificate \"CN=old\" expired on 2020-01-02 00:00:00 UTC", expired.getMessage());
            var error = expired.toError("https://localhost:9200", expired);
            assertEquals("It is valid from 2020-01-01 00:00:00 UTC to 2020-01-02 00:00:00 UTC.", error.detail());
            assertEquals("Renew the server's certificate, or check the clock of the database server.", error.hint());
            assertEquals("the certificate \"CN=future\" is not valid before 2099-01-01 00:00:00 UTC",
                    refused(trust, chain(pki, "future.crt"), "localhost").getMessage());
        }
    }

    @Test
    void pinnedCaMustBeInTheChainAndTheHostStillChecked() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.issue("node", "ca", "DNS:localhost");
            ServerTrust trust = pinnedTo(pki, "ca.crt");
            trust.validate(chain(pki, "node.crt", "ca.crt"), AUTH_TYPE, "localhost");
            assertEquals("the certificate is not valid for host \"127.0.0.1\"",
                    refused(trust, chain(pki, "node.crt", "ca.crt"), "127.0.0.1").getMessage());

            TlsRejection caNotSent = refused(trust, chain(pki, "node.crt"), "localhost");
            assertEquals("no certificate the server sent matches ca_fingerprint", caNotSent.getMessage());
            var error = caNotSent.toError("https://localhost:9200", caNotSent);
            assertEquals("ca_fingerprint is " + CaFingerprint.of(pki.certificate("ca.crt")) + "; the server sent "
                    + "\"CN=node\" (SHA-256 " + CaFingerprint.of(pki.certificate("node.crt")) + ").", error.detail());
        }
    }

    @Test
    void pinIsATrustAnchorNotAFingerprintCompare() throws GeneralSecurityException {
        try (TestPki pki = new TestPki()) {
            pki.ca("realca", "es_fdw CA");
            pki.ca("forgedca", "es_fdw CA");
            pki.issue("node", "forgedca", "DNS:localhost");
            TlsRejection forged = refused(pinnedTo(pki, "realca.crt"), chain(pki, "node.crt", "realca.crt"),
                    "localhost");
            assertEquals("the certificate is not issued by a trusted certificate authority", forged.getMessage());
            assertTrue(forged.toError("https://localhost:9200", forged).detail()
                    .contains("does not lead to the certificate that ca_fingerprint names"));
        }
    }

    @Test
    void pinnedSelfSignedServerCertificateIsTrusted() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.selfSigned("node", "DNS:localhost");
            pinnedTo(pki, "node.crt").validate(chain(pki, "node.crt"), AUTH_TYPE, "localhost");
        }
    }
}
