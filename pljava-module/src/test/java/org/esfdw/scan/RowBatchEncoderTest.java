package org.esfdw.scan;

import static org.esfdw.scan.SearchBodyTest.column;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.config.ScanDescription;
import org.esfdw.json.Json;
import org.esfdw.testing.RowBatches;
import org.junit.jupiter.api.Test;

class RowBatchEncoderTest {

    private static RowBatchEncoder encoder(ScanDescription scan) {
        return new RowBatchEncoder(scan.columns().stream().map(c -> new ColumnReader(c, scan.index())).toList());
    }

    private static List<JsonNode> hits(String... hits) {
        return Arrays.stream(hits).map(h -> Json.parse(h.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void encodesIdThenEachColumnWithNullsAndUtf8() {
        ScanDescription scan = SearchBodyTest.scan(column("id", "_id", "text") + "," + column("title", "title", "text")
                + "," + column("views", "stats.views", "int8") + "," + column("score", "_score", "float8"));
        byte[] batch = encoder(scan).encode(hits(
                "{\"_id\":\"d1\",\"_score\":1.5,\"_source\":{\"title\":\"party 🎉\",\"stats\":{\"views\":7}}}",
                "{\"_id\":\"d2\",\"_score\":null,\"_source\":{}}"));
        assertEquals(List.of(
                        Arrays.asList("d1", "d1", "party 🎉", "7", "1.5"),
                        Arrays.asList("d2", "d2", null, null, null)),
                RowBatches.decode(batch, 4));
    }

    @Test
    void emptyPageIsZeroRows() {
        byte[] batch = encoder(SearchBodyTest.scan(column("id", "_id", "text"))).encode(List.of());
        assertEquals(4, batch.length);
        assertEquals(List.of(), RowBatches.decode(batch, 1));
    }

    @Test
    void badValueNamesColumnDocumentAndValue() {
        ScanDescription scan = SearchBodyTest.scan(column("views", "stats.views", "int8"));
        EsFdwException error = assertThrows(EsFdwException.class,
                () -> encoder(scan).encode(hits("{\"_id\":\"doc-9\",\"_source\":{\"stats\":{\"views\":\"abc\"}}}")));
        assertEquals("22P02", error.sqlstate());
        assertEquals("invalid value for column \"views\" of type bigint in document \"doc-9\": \"abc\" is not a number",
                error.getMessage());
        assertEquals("Elasticsearch field \"stats.views\" of index \"articles\".", error.detail());
    }

    @Test
    void multiValuedFieldInScalarColumnHintsAtArrays() {
        ScanDescription scan = SearchBodyTest.scan(column("tag", "tags", "text"));
        EsFdwException error = assertThrows(EsFdwException.class,
                () -> encoder(scan).encode(hits("{\"_id\":\"d\",\"_source\":{\"tags\":[\"a\",\"b\"]}}")));
        assertEquals("invalid value for column \"tag\" of type text in document \"d\": [\"a\",\"b\"] has several values"
                + " (a JSON array)", error.getMessage());
        assertEquals("Declare the column as an array, e.g. text[], or as json or jsonb.", error.hint());
    }
}
