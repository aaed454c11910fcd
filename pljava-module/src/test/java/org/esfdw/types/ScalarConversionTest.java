package org.esfdw.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import org.esfdw.json.Json;
import org.junit.jupiter.api.Test;

class ScalarConversionTest {

    static String convert(String json, PgType type) {
        return ValueConverter.convert(Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)), type, false);
    }

    static String reason(String json, PgType type) {
        return assertThrows(InvalidValue.class, () -> convert(json, type)).reason();
    }

    @Test
    void textTakesStringsAsIsAndOtherScalarsAsTheirJsonText() {
        assertEquals("héllo 🎉", convert("\"héllo 🎉\"", PgType.TEXT));
        assertEquals("12", convert("12", PgType.TEXT));
        assertEquals("12.50", convert("12.50", PgType.TEXT));
        assertEquals("true", convert("true", PgType.TEXT));
        assertEquals("{\"a\":1,\"b\":[2]}", convert("{\"a\":1,\"b\":[2]}", PgType.TEXT));
    }

    @Test
    void nullAndMissingAndEmptyArrayAreSqlNull() {
        assertNull(convert("null", PgType.INT4));
        assertNull(ValueConverter.convert((JsonNode) null, PgType.TEXT, false));
        assertNull(convert("[]", PgType.TEXT));
    }

    @Test
    void integersAcceptIntegralNumbersAndNumericStrings() {
        assertEquals("12", convert("12", PgType.INT2));
        assertEquals("12", convert("\"12\"", PgType.INT4));
        assertEquals("12", convert("12.0", PgType.INT8));
        assertEquals("-9223372036854775808", convert("-9223372036854775808", PgType.INT8));
        assertEquals("32767", convert("32767", PgType.INT2));
    }

    @Test
    void integersRefuseFractionsOverflowAndNonNumbers() {
        assertEquals("is not an integer", reason("12.5", PgType.INT4));
        assertEquals("is out of range for type smallint", reason("32768", PgType.INT2));
        assertEquals("is out of range for type integer", reason("2147483648", PgType.INT4));
        assertEquals("is out of range for type bigint", reason("9223372036854775808", PgType.INT8));
        assertEquals("is out of range for type integer", reason("2147483648", PgType.INT4));
        assertEquals("is out of range for type smallint", reason("-32769", PgType.INT2));
        assertEquals("-32768", convert("-32768", PgType.INT2));
        assertEquals("2147483647", convert("2147483647", PgType.INT4));
        assertEquals("is out of range for type bigint", reason("\"1e999999999\"", PgType.INT8));
        assertEquals("is not a number", reason("\"abc\"", PgType.INT8));
        assertEquals("is not a number", reason("true", PgType.INT8));
    }

    @Test
    void floatsPassExactTextAndSpecialValues() {
        assertEquals("1.5", convert("1.5", PgType.FLOAT8));
        assertEquals("0.1", convert("\"0.1\"", PgType.FLOAT4));
        assertEquals("NaN", convert("\"NaN\"", PgType.FLOAT8));
        assertEquals("Infinity", convert("\"Infinity\"", PgType.FLOAT4));
        assertEquals("-Infinity", convert("\"-inf\"", PgType.FLOAT8));
    }

    @Test
    void floatsRefuseOutOfRangeValues() {
        assertEquals("is out of range for type real", reason("1e39", PgType.FLOAT4));
        assertEquals("is out of range for type real", reason("1e-46", PgType.FLOAT4));
        assertEquals("3.4E+38", convert("3.4e38", PgType.FLOAT4));
        assertEquals("1.5E-45", convert("1.5e-45", PgType.FLOAT4));
        assertEquals("1.7E+308", convert("1.7e308", PgType.FLOAT8));
        assertEquals("4.9E-324", convert("4.9e-324", PgType.FLOAT8));
        assertEquals("0.000", convert("0.000", PgType.FLOAT8));
        assertEquals("17.571428571428573", convert("17.571428571428573", PgType.FLOAT8));
        assertEquals("is out of range for type double precision", reason("1e400", PgType.FLOAT8));
        assertEquals("is out of range for type double precision", reason("1e-400", PgType.FLOAT8));
        assertEquals("is not a number", reason("\"1.5x\"", PgType.FLOAT8));
    }

    @Test
    void numericIsExactNeverThroughDouble() {
        assertEquals("0.10000000000000000000000000001", convert("0.10000000000000000000000000001", PgType.NUMERIC));
        assertEquals("123456789012345678901234567890", convert("123456789012345678901234567890", PgType.NUMERIC));
        assertEquals("1.50", convert("1.50", PgType.NUMERIC));
        assertEquals("100.0", convert("100.0", PgType.NUMERIC));
        assertEquals("12.345", convert("\"12.345\"", PgType.NUMERIC));
        assertEquals("NaN", convert("\"nan\"", PgType.NUMERIC));
        assertEquals("is not a number", reason("\"twelve\"", PgType.NUMERIC));
    }

    @Test
    void boolAcceptsBooleansAndTheirStrings() {
        assertEquals("t", convert("true", PgType.BOOL));
        assertEquals("f", convert("false", PgType.BOOL));
        assertEquals("t", convert("\"true\"", PgType.BOOL));
        assertEquals("f", convert("\"false\"", PgType.BOOL));
        assertEquals("is not a boolean", reason("1", PgType.BOOL));
        assertEquals("is not a boolean", reason("\"yes\"", PgType.BOOL));
    }

    @Test
    void uuidIsValidated() {
        assertEquals("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", convert("\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"",
                PgType.UUID));
        assertEquals("A0EEBC999C0B4EF8BB6D6BB9BD380A11", convert("\"A0EEBC999C0B4EF8BB6D6BB9BD380A11\"", PgType.UUID));
        assertEquals("is not a UUID", reason("\"a0eebc99-9c0b-4ef8-bb6d\"", PgType.UUID));
        assertEquals("is not a UUID", reason("42", PgType.UUID));
    }

    @Test
    void byteaTurnsBase64IntoHex() {
        assertEquals("\\x0001feff", convert("\"AAH+/w==\"", PgType.BYTEA));
        assertEquals("\\x", convert("\"\"", PgType.BYTEA));
        assertEquals("is not valid base64", reason("\"not base64!\"", PgType.BYTEA));
    }

    @Test
    void jsonTakesAnyValueIncludingScalarsAndArrays() {
        assertEquals("\"abc\"", convert("\"abc\"", PgType.JSON));
        assertEquals("12.50", convert("12.50", PgType.JSONB));
        assertEquals("[1,\"two\",{\"three\":3}]", convert("[1,\"two\",{\"three\":3}]", PgType.JSONB));
        assertEquals("[]", convert("[]", PgType.JSON));
        assertEquals("{\"emoji\":\"😀\"}", convert("{\"emoji\":\"😀\"}", PgType.JSON));
    }

    @Test
    void inetIsCheckedLooselyAndPassedThrough() {
        assertEquals("192.168.0.1", convert("\"192.168.0.1\"", PgType.INET));
        assertEquals("2001:db8::1/64", convert("\"2001:db8::1/64\"", PgType.INET));
        assertEquals("is not an IP address", reason("\"localhost\"", PgType.INET));
    }

    @Test
    void multiValuedFieldInScalarColumnIsRefusedWithArrayHint() {
        InvalidValue error = assertThrows(InvalidValue.class, () -> convert("[1,2]", PgType.INT8));
        assertEquals("has several values (a JSON array)", error.reason());
        assertEquals("Declare the column as an array, e.g. bigint[], or as json or jsonb.", error.hint());
    }

    @Test
    void textWithNulCharacterIsRefused() {
        assertEquals("contains a NUL character, which PostgreSQL text cannot hold", reason("\"a\\u0000b\"",
                PgType.TEXT));
    }
}
