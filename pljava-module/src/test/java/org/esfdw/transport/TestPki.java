package org.esfdw.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Throwaway certificates and keys for tests, made with openssl in a temporary directory at test time (no
 * private key is committed). EC P-256 keys, which openssl makes in milliseconds; PEM, keys in PKCS#8
 * unless asked for PKCS#1 RSA.
 */
public final class TestPki implements AutoCloseable {
    private static final DateTimeFormatter OPENSSL_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    public final Path dir;

    public TestPki() {
        try {
            dir = Files.createTempDirectory("esfdw-pki");
            Files.writeString(dir.resolve("ca.cnf"), String.join("\n", "[ca]", "default_ca = d", "[d]",
                    "database = " + dir.resolve("index.txt"), "new_certs_dir = " + dir,
                    "serial = " + dir.resolve("serial"), "default_md = sha256", "policy = p",
                    "unique_subject = no", "[p]", "commonName = supplied", ""));
            Files.writeString(dir.resolve("index.txt"), "");
            Files.writeString(dir.resolve("serial"), "1000\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A self-signed CA: NAME.crt and NAME.key; returns the certificate's path. */
    public Path ca(String name) {
        return ca(name, name);
    }

    /** A self-signed CA with this common name (two CAs may share one). */
    public Path ca(String name, String commonName) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file(name + ".key"), "-out", file(name + ".crt"), "-subj", "/CN=" + commonName, "-days", "2",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return dir.resolve(name + ".crt");
    }

    /** A self-signed server certificate for these names ("DNS:localhost,IP:127.0.0.1"). */
    public Path selfSigned(String name, String subjectAltNames) {
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file(name + ".key"), "-out", file(name + ".crt"), "-subj", "/CN=" + name, "-days", "2",
                "-addext", "subjectAltName=" + subjectAltNames);
        return dir.resolve(name + ".crt");
    }

    /** A certificate issued by the CA, valid from an hour ago for a day. */
    public Path issue(String name, String ca, String subjectAltNames) {
        Instant now = Instant.now();
        return issue(name, ca, subjectAltNames, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)));
    }

    /** A certificate issued by the CA for a validity period: NAME.crt, NAME.key (PKCS#8). */
    public Path issue(String name, String ca, String subjectAltNames, Instant notBefore, Instant notAfter) {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", file(name + ".key"), "-out", file(name + ".csr"), "-subj", "/CN=" + name);
        List<String> extensions = new ArrayList<>(List.of("basicConstraints = CA:FALSE",
                "extendedKeyUsage = serverAuth, clientAuth"));
        if (subjectAltNames != null) {
            extensions.add("subjectAltName = " + subjectAltNames);
        }
        write(name + ".ext", String.join("\n", extensions) + "\n");
        openssl("ca", "-batch", "-config", file("ca.cnf"), "-cert", file(ca + ".crt"), "-keyfile", file(ca + ".key"),
                "-in", file(name + ".csr"), "-out", file(name + ".crt"), "-notext", "-extfile", file(name + ".ext"),
                "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter));
        return dir.resolve(name + ".crt");
    }

    /** An RSA key written in PKCS#1 form ("BEGIN RSA PRIVATE KEY") and a self-signed certificate of it. */
    public Path rsaPkcs1(String name) {
        openssl("genrsa", "-traditional", "-out", file(name + ".key"), "2048");
        openssl("req", "-x509", "-new", "-key", file(name + ".key"), "-out", file(name + ".crt"), "-subj",
                "/CN=" + name, "-days", "2");
        return dir.resolve(name + ".key");
    }

    /** The files concatenated into a new file (a certificate chain, a CA bundle). */
    public Path concat(String name, String... files) {
        StringBuilder text = new StringBuilder();
        for (String part : files) {
            text.append(read(part));
        }
        write(name, text.toString());
        return dir.resolve(name);
    }

    /** The SHA-256 fingerprint of a certificate as openssl prints it: "AB:CD:…". */
    public String opensslFingerprint(String certificate) {
        String out = openssl("x509", "-noout", "-fingerprint", "-sha256", "-in", file(certificate));
        return out.substring(out.indexOf('=') + 1).strip();
    }

    /** An SSLContext presenting NAME.key with the certificate chain in the chain file (for test servers). */
    public SSLContext serverContext(String name, String chainFile) {
        return serverContext(name, chainFile, null);
    }

    /** The same, trusting client certificates issued by the CA of that file (null: the JVM's trust store). */
    public SSLContext serverContext(String name, String chainFile, String clientCaFile) {
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(null, null);
            keyStore.setKeyEntry(name, PemFiles.privateKey(dir.resolve(name + ".key")), "pw".toCharArray(),
                    PemFiles.certificates(dir.resolve(chainFile)).toArray(new X509Certificate[0]));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, "pw".toCharArray());
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (clientCaFile == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore trustStore = KeyStore.getInstance("PKCS12");
                trustStore.load(null, null);
                trustStore.setCertificateEntry("ca", certificate(clientCaFile));
                trust.init(trustStore);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError("cannot build a test server's SSLContext", e);
        }
    }

    public X509Certificate certificate(String name) {
        try {
            return PemFiles.certificates(dir.resolve(name)).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String file(String name) {
        return dir.resolve(name).toString();
    }

    public String read(String name) {
        try {
            return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String name, String text) {
        try {
            Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs openssl in the directory; returns what it printed. */
    public String openssl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError("tests need openssl on PATH (apt-get install openssl)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
