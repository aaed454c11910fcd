package org.esfdw.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class ArrayConversionTest {

    private static String array(String json, PgType type) {
        return ValueConverter.convert(Json.parse(json.getBytes(StandardCharsets.UTF_8)), type, true);
    }

    @Test
    void elementsAreQuotedAndEscaped() {
        assertEquals("{\"a\",\"b c\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"{}\",\"NULL\"}",
                array("[\"a\",\"b c\",\"say \\\"hi\\\"\",\"back\\\\slash\",\"{}\",\"NULL\"]", PgType.TEXT));
    }

    @Test
    void nullElementsBecomeUnquotedNull() {
        assertEquals("{\"1\",NULL,\"3\"}", array("[1,null,3]", PgType.INT4));
    }

    @Test
    void scalarBecomesOneElementArray() {
        assertEquals("{\"42\"}", array("42", PgType.INT8));
        assertEquals("{\"🎉\"}", array("\"🎉\"", PgType.TEXT));
    }

    @Test
    void emptyArrayIsEmptyLiteral() {
        assertEquals("{}", array("[]", PgType.TEXT));
    }

    @Test
    void nestedArraysAreFlattenedLikeElasticsearch() {
        assertEquals("{\"1\",\"2\",\"3\"}", array("[[1,2],[3]]", PgType.INT2));
    }

    @Test
    void jsonArrayElementsKeepTheirStructure() {
        assertEquals("{\"[1,2]\",\"{\\\"a\\\":\\\"b\\\"}\"}", array("[[1,2],{\"a\":\"b\"}]", PgType.JSONB));
    }

    @Test
    void elementsAreConvertedAndCheckedByTheirType() {
        assertEquals("{\"\\\\x01\"}", array("[\"AQ==\"]", PgType.BYTEA));
        assertEquals("{\"2024-01-02 03:04:05+00\"}", array("[\"2024-01-02T03:04:05Z\"]", PgType.TIMESTAMPTZ));
        assertEquals("is not an integer", assertThrows(InvalidValue.class, () -> array("[1,2.5]",
                PgType.INT4)).reason());
    }
}
