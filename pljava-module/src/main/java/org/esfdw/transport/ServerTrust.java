package org.esfdw.transport;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Decides whether es_fdw trusts an https server, one step at a time so that a refusal says which step
 * failed (TlsRejection): the server certificate's dates, its chain up to a trust anchor (the JVM's trust
 * store plus ca_file, or only the certificate that ca_fingerprint pins), the host name, and finally the
 * JDK's complete check with the handshake's context (algorithm constraints, and its own host check).
 *
 * Being an X509ExtendedTrustManager, it replaces JSSE's own checks for the clients built with it; the host
 * check it makes itself therefore holds for these clients whatever the JVM-wide switch
 * jdk.internal.httpclient.disableHostnameVerification says. The pin is not a bare fingerprint compare:
 * the pinned certificate becomes the only trust anchor and the chain must validate up to it, so that a
 * server cannot pass by merely appending the (public) CA certificate to a chain it did not get signed.
 */
final class ServerTrust extends ClientSideTrustManager {
    private final X509ExtendedTrustManager anchors;
    private final CaFingerprint pin;
    /** What the chain must lead to, for messages. */
    private final String trustedBy;
    private final String untrustedHint;

    private ServerTrust(X509ExtendedTrustManager anchors, CaFingerprint pin, String trustedBy, String untrustedHint) {
        this.anchors = anchors;
        this.pin = pin;
        this.trustedBy = trustedBy;
        this.untrustedHint = untrustedHint;
    }

    /** Trusts what the JVM's trust store trusts, and the CA certificates of ca_file (none: an empty list). */
    static ServerTrust anchoredIn(List<X509Certificate> caFileCertificates) throws GeneralSecurityException {
        if (caFileCertificates.isEmpty()) {
            return new ServerTrust(jvmTrustManager(null), null, "a CA of the JVM's trust store",
                    "Set the ca_file option to the PEM file of the server's CA certificate, or ca_fingerprint to its "
                            + "SHA-256 fingerprint.");
        }
        List<X509Certificate> anchors = new ArrayList<>(Arrays.asList(jvmTrustManager(null).getAcceptedIssuers()));
        anchors.addAll(caFileCertificates);
        return new ServerTrust(pkix(anchors), null, "a CA of ca_file or of the JVM's trust store",
                "Check that ca_file holds the CA certificate that issued the server's certificate.");
    }

    /** Trusts a chain that validates up to a certificate of itself with this fingerprint. */
    static ServerTrust pinnedTo(CaFingerprint pin) {
        return new ServerTrust(null, pin, "the certificate that ca_fingerprint names",
                "Check that ca_fingerprint is the fingerprint of the CA that issued the server's certificate.");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        X509ExtendedTrustManager trust = validate(chain, authType, engine.getPeerHost());
        complete(() -> trust.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        String host = socket instanceof SSLSocket ssl && ssl.getHandshakeSession() != null
                ? ssl.getHandshakeSession().getPeerHost() : null;
        X509ExtendedTrustManager trust = validate(chain, authType, host);
        complete(() -> trust.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        validate(chain, authType, null);
    }

    /** Dates, chain and host name, each failure its own rejection; returns the trust manager that passed. */
    X509ExtendedTrustManager validate(X509Certificate[] chain, String authType, String host)
            throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw TlsRejection.other(new CertificateException("the server sent no certificate"));
        }
        checkDates(chain[0]);
        X509ExtendedTrustManager trust = pin == null ? anchors : pinnedTrust(chain);
        try {
            trust.checkServerTrusted(chain, authType);
        } catch (CertificateException e) {
            for (X509Certificate certificate : chain) {
                checkDates(certificate);
            }
            throw TlsRejection.untrusted(chain, trustedBy, untrustedHint, e);
        }
        if (host != null && !CertificateNames.matches(chain[0], host)) {
            throw TlsRejection.wrongHost(chain[0], host);
        }
        return trust;
    }

    private X509ExtendedTrustManager pinnedTrust(X509Certificate[] chain) throws CertificateException {
        Optional<X509Certificate> pinned = Arrays.stream(chain).filter(pin::matches).findFirst();
        if (pinned.isEmpty()) {
            throw TlsRejection.fingerprintMismatch(pin, chain);
        }
        try {
            return pkix(List.of(pinned.get()));
        } catch (GeneralSecurityException e) {
            throw TlsRejection.other(e);
        }
    }

    private static void checkDates(X509Certificate certificate) throws TlsRejection {
        try {
            certificate.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw TlsRejection.outsideValidity(certificate, e);
        }
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private static void complete(Check jdkCheck) throws CertificateException {
        try {
            jdkCheck.run();
        } catch (CertificateException e) {
            throw TlsRejection.other(e);
        }
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchors == null ? new X509Certificate[0] : anchors.getAcceptedIssuers();
    }

    /** The JDK's PKIX trust manager over exactly these anchors. */
    private static X509ExtendedTrustManager pkix(List<X509Certificate> anchors) throws GeneralSecurityException {
        KeyStore store = TlsContexts.emptyKeyStore();
        for (int i = 0; i < anchors.size(); i++) {
            store.setCertificateEntry("anchor-" + i, anchors.get(i));
        }
        return jvmTrustManager(store);
    }

    /** The JDK's default trust manager over a store (null: the JVM's default trust store). */
    private static X509ExtendedTrustManager jvmTrustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return extended;
            }
        }
        throw new GeneralSecurityException("the JVM's trust manager factory has no X509 trust manager");
    }
}
