package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class CaFingerprintTest {
    private static final String HEX = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809";

    @Test
    void readsHexInAnyCaseWithOrWithoutColons() {
        assertEquals(HEX, CaFingerprint.parse(HEX).orElseThrow().toString());
        assertEquals(HEX, CaFingerprint.parse(HEX.toUpperCase()).orElseThrow().toString());
        String withColons = HEX.toUpperCase().replaceAll("(..)(?!$)", "$1:");
        assertEquals(HEX, CaFingerprint.parse(" " + withColons + "\n").orElseThrow().toString());
    }

    @Test
    void refusesWhatIsNotASha256() {
        assertTrue(CaFingerprint.parse(HEX.substring(1)).isEmpty(), "63 digits");
        assertTrue(CaFingerprint.parse(HEX + "00").isEmpty(), "SHA-512 length");
        assertTrue(CaFingerprint.parse(HEX.replace('a', 'g')).isEmpty(), "not hex");
        assertTrue(CaFingerprint.parse(HEX.replace('1', '\uff11')).isEmpty(), "a full-width digit");
        assertTrue(CaFingerprint.parse("").isEmpty());
    }

    @Test
    void matchesTheCertificateOpensslFingerprints() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.ca("other");
            X509Certificate ca = pki.certificate("ca.crt");
            String printed = pki.opensslFingerprint("ca.crt");
            CaFingerprint fingerprint = CaFingerprint.parse(printed).orElseThrow();
            assertTrue(fingerprint.matches(ca));
            assertFalse(fingerprint.matches(pki.certificate("other.crt")));
            assertEquals(printed.replace(":", "").toLowerCase(), CaFingerprint.of(ca));
        }
    }
}
