package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * How an answer's shard report (_shards of a search or a _count) is judged: a report of no shard at all
 * means the index expression matched no index; failed shards are an error unless the table allows partial
 * results (option allow_partial_results), since rows would silently be missing.
 */
public record ShardRules(String index, boolean allowPartial) {

    public void check(JsonNode shards, String server) {
        if (shards.path("total").isInt() && shards.path("total").asInt() == 0) {
            throw new EsFdwException(SqlState.TABLE_NOT_FOUND, "no index matches \"" + index
                    + "\" on Elasticsearch at " + server, null,
                    "Check the foreign table's index option, or create an index it matches.");
        }
        int failed = shards.path("failed").asInt(0);
        if (failed > 0 && !allowPartial) {
            JsonNode reason = shards.path("failures").path(0).path("reason");
            throw new EsFdwException(SqlState.FDW_ERROR, failed + " of " + shards.path("total").asInt()
                    + " shards failed on Elasticsearch at " + server + ", so the scan would miss rows",
                    reason.path("type").asText() + ": " + reason.path("reason").asText(),
                    "Set the option allow_partial_results to true to read what the other shards return.");
        }
    }
}
