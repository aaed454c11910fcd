package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/** The PostgreSQL base types a column may have (docs/boundary.md), each with its JSON converter. */
public enum PgType {
    TEXT("text", "text", TextConverters::text),
    INT2("int2", "smallint", IntegerConverter.INT2::convert),
    INT4("int4", "integer", IntegerConverter.INT4::convert),
    INT8("int8", "bigint", IntegerConverter.INT8::convert),
    FLOAT4("float4", "real", FloatConverter.FLOAT4::convert),
    FLOAT8("float8", "double precision", FloatConverter.FLOAT8::convert),
    NUMERIC("numeric", "numeric", NumericConverter::convert),
    BOOL("bool", "boolean", BoolConverter::convert),
    DATE("date", "date", DateTimeConverters::date),
    TIMESTAMP("timestamp", "timestamp without time zone", DateTimeConverters::timestamp),
    TIMESTAMPTZ("timestamptz", "timestamp with time zone", DateTimeConverters::timestamptz),
    TIME("time", "time without time zone", DateTimeConverters::time),
    UUID("uuid", "uuid", TextConverters::uuid),
    BYTEA("bytea", "bytea", ByteaConverter::convert),
    JSON("json", "json", TextConverters::json),
    JSONB("jsonb", "jsonb", TextConverters::json),
    INET("inet", "inet", TextConverters::inet);

    private final String pgName;
    private final String sqlName;
    private final ScalarConverter converter;

    PgType(String pgName, String sqlName, ScalarConverter converter) {
        this.pgName = pgName;
        this.sqlName = sqlName;
        this.converter = converter;
    }

    /** The name PostgreSQL's own messages use, e.g. bigint for int8. */
    public String sqlName() {
        return sqlName;
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
