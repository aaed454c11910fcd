package org.esfdw.transport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of the TLS options: certificates (a CA bundle, a client certificate chain) and an
 * unencrypted private key, PKCS#8 ("BEGIN PRIVATE KEY", what openssl 3 writes) or PKCS#1 RSA ("BEGIN RSA
 * PRIVATE KEY", what elasticsearch-certutil writes). Failures are IOExceptions whose message says what is
 * wrong with the file, never quoting its content (a key file's content is a secret).
 */
final class PemFiles {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    /** Key algorithms a PKCS#8 key may use, tried in turn (the encoding names its algorithm). */
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS"};
    /** DER of the AlgorithmIdentifier {rsaEncryption, NULL} that wraps a PKCS#1 key into PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private PemFiles() {
    }

    /** Every certificate of the file, in order; at least one. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        CertificateFactory factory;
        try {
            factory = CertificateFactory.getInstance("X.509");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM has no X.509 certificate factory", e);
        }
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type.equals("CERTIFICATE")) {
                try {
                    certificates.add((X509Certificate) factory.generateCertificate(
                            new ByteArrayInputStream(block.der())));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new IOException("certificate " + (certificates.size() + 1) + " is not valid X.509", e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new IOException("holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        }
        return certificates;
    }

    /** The file's private key (the first one, should it hold more). */
    static PrivateKey privateKey(Path file) throws IOException {
        for (Block block : blocks(file)) {
            switch (block.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der());
                }
                case "RSA PRIVATE KEY" -> {
                    if (block.body.contains("ENCRYPTED")) {
                        throw encrypted();
                    }
                    return pkcs8(pkcs1ToPkcs8(block.der()));
                }
                case "ENCRYPTED PRIVATE KEY" -> throw encrypted();
                case "EC PRIVATE KEY" -> throw new IOException("holds an EC key in SEC1 form, which es_fdw does not "
                        + "read; convert it to PKCS#8 with openssl pkcs8 -topk8 -nocrypt");
                default -> {
                    // certificates and parameters may share the file
                }
            }
        }
        throw new IOException("holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private record Block(String type, String body) {
        byte[] der() {
            return Base64.getMimeDecoder().decode(body);
        }
    }

    private static List<Block> blocks(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new IOException("does not exist");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot be read by the database server's operating-system user");
        } catch (IOException e) {
            throw new IOException("cannot be read: " + e.getMessage(), e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.add(new Block(matcher.group(1), matcher.group(2)));
        }
        return blocks;
    }

    private static PrivateKey pkcs8(byte[] der) throws IOException {
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException otherAlgorithm) {
                // a key of another algorithm, or one this JVM lacks: try the next
            }
        }
        throw new IOException("holds a private key es_fdw cannot read (not RSA, EC or EdDSA in PKCS#8)");
    }

    private static IOException encrypted() {
        return new IOException("holds an encrypted private key; es_fdw needs it unencrypted "
                + "(openssl pkcs8 -topk8 -nocrypt), readable only by the database server's operating-system user");
    }

    /** PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier rsaEncryption, OCTET STRING pkcs1 }. */
    private static byte[] pkcs1ToPkcs8(byte[] pkcs1) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        content.writeBytes(new byte[] {0x02, 0x01, 0x00});
        content.writeBytes(RSA_ALGORITHM);
        content.writeBytes(derHeader(0x04, pkcs1.length));
        content.writeBytes(pkcs1);
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        info.writeBytes(derHeader(0x30, content.size()));
        info.writeBytes(content.toByteArray());
        return info.toByteArray();
    }

    private static byte[] derHeader(int tag, int length) {
        if (length < 0x80) {
            return new byte[] {(byte) tag, (byte) length};
        }
        int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
        byte[] header = new byte[2 + bytes];
        header[0] = (byte) tag;
        header[1] = (byte) (0x80 | bytes);
        for (int i = 0; i < bytes; i++) {
            header[2 + i] = (byte) (length >>> (8 * (bytes - 1 - i)));
        }
        return header;
    }
}
