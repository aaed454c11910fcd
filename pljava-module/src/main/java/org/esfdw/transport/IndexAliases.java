package org.esfdw.transport;

import java.time.Duration;
import org.esfdw.cache.TimedCache;

/**
 * Whether a name is an alias rather than a concrete index, asked once a minute per server and name:
 * GET /_alias/<name> answers 404 when no alias has that name (on every version and on OpenSearch). A user
 * who may not read aliases (403) gets "alias", the answer that is right either way.
 */
public final class IndexAliases {
    static final Duration TTL = Duration.ofSeconds(60);
    private static final TimedCache<String, Boolean> CACHE = new TimedCache<>(TTL);

    private IndexAliases() {
    }

    public static boolean isAlias(HttpTransport transport, String name) {
        String key = transport.connection().displayUrl() + "\n" + name;
        return CACHE.get(key, unused -> ask(transport, name));
    }

    private static boolean ask(HttpTransport transport, String name) {
        EsRequest request = EsRequest.get("/_alias" + IndexPath.of(name));
        EsResponse response = transport.exchange(request);
        if (response.status() == 404) {
            return false;
        }
        if (response.status() == 403) {
            return true; // may not look: treat it as an alias, which only costs the fast path
        }
        if (!response.isSuccess()) {
            throw TransportErrors.fromResponse(transport.connection(), request, response);
        }
        return true;
    }
}
