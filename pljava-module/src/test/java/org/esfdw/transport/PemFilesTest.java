package org.esfdw.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemFilesTest {

    private static void assertKeyOf(PrivateKey key, X509Certificate certificate, String algorithm) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertEquals(true, verifier.verify(signer.sign()), "the key signs for the certificate");
    }

    @Test
    void readsEveryCertificateOfABundleInOrderSkippingText() throws IOException {
        try (TestPki pki = new TestPki()) {
            pki.ca("first");
            pki.ca("second");
            pki.write("bundle.pem", "Bag Attributes: junk\n" + pki.read("first.crt")
                    + pki.openssl("x509", "-in", pki.file("second.crt"), "-text"));
            List<X509Certificate> certificates = PemFiles.certificates(pki.dir.resolve("bundle.pem"));
            assertEquals(List.of("CN=first", "CN=second"),
                    certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList());
        }
    }

    @Test
    void readsPkcs8EcAndPkcs1RsaKeys() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            PrivateKey ec = PemFiles.privateKey(pki.dir.resolve("ca.key"));
            assertEquals("EC", ec.getAlgorithm());
            assertKeyOf(ec, pki.certificate("ca.crt"), "SHA256withECDSA");

            Path pkcs1 = pki.rsaPkcs1("rsa");
            assertEquals("-----BEGIN RSA PRIVATE KEY-----", pki.read("rsa.key").lines().findFirst().orElseThrow());
            PrivateKey rsa = PemFiles.privateKey(pkcs1);
            assertEquals("RSA", rsa.getAlgorithm());
            assertKeyOf(rsa, pki.certificate("rsa.crt"), "SHA256withRSA");
        }
    }

    @Test
    void keyAndCertificateMayShareAFile() throws Exception {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.concat("both.pem", "ca.crt", "ca.key");
            assertEquals("EC", PemFiles.privateKey(pki.dir.resolve("both.pem")).getAlgorithm());
            assertEquals(1, PemFiles.certificates(pki.dir.resolve("both.pem")).size());
        }
    }

    @Test
    void saysWhatIsWrongWithAFileWithoutQuotingIt() {
        try (TestPki pki = new TestPki()) {
            pki.ca("ca");
            pki.openssl("pkcs8", "-topk8", "-in", pki.file("ca.key"), "-out", pki.file("encrypted.key"),
                    "-passout", "pass:pw", "-v2", "aes-256-cbc");
            pki.rsaPkcs1("rsa");
            pki.openssl("rsa", "-in", pki.file("rsa.key"), "-traditional", "-aes256", "-passout", "pass:pw",
                    "-out", pki.file("rsa-encrypted.key"));
            pki.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", pki.file("sec1.key"));
            String body = pki.read("ca.key").lines().skip(1).findFirst().orElseThrow();
            pki.write("garbled.key", pki.read("ca.key").replace(body, body.substring(0, 20)));

            assertEquals("does not exist", message(() -> PemFiles.certificates(pki.dir.resolve("nope.pem"))));
            assertEquals("holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                    message(() -> PemFiles.certificates(pki.dir.resolve("ca.key"))));
            assertEquals("holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
                    message(() -> PemFiles.privateKey(pki.dir.resolve("ca.crt"))));
            String encrypted = "holds an encrypted private key; es_fdw needs it unencrypted (openssl pkcs8 -topk8 "
                    + "-nocrypt), readable only by the database server's operating-system user";
            assertEquals(encrypted, message(() -> PemFiles.privateKey(pki.dir.resolve("encrypted.key"))));
            assertEquals(encrypted, message(() -> PemFiles.privateKey(pki.dir.resolve("rsa-encrypted.key"))));
            assertEquals("holds an EC key in SEC1 form, which es_fdw does not read; convert it to PKCS#8 with "
                    + "openssl pkcs8 -topk8 -nocrypt", message(() -> PemFiles.privateKey(pki.dir.resolve("sec1.key"))));
            String garbled = message(() -> PemFiles.privateKey(pki.dir.resolve("garbled.key")));
            assertEquals("holds a private key es_fdw cannot read (not RSA, EC or EdDSA in PKCS#8)", garbled);
            assertFalse(garbled.contains(body.substring(0, 20)));
        }
    }

    private interface Read {
        Object run() throws IOException;
    }

    private static String message(Read read) {
        return assertThrows(IOException.class, read::run).getMessage();
    }
}
