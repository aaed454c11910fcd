package org.esfdw.offline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.ServerDetector;
import org.esfdw.transport.ServerInfo;
import org.esfdw.transport.ServerUnreachable;

/** es_status()'s view of the shared state: every breaker that recorded a failure, and the result cache. */
public final class OfflineStatus {
    private OfflineStatus() {
    }

    /**
     * One server: is it reachable now (one GET /, unless its breaker is open: then no), its version when
     * it is, its breaker, and the whole result cache's counts.
     */
    public static ObjectNode server(HttpTransport transport) {
        String url = transport.connection().displayUrl();
        ObjectNode status = Json.object().put("url", url);
        try {
            transport.exchange(EsRequest.get("/"));
            ServerInfo info = ServerDetector.detect(transport);
            status.put("reachable", true).put("version", info.major() + "." + info.minor())
                    .put("distribution", info.distribution().toString().toLowerCase(java.util.Locale.ROOT));
        } catch (ServerUnreachable e) {
            status.put("reachable", false).put("error", e.getMessage());
        } catch (RuntimeException e) {
            status.put("reachable", true).put("error", e.getMessage());
        }
        CircuitBreaker.State state = CircuitBreaker.state(url);
        long now = System.currentTimeMillis();
        if (state != null) {
            status.put("breaker", state.open(now) ? "open" : "half-open").put("failures", state.failures())
                    .put("since", CircuitBreaker.instant(state.sinceMillis()))
                    .put("retry_after", CircuitBreaker.instant(state.openUntilMillis()))
                    .put("last_error", state.lastError());
        } else {
            status.put("breaker", "closed").put("failures", 0);
        }
        ResultCache.Stats stats = ResultCache.stats();
        status.put("cache_entries", stats.entries()).put("cache_bytes", stats.bytes())
                .put("cache_hits", stats.hits()).put("cache_misses", stats.misses());
        return status;
    }

    public static ObjectNode json() {
        ObjectNode status = Json.object();
        long now = System.currentTimeMillis();
        ArrayNode breakers = status.putArray("breakers");
        for (CircuitBreaker.State state : CircuitBreaker.all()) {
            breakers.addObject().put("server", state.server()).put("open", state.open(now))
                    .put("failures", state.failures()).put("since", CircuitBreaker.instant(state.sinceMillis()))
                    .put("open_until", CircuitBreaker.instant(state.openUntilMillis()))
                    .put("last_error", state.lastError());
        }
        ResultCache.Stats stats = ResultCache.stats();
        status.putObject("cache").put("entries", stats.entries()).put("bytes", stats.bytes())
                .put("hits", stats.hits()).put("misses", stats.misses());
        return status;
    }
}
