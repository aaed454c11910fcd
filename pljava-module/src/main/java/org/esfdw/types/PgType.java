package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/** The PostgreSQL base types a column may have (docs/boundary.md), each with its JSON converter. */
public enum PgType {
    TEXT("text", TextConverters::text),
    INT2("int2", IntegerConverter.INT2::convert),
    INT4("int4", IntegerConverter.INT4::convert),
    INT8("int8", IntegerConverter.INT8::convert),
    FLOAT4("float4", FloatConverter.FLOAT4::convert),
    FLOAT8("float8", FloatConverter.FLOAT8::convert),
    NUMERIC("numeric", NumericConverter::convert),
    BOOL("bool", BoolConverter::convert),
    DATE("date", DateTimeConverters::date),
    TIMESTAMP("timestamp", DateTimeConverters::timestamp),
    TIMESTAMPTZ("timestamptz", DateTimeConverters::timestamptz),
    TIME("time", DateTimeConverters::time),
    UUID("uuid", TextConverters::uuid),
    BYTEA("bytea", ByteaConverter::convert),
    JSON("json", TextConverters::json),
    JSONB("jsonb", TextConverters::json),
    INET("inet", TextConverters::inet);

    private final String pgName;
    private final ScalarConverter converter;

    PgType(String pgName, ScalarConverter converter) {
        this.pgName = pgName;
        this.converter = converter;
    }

    public String pgName() {
        return pgName;
    }

    /** json and jsonb hold any JSON value, arrays included, as one value. */
    public boolean holdsAnyJson() {
        return this == JSON || this == JSONB;
    }

    String toPgText(JsonNode value) {
        return converter.toPgText(value);
    }

    public static PgType fromName(String name) {
        return Arrays.stream(values()).filter(t -> t.pgName.equals(name)).findFirst()
                .orElseThrow(() -> new EsFdwException(SqlState.FDW_ERROR,
                        "es_fdw does not support column type \"" + name + "\"", null, null));
    }
}
