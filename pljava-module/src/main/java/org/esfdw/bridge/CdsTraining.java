package org.esfdw.bridge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Run once by `make install` (never in a backend) with -XX:ArchiveClassesAtExit: drives the entry points
 * the backend uses on a first query (description parsing, request building, HTTP, JSON, every type
 * converter, row encoding, error description) and on a first write (a transaction's actions sent with
 * _bulk at COMMIT, table sync's versioned deliveries) against a throw-away local HTTP server that answers
 * like Elasticsearch, so the classes they load go into a class-data-sharing archive that shortens a
 * backend's first query and first write. The answers are canned: this is warm-up, not a test.
 */
public final class CdsTraining {
    private static final String HIT = "{\"_index\":\"train\",\"_id\":\"%d\",\"_score\":1.0,\"_source\":"
            + "{\"t\":\"text %d ✓\",\"i\":%d,\"f\":1.5,\"n\":12.25,\"b\":true,\"d\":\"2024-02-29\","
            + "\"ts\":\"2024-02-29T23:59:58.123Z\",\"e\":1709251200000,\"u\":\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\","
            + "\"x\":\"aGVsbG8=\",\"j\":{\"k\":[1,\"two\"]},\"a\":[\"r\",\"g\"],\"ip\":\"10.0.0.1\",\"tm\":\"12:34:56\"}}";

    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", CdsTraining::answer);
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort();
            for (int round = 0; round < 20; round++) {
                scan(url);
                write(url);
            }
            Bridge.describeError(new IllegalStateException("training"));
        } finally {
            server.stop(0);
        }
    }

    private static void scan(String url) {
        byte[] description = description(url).getBytes(StandardCharsets.UTF_8);
        Bridge.explain(description);
        Bridge.fieldTypes(description);
        long handle = Bridge.openScan(description);
        try {
            byte[] batch;
            do {
                batch = Bridge.nextBatch(handle);
            } while (batch.length > Integer.BYTES);
        } finally {
            Bridge.endScan(handle);
        }
    }

    /** A transaction's index, update and delete sent at PRE_COMMIT, then a versioned delivery. */
    private static void write(String url) {
        byte[] description = ("{\"connection\":{\"url\":\"" + url + "\",\"timeout_ms\":10000},\"index\":\"train\"}")
                .getBytes(StandardCharsets.UTF_8);
        long handle = Bridge.openWriter(description);
        try {
            Bridge.write(handle, actions('i', 'u', 'd'), false);
            Bridge.transactionEvent(0, 0);
            Bridge.deliver(handle, actions('e', 'r'));
        } finally {
            Bridge.transactionEvent(1, 0);
            Bridge.endWriter(handle);
        }
    }

    /** Actions as C encodes them (ActionDecoder): one per op, ids 1, 2, …, nest 1. */
    private static byte[] actions(char... ops) {
        ByteBuffer out = ByteBuffer.allocate(4 + ops.length * 128);
        out.putInt(ops.length);
        for (int i = 0; i < ops.length; i++) {
            byte[] id = Integer.toString(i + 1).getBytes(StandardCharsets.UTF_8);
            byte[] doc = ("{\"t\":\"text " + i + "\",\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            boolean delete = ops[i] == 'd' || ops[i] == 'r';
            out.put((byte) ops[i]).putInt(1).putInt(id.length).put(id).putInt(-1);
            if (delete) {
                out.putInt(-1);
            } else {
                out.putInt(doc.length).put(doc);
            }
            out.putLong(ops[i] == 'e' || ops[i] == 'r' ? 7 : -1).putLong(-1);
        }
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static String description(String url) {
        String[][] columns = {{"id", "_id", "text"}, {"t", "t", "text"}, {"i", "i", "int8"}, {"f", "f", "float8"},
            {"n", "n", "numeric"}, {"b", "b", "bool"}, {"d", "d", "date"}, {"ts", "ts", "timestamptz"},
            {"e", "e", "timestamp"}, {"u", "u", "uuid"}, {"x", "x", "bytea"}, {"j", "j", "jsonb"},
            {"ip", "ip", "inet"}, {"tm", "tm", "time"}, {"s", "_score", "float4"}};
        StringBuilder json = new StringBuilder("{\"connection\":{\"url\":\"" + url + "\",\"timeout_ms\":10000},"
                + "\"index\":\"train\",\"fetch_size\":1000,\"keep_alive_ms\":60000,"
                + "\"query\":{\"op\":\"cmp\",\"cmp\":\"ge\",\"field\":\"i\",\"type\":\"int8\",\"value\":0},"
                + "\"columns\":[{\"name\":\"a\",\"field\":\"a\",\"type\":\"text\",\"array\":true}");
        for (String[] column : columns) {
            json.append(",{\"name\":\"").append(column[0]).append("\",\"field\":\"").append(column[1])
                    .append("\",\"type\":\"").append(column[2]).append("\",\"array\":false}");
        }
        return json.append("]}").toString();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
            return;
        }
        String body;
        if (path.endsWith("/_mapping")) {
            body = "{\"train\":{\"mappings\":{\"properties\":{\"t\":{\"type\":\"text\",\"fields\":{\"k\":{\"type\":\"keyword\"}}},"
                    + "\"i\":{\"type\":\"long\"}}}}}";
        } else if (path.endsWith("/_bulk")) {
            body = "{\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}";    // read from its first bytes
        } else {
            body = searchAnswer();
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String searchAnswer() {
        StringBuilder hits = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            hits.append(i == 0 ? "" : ",").append(String.format(HIT, i, i, i));
        }
        return "{\"took\":1,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0},"
                + "\"hits\":{\"total\":{\"value\":10,\"relation\":\"eq\"},\"max_score\":1.0,\"hits\":[" + hits + "]}}";
    }
}
