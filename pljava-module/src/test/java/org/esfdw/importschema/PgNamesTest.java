package org.esfdw.importschema;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PgNamesTest {

    @Test
    void readableNames() {
        assertEquals("timestamp", PgNames.readable("@timestamp"));
        assertEquals("http_response_status_code", PgNames.readable("http.response.status_code"));
        assertEquals("logs_app_2024_01", PgNames.readable("Logs-App--2024.01"));
        assertEquals("_2024_logs", PgNames.readable("2024-logs"));
        assertEquals("stra_e", PgNames.readable("Straße"));
        assertEquals("unnamed", PgNames.readable("日本"));
        assertEquals("my__field", PgNames.readable("my__field"), "a legal name is kept as it is");
        assertEquals("_meta", PgNames.readable("_meta"));
        assertEquals("a_b", PgNames.readable("a._b"));
    }

    @Test
    void readableNamesHaveAtMost63Bytes() {
        assertEquals("a".repeat(63), PgNames.readable("a".repeat(70)));
        assertEquals("a".repeat(62), PgNames.readable("A".repeat(62) + "-b"), "no '_' left at the cut");
    }

    @Test
    void ownNamesComeFirstThenSuffixesInOrder() {
        assertEquals(List.of("a_b_2", "a_b", "a_b_3"), PgNames.unique(List.of("a.b", "a_b", "A-B"), Set.of()));
        assertEquals(List.of("id_2", "timestamp", "timestamp_2"),
                PgNames.unique(List.of("id", "timestamp", "@timestamp"), Set.of("id")));
    }

    @Test
    void suffixesKeepNamesWithin63Bytes() {
        String long1 = "x".repeat(70) + ".one";
        String long2 = "x".repeat(70) + ".two";
        assertEquals(List.of("x".repeat(63), "x".repeat(61) + "_2"), PgNames.unique(List.of(long1, long2), Set.of()));
    }
}
