package org.esfdw.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.config.AggregateSpec;
import org.esfdw.types.PgType;

/**
 * Aggregation answers as the JSON values the column converters read: metrics come back as doubles (a date
 * as epoch milliseconds, an integer as n.0), which become exact longs; a boolean group key may come back
 * as 1/0; a missing key or metric is null, as is the sum or avg of no values.
 *
 * <p>An integer sum is a double in Elasticsearch, exact while every partial sum stays within 2^53, which
 * count × the largest magnitude bounds: within it the sum is returned, beyond it the query fails rather
 * than answer a rounded sum. The avg of integers is PostgreSQL's numeric division, which C does: it gets
 * "sum/count".
 */
final class AggregationValues {
    static final long EXACT_DOUBLE_LIMIT = 1L << 53;

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

    /** The value of a metric output from its aggregation's answer; where names the index and server. */
    static JsonNode output(AggregateSpec.Output output, JsonNode answer, String where) {
        return switch (output.kind()) {
            case "min", "max" -> output.type() == PgType.INT8 ? extremeHit(answer) : metric(answer.path("value"), output.type());
            case "sum", "avg" -> sumOrAvg(output, answer, where);
            default -> metric(answer.path("value"), output.type());
        };
    }

    /** A bigint min/max: the sort value of the top hit among the documents that have the field. */
    private static JsonNode extremeHit(JsonNode answer) {
        JsonNode value = answer.path(AggregationRequests.EXTREME).path("hits").path("hits").path(0).path("sort").path(0);
        return answer.path("doc_count").asLong() == 0 || !value.isIntegralNumber() ? NullNode.getInstance()
                : LongNode.valueOf(value.asLong());
    }

    private static JsonNode sumOrAvg(AggregateSpec.Output output, JsonNode stats, String where) {
        long count = stats.path("count").asLong();
        if (count == 0) {
            return NullNode.getInstance();
        }
        if (!output.integral()) {
            return DoubleNode.valueOf(stats.path(output.kind()).asDouble());
        }
        requireExact(output, stats, count, where);
        long sum = (long) stats.path("sum").asDouble();
        return output.kind().equals("sum") ? LongNode.valueOf(sum) : TextNode.valueOf(sum + "/" + count);
    }

    private static void requireExact(AggregateSpec.Output output, JsonNode stats, long count, String where) {
        double largest = Math.max(Math.abs(stats.path("min").asDouble()), Math.abs(stats.path("max").asDouble()));
        boolean exact = largest < EXACT_DOUBLE_LIMIT
                && Math.multiplyHigh((long) largest, count) == 0 && (long) largest * count <= EXACT_DOUBLE_LIMIT;
        if (!exact) {
            throw new EsFdwException(SqlState.FDW_ERROR,
                    "Elasticsearch cannot compute " + output.kind() + "(" + output.field() + ") exactly on " + where,
                    "Elasticsearch adds in doubles, exact up to 2^53; " + count + " values of magnitude up to "
                            + String.format("%.0f", largest) + " can exceed that.",
                    "SET es_fdw.enable_aggregate_pushdown = off to aggregate in PostgreSQL.");
        }
    }
}
