package org.esfdw.transport;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.stream.Collectors;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * Why es_fdw refused a server's certificate, said so a user can act on it: thrown by ServerTrust during
 * the handshake, carried by java.net.http as the cause of its SSLHandshakeException, and turned into an
 * EsFdwException (which adds the server URL) by TransportErrors. Certificates are public: their names,
 * dates and fingerprints may be shown.
 */
final class TlsRejection extends CertificateException {
    private static final long serialVersionUID = 1L;
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final String detail;
    private final String hint;

    private TlsRejection(String reason, String detail, String hint) {
        super(reason);
        this.detail = detail;
        this.hint = hint;
    }

    static TlsRejection untrusted(X509Certificate[] chain, String trustedBy, String hint, Throwable why) {
        X509Certificate server = chain[0];
        String reason = chain.length == 1 && server.getSubjectX500Principal().equals(server.getIssuerX500Principal())
                ? "the certificate is self-signed and not trusted"
                : "the certificate is not issued by a trusted certificate authority";
        TlsRejection rejection = new TlsRejection(reason, "The server's certificate " + subject(server)
                + ", issued by \"" + server.getIssuerX500Principal().getName() + "\", does not lead to " + trustedBy
                + " (" + why.getMessage() + ").", hint);
        rejection.initCause(why);
        return rejection;
    }

    static TlsRejection outsideValidity(X509Certificate certificate, Throwable why) {
        boolean expired = certificate.getNotAfter().before(new Date());
        TlsRejection rejection = new TlsRejection(expired
                ? "the certificate " + subject(certificate) + " expired on " + date(certificate.getNotAfter())
                : "the certificate " + subject(certificate) + " is not valid before "
                        + date(certificate.getNotBefore()),
                "It is valid from " + date(certificate.getNotBefore()) + " to " + date(certificate.getNotAfter()) + ".",
                "Renew the server's certificate, or check the clock of the database server.");
        rejection.initCause(why);
        return rejection;
    }

    static TlsRejection wrongHost(X509Certificate certificate, String host) {
        return new TlsRejection("the certificate is not valid for host \"" + host + "\"",
                "The certificate " + subject(certificate) + " is valid for "
                        + String.join(", ", CertificateNames.of(certificate)) + ".",
                "Connect with a name the certificate holds (the url or host option), or give the server a "
                        + "certificate for this name.");
    }

    static TlsRejection fingerprintMismatch(CaFingerprint pin, X509Certificate[] chain) {
        return new TlsRejection("no certificate the server sent matches ca_fingerprint",
                "ca_fingerprint is " + pin + "; the server sent " + Arrays.stream(chain)
                        .map(c -> subject(c) + " (SHA-256 " + CaFingerprint.of(c) + ")")
                        .collect(Collectors.joining(", ")) + ".",
                "Set ca_fingerprint to the SHA-256 fingerprint of the CA that issued the server's certificate "
                        + "(openssl x509 -noout -fingerprint -sha256 -in ca.crt); the server must send that CA in "
                        + "its certificate chain, or use ca_file.");
    }

    static TlsRejection other(Throwable why) {
        TlsRejection rejection = new TlsRejection(why.getMessage(), null, null);
        rejection.initCause(why);
        return rejection;
    }

    EsFdwException toError(String server, Throwable failure) {
        return new EsFdwException(SqlState.UNABLE_TO_CONNECT,
                "could not verify the TLS certificate of Elasticsearch at " + server + ": " + getMessage(), detail,
                hint, failure);
    }

    private static String subject(X509Certificate certificate) {
        return "\"" + certificate.getSubjectX500Principal().getName() + "\"";
    }

    private static String date(Date date) {
        return UTC.format(date.toInstant());
    }
}
