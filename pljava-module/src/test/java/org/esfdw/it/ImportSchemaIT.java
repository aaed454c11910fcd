package org.esfdw.it;

import static org.esfdw.it.TestIndex.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.esfdw.EsFdwException;
import org.esfdw.bridge.Bridge;
import org.esfdw.importschema.ImportSchema;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.esfdw.types.PgType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * IMPORT FOREIGN SCHEMA's Java half against the real servers of esfdw.it.urls: a pattern over two indices
 * whose mappings disagree and an alias over both, LIMIT TO / EXCEPT, dot-named and closed indices, patterns
 * and names that match nothing, a data stream, and more index names than one request line may hold. The alias table's
 * description is then used as a scan would use it (every column's field and type) to read the documents.
 * Indices are named imp_<random>_…; the data stream has a fixed name because the test distributions of
 * Elasticsearch 8 and 9 cannot delete one (they lack the data-streams module's DELETE /_data_stream).
 */
class ImportSchemaIT {
    private static final String LOGS_1 = """
            {"@timestamp":{"type":"date"},"duration":{"type":"float"},"secure":{"type":"boolean"},
             "host":{"properties":{"name":{"type":"keyword"},"ip":{"type":"ip"}}},
             "http":{"properties":{"response":{"properties":{"status_code":{"type":"long"},"bytes":{"type":"integer"}}}}},
             "status":{"type":"alias","path":"http.response.status_code"},
             "message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
             "tags":{"type":"keyword"},"user":{"properties":{"id":{"type":"keyword"}}},
             "labels":{"properties":{"env":{"type":"keyword"}}},
             "events":{"type":"nested","properties":{"action":{"type":"keyword"}}},
             "location":{"type":"geo_point"},"payload":{"type":"binary"}}""";
    private static final String LOGS_2 = """
            {"@timestamp":{"type":"date"},"duration":{"type":"double"},"secure":{"type":"boolean"},
             "host":{"properties":{"name":{"type":"keyword"},"ip":{"type":"ip"}}},
             "http":{"properties":{"response":{"properties":{"status_code":{"type":"long"},"bytes":{"type":"long"}}}}},
             "message":{"type":"text","fields":{"keyword":{"type":"keyword","ignore_above":256}}},
             "tags":{"type":"keyword"},"user":{"properties":{"id":{"type":"long"}}},
             "labels":{"type":"keyword"},
             "events":{"type":"nested","properties":{"action":{"type":"keyword"}}},
             "location":{"type":"geo_point"}}""";
    private static final String DOC_1 = """
            {"@timestamp":"2024-01-15T10:00:00Z","duration":0.25,"secure":true,
             "host":{"name":"web-1","ip":"10.0.0.1"},"http":{"response":{"status_code":200,"bytes":512}},
             "message":"GET /index.html","tags":"prod","user":{"id":"u1"},"labels":{"env":"prod"},
             "events":[{"action":"start"}],"location":[13.4,52.5],"payload":"aGVsbG8="}""";
    private static final String DOC_2 = """
            {"@timestamp":"2024-02-01T00:00:00.5Z","duration":1.5,"secure":false,
             "host":{"name":"web-2","ip":"::1"},"http":{"response":{"status_code":404,"bytes":3000000000}},
             "message":"not found","tags":"dev","user":{"id":42},"labels":"blue","events":[],
             "location":"52.5,13.4"}""";
    private static final String DATA_STREAM = "imp_it_stream";

    private static String prefix() {
        return "imp_" + UUID.randomUUID().toString().substring(0, 8) + "_";
    }

    private static JsonNode describe(String url, String remoteSchema, String listType, List<String> tables,
                                      String options) {
        String request = "{\"connection\":{\"url\":\"" + url + "\",\"timeout_ms\":10000},\"remote_schema\":\""
                + remoteSchema + "\",\"list_type\":\"" + listType + "\",\"table_list\":"
                + Json.text(Json.MAPPER.valueToTree(tables)) + ",\"options\":" + options + "}";
        return Json.parse(ImportSchema.describe(utf8(request)));
    }

    private static JsonNode describe(String url, String remoteSchema) {
        return describe(url, remoteSchema, "all", List.of(), "{}");
    }

    private static List<String> tableNames(JsonNode answer) {
        List<String> names = new ArrayList<>();
        answer.path("tables").forEach(table -> names.add(table.path("name").asText()));
        return names;
    }

    /** "name type field" per column, "-" for no field option, "rowid" after the id column. */
    private static List<String> columns(JsonNode table) {
        List<String> columns = new ArrayList<>();
        table.path("columns").forEach(c -> columns.add(c.path("name").asText() + " " + c.path("type").asText() + " "
                + (c.path("field").isNull() ? "-" : c.path("field").asText())
                + (c.path("rowid").asBoolean() ? " rowid" : "")));
        return columns;
    }

    private static List<String> warnings(JsonNode table) {
        List<String> warnings = new ArrayList<>();
        table.path("warnings").forEach(warning -> warnings.add(warning.asText()));
        return warnings;
    }

    /** Calls the server and fails on an error answer. */
    private static JsonNode ok(String url, String method, String path, String body) {
        JsonNode answer = TestIndex.call(url, method, path, body, body == null ? null : "application/json");
        if (answer.has("error")) {
            throw new AssertionError(method + " " + path + " failed: " + answer);
        }
        return answer;
    }

    private static void createIndex(String url, String name, String properties) {
        ok(url, "PUT", "/" + name, "{\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":" + properties + "}}");
    }

    private static void deleteIndices(String url, List<String> names) {
        names.forEach(name -> TestIndex.call(url, "DELETE", "/" + name, null, null));
    }

    /** Reads every document through the columns the table description gives, as the C shim would scan them. */
    private static List<List<String>> scan(String url, JsonNode table) {
        List<String> columns = new ArrayList<>();
        for (JsonNode column : table.path("columns")) {
            String name = column.path("name").asText();
            String field = column.path("field").isNull() ? (column.path("rowid").asBoolean() ? "_id" : name)
                    : column.path("field").asText();
            String type = Arrays.stream(PgType.values()).filter(t -> t.sqlName().equals(column.path("type").asText()))
                    .findFirst().orElseThrow().pgName();
            columns.add(TestIndex.column(name, field, type, false));
        }
        long handle = Bridge.openScan(utf8(TestIndex.scanJson(url, table.path("index").asText(), 100,
                columns.toArray(String[]::new))));
        List<List<String>> rows = new ArrayList<>();
        try {
            List<List<String>> batch;
            while (!(batch = RowBatches.decode(Bridge.nextBatch(handle), columns.size())).isEmpty()) {
                batch.forEach(row -> rows.add(row.subList(1, row.size())));
            }
        } finally {
            Bridge.endScan(handle);
        }
        rows.sort(Comparator.comparing(row -> row.get(0)));
        return rows;
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aPatternGivesEachIndexAndTheAliasOverBothATableThatReadsTheDocuments(String url) {
        String prefix = prefix();
        List<String> indices = List.of(prefix + "logs-2024.01", prefix + "logs-2024.02");
        try {
            createIndex(url, indices.get(0), LOGS_1);
            createIndex(url, indices.get(1), LOGS_2);
            ok(url, "PUT", "/" + indices.get(0) + "/_doc/d1?refresh=true", DOC_1);
            ok(url, "PUT", "/" + indices.get(1) + "/_doc/d2?refresh=true", DOC_2);
            ok(url, "POST", "/_aliases", "{\"actions\":[{\"add\":{\"indices\":[\"" + indices.get(0) + "\",\""
                    + indices.get(1) + "\"],\"alias\":\"" + prefix + "logs\"}}]}");

            JsonNode answer = describe(url, prefix + "*");
            assertEquals(List.of(prefix + "logs", prefix + "logs_2024_01", prefix + "logs_2024_02"), tableNames(answer));
            JsonNode alias = answer.path("tables").path(0);
            assertEquals(prefix + "logs", alias.path("index").asText());
            assertEquals(indices.get(1), answer.path("tables").path(2).path("index").asText());
            assertEquals(List.of("id text - rowid", "timestamp timestamp with time zone @timestamp",
                    "duration double precision -", "events jsonb -", "host_ip inet host.ip", "host_name text host.name",
                    "http_response_bytes bigint http.response.bytes",
                    "http_response_status_code bigint http.response.status_code", "labels jsonb -", "location jsonb -",
                    "message text -", "payload bytea -", "secure boolean -", "status bigint http.response.status_code",
                    "tags text -", "user_id jsonb user.id"), columns(alias));
            assertEquals(List.of(
                    "field \"labels\" is keyword in " + indices.get(1) + " and an object in " + indices.get(0)
                            + ": imported as jsonb",
                    "field \"user.id\" is keyword in " + indices.get(0) + " and long in " + indices.get(1)
                            + ": imported as jsonb"), warnings(alias));
            assertEquals(List.of(), warnings(answer.path("tables").path(1)));

            assertEquals(List.of(
                    Arrays.asList("d1", "2024-01-15 10:00:00+00", "0.25", "[{\"action\":\"start\"}]", "10.0.0.1", "web-1",
                            "512", "200", "{\"env\":\"prod\"}", "[13.4,52.5]", "GET /index.html",
                            "\\x68656c6c6f", "t", "200", "prod", "\"u1\""),
                    Arrays.asList("d2", "2024-02-01 00:00:00.5+00", "1.5", "[]", "::1", "web-2", "3000000000", "404",
                            "\"blue\"", "\"52.5,13.4\"", "not found", null, "f", "404", "dev", "42")), scan(url, alias));

            JsonNode unflattened = describe(url, indices.get(0), "all", List.of(),
                    "{\"flatten\":\"off\",\"id_column\":\"doc_id\"}");
            assertEquals(List.of("doc_id text _id rowid", "timestamp timestamp with time zone @timestamp",
                    "duration real -", "events jsonb -", "host jsonb -", "http jsonb -", "labels jsonb -",
                    "location jsonb -", "message text -", "payload bytea -", "secure boolean -",
                    "status bigint http.response.status_code", "tags text -", "user jsonb -"),
                    columns(unflattened.path("tables").path(0)));
        } finally {
            deleteIndices(url, indices);
        }
    }

    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void limitToExceptAndWhatMatchesNothing(String url) {
        String prefix = prefix();
        List<String> indices = List.of(prefix + "a", prefix + "b", "." + prefix + "dot", prefix + "closed");
        try {
            indices.forEach(index -> createIndex(url, index, "{\"n\":{\"type\":\"long\"}}"));
            ok(url, "POST", "/" + prefix + "closed/_close", null);
            assertEquals(List.of(prefix + "a", prefix + "b"), tableNames(describe(url, "*" + prefix + "*")),
                    "a pattern matches no name starting with '.' unless it starts with '.' itself, and no closed index");
            assertEquals(List.of("index " + prefix + "closed is closed: reading the table fails until the index is opened"),
                    warnings(describe(url, prefix + "closed").path("tables").path(0)));
            assertEquals(List.of(prefix + "dot"), tableNames(describe(url, "." + prefix + "*")));
            List<String> onlyB = List.of(prefix + "b");
            assertEquals(onlyB, tableNames(describe(url, prefix + "*", "limit_to", onlyB, "{}")));
            assertEquals(List.of(prefix + "a"), tableNames(describe(url, prefix + "*", "except", onlyB, "{}")));
            assertEquals(List.of(prefix + "a", prefix + "b"),
                    tableNames(describe(url, " " + prefix + "b , " + prefix + "a")));

            EsFdwException nothing = assertThrows(EsFdwException.class, () -> describe(url, prefix + "zz*"));
            assertEquals("HV00Q", nothing.sqlstate());
            assertEquals("remote schema \"" + prefix + "zz*\" matches no index, alias or data stream on Elasticsearch at "
                    + url, nothing.getMessage());
            EsFdwException missing = assertThrows(EsFdwException.class, () -> describe(url, prefix + "a," + prefix + "c"));
            assertEquals("HV00Q", missing.sqlstate());
            assertEquals("no index, alias or data stream named \"" + prefix + "c\" on Elasticsearch at " + url,
                    missing.getMessage());
        } finally {
            deleteIndices(url, indices);
        }
    }

    /** Elasticsearch's OSS build (7.10.2) has no data streams: it refuses a template that asks for one. */
    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void aDataStreamIsOneTableNotOnePerBackingIndex(String url) {
        JsonNode template = TestIndex.call(url, "PUT", "/_index_template/" + DATA_STREAM, "{\"index_patterns\":[\""
                + DATA_STREAM + "*\"],\"data_stream\":{},\"template\":{\"settings\":{\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"@timestamp\":{\"type\":\"date\"},\"cpu\":{\"type\":\"float\"},"
                + "\"host\":{\"properties\":{\"name\":{\"type\":\"keyword\"}}}}}}}", "application/json");
        if (template.has("error")) {
            assertTrue(template.toString().contains("unknown field [data_stream]"), template.toString());
            return;
        }
        try {
            ok(url, "POST", "/" + DATA_STREAM + "/_doc?refresh=true",
                    "{\"@timestamp\":\"2024-01-01T00:00:00Z\",\"cpu\":0.5,\"host\":{\"name\":\"a\"}}");
            JsonNode answer = describe(url, DATA_STREAM + "*");
            assertEquals(List.of(DATA_STREAM), tableNames(answer));
            JsonNode table = answer.path("tables").path(0);
            assertEquals(DATA_STREAM, table.path("index").asText());
            assertEquals(List.of("id text - rowid", "timestamp timestamp with time zone @timestamp", "cpu real -",
                    "host_name text host.name"), columns(table));
            assertFalse(scan(url, table).isEmpty());
        } finally {
            TestIndex.call(url, "DELETE", "/_data_stream/" + DATA_STREAM, null, null);
            TestIndex.call(url, "DELETE", "/_index_template/" + DATA_STREAM, null, null);
        }
    }

    /**
     * 17 index names of 250 bytes: one GET /<names>/_mapping would exceed the 4 kB request line Elasticsearch
     * accepts, so the mappings are read in batches; the names, cut to 63 bytes, differ in their beginnings.
     */
    @ParameterizedTest
    @MethodSource("org.esfdw.it.ItServers#urls")
    void manyLongIndexNamesAreReadInBatches(String url) {
        String prefix = prefix();
        List<String> indices = IntStream.range(10, 27)
                .mapToObj(i -> prefix + i + "_" + "x".repeat(250 - prefix.length() - 3)).toList();
        try {
            indices.forEach(index -> createIndex(url, index, "{\"n\":{\"type\":\"long\"}}"));
            JsonNode answer = describe(url, prefix + "*");
            assertEquals(indices.size(), answer.path("tables").size());
            for (int i = 0; i < indices.size(); i++) {
                JsonNode table = answer.path("tables").path(i);
                assertEquals(indices.get(i), table.path("index").asText());
                assertEquals(indices.get(i).substring(0, 63), table.path("name").asText());
                assertEquals(List.of("id text - rowid", "n bigint -"), columns(table));
            }
        } finally {
            deleteIndices(url, indices);
        }
    }
}
