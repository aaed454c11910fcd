package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.esfdw.types.PgType;

/**
 * Aggregation answers as the JSON values the column converters read: metrics come back as doubles (a date
 * as epoch milliseconds, an integer as n.0), which become exact longs; a boolean group key may come back
 * as 1/0; a missing key or metric is null.
 */
final class AggregationValues {
    private AggregationValues() {
    }

    static JsonNode groupKey(JsonNode key, PgType type) {
        if (key.isMissingNode() || key.isNull()) {
            return NullNode.getInstance();
        }
        if (type == PgType.BOOL && key.isNumber()) {
            return BooleanNode.valueOf(key.asLong() != 0);
        }
        return key;
    }

    static JsonNode metric(JsonNode value, PgType type) {
        if (value.isMissingNode() || value.isNull()) {
            return NullNode.getInstance();
        }
        if (value.isNumber() && type != PgType.FLOAT4 && type != PgType.FLOAT8 && type != PgType.NUMERIC) {
            return LongNode.valueOf(Math.round(value.doubleValue()));
        }
        return value;
    }
}
