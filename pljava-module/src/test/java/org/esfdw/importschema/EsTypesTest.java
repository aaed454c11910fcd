package org.esfdw.importschema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.esfdw.types.PgType;
import org.junit.jupiter.api.Test;

class EsTypesTest {

    @Test
    void numbersWidenWithoutLoss() {
        assertEquals(PgType.INT8, EsTypes.widest(List.of(PgType.INT4, PgType.INT8)));
        assertEquals(PgType.INT4, EsTypes.widest(List.of(PgType.INT2, PgType.INT4)));
        assertEquals(PgType.FLOAT8, EsTypes.widest(List.of(PgType.FLOAT4, PgType.FLOAT8)));
        assertEquals(PgType.NUMERIC, EsTypes.widest(List.of(PgType.INT8, PgType.FLOAT8)));
        assertEquals(PgType.NUMERIC, EsTypes.widest(List.of(PgType.INT2, PgType.NUMERIC)));
    }

    @Test
    void otherMixesDoNotWiden() {
        assertNull(EsTypes.widest(List.of(PgType.INT8, PgType.TEXT)));
        assertNull(EsTypes.widest(List.of(PgType.TEXT, PgType.INET)));
        assertNull(EsTypes.widest(List.of(PgType.TIMESTAMPTZ, PgType.INT8)));
    }

    @Test
    void unknownTypesHaveNoColumnType() {
        assertNull(EsTypes.pgType("semantic_text"));
        assertEquals(PgType.TEXT, EsTypes.pgType("match_only_text"));
    }

    @Test
    void dateFormatsEsFdwReads() {
        assertTrue(DateFormats.readable(null));
        assertTrue(DateFormats.readable("strict_date_optional_time||epoch_millis"));
        assertTrue(DateFormats.readable("yyyy-MM-dd || epoch_millis"));
        assertFalse(DateFormats.readable("epoch_second"));
        assertFalse(DateFormats.readable("strict_date_optional_time||epoch_second"));
        assertFalse(DateFormats.readable("yyyy/MM/dd HH:mm:ss"));
    }
}
