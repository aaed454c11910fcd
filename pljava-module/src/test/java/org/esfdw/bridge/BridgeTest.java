package org.esfdw.bridge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.esfdw.EsFdwException;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class BridgeTest {

    private static JsonNode describe(Throwable error) {
        return Json.parse(Bridge.describeError(error));
    }

    @Test
    void aggregateRefusesAggsThatAreNotAJsonObjectBeforeAnyRequest() throws NoSuchMethodException {
        assertEquals(byte[].class, Bridge.class.getMethod("aggregate", byte[].class).getReturnType());
        String scan = "{\"connection\":{\"url\":\"http://127.0.0.1:9\"},\"index\":\"articles\",\"columns\":[],"
                + "\"aggs\":\"[\\\"terms\\\"]\"}";
        EsFdwException error = assertThrows(EsFdwException.class,
                () -> Bridge.aggregate(scan.getBytes(StandardCharsets.UTF_8)));
        assertEquals("22P02", describe(error).path("sqlstate").asText());
        assertEquals("invalid Query DSL in aggs: it is not a JSON object but an array", error.getMessage());
    }

    @Test
    void explainIsTheFirstPageRequestAndNeverShowsCredentials() {
        String scan = "{\"connection\":{\"url\":\"http://127.0.0.1:9200\",\"username\":\"bob\",\"password\":\"hunter2\"},"
                + "\"index\":\"articles\",\"fetch_size\":100,\"columns\":["
                + "{\"name\":\"title\",\"field\":\"title\",\"type\":\"text\",\"array\":false}]}";
        String explain = new String(Bridge.explain(scan.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        assertEquals("POST /articles/_search {\"size\":100,\"_source\":[\"title\"]}", explain);
        assertFalse(explain.contains("hunter2") || explain.contains("bob"));
    }

    @Test
    void describesEsFdwExceptionsAsTheyAre() {
        JsonNode json = describe(new EsFdwException("HV00R", "index \"x\" does not exist", "d", "h"));
        assertEquals("HV00R", json.path("sqlstate").asText());
        assertEquals("index \"x\" does not exist", json.path("message").asText());
        assertEquals("d", json.path("detail").asText());
        assertEquals("h", json.path("hint").asText());
        assertTrue(json.path("stack").asText().contains("BridgeTest"));
    }

    @Test
    void describesOtherThrowablesAsFdwErrorWithTheirCauses() {
        JsonNode json = describe(new IllegalStateException("outer", new IOException("inner")));
        assertEquals("HV000", json.path("sqlstate").asText());
        assertEquals("es_fdw: java.lang.IllegalStateException: outer; caused by: java.io.IOException: inner",
                json.path("message").asText());
        assertTrue(json.path("detail").isNull());
        assertTrue(json.path("hint").isNull());
        assertTrue(json.path("stack").asText().startsWith("java.lang.IllegalStateException: outer"));
    }

    @Test
    void unknownHandlesFailForBatchesButNotForEndScan() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> Bridge.nextBatch(-42));
        assertEquals("HV00B", error.sqlstate());
        assertEquals("es_fdw scan handle -42 is not open", error.getMessage());
        assertDoesNotThrow(() -> Bridge.endScan(-42));
    }

    @Test
    void versionIsTheModuleVersion() {
        assertEquals("0.1.0", new String(Bridge.version(), StandardCharsets.UTF_8));
    }

    @Test
    void interruptPollerAnswersFalseWithoutTheNativeAndCanBeReplaced() {
        assertFalse(PgInterrupts.requested());
        try {
            PgInterrupts.setPoller(() -> true);
            assertTrue(PgInterrupts.requested());
        } finally {
            PgInterrupts.setPoller(null);
        }
        assertFalse(PgInterrupts.requested());
    }
}
