package org.esfdw.importschema;

import static java.util.Map.entry;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.esfdw.types.PgType;

/**
 * The column type of each Elasticsearch field type, chosen among the types es_fdw reads (PgType) for the
 * value _source holds: strings for the keyword and text family, the integer type that holds every value of
 * the field, real and double for float and double, numeric for unsigned_long and scaled_float (exact),
 * timestamptz for dates, inet, bytea for base64 binary, and jsonb for what has structure (objects, nested,
 * geo, ranges, vectors, …). Types not listed here are unknown: the caller makes them jsonb, which holds any
 * JSON value.
 */
final class EsTypes {
    private static final Map<String, PgType> TYPES = Map.ofEntries(
            entry("keyword", PgType.TEXT), entry("constant_keyword", PgType.TEXT), entry("wildcard", PgType.TEXT),
            entry("text", PgType.TEXT), entry("match_only_text", PgType.TEXT),
            entry("search_as_you_type", PgType.TEXT), entry("version", PgType.TEXT),
            entry("long", PgType.INT8), entry("integer", PgType.INT4), entry("short", PgType.INT2),
            entry("byte", PgType.INT2), entry("unsigned_long", PgType.NUMERIC), entry("scaled_float", PgType.NUMERIC),
            entry("double", PgType.FLOAT8), entry("float", PgType.FLOAT4), entry("half_float", PgType.FLOAT4),
            entry("rank_feature", PgType.FLOAT4),
            entry("boolean", PgType.BOOL),
            entry("date", PgType.TIMESTAMPTZ), entry("date_nanos", PgType.TIMESTAMPTZ),
            entry("ip", PgType.INET),
            entry("binary", PgType.BYTEA),
            entry("object", PgType.JSONB), entry("passthrough", PgType.JSONB), entry("nested", PgType.JSONB),
            entry("flattened", PgType.JSONB),
            entry("geo_point", PgType.JSONB), entry("geo_shape", PgType.JSONB), entry("point", PgType.JSONB),
            entry("shape", PgType.JSONB),
            entry("integer_range", PgType.JSONB), entry("long_range", PgType.JSONB),
            entry("float_range", PgType.JSONB), entry("double_range", PgType.JSONB),
            entry("date_range", PgType.JSONB), entry("ip_range", PgType.JSONB),
            entry("dense_vector", PgType.JSONB), entry("sparse_vector", PgType.JSONB),
            entry("rank_features", PgType.JSONB), entry("histogram", PgType.JSONB),
            entry("aggregate_metric_double", PgType.JSONB), entry("completion", PgType.JSONB),
            entry("join", PgType.JSONB), entry("percolator", PgType.JSONB));
    private static final Set<PgType> INTEGERS = EnumSet.of(PgType.INT2, PgType.INT4, PgType.INT8);
    private static final Set<PgType> FLOATS = EnumSet.of(PgType.FLOAT4, PgType.FLOAT8);
    private static final Set<PgType> NUMBERS = EnumSet.of(PgType.INT2, PgType.INT4, PgType.INT8, PgType.FLOAT4,
            PgType.FLOAT8, PgType.NUMERIC);

    private EsTypes() {
    }

    /** The column type of an Elasticsearch field type; null when es_fdw does not know the type. */
    static PgType pgType(String esType) {
        return TYPES.get(esType);
    }

    /**
     * The one type that holds the values of fields typed differently in different indices, without loss:
     * the widest integer type, double precision for real and double, numeric for any other mix of numbers;
     * null when the types are not all numbers.
     */
    static PgType widest(Collection<PgType> types) {
        if (!NUMBERS.containsAll(types)) {
            return null;
        }
        if (INTEGERS.containsAll(types)) {
            return types.contains(PgType.INT8) ? PgType.INT8 : types.contains(PgType.INT4) ? PgType.INT4 : PgType.INT2;
        }
        if (FLOATS.containsAll(types)) {
            return types.contains(PgType.FLOAT8) ? PgType.FLOAT8 : PgType.FLOAT4;
        }
        return PgType.NUMERIC;
    }
}
