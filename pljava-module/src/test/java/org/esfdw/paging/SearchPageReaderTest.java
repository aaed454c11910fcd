package org.esfdw.paging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.esfdw.EsFdwException;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class SearchPageReaderTest {
    private static final String SERVER = "http://127.0.0.1:9200";

    private static SearchPage read(String json) {
        return SearchPageReader.read(json.getBytes(StandardCharsets.UTF_8), SERVER, new ShardRules("docs", false));
    }

    @Test
    void acceptsFailedShardsWhenPartialResultsAreAllowed() {
        byte[] json = """
                {"_shards":{"total":2,"successful":1,"failed":1,
                            "failures":[{"reason":{"type":"illegal_argument_exception","reason":"boom"}}]},
                 "hits":{"hits":[{"_id":"a","_source":{}}]}}""".getBytes(StandardCharsets.UTF_8);
        EsFdwException refused = assertThrows(EsFdwException.class,
                () -> SearchPageReader.read(json, SERVER, new ShardRules("docs", false)));
        assertEquals("illegal_argument_exception: boom", refused.detail());
        assertEquals("Set the option allow_partial_results to true to read what the other shards return.",
                refused.hint());
        assertEquals(1, SearchPageReader.read(json, SERVER, new ShardRules("docs", true)).hits().size());
    }

    @Test
    void anAnswerFromNoShardMeansThePatternMatchedNoIndex() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> read("""
                {"_shards":{"total":0,"successful":0,"skipped":0,"failed":0},"hits":{"hits":[]}}"""));
        assertEquals("HV00R", error.sqlstate());
        assertEquals("no index matches \"docs\" on Elasticsearch at http://127.0.0.1:9200", error.getMessage());
    }

    @Test
    void readsHitsIdsAndLastSortValues() {
        SearchPage page = read("""
                {"pit_id":"P2","took":3,"timed_out":false,"_shards":{"total":1,"successful":1,"failed":0},
                 "hits":{"total":{"value":2,"relation":"eq"},"max_score":null,
                         "hits":[{"_id":"a","_source":{"n":0.10000000000000000001}},
                                 {"_id":"b","_source":{"t":"🎉"},"sort":[5,"x"]}]}}""");
        assertEquals(2, page.hits().size());
        assertEquals("0.10000000000000000001", page.hits().get(0).path("_source").path("n").decimalValue().toString());
        assertEquals("🎉", page.hits().get(1).path("_source").path("t").textValue());
        assertEquals("[5,\"x\"]", Json.text(page.lastSortValues()));
        assertEquals("P2", page.pitId());
        assertNull(page.scrollId());
    }

    @Test
    void readsScrollIdAndEmptyPage() {
        SearchPage page = read("{\"_scroll_id\":\"S9\",\"hits\":{\"hits\":[]}}");
        assertEquals("S9", page.scrollId());
        assertEquals(0, page.hits().size());
        assertNull(page.lastSortValues());
    }

    @Test
    void refusesPagesWithFailedShards() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> read("""
                {"_shards":{"total":3,"successful":2,"failed":1,
                  "failures":[{"shard":1,"reason":{"type":"query_shard_exception","reason":"boom"}}]},
                 "hits":{"hits":[]}}"""));
        assertEquals("1 of 3 shards failed on Elasticsearch at " + SERVER + ", so the scan would miss rows",
                error.getMessage());
        assertEquals("query_shard_exception: boom", error.detail());
    }

    @Test
    void refusesWhatIsNotASearchAnswer() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> read("[1,2]"));
        assertEquals("could not read a search answer from Elasticsearch at " + SERVER, error.getMessage());
    }

    @Test
    void readsTheTotalAndWhetherThePageHoldsEveryMatch() {
        SearchPage every = read("{\"hits\":{\"total\":{\"value\":1,\"relation\":\"eq\"},\"hits\":[{\"_id\":\"a\"}]}}");
        assertEquals(new SearchPage.TotalHits(1, true), every.total());
        assertEquals(true, every.holdsEveryMatch());
        SearchPage more = read("{\"hits\":{\"total\":{\"value\":2,\"relation\":\"eq\"},\"hits\":[{\"_id\":\"a\"}]}}");
        assertEquals(false, more.holdsEveryMatch());
        SearchPage lowerBound = read("{\"hits\":{\"total\":{\"value\":1,\"relation\":\"gte\"},\"hits\":[{\"_id\":\"a\"}]}}");
        assertEquals(false, lowerBound.holdsEveryMatch());
        assertEquals(true, read("{\"hits\":{\"total\":1,\"hits\":[{\"_id\":\"a\"}]}}").holdsEveryMatch());
        SearchPage untracked = read("{\"hits\":{\"hits\":[{\"_id\":\"a\"}]}}");
        assertNull(untracked.total());
        assertEquals(false, untracked.holdsEveryMatch());
    }
}
