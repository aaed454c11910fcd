package org.esfdw.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.json.Json;
import org.esfdw.write.EncodedActions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The write path on every real server of esfdw.it.urls, through the bridge as C drives it: a transaction's
 * actions sent at PRE_COMMIT as _bulk requests (two at once past 2,000 actions) whose answers are filtered
 * to errors, status and error, and table sync's externally versioned deliveries. The pg_regress suites
 * cover the SQL surface against one version; this covers what differs between versions.
 */
class WriteIT {
    private static final String MAPPING = "{\"n\":{\"type\":\"long\"},\"t\":{\"type\":\"keyword\"}}";

    @AfterEach
    void endTransaction() {
        Bridge.transactionEvent(1, 0);
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aTransactionsActionsAllReachTheServerInOrder(String url) {
        try (TestIndex index = TestIndex.create(url, MAPPING, List.of())) {
            long writer = Bridge.openWriter(description(url, index.name));
            List<Action> actions = new ArrayList<>();
            for (int i = 1; i <= 2500; i++) {
                actions.add(new Action('i', Integer.toString(i), "{\"n\":" + i + ",\"t\":\"v1\"}"));
            }
            actions.add(new Action('u', "1", "{\"t\":\"v2\"}"));
            actions.add(new Action('d', "2", null));
            actions.add(new Action('d', "never-written", null));    // a delete of a missing document is no failure
            Bridge.write(writer, batch(actions), false);
            Bridge.transactionEvent(0, 0);
            Bridge.endWriter(writer);

            TestIndex.call(url, "POST", "/" + index.name + "/_refresh", null, null);
            assertEquals(2499, TestIndex.call(url, "GET", "/" + index.name + "/_count", null, null).path("count").asLong());
            JsonNode one = TestIndex.call(url, "GET", "/" + index.name + "/_doc/1", null, null);
            assertEquals("v2", one.path("_source").path("t").asText(), "the update merged into document 1");
            assertEquals(1, one.path("_source").path("n").asLong());
            assertFalse(TestIndex.call(url, "GET", "/" + index.name + "/_doc/2", null, null).path("found").asBoolean(true));
            assertEquals(2500, TestIndex.call(url, "GET", "/" + index.name + "/_doc/2500", null, null)
                    .path("_source").path("n").asLong());
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aRefusedDocumentIsNamedWithTheServersReason(String url) {
        try (TestIndex index = TestIndex.create(url, MAPPING, List.of())) {
            long writer = Bridge.openWriter(description(url, index.name));
            Bridge.write(writer, batch(List.of(new Action('i', "fine", "{\"n\":1}"),
                    new Action('i', "bad", "{\"n\":\"not a number\"}"))), false);
            EsFdwException e = assertThrows(EsFdwException.class, () -> Bridge.transactionEvent(0, 0));
            assertTrue(e.getMessage().startsWith("Elasticsearch at " + url + " refused document \"bad\" of index \""
                    + index.name + "\": "), e.getMessage());
            assertTrue(e.getMessage().matches("(?s).*(mapper_parsing_exception|document_parsing_exception).*"),
                    e.getMessage());
            assertEquals("1 of 2 actions of a _bulk request failed; 1 others were applied and stay applied.", e.detail());
            assertEquals("22000", e.sqlstate());
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void versionedDeliveriesKeepTheNewestVersionAndReportOnlyWhatIsNotDone(String url) {
        try (TestIndex index = TestIndex.create(url, MAPPING, List.of())) {
            long writer = Bridge.openWriter(description(url, index.name));
            assertEquals("[]", deliver(writer, List.of(new Action('e', "a", "{\"n\":5}", 5),
                    new Action('r', "gone", null, 5))));
            // a replay of an older version is done (the server holds a newer one)
            assertEquals("[]", deliver(writer, List.of(new Action('e', "a", "{\"n\":3}", 3))));
            // a bad document is dead, the others of its request done. (Not in the replay's request: a fresh
            // Elasticsearch 9.5.0 deadlocks two write threads that make its first version conflict and its
            // first document parsing exception at once, initializing ElasticsearchException's classes.)
            JsonNode notDone = Json.parse(deliver(writer, List.of(new Action('e', "c", "{\"n\":1}", 6),
                    new Action('e', "b", "{\"n\":\"x\"}", 6))).getBytes(StandardCharsets.UTF_8));
            assertEquals(1, notDone.size(), notDone.toString());
            assertEquals(1, notDone.path(0).path("i").asInt());
            assertEquals("dead", notDone.path(0).path("outcome").asText());
            assertEquals(400, notDone.path(0).path("status").asInt());
            Bridge.endWriter(writer);
            JsonNode a = TestIndex.call(url, "GET", "/" + index.name + "/_doc/a", null, null);
            assertEquals(5, a.path("_source").path("n").asLong());
            assertEquals(5, a.path("_version").asLong());
        }
    }

    private static String deliver(long writer, List<Action> actions) {
        return new String(Bridge.deliver(writer, batch(actions)), StandardCharsets.UTF_8);
    }

    private static byte[] description(String url, String index) {
        return ("{\"connection\":{\"url\":\"" + url + "\"},\"index\":\"" + index + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** One action of a batch: op, id, document (null: none) and external version (-1: none). */
    private record Action(char op, String id, String doc, long version) {
        Action(char op, String id, String doc) {
            this(op, id, doc, -1);
        }
    }

    /** The actions as C encodes them: nest 1, no routing. */
    private static byte[] batch(List<Action> actions) {
        EncodedActions encoded = new EncodedActions();
        for (Action action : actions) {
            encoded.add(action.op(), 1, action.id(), null, action.doc(), action.version(), -1);
        }
        return encoded.bytes();
    }
}
