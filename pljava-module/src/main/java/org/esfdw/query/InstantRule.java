package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * timestamp and timestamptz compare instants (a timestamp without zone is UTC, as the read path shows
 * it). PostgreSQL has microseconds, a date field milliseconds, and Elasticsearch truncates a finer value
 * to the millisecond: for v with a sub-millisecond part and m = v truncated, a date field's "gt v" and
 * "lte v" already mean "> v" and "<= v", but "gte v" and "lt v" would match m. So those operators add a
 * bound on m that is a no-op on a date_nanos field and exact on a date field:
 * eq: [v,v] and > m (nothing on a date field); ge: >= v and > m; lt: < v or <= m.
 */
final class InstantRule implements ValueRule {
    static final InstantRule INSTANCE = new InstantRule();

    private InstantRule() {
    }

    @Override
    public ObjectNode compare(String field, CmpOp op, JsonNode value) {
        if (ValueRule.isPlaceholder(value)) {
            return op == CmpOp.EQ ? range(field, "gte", value, "lte", value) : range(field, op.rangeKey(), value);
        }
        Instant instant = instant(value);
        TextNode exact = text(instant);
        if (instant.getNano() % 1_000_000 == 0) {
            return op == CmpOp.EQ ? range(field, "gte", exact, "lte", exact) : range(field, op.rangeKey(), exact);
        }
        TextNode millis = text(instant.truncatedTo(ChronoUnit.MILLIS));
        return switch (op) {
            case EQ -> Dsl.allOf(List.of(range(field, "gte", exact, "lte", exact), range(field, "gt", millis)));
            case GE -> Dsl.allOf(List.of(range(field, "gte", exact), range(field, "gt", millis)));
            case LT -> Dsl.anyOf(List.of(range(field, "lt", exact), range(field, "lte", millis)));
            default -> range(field, op.rangeKey(), exact);
        };
    }

    private static ObjectNode range(String field, String key, JsonNode value) {
        return Dsl.range(field, Map.of(key, value), Dsl.DATE_FORMAT);
    }

    private static ObjectNode range(String field, String key1, JsonNode value1, String key2, JsonNode value2) {
        Map<String, JsonNode> bounds = new LinkedHashMap<>();
        bounds.put(key1, value1);
        bounds.put(key2, value2);
        return Dsl.range(field, bounds, Dsl.DATE_FORMAT);
    }

    /** "2024-02-29T21:59:58.123456Z": ISO, UTC, the fraction in groups of three digits as needed. */
    private static TextNode text(Instant instant) {
        return TextNode.valueOf(DateTimeFormatter.ISO_INSTANT.format(instant));
    }

    private static Instant instant(JsonNode value) {
        String text = value.asText();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new EsFdwException(SqlState.FDW_ERROR, "invalid es_fdw scan description: timestamp value "
                        + value + " is not ISO 8601", null, null);
            }
        }
    }
}
