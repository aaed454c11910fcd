package org.esfdw.importschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.importschema.ImportRequest.ListType;
import org.junit.jupiter.api.Test;

class ImportRequestTest {

    private static ImportRequest parse(String json) {
        return ImportRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static EsFdwException refused(String json) {
        return assertThrows(EsFdwException.class, () -> parse(json));
    }

    @Test
    void readsEveryKey() {
        ImportRequest request = parse("""
                {"connection": {"url": "http://127.0.0.1:9200", "timeout_ms": 5000, "username": "u", "password": "p"},
                 "remote_schema": "logs-*", "list_type": "limit_to", "table_list": ["logs_a", "logs_b"],
                 "options": {"flatten": false, "id_column": "doc_id"}}""");
        assertEquals("http://127.0.0.1:9200", request.connection().displayUrl());
        assertEquals(Duration.ofSeconds(5), request.connection().timeout());
        assertEquals("u", request.connection().username());
        assertEquals("logs-*", request.remoteSchema());
        assertEquals(ListType.LIMIT_TO, request.listType());
        assertEquals(Set.of("logs_a", "logs_b"), request.tableList());
        assertEquals(new ImportOptions(false, "doc_id"), request.options());
    }

    @Test
    void defaultsToAllTablesFlattenedWithAnIdColumn() {
        ImportRequest request = parse("{\"connection\":{\"url\":\"http://h:9200\"},\"remote_schema\":\"a\"}");
        assertEquals(ListType.ALL, request.listType());
        assertEquals(ImportOptions.DEFAULTS, request.options());
        assertTrue(request.options().flatten());
        assertEquals("id", request.options().idColumn());
        assertTrue(request.imports("anything"));
    }

    @Test
    void limitToAndExceptCompareGeneratedNamesExactly() {
        String base = "{\"connection\":{\"url\":\"http://h:9200\"},\"remote_schema\":\"a*\",\"table_list\":[\"a_1\"],";
        ImportRequest limitTo = parse(base + "\"list_type\":\"limit_to\"}");
        assertTrue(limitTo.imports("a_1"));
        assertFalse(limitTo.imports("A_1"));
        assertFalse(limitTo.imports("a_2"));
        ImportRequest except = parse(base + "\"list_type\":\"except\"}");
        assertFalse(except.imports("a_1"));
        assertTrue(except.imports("a_2"));
    }

    @Test
    void optionsMayBeTextAsPostgresKeepsThem() {
        String base = "{\"connection\":{\"url\":\"http://h:9200\"},\"remote_schema\":\"a\",\"options\":";
        assertEquals(new ImportOptions(false, "id"), parse(base + "{\"flatten\":\"off\"}}").options());
        assertEquals(new ImportOptions(true, "id"), parse(base + "{\"flatten\":\"TRUE\"}}").options());
        assertEquals(new ImportOptions(true, ""), parse(base + "{\"id_column\":\"\"}}").options());
        assertFalse(parse(base + "{\"id_column\":\"\"}}").options().hasIdColumn());
    }

    @Test
    void refusesUnknownOptionsAndBadValues() {
        String base = "{\"connection\":{\"url\":\"http://h:9200\"},\"remote_schema\":\"a\",\"options\":";
        EsFdwException unknown = refused(base + "{\"flaten\":true}}");
        assertEquals(SqlState.INVALID_OPTION_NAME, unknown.sqlstate());
        assertEquals("invalid IMPORT FOREIGN SCHEMA option \"flaten\"", unknown.getMessage());
        assertEquals("Valid options are: flatten, id_column.", unknown.hint());

        EsFdwException flatten = refused(base + "{\"flatten\":\"maybe\"}}");
        assertEquals(SqlState.INVALID_PARAMETER_VALUE, flatten.sqlstate());
        assertEquals("invalid value for IMPORT FOREIGN SCHEMA option \"flatten\": \"maybe\"", flatten.getMessage());

        EsFdwException longName = refused(base + "{\"id_column\":\"" + "x".repeat(64) + "\"}}");
        assertEquals("A PostgreSQL column name has at most 63 bytes.", longName.hint());
    }

    @Test
    void refusesMalformedRequests() {
        assertEquals("invalid es_fdw import request: \"remote_schema\" is missing",
                refused("{\"connection\":{\"url\":\"http://h:9200\"}}").getMessage());
        assertEquals("invalid es_fdw import request: \"connection\" must be an object",
                refused("{\"remote_schema\":\"a\"}").getMessage());
        assertEquals("invalid es_fdw import request: \"list_type\" must be \"all\", \"limit_to\" or \"except\", "
                        + "not \"only\"",
                refused("{\"connection\":{\"url\":\"http://h:9200\"},\"remote_schema\":\"a\",\"list_type\":\"only\"}")
                        .getMessage());
        assertEquals("invalid es_fdw import request: it is not a JSON object", refused("[]").getMessage());
        assertEquals("invalid Elasticsearch URL \"ftp://h\"",
                refused("{\"connection\":{\"url\":\"ftp://h\"},\"remote_schema\":\"a\"}").getMessage());
    }
}
