package org.esfdw.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where and how to reach one Elasticsearch server: URL, timeout, at most one kind of credentials
 * (user name and password, API key or bearer token) and how to trust an https server; mapping says which
 * PostgreSQL user mapping the credentials came from (for authentication errors; no secret); connectTimeout
 * bounds setting up a connection (at most timeout, which bounds a whole request). Holds secrets, so
 * its text form (displayUrl, toString) never shows credentials, not even ones written into the URL.
 */
public record ConnectionOptions(URI url, Duration timeout, String username, String password, String apiKey,
        String bearerToken, Tls tls, String mapping, List<URI> alternates, Duration connectTimeout) {

    public ConnectionOptions {
        alternates = alternates == null ? List.of() : List.copyOf(alternates);
        connectTimeout = connectTimeout == null || connectTimeout.compareTo(timeout) > 0 ? timeout : connectTimeout;
    }

    /** One host, without a user mapping description (tests, tools). */
    public ConnectionOptions(URI url, Duration timeout, String username, String password, String apiKey,
            String bearerToken, Tls tls) {
        this(url, timeout, username, password, apiKey, bearerToken, tls, null, List.of(), null);
    }

    /** Every host of the server, in the order they are tried: url, then the alternates (url 'a,b'). */
    public List<URI> hosts() {
        List<URI> hosts = new ArrayList<>();
        hosts.add(url);
        hosts.addAll(alternates);
        return hosts;
    }

    /** One host's URL without user info or trailing slash. */
    public static String display(URI host) {
        String scheme = host.getScheme() + "://";
        String port = host.getPort() < 0 ? "" : ":" + host.getPort();
        String path = host.getRawPath() == null ? "" : host.getRawPath();
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return scheme + host.getHost() + port + path.substring(0, end);
    }

    /** A connection with basic-auth credentials (or none, when username is null) and default TLS. */
    public ConnectionOptions(URI url, Duration timeout, String username, String password) {
        this(url, timeout, username, password, null, null, Tls.DEFAULTS);
    }

    /** The kinds of credentials a connection can carry; the scan description allows at most one. */
    public enum CredentialKind { NONE, USERNAME_PASSWORD, API_KEY, BEARER_TOKEN }

    /**
     * How an https server is trusted and how es_fdw proves itself to it. Holds file paths and a public
     * fingerprint, no secret, so the record's own text form is safe; its equality keys the HTTP client
     * cache (one client, with its SSLContext and pooled connections, per distinct setting).
     *
     * @param caFile        PEM file of extra CA certificates, trusted besides the JVM's trust store
     * @param caFingerprint SHA-256 of the one certificate the server's chain must lead to (hex, colons optional)
     * @param verify        false: trust any certificate for any host name
     * @param clientCert    PEM certificate chain es_fdw presents (mutual TLS), with clientKey
     * @param clientKey     PEM private key of clientCert (PKCS#8 or PKCS#1 RSA, unencrypted)
     */
    public record Tls(String caFile, String caFingerprint, boolean verify, String clientCert, String clientKey) {
        public static final Tls DEFAULTS = new Tls(null, null, true, null, null);
    }

    public CredentialKind credentialKind() {
        if (username != null) {
            return CredentialKind.USERNAME_PASSWORD;
        }
        if (apiKey != null) {
            return CredentialKind.API_KEY;
        }
        return bearerToken != null ? CredentialKind.BEARER_TOKEN : CredentialKind.NONE;
    }

    public boolean hasCredentials() {
        return credentialKind() != CredentialKind.NONE;
    }

    public boolean isHttps() {
        return "https".equalsIgnoreCase(url.getScheme());
    }

    /**
     * The server's URL (its hosts' URLs, comma-separated, when it has several) without user info or
     * trailing slash: for messages, and the key of its circuit breaker and cached results.
     */
    public String displayUrl() {
        StringBuilder text = new StringBuilder(display(url));
        alternates.forEach(host -> text.append(',').append(display(host)));
        return text.toString();
    }

    /** The absolute URI of an endpoint path such as "/_search" on the first host. */
    public URI resolve(String pathAndQuery) {
        return resolve(url, pathAndQuery);
    }

    /** The absolute URI of an endpoint path on one host. */
    public static URI resolve(URI host, String pathAndQuery) {
        return URI.create(display(host) + pathAndQuery);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[" + displayUrl() + ", timeout " + timeout.toMillis() + " ms"
                + (hasCredentials() ? ", with credentials" : "") + (isHttps() ? ", " + tls : "") + "]";
    }
}
