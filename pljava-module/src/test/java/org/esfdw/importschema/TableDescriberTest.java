package org.esfdw.importschema;

import static org.esfdw.importschema.Fixtures.json;
import static org.esfdw.importschema.Fixtures.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.importschema.RemoteSource.Kind;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

/**
 * Tables described from mappings captured on Elasticsearch 8.19.0 (src/test/resources/importschema): a
 * logs-style alias over two indices whose mappings disagree, and a data stream whose template changed
 * between rollovers. Types the test distributions lack (x-pack and mapper-extras ones) are in a mapping
 * written after Elasticsearch's documentation.
 */
class TableDescriberTest {

    private static ObjectNode describe(String table, Kind kind, JsonNode mappingAnswer, ImportOptions options) {
        return TableDescriber.describe(table, new RemoteSource(table, kind, false), mappingAnswer, options);
    }

    /** One column per line, so that a difference shows where it is. */
    private static String columns(JsonNode table) {
        List<String> lines = new ArrayList<>();
        table.get("columns").forEach(column -> lines.add(Json.text(column)));
        return String.join("\n", lines);
    }

    private static List<String> warnings(JsonNode table) {
        List<String> warnings = new ArrayList<>();
        table.get("warnings").forEach(warning -> warnings.add(warning.asText()));
        return warnings;
    }

    @Test
    void logsAliasOverTwoIndicesWithConflictingMappings() {
        ObjectNode table = describe("imp_logs", Kind.ALIAS, resource("logs-alias-mapping.json"), ImportOptions.DEFAULTS);
        assertEquals("imp_logs", table.get("name").asText());
        assertEquals("imp_logs", table.get("index").asText());
        assertEquals("""
                {"name":"id","type":"text","field":null,"rowid":true}
                {"name":"timestamp","type":"timestamp with time zone","field":"@timestamp","rowid":false}
                {"name":"embedding","type":"jsonb","field":null,"rowid":false}
                {"name":"event_duration","type":"double precision","field":"event.duration","rowid":false}
                {"name":"event_ingested","type":"timestamp with time zone","field":"event.ingested","rowid":false}
                {"name":"event_sequence","type":"integer","field":"event.sequence","rowid":false}
                {"name":"events","type":"jsonb","field":null,"rowid":false}
                {"name":"host_ip","type":"inet","field":"host.ip","rowid":false}
                {"name":"host_name","type":"text","field":"host.name","rowid":false}
                {"name":"http_request_method","type":"text","field":"http.request.method","rowid":false}
                {"name":"http_request_secure","type":"boolean","field":"http.request.secure","rowid":false}
                {"name":"http_response_bytes","type":"bigint","field":"http.response.bytes","rowid":false}
                {"name":"http_response_status_code","type":"bigint","field":"http.response.status_code","rowid":false}
                {"name":"id_2","type":"text","field":"id","rowid":false}
                {"name":"labels","type":"jsonb","field":null,"rowid":false}
                {"name":"latency_range","type":"jsonb","field":null,"rowid":false}
                {"name":"location","type":"jsonb","field":null,"rowid":false}
                {"name":"log_level","type":"text","field":"log.level","rowid":false}
                {"name":"log_syslog_severity","type":"smallint","field":"log.syslog_severity","rowid":false}
                {"name":"logged_at","type":"text","field":null,"rowid":false}
                {"name":"message","type":"text","field":null,"rowid":false}
                {"name":"metadata","type":"jsonb","field":null,"rowid":false}
                {"name":"metrics_cpu_pct","type":"real","field":"metrics.cpu.pct","rowid":false}
                {"name":"payload","type":"bytea","field":null,"rowid":false}
                {"name":"raw","type":"jsonb","field":null,"rowid":false}
                {"name":"status","type":"bigint","field":"http.response.status_code","rowid":false}
                {"name":"suggest","type":"jsonb","field":null,"rowid":false}
                {"name":"tags","type":"text","field":null,"rowid":false}
                {"name":"trace_id","type":"text","field":"trace.id","rowid":false}
                {"name":"user_id","type":"jsonb","field":"user.id","rowid":false}
                {"name":"user_name","type":"text","field":"user.name","rowid":false}""", columns(table));
        assertEquals(List.of(
                "date field \"logged_at\" has format \"yyyy/MM/dd HH:mm:ss||epoch_second\": imported as text, since "
                        + "es_fdw reads dates only as ISO 8601 text or epoch milliseconds",
                "runtime field \"day_of_week\" is not imported: es_fdw reads _source, which has no value for it",
                "field \"labels\" is keyword in imp_logs-2024.02 and an object in imp_logs-2024.01: imported as jsonb",
                "field \"user.id\" is keyword in imp_logs-2024.01 and long in imp_logs-2024.02: imported as jsonb"),
                warnings(table));
    }

    @Test
    void withoutFlattenTopLevelObjectsAreJsonbAndAFieldNamedIdKeepsItsFieldOption() {
        JsonNode oneIndex = Json.object()
                .set("imp_logs-2024.02", resource("logs-alias-mapping.json").get("imp_logs-2024.02"));
        ObjectNode table = describe("imp_logs_2024_02", Kind.INDEX, oneIndex, new ImportOptions(false, "doc_id"));
        assertEquals("""
                {"name":"doc_id","type":"text","field":"_id","rowid":true}
                {"name":"timestamp","type":"timestamp with time zone","field":"@timestamp","rowid":false}
                {"name":"event","type":"jsonb","field":null,"rowid":false}
                {"name":"events","type":"jsonb","field":null,"rowid":false}
                {"name":"host","type":"jsonb","field":null,"rowid":false}
                {"name":"http","type":"jsonb","field":null,"rowid":false}
                {"name":"id","type":"text","field":"id","rowid":false}
                {"name":"labels","type":"text","field":null,"rowid":false}
                {"name":"location","type":"jsonb","field":null,"rowid":false}
                {"name":"log","type":"jsonb","field":null,"rowid":false}
                {"name":"message","type":"text","field":null,"rowid":false}
                {"name":"tags","type":"text","field":null,"rowid":false}
                {"name":"trace","type":"jsonb","field":null,"rowid":false}
                {"name":"user","type":"jsonb","field":null,"rowid":false}""", columns(table));
        assertEquals(List.of(), warnings(table));
    }

    @Test
    void dataStreamBackingIndicesMergeWidening() {
        ObjectNode table = describe("imp_metrics_app", Kind.DATA_STREAM, resource("metrics-data-stream-mapping.json"),
                ImportOptions.DEFAULTS);
        assertEquals("""
                {"name":"id","type":"text","field":null,"rowid":true}
                {"name":"timestamp","type":"timestamp with time zone","field":"@timestamp","rowid":false}
                {"name":"cpu","type":"double precision","field":null,"rowid":false}
                {"name":"host_name","type":"text","field":"host.name","rowid":false}
                {"name":"mem","type":"bigint","field":null,"rowid":false}""", columns(table));
        assertEquals(List.of(), warnings(table));
    }

    @Test
    void noIdColumn() {
        ObjectNode table = describe("t", Kind.INDEX, json("""
                {"t":{"mappings":{"properties":{"id":{"type":"long"},"n":{"type":"long"}}}}}"""),
                new ImportOptions(true, ""));
        assertEquals("""
                {"name":"id","type":"bigint","field":"id","rowid":false}
                {"name":"n","type":"bigint","field":null,"rowid":false}""", columns(table));
    }

    @Test
    void everyKnownTypeAndAnUnknownOne() {
        ObjectNode table = describe("t", Kind.INDEX, json("""
                {"t":{"mappings":{"properties":{
                  "a01":{"type":"keyword"},"a02":{"type":"constant_keyword","value":"x"},"a03":{"type":"wildcard"},
                  "a04":{"type":"text"},"a05":{"type":"match_only_text"},"a06":{"type":"search_as_you_type"},
                  "a07":{"type":"version"},"a08":{"type":"long"},"a09":{"type":"integer"},"a10":{"type":"short"},
                  "a11":{"type":"byte"},"a12":{"type":"unsigned_long"},"a13":{"type":"scaled_float","scaling_factor":100},
                  "a14":{"type":"double"},"a15":{"type":"float"},"a16":{"type":"half_float"},"a17":{"type":"rank_feature"},
                  "a18":{"type":"boolean"},"a19":{"type":"date"},"a20":{"type":"date_nanos"},"a21":{"type":"ip"},
                  "a22":{"type":"binary"},"a23":{"type":"nested"},"a24":{"type":"flattened"},"a25":{"type":"geo_point"},
                  "a26":{"type":"geo_shape"},"a27":{"type":"point"},"a28":{"type":"shape"},"a29":{"type":"integer_range"},
                  "a30":{"type":"long_range"},"a31":{"type":"float_range"},"a32":{"type":"double_range"},
                  "a33":{"type":"date_range"},"a34":{"type":"ip_range"},"a35":{"type":"dense_vector","dims":3},
                  "a36":{"type":"sparse_vector"},"a37":{"type":"rank_features"},"a38":{"type":"histogram"},
                  "a39":{"type":"aggregate_metric_double","metrics":["max"],"default_metric":"max"},
                  "a40":{"type":"completion"},"a41":{"type":"join","relations":{"q":"a"}},"a42":{"type":"percolator"},
                  "a43":{"type":"object","enabled":false},"a44":{"type":"passthrough","priority":1},
                  "a45":{"type":"semantic_text"},"a46":{"type":"alias","path":"a08"},"a47":{"type":"alias","path":"nowhere"}
                }}}}"""), new ImportOptions(true, ""));
        List<String> types = new ArrayList<>();
        table.get("columns").forEach(column -> types.add(column.get("name").asText() + " " + column.get("type").asText()));
        assertEquals(List.of("a01 text", "a02 text", "a03 text", "a04 text", "a05 text", "a06 text", "a07 text",
                "a08 bigint", "a09 integer", "a10 smallint", "a11 smallint", "a12 numeric", "a13 numeric",
                "a14 double precision", "a15 real", "a16 real", "a17 real", "a18 boolean",
                "a19 timestamp with time zone", "a20 timestamp with time zone", "a21 inet", "a22 bytea", "a23 jsonb",
                "a24 jsonb", "a25 jsonb", "a26 jsonb", "a27 jsonb", "a28 jsonb", "a29 jsonb", "a30 jsonb", "a31 jsonb",
                "a32 jsonb", "a33 jsonb", "a34 jsonb", "a35 jsonb", "a36 jsonb", "a37 jsonb", "a38 jsonb", "a39 jsonb",
                "a40 jsonb", "a41 jsonb", "a42 jsonb", "a43 jsonb", "a44 jsonb", "a45 jsonb", "a46 bigint", "a47 jsonb"),
                types);
        assertEquals("a08", table.get("columns").get(45).get("field").asText(), "an alias reads its target");
        assertEquals(List.of("field \"a45\" has type \"semantic_text\", unknown to es_fdw: imported as jsonb",
                "alias field \"a47\" points to \"nowhere\", which the mapping lacks: imported as jsonb"), warnings(table));
    }

    @Test
    void sourceDisabledAndClosedIndicesAreSaid() {
        // GET /imp_nosource/_mapping on Elasticsearch 8.19.0
        JsonNode answer = json("{\"imp_nosource\":{\"mappings\":{\"_source\":{\"enabled\":false},"
                + "\"properties\":{\"n\":{\"type\":\"long\"}}}}}");
        ObjectNode table = TableDescriber.describe("imp_nosource", new RemoteSource("imp_nosource", Kind.INDEX, true),
                answer, ImportOptions.DEFAULTS);
        assertEquals(List.of("index imp_nosource is closed: reading the table fails until the index is opened",
                "_source is disabled in index imp_nosource: es_fdw reads _source, so every column but the id column "
                        + "is NULL there"), warnings(table));
    }

    @Test
    void anIndexWithoutMappingsHasOnlyTheIdColumn() {
        // GET /regress_closed/_mapping on Elasticsearch 8.19.0
        ObjectNode table = describe("e", Kind.INDEX, json("{\"e\":{\"mappings\":{}}}"), ImportOptions.DEFAULTS);
        assertEquals("{\"name\":\"id\",\"type\":\"text\",\"field\":null,\"rowid\":true}", columns(table));
    }
}
