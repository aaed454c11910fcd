package org.esfdw.mapping;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.esfdw.cache.TimedCache;
import org.esfdw.config.ScanDescriptionParser.Target;
import org.esfdw.json.Json;
import org.esfdw.transport.EsRequest;
import org.esfdw.transport.EsResponse;
import org.esfdw.transport.HttpTransport;
import org.esfdw.transport.IndexPath;
import org.esfdw.transport.ServerUnreachable;
import org.esfdw.offline.StoredMappings;

/**
 * The flat field types of an index, pattern or alias (MappingFlattener) from GET /<index>/_mapping,
 * cached per server URL and index for 60 s. A missing index gives {} and is not cached, so an index
 * created a moment later is seen at once.
 */
public final class FieldTypes {
    static final Duration TTL = Duration.ofSeconds(60);
    private static final TimedCache<String, ObjectNode> CACHE = new TimedCache<>(TTL);

    private FieldTypes() {
    }

    public static ObjectNode of(Target target) {
        HttpTransport transport = new HttpTransport(target.connection());
        String key = target.connection().displayUrl() + "\n" + target.index();
        return CACHE.get(key, unused -> askOrRemember(transport, key, target.index()), types -> !types.isEmpty())
                .deepCopy();
    }

    /**
     * Asks the server, and keeps the answer on disk (StoredMappings) for when it is unreachable: planning
     * then still knows keyword from text and pushes down the same request, whose cached result an offline
     * query looks for.
     */
    private static ObjectNode askOrRemember(HttpTransport transport, String key, String index) {
        try {
            ObjectNode types = ask(transport, index);
            StoredMappings.store(key, types);
            return types;
        } catch (ServerUnreachable e) {
            ObjectNode stored = StoredMappings.load(key);
            if (stored == null) {
                throw e;
            }
            return stored;
        }
    }

    private static ObjectNode ask(HttpTransport transport, String index) {
        EsRequest request = EsRequest.get(IndexPath.of(index) + "/_mapping");
        EsResponse response = transport.sendAllowing(request, 404);
        if (response.status() == 404) {
            return Json.object();
        }
        return MappingFlattener.flatten(Json.parse(response.body()));
    }

    /** Forgets every cached mapping (tests). */
    static void clearCache() {
        CACHE.clear();
    }
}
