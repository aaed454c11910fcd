package org.esfdw.paging;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One page of a search answer: the hits (one JSON tree each) and what continues the walk: the scroll id,
 * the possibly renewed point-in-time id, and the sort values of the last hit for search_after.
 */
public record SearchPage(List<JsonNode> hits, String scrollId, String pitId, JsonNode lastSortValues) {

    public SearchPage {
        hits = List.copyOf(hits);
    }
}
