package org.esfdw.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.config.WriteDescription;
import org.esfdw.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The write path's pure parts: C's action encoding, _bulk bodies and answers, savepoints, reads of pending writes. */
class WriteUnitsTest {
    private static final String SERVER = "http://127.0.0.1:9";

    private static WriteDescription target(String extra) {
        return WriteDescription.parse(("{\"connection\":{\"url\":\"" + SERVER + "\"},\"index\":\"articles\"" + extra + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static WriteAction action(WriteAction.Op op, String id, String doc, int nest) {
        return new WriteAction(op, target(""), id, null, doc == null ? null : doc.getBytes(StandardCharsets.UTF_8), nest);
    }

    @AfterEach
    void forgetPendingWrites() {
        PendingWrites.CURRENT.discard();
    }

    /** What C sends: count, then op, nest, id, routing, document, if_seq_no, if_primary_term. */
    private static byte[] encoded(Object... fields) {
        EncodedActions actions = new EncodedActions();
        for (int i = 1; i < fields.length; i += 7) {
            actions.add((Character) fields[i], (Integer) fields[i + 1], (String) fields[i + 2], (String) fields[i + 3],
                    (String) fields[i + 4], (Long) fields[i + 5], (Long) fields[i + 6]);
        }
        return actions.bytes((Integer) fields[0]);
    }

    @Test
    void actionsFromCKeepTheirDocumentBytesAndFallBackToTheTablesRouting() {
        List<WriteAction> actions = ActionDecoder.decode(encoded(2, 'i', 1, "7", null, "{\"n\":1.50}", -1L, -1L,
                'd', 2, "8", "r9", null, 12L, 1L), target(",\"routing\":\"fixed\""));
        assertEquals(WriteAction.Op.INDEX, actions.get(0).op());
        assertEquals("{\"n\":1.50}", new String(actions.get(0).doc(), StandardCharsets.UTF_8));
        assertEquals("fixed", actions.get(0).routing());
        assertEquals("r9", actions.get(1).routing());
        assertEquals(2, actions.get(1).nest());
        assertFalse(actions.get(0).conditional());
        assertEquals(12L, actions.get(1).ifSeqNo());
        assertThrows(EsFdwException.class, () -> ActionDecoder.decode(encoded(2, 'i', 1, "7", null, "{}", -1L, -1L),
                target("")));
        assertThrows(EsFdwException.class, () -> ActionDecoder.decode(encoded(1, 'x', 1, "7", null, "{}", -1L, -1L),
                target("")));
    }

    @Test
    void bulkBodiesCarryTheDocumentsAsGivenAndTheStrongestRefresh() {
        WriteDescription waiting = target(",\"refresh\":\"wait_for\",\"pipeline\":\"p\"");
        List<WriteAction> actions = List.of(
                new WriteAction(WriteAction.Op.CREATE, waiting, "1", "r", "{\"n\":12345678901234567890.5}".getBytes(StandardCharsets.UTF_8), 1),
                action(WriteAction.Op.UPDATE, "2", "{\"t\":\"x\"}", 1),
                action(WriteAction.Op.DELETE, "3", null, 1));
        var request = BulkBody.request(actions);
        assertEquals("POST /_bulk?filter_path=errors,items.*.status,items.*.error&refresh=wait_for", request.line());
        assertEquals("{\"create\":{\"_index\":\"articles\",\"_id\":\"1\",\"routing\":\"r\",\"pipeline\":\"p\"}}\n"
                + "{\"n\":12345678901234567890.5}\n"
                + "{\"update\":{\"_index\":\"articles\",\"_id\":\"2\"}}\n{\"doc\":{\"t\":\"x\"}}\n"
                + "{\"delete\":{\"_index\":\"articles\",\"_id\":\"3\"}}\n", new String(request.ndjson(), StandardCharsets.UTF_8));
    }

    @Test
    void bulkAnswersNameTheFailedDocumentAndOnlyAFullQueueIsRetried() {
        // answers as BulkBody.ANSWER_FILTER has Elasticsearch write them: errors, then each item's status and error
        List<WriteAction> two = List.of(action(WriteAction.Op.DELETE, "1", null, 1), action(WriteAction.Op.INDEX, "2", "{}", 1));
        BulkResult ok = BulkResult.parse(("{\"errors\":true,\"items\":[{\"delete\":{\"status\":404}},"
                + "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}}]}").getBytes(), two);
        assertFalse(ok.failed());
        assertEquals(List.of(1), ok.retryable);
        BulkResult missingIndex = BulkResult.parse(("{\"errors\":true,\"items\":[{\"delete\":{\"status\":404,"
                + "\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [articles]\"}}},"
                + "{\"index\":{\"status\":201}}]}").getBytes(), two);
        assertTrue(missingIndex.failed());
        assertTrue(missingIndex.error(SERVER, 1).getMessage().startsWith("Elasticsearch at " + SERVER
                + " refused document \"1\" of index \"articles\": index_not_found_exception: no such index"));
        BulkResult bad = BulkResult.parse(("{\"errors\":true,\"items\":[{\"index\":{\"status\":201}},"
                + "{\"index\":{\"status\":429,\"error\":{\"type\":\"cluster_block_exception\","
                + "\"reason\":\"index [articles] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block]\"}}}]}").getBytes(),
                List.of(action(WriteAction.Op.INDEX, "1", "{}", 1), action(WriteAction.Op.INDEX, "2", "{}", 1)));
        assertTrue(bad.failed());
        EsFdwException e = bad.error(SERVER, 1);
        assertTrue(e.getMessage().startsWith("Elasticsearch at " + SERVER + " refused document \"2\" of index \"articles\": cluster_block_exception"));
        assertEquals("1 of 2 actions of a _bulk request failed; 1 others were applied and stay applied.", e.detail());
        assertTrue(e.hint().contains("read_only_allow_delete"));
    }

    @Test
    void aRolledBackSavepointDropsItsActionsAndAReleasedOneHandsThemToItsParent() {
        PendingWrites pending = PendingWrites.CURRENT;
        pending.add(List.of(action(WriteAction.Op.INDEX, "a", "{}", 1)));
        pending.add(List.of(action(WriteAction.Op.INDEX, "b", "{}", 2)));
        pending.add(List.of(action(WriteAction.Op.INDEX, "c", "{}", 3)));
        pending.commitSubtransaction(3);    // c now belongs to level 2
        pending.abortSubtransaction(2);     // b and c go
        pending.add(List.of(action(WriteAction.Op.INDEX, "d", "{}", 2)));
        pending.commitSubtransaction(2);
        List<String> ids = new ArrayList<>();
        for (String id : List.of("a", "b", "c", "d")) {
            if (!pending.documentsFor(SERVER, "articles", id).isEmpty()) {
                ids.add(id);
            }
        }
        assertEquals(List.of("a", "d"), ids);
        assertTrue(pending.touches(SERVER, "articles"));
        assertFalse(pending.touches(SERVER, "other"));
        pending.abortSubtransaction(1);
        assertTrue(pending.isEmpty());
    }

    @Test
    void readsByIdSeeThePendingWritesAppliedInOrder() {
        PendingWrites.CURRENT.add(List.of(
                action(WriteAction.Op.UPDATE, "1", "{\"author\":{\"name\":\"b\"},\"tags\":[\"x\"]}", 1),
                action(WriteAction.Op.INDEX, "2", "{\"n\":2}", 1),
                action(WriteAction.Op.DELETE, "3", null, 1),
                action(WriteAction.Op.INDEX, "4", "{\"n\":4}", 1),
                action(WriteAction.Op.DELETE, "4", null, 1)));
        List<List<String>> asked = new ArrayList<>();
        List<com.fasterxml.jackson.databind.JsonNode> hits = TransactionReads.overlay(SERVER, "articles",
                List.of("1", "2", "3", "4", "5"), ids -> {
                    asked.add(ids);
                    return Map.of("1", Json.parse("{\"_id\":\"1\",\"_source\":{\"author\":{\"name\":\"a\",\"age\":3},\"tags\":[\"y\",\"z\"]}}".getBytes()),
                            "5", Json.parse("{\"_id\":\"5\",\"_source\":{\"n\":5}}".getBytes()));
                });
        assertEquals(List.of(List.of("1", "5")), asked);
        assertEquals(3, hits.size());
        assertEquals("{\"author\":{\"name\":\"b\",\"age\":3},\"tags\":[\"x\"]}", Json.text(hits.get(0).path("_source")));
        assertEquals("{\"n\":2}", Json.text(hits.get(1).path("_source")));
        assertEquals("{\"n\":5}", Json.text(hits.get(2).path("_source")));
    }

    @Test
    void changesOfOneDocumentInOneSavepointBecomeOneActionUnderTheFirstVersionCondition() {
        WriteDescription table = target("");
        PendingWrites.CURRENT.add(List.of(
                new WriteAction(WriteAction.Op.UPDATE, table, "1", null, "{\"a\":{\"b\":1}}".getBytes(), 1, 7, 1),
                new WriteAction(WriteAction.Op.UPDATE, table, "1", null, "{\"a\":{\"c\":2.50}}".getBytes(), 1, 7, 1),
                action(WriteAction.Op.INDEX, "2", "{\"n\":1}", 1),
                action(WriteAction.Op.DELETE, "2", null, 1)));
        List<WriteAction> one = PendingWrites.CURRENT.documentsFor(SERVER, "articles", "1");
        assertEquals(1, one.size());
        assertEquals("{\"a\":{\"b\":1,\"c\":2.50}}", new String(one.get(0).doc(), StandardCharsets.UTF_8));
        assertEquals(7, one.get(0).ifSeqNo());
        assertEquals(WriteAction.Op.DELETE, PendingWrites.CURRENT.documentsFor(SERVER, "articles", "2").get(0).op());
        // across a savepoint the second stays separate (a rollback to it must undo only the second), unconditional
        PendingWrites.CURRENT.add(List.of(
                new WriteAction(WriteAction.Op.UPDATE, table, "1", null, "{\"d\":3}".getBytes(), 2, 7, 1)));
        List<WriteAction> two = PendingWrites.CURRENT.documentsFor(SERVER, "articles", "1");
        assertEquals(2, two.size());
        assertFalse(two.get(1).conditional());
        PendingWrites.CURRENT.abortSubtransaction(2);
        assertEquals(1, PendingWrites.CURRENT.documentsFor(SERVER, "articles", "1").size());
    }

    @Test
    void aTruncationHidesEveryEarlierDocumentOfItsIndex() {
        PendingWrites.CURRENT.add(List.of(action(WriteAction.Op.INDEX, "1", "{}", 1),
                new WriteAction(WriteAction.Op.TRUNCATE, target(""), null, null, null, 1)));
        assertNull(TransactionReads.apply(Json.parse("{\"_source\":{}}".getBytes()),
                PendingWrites.CURRENT.documentsFor(SERVER, "articles", "1"), "articles", "1"));
    }

    @Test
    void aTransactionHoldsAtMostItsMemoryCap() {
        byte[] big = new byte[(int) (PendingWrites.MAX_BYTES / 2)];
        PendingWrites.CURRENT.add(List.of(new WriteAction(WriteAction.Op.INDEX, target(""), "1", null, big, 1)));
        EsFdwException e = assertThrows(EsFdwException.class, () -> PendingWrites.CURRENT.add(
                List.of(new WriteAction(WriteAction.Op.INDEX, target(""), "2", null, big, 1))));
        assertTrue(e.getMessage().contains("exceed 64 MB"));
    }
}
