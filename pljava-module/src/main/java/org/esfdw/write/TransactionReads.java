package org.esfdw.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.esfdw.json.Json;

/**
 * What a read by id sees inside a transaction with pending writes: Elasticsearch's document with the
 * transaction's own actions on it applied in order — an index or create replaces it, a delete or an
 * index truncation removes it, an update merges its partial document as Elasticsearch will (objects field
 * by field, anything else replaced). Searches other than by id do not consult it (docs: "Writes").
 */
public final class TransactionReads {
    private TransactionReads() {
    }

    /** Whether reads of this index by id must go through overlay. */
    public static boolean touches(String server, String index) {
        return PendingWrites.CURRENT.touches(server, index);
    }

    /**
     * The visible documents of ids, in their order (missing ones left out): fetchStored is asked, once, for
     * Elasticsearch's hits of the ids whose visible state depends on it, and answers {id: hit} of those found.
     */
    public static List<JsonNode> overlay(String server, String index, List<String> ids,
            Function<List<String>, Map<String, JsonNode>> fetchStored) {
        Map<String, List<WriteAction>> pending = new HashMap<>();
        List<String> needStored = new ArrayList<>();
        for (String id : ids) {
            List<WriteAction> actions = PendingWrites.CURRENT.documentsFor(server, index, id);
            pending.put(id, actions);
            if (actions.isEmpty() || actions.get(0).op() == WriteAction.Op.UPDATE) {
                needStored.add(id);
            }
        }
        Map<String, JsonNode> stored = needStored.isEmpty() ? Map.of() : fetchStored.apply(needStored);
        List<JsonNode> visible = new ArrayList<>();
        for (String id : ids) {
            JsonNode hit = apply(stored.get(id), pending.get(id), index, id);
            if (hit != null) {
                visible.add(hit);
            }
        }
        return visible;
    }

    static JsonNode apply(JsonNode storedHit, List<WriteAction> actions, String index, String id) {
        if (actions.isEmpty()) {
            return storedHit;
        }
        ObjectNode source = storedHit == null ? null : ((ObjectNode) storedHit.path("_source")).deepCopy();
        for (WriteAction action : actions) {
            switch (action.op()) {
                case TRUNCATE, DELETE -> source = null;
                case INDEX, CREATE -> source = (ObjectNode) Json.parse(action.doc());
                case UPDATE -> {
                    if (source != null) {
                        merge(source, (ObjectNode) Json.parse(action.doc()));
                    }
                }
                default -> throw new IllegalStateException(action.op().toString());
            }
        }
        if (source == null) {
            return null;
        }
        ObjectNode hit = Json.object().put("_index", index).put("_id", id).put("found", true);
        hit.set("_source", source);
        return hit;
    }

    /** Elasticsearch's partial-update merge: objects merge recursively, other values are replaced. */
    static void merge(ObjectNode target, ObjectNode patch) {
        patch.properties().forEach(entry -> {
            JsonNode existing = target.get(entry.getKey());
            if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode patchObject) {
                merge(existingObject, patchObject);
            } else {
                target.set(entry.getKey(), entry.getValue());
            }
        });
    }
}
