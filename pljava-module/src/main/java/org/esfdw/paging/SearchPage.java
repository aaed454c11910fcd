package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of a search answer: the hits (one JSON tree each), what continues the walk (the scroll id,
 * the possibly renewed point-in-time id, the sort values of the last hit for search_after) and the total
 * number of matches when the server counted it (hits.total; null when not tracked).
 */
public record SearchPage(List<JsonNode> hits, String scrollId, String pitId, JsonNode lastSortValues,
                         TotalHits total) {

    /** hits.total: the count, and whether it is exact ("eq") or a lower bound ("gte"). */
    public record TotalHits(long value, boolean exact) {
    }

    public SearchPage {
        hits = List.copyOf(hits);
    }

    /** True when the page holds every document that matches: the exact total equals its hit count. */
    public boolean holdsEveryMatch() {
        return total != null && total.exact() && total.value() == hits.size();
    }
}
