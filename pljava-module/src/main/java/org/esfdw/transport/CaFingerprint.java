package org.esfdw.transport;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The SHA-256 fingerprint of the certificate a server's chain must lead to (the ca_fingerprint option).
 * Read the way Elastic prints and its clients accept it: 64 hex digits, any case, colons optional
 * (Elasticsearch's first start prints "HTTP CA certificate SHA-256 fingerprint: 1a2b…", openssl prints
 * "1A:2B:…"). A fingerprint is public, so messages may show it.
 */
final class CaFingerprint {
    private static final int SHA256_BYTES = 32;

    private final byte[] sha256;

    private CaFingerprint(byte[] sha256) {
        this.sha256 = sha256;
    }

    /** Empty when the text is not 64 hex digits with optional colons. */
    static Optional<CaFingerprint> parse(String text) {
        String hex = text.strip().replace(":", "");
        if (hex.length() != 2 * SHA256_BYTES || !hex.chars().allMatch(HexFormat::isHexDigit)) {
            return Optional.empty();
        }
        return Optional.of(new CaFingerprint(HexFormat.of().parseHex(hex)));
    }

    boolean matches(X509Certificate certificate) {
        return MessageDigest.isEqual(sha256, sha256(certificate));
    }

    /** Lower-case hex without colons, as Elasticsearch prints it. */
    static String of(X509Certificate certificate) {
        return HexFormat.of().formatHex(sha256(certificate));
    }

    private static byte[] sha256(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot take the SHA-256 of a certificate", e);
        }
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(sha256);
    }
}
