package org.esfdw.config;

import java.net.URI;
import java.time.Duration;

/**
 * Where and how to reach one Elasticsearch server. Holds the password, so its text form (displayUrl,
 * toString) never shows credentials, not even ones written into the URL.
 */
public record ConnectionOptions(URI url, Duration timeout, String username, String password) {

    public boolean hasCredentials() {
        return username != null;
    }

    /** The URL without user info or trailing slash, for messages and cache keys. */
    public String displayUrl() {
        String scheme = url.getScheme() + "://";
        String port = url.getPort() < 0 ? "" : ":" + url.getPort();
        String path = url.getRawPath() == null ? "" : url.getRawPath().replaceAll("/+$", "");
        return scheme + url.getHost() + port + path;
    }

    /** The absolute URI of an endpoint path such as "/_search" on this server. */
    public URI resolve(String pathAndQuery) {
        return URI.create(displayUrl() + pathAndQuery);
    }

    @Override
    public String toString() {
        return "ConnectionOptions[" + displayUrl() + ", timeout " + timeout.toMillis() + " ms"
                + (hasCredentials() ? ", with credentials" : "") + "]";
    }
}
