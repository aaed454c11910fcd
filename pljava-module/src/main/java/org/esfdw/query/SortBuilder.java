package org.esfdw.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.esfdw.json.Json;

/**
 * ORDER BY keys as Elasticsearch sort entries, {"f":{"order":"asc|desc","missing":"_first|_last"}}, or
 * {"_score":{"order":…}} for relevance. The pager appends its own tiebreak after them.
 */
public final class SortBuilder {
    private SortBuilder() {
    }

    public static ArrayNode sort(List<SortKey> keys) {
        ArrayNode sort = Json.MAPPER.createArrayNode();
        for (SortKey key : keys) {
            ObjectNode spec = sort.addObject().putObject(key.field()).put("order", key.descending() ? "desc" : "asc");
            if (!key.field().equals(SortKey.SCORE)) {
                spec.put("missing", key.nullsFirst() ? "_first" : "_last");
            }
        }
        return sort;
    }
}
