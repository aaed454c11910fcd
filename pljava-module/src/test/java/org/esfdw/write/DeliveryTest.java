package org.esfdw.write;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
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

    /** One action as es_append_sync_action encodes it: op, nest 0, id, no routing, document, version, -1. */
    private static void action(ByteArrayOutputStream out, char op, String id, String doc, long version) {
        out.write(op);
        out.writeBytes(ByteBuffer.allocate(4).putInt(0).array());
        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(idBytes.length).array());
        out.writeBytes(idBytes);
        out.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
        byte[] docBytes = doc == null ? null : doc.getBytes(StandardCharsets.UTF_8);
        out.writeBytes(ByteBuffer.allocate(4).putInt(docBytes == null ? -1 : docBytes.length).array());
        if (docBytes != null) {
            out.writeBytes(docBytes);
        }
        out.writeBytes(ByteBuffer.allocate(16).putLong(version).putLong(-1).array());
    }

    @Test
    void versionedActionsBecomeExternalVersionsOnTheirBulkLines() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(4).putInt(2).array());
        action(out, 'e', "1|a\\|b", "{\"title\":\"x\",\"n\":12345678901234567890.5}", 42);
        action(out, 'r', "7", null, 42);
        List<WriteAction> actions = ActionDecoder.decode(out.toByteArray(), TARGET);
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
