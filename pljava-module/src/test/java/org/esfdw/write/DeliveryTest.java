package org.esfdw.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.esfdw.config.WriteDescription;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

/** Table sync's pure parts: versioned actions from C, their _bulk lines, and what each answer item means. */
class DeliveryTest {
    private static final WriteDescription TARGET = WriteDescription.parse(
            "{\"connection\":{\"url\":\"http://127.0.0.1:9\"},\"index\":\"articles\",\"pipeline\":\"p\"}"
                    .getBytes(StandardCharsets.UTF_8));

    @Test
    void versionedActionsBecomeExternalVersionsOnTheirBulkLines() {
        // as es_append_sync_action encodes them: nest 0, no routing, the version, -1
        byte[] batch = new EncodedActions()
                .add('e', 0, "1|a\\|b", null, "{\"title\":\"x\",\"n\":12345678901234567890.5}", 42, -1)
                .add('r', 0, "7", null, null, 42, -1).bytes();
        List<WriteAction> actions = ActionDecoder.decode(batch, TARGET);
        assertEquals(42, actions.get(0).version());
        assertEquals(-1, actions.get(0).ifSeqNo());
        assertEquals(WriteAction.Op.DELETE, actions.get(1).op());
        String body = new String(BulkBody.request(actions).ndjson(), StandardCharsets.UTF_8);
        assertEquals("{\"index\":{\"_index\":\"articles\",\"_id\":\"1|a\\\\|b\",\"version\":42,"
                + "\"version_type\":\"external\",\"pipeline\":\"p\"}}\n"
                + "{\"title\":\"x\",\"n\":12345678901234567890.5}\n"
                + "{\"delete\":{\"_index\":\"articles\",\"_id\":\"7\",\"version\":42,\"version_type\":\"external\"}}\n",
                body);
    }

    private static Delivery.Outcome outcome(String item) {
        JsonNode node = Json.parse(item.getBytes(StandardCharsets.UTF_8));
        return Delivery.classify(node);
    }

    @Test
    void eachAnswerItemIsDoneRetriedOrDead() {
        assertEquals(Delivery.Outcome.DONE, outcome("{\"status\":201}"));
        // a replay: Elasticsearch already holds this version or a newer one
        assertEquals(Delivery.Outcome.DONE, outcome("{\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\"}}"));
        assertEquals(Delivery.Outcome.DONE, outcome("{\"status\":404}"));
        assertEquals(Delivery.Outcome.RETRY, outcome("{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\"}}"));
        assertEquals(Delivery.Outcome.RETRY, outcome("{\"status\":429,\"error\":{\"type\":\"cluster_block_exception\"}}"));
        assertEquals(Delivery.Outcome.RETRY, outcome("{\"status\":503,\"error\":{\"type\":\"unavailable_shards_exception\"}}"));
        assertEquals(Delivery.Outcome.RETRY, outcome("{\"status\":404,\"error\":{\"type\":\"index_not_found_exception\"}}"));
        assertEquals(Delivery.Outcome.RETRY, outcome("{\"status\":400,\"error\":{\"type\":\"illegal_argument_exception\","
                + "\"reason\":\"pipeline with id [p] does not exist\"}}"));
        assertEquals(Delivery.Outcome.DEAD, outcome("{\"status\":400,\"error\":{\"type\":\"document_parsing_exception\"}}"));
        assertEquals(Delivery.Outcome.DEAD, outcome("{\"status\":400,\"error\":{\"type\":\"illegal_argument_exception\"}}"));
    }
}
