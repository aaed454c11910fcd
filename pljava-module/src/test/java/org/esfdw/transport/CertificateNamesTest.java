package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CertificateNamesTest {

    @Test
    void hostMatchesSubjectAltNamesLikeTheJdk() {
        try (TestPki pki = new TestPki()) {
            pki.selfSigned("node", "DNS:localhost,IP:127.0.0.1,DNS:*.es.example.com,IP:::1,DNS:n*.example.org");
            X509Certificate node = pki.certificate("node.crt");
            assertEquals(List.of("DNS:localhost", "IP:127.0.0.1", "DNS:*.es.example.com", "IP:0:0:0:0:0:0:0:1",
                    "DNS:n*.example.org"), CertificateNames.of(node));
            for (String host : new String[] {"localhost", "LocalHost.", "127.0.0.1", "a.es.example.com", "[::1]",
                "0:0:0:0:0:0:0:1", "node1.example.org"}) {
                assertTrue(CertificateNames.matches(node, host), host);
            }
            for (String host : new String[] {"localhost2", "127.0.0.2", "es.example.com", "a.b.es.example.com",
                "::2", "db.example.org", "node"}) {
                assertFalse(CertificateNames.matches(node, host), host);
            }
        }
    }

    @Test
    void commonNameCountsOnlyWithoutDnsNamesAndAnAddressNeverMatchesAName() {
        try (TestPki pki = new TestPki()) {
            pki.ca("es.example.com");
            X509Certificate byName = pki.certificate("es.example.com.crt");
            assertEquals(List.of("CN=es.example.com"), CertificateNames.of(byName));
            assertTrue(CertificateNames.matches(byName, "es.example.com"));
            pki.selfSigned("127.0.0.1", "DNS:localhost");
            X509Certificate addressInName = pki.certificate("127.0.0.1.crt");
            assertFalse(CertificateNames.matches(addressInName, "127.0.0.1"));
            assertFalse(CertificateNames.matches(addressInName, "127.0.0.1.nip.io"));
        }
    }

    @Test
    void wildcardNeverCoversASingleLabelSuffix() {
        try (TestPki pki = new TestPki()) {
            pki.selfSigned("wide", "DNS:*.com,DNS:*");
            X509Certificate wide = pki.certificate("wide.crt");
            assertFalse(CertificateNames.matches(wide, "example.com"));
            assertFalse(CertificateNames.matches(wide, "localhost"));
        }
    }
}
