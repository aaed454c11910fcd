package org.esfdw.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.types.PgType;
import org.junit.jupiter.api.Test;

class ScanDescriptionParserTest {

    private static ScanDescription parse(String json) {
        return ScanDescriptionParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsEveryFieldOfTheBoundaryExample() {
        ScanDescription scan = parse("""
                {"connection": {"url": "http://127.0.0.1:9200", "timeout_ms": 5000,
                                "username": "reader", "password": "s3cret"},
                 "index": "articles", "fetch_size": 250, "keep_alive_ms": 30000,
                 "columns": [
                   {"name": "id", "field": "_id", "type": "text", "array": false},
                   {"name": "tags", "field": "tags", "type": "text", "array": true},
                   {"name": "views", "field": "stats.views", "type": "int8", "array": false}],
                 "quals": [], "some_future_key": {"x": 1}}""");
        assertEquals("http://127.0.0.1:9200", scan.connection().displayUrl());
        assertEquals(Duration.ofMillis(5000), scan.connection().timeout());
        assertEquals("reader", scan.connection().username());
        assertEquals("s3cret", scan.connection().password());
        assertEquals("articles", scan.index());
        assertEquals(250, scan.fetchSize());
        assertEquals(Duration.ofSeconds(30), scan.keepAlive());
        assertEquals(List.of(new ColumnSpec("id", "_id", PgType.TEXT, false),
                new ColumnSpec("tags", "tags", PgType.TEXT, true),
                new ColumnSpec("views", "stats.views", PgType.INT8, false)), scan.columns());
        assertEquals(List.of("tags", "stats.views"), scan.sourceFields());
    }

    @Test
    void appliesDefaultsForOptionalKeys() {
        ScanDescription scan = parse("{\"connection\":{\"url\":\"https://es.example:9243/\"},\"index\":\"i\",\"columns\":[]}");
        assertEquals(Duration.ofMillis(ScanDescriptionParser.DEFAULT_TIMEOUT_MS), scan.connection().timeout());
        assertEquals(ScanDescriptionParser.DEFAULT_FETCH_SIZE, scan.fetchSize());
        assertEquals(Duration.ofMillis(ScanDescriptionParser.DEFAULT_KEEP_ALIVE_MS), scan.keepAlive());
        assertNull(scan.connection().username());
        assertFalse(scan.connection().hasCredentials());
        assertEquals("https://es.example:9243", scan.connection().displayUrl());
    }

    @Test
    void refusesMissingIndexBadSizesAndUnknownTypes() {
        assertEquals("invalid es_fdw scan description: \"index\" is missing",
                assertThrows(EsFdwException.class,
                        () -> parse("{\"connection\":{\"url\":\"http://h:1\"},\"columns\":[]}"))
                        .getMessage());
        assertEquals("invalid es_fdw scan description: \"fetch_size\" must be an integer from 1 to 10000, not 0",
                assertThrows(EsFdwException.class, () -> parse(
                        "{\"connection\":{\"url\":\"http://h:1\"},\"index\":\"i\",\"fetch_size\":0,\"columns\":[]}"))
                        .getMessage());
        assertEquals("es_fdw does not support column type \"money\"",
                assertThrows(EsFdwException.class,
                        () -> parse("{\"connection\":{\"url\":\"http://h:1\"},\"index\":\"i\","
                        + "\"columns\":[{\"name\":\"c\",\"field\":\"f\",\"type\":\"money\"}]}")).getMessage());
        assertTrue(assertThrows(EsFdwException.class, () -> parse("not json")).getMessage()
                .startsWith("invalid es_fdw scan description: "));
    }

    @Test
    void refusesNonHttpUrlWithoutEchoingCredentials() {
        EsFdwException error = assertThrows(EsFdwException.class, () -> parse(
                "{\"connection\":{\"url\":\"ftp://bob:pw@h:1\"},\"index\":\"i\",\"columns\":[]}"));
        assertEquals("HV00N", error.sqlstate());
        assertEquals("invalid Elasticsearch URL \"ftp://h:1\"", error.getMessage());
    }

    @Test
    void connectionTextNeverShowsCredentials() {
        ConnectionOptions connection = parse("{\"connection\":{\"url\":\"http://alice:pw1@h:9200/prefix/\","
                + "\"username\":\"bob\",\"password\":\"pw2\"},\"index\":\"i\",\"columns\":[]}").connection();
        assertEquals("http://h:9200/prefix", connection.displayUrl());
        assertFalse(connection.toString().contains("pw"));
        assertEquals("http://h:9200/prefix/_search", connection.resolve("/_search").toString());
    }
}
