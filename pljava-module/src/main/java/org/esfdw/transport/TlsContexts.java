package org.esfdw.transport;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.ConnectionOptions.Tls;

/**
 * The SSLContext of https connections with given TLS settings: whom es_fdw trusts (ServerTrust, or
 * TrustEverything for tls_verify false) and which certificate it presents (client_cert and client_key).
 * A problem with the settings themselves (a missing file, a malformed fingerprint, a key that is not the
 * certificate's) is an EsFdwException naming the option, the file and the server.
 */
final class TlsContexts {
    private static final String FILE_HINT =
            "Give the absolute path of a PEM file that the database server's operating-system user can read.";
    /** Signature algorithms that prove a private key belongs to a certificate, by key algorithm. */
    private static final Map<String, String> PROOF_SIGNATURES =
            Map.of("RSA", "SHA256withRSA", "EC", "SHA256withECDSA", "EdDSA", "EdDSA", "Ed25519", "Ed25519");
    /** The client key lives in an in-memory key store only, which wants some password. */
    private static final char[] IN_MEMORY = "es_fdw".toCharArray();

    private TlsContexts() {
    }

    static SSLContext create(Tls tls, String server) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers(tls, server), new TrustManager[] {trustManager(tls, server)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw setupFailed(server, e.getMessage(), null, e);
        }
    }

    private static TrustManager trustManager(Tls tls, String server) throws GeneralSecurityException {
        if (!tls.verify()) {
            return new TrustEverything();
        }
        if (tls.caFingerprint() != null) {
            return ServerTrust.pinnedTo(CaFingerprint.parse(tls.caFingerprint()).orElseThrow(() -> setupFailed(server,
                    "ca_fingerprint \"" + tls.caFingerprint() + "\" is not a SHA-256 fingerprint",
                    "Give the 64 hex digits of the CA certificate's SHA-256 fingerprint (colons allowed), as "
                            + "Elasticsearch prints it at its first start.", null)));
        }
        return ServerTrust.anchoredIn(tls.caFile() == null ? List.of()
                : read("ca_file", tls.caFile(), server, PemFiles::certificates));
    }

    private static KeyManager[] keyManagers(Tls tls, String server) throws GeneralSecurityException {
        if (tls.clientCert() == null) {
            return null;
        }
        List<X509Certificate> chain = read("client_cert", tls.clientCert(), server, PemFiles::certificates);
        PrivateKey key = read("client_key", tls.clientKey(), server, PemFiles::privateKey);
        if (!belongsTo(key, chain.get(0))) {
            throw setupFailed(server, "client_key \"" + tls.clientKey() + "\" is not the private key of client_cert \""
                    + tls.clientCert() + "\"", "Give the key the client certificate was issued for.", null);
        }
        KeyStore store = emptyKeyStore();
        store.setKeyEntry("client", key, IN_MEMORY, chain.toArray(new X509Certificate[0]));
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, IN_MEMORY);
        return factory.getKeyManagers();
    }

    /** Signs a random challenge with the key and checks it with the certificate (true for key kinds not known here). */
    private static boolean belongsTo(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = PROOF_SIGNATURES.get(key.getAlgorithm());
        if (algorithm == null) {
            return true;
        }
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
        } catch (InvalidKeyException otherKeyKind) {
            return false;
        }
        verifier.update(challenge);
        return verifier.verify(signature);
    }

    /** An in-memory key store, to hand certificates and keys to the JDK's factories. */
    static KeyStore emptyKeyStore() throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        return store;
    }

    private interface PemReader<T> {
        T read(Path file) throws IOException;
    }

    private static <T> T read(String option, String file, String server, PemReader<T> reader) {
        try {
            return reader.read(Path.of(file));
        } catch (IOException e) {
            throw setupFailed(server, option + " \"" + file + "\" " + e.getMessage(), FILE_HINT, e);
        } catch (InvalidPathException e) {
            throw setupFailed(server, option + " \"" + file + "\" is not a valid path", FILE_HINT, e);
        }
    }

    private static EsFdwException setupFailed(String server, String why, String hint, Throwable cause) {
        return new EsFdwException(SqlState.UNABLE_TO_CONNECT,
                "could not set up TLS for Elasticsearch at " + server + ": " + why, null, hint, cause);
    }
}
