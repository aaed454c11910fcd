package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * What a scan does when its server is unreachable (offline_mode), and whether its results are kept for
 * that (the table option cache): the "offline" object of a scan description (docs/boundary.md, "Offline").
 *
 * @param mode     ERROR (the default), EMPTY (no rows and a WARNING) or CACHE (the last good result)
 * @param cache    write this scan's whole result to the result cache
 * @param ttlMs    a cached result older than this is not used
 * @param maxRows  most rows of a result worth caching
 * @param maxBytes most bytes the whole cache holds (least recently used entries go first)
 */
public record OfflineSettings(Mode mode, boolean cache, long ttlMs, long maxRows, long maxBytes) {
    public static final OfflineSettings DEFAULTS = new OfflineSettings(Mode.ERROR, false, 86_400_000L, 10_000,
            64L << 20);

    public enum Mode { ERROR, EMPTY, CACHE }

    /** Whether the scan needs its cache key: it may write or read the cache. */
    public boolean usesCache() {
        return cache || mode == Mode.CACHE;
    }

    static OfflineSettings parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return DEFAULTS;
        }
        Mode mode;
        try {
            mode = Mode.valueOf(node.path("mode").asText("error").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new EsFdwException(SqlState.FDW_ERROR, "invalid offline mode \"" + node.path("mode").asText() + "\"",
                    null, null);
        }
        return new OfflineSettings(mode, node.path("cache").asBoolean(false),
                node.path("ttl_ms").asLong(DEFAULTS.ttlMs()), node.path("max_rows").asLong(DEFAULTS.maxRows()),
                node.path("max_bytes").asLong(DEFAULTS.maxBytes()));
    }
}
