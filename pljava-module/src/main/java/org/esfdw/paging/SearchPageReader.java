package org.esfdw.paging;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.json.Json;

/**
 * Stream-parses a search answer: only each hit becomes a tree, the rest is skipped token by token. A
 * page with failed shards is refused rather than silently missing rows, unless the table allows partial
 * results; an answer from no shard at all means a pattern matched no index.
 */
public final class SearchPageReader {
    private final String server;
    private final ShardRules rules;
    private final List<JsonNode> hits = new ArrayList<>();
    private String scrollId;
    private String pitId;
    private SearchPage.TotalHits total;

    private SearchPageReader(String server, ShardRules rules) {
        this.server = server;
        this.rules = rules;
    }

    public static SearchPage read(byte[] body, String server, ShardRules rules) {
        SearchPageReader reader = new SearchPageReader(server, rules);
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            reader.readTopLevel(parser);
        } catch (IOException e) {
            throw new EsFdwException(SqlState.FDW_ERROR, "could not read a search answer from Elasticsearch at "
                    + server, e.getMessage(), null, e);
        }
        return reader.page();
    }

    private void readTopLevel(JsonParser parser) throws IOException {
        expect(parser.nextToken(), JsonToken.START_OBJECT, parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "_scroll_id" -> scrollId = parser.getValueAsString();
                case "pit_id" -> pitId = parser.getValueAsString();
                case "_shards" -> rules.check(parser.readValueAsTree(), server);
                case "hits" -> readHitsObject(parser);
                default -> parser.skipChildren();
            }
        }
    }

    private void readHitsObject(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_OBJECT, parser);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("hits")) {
                readHitArray(parser);
            } else if (field.equals("total")) {
                total = totalHits(parser.readValueAsTree());
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readHitArray(JsonParser parser) throws IOException {
        expect(parser.currentToken(), JsonToken.START_ARRAY, parser);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            hits.add(parser.readValueAsTree());
        }
    }

    /** {"value":n,"relation":"eq"|"gte"}, or a bare number (rest_total_hits_as_int), which is exact. */
    private static SearchPage.TotalHits totalHits(JsonNode total) {
        if (total.isNumber()) {
            return new SearchPage.TotalHits(total.asLong(), true);
        }
        return total.path("value").isNumber()
                ? new SearchPage.TotalHits(total.path("value").asLong(), "eq".equals(total.path("relation").asText()))
                : null;
    }

    private SearchPage page() {
        JsonNode lastSort = hits.isEmpty() ? null : hits.get(hits.size() - 1).get("sort");
        return new SearchPage(hits, scrollId, pitId, lastSort, total);
    }

    private static void expect(JsonToken actual, JsonToken expected, JsonParser parser) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual + " at "
                    + parser.currentLocation().offsetDescription());
        }
    }
}
