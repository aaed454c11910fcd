package org.esfdw.query;

import java.util.EnumMap;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.types.PgType;

/** Which rule compares values of each column type; types missing here are never pushed down by C. */
final class ValueRules {
    private static final Map<PgType, ValueRule> BY_TYPE = new EnumMap<>(PgType.class);

    static {
        for (PgType exact : new PgType[] {PgType.TEXT, PgType.UUID, PgType.INET, PgType.BOOL, PgType.INT2,
                PgType.INT4, PgType.INT8, PgType.FLOAT4, PgType.FLOAT8, PgType.NUMERIC}) {
            BY_TYPE.put(exact, ExactValueRule.INSTANCE);
        }
        BY_TYPE.put(PgType.DATE, WholeDayRule.INSTANCE);
        BY_TYPE.put(PgType.TIMESTAMP, InstantRule.INSTANCE);
        BY_TYPE.put(PgType.TIMESTAMPTZ, InstantRule.INSTANCE);
    }

    private ValueRules() {
    }

    static ValueRule of(PgType type, String field) {
        ValueRule rule = BY_TYPE.get(type);
        if (rule == null) {
            throw new EsFdwException(SqlState.FDW_ERROR, "es_fdw cannot push down a comparison of type "
                    + type.sqlName() + " on field \"" + field + "\"", null, null);
        }
        return rule;
    }
}
