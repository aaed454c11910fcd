package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * A date column reads the UTC day of the field (see org.esfdw.types.EsDates), so it compares whole UTC
 * days: each operator becomes bounds at the start of day D or of D+1, always gte/lt (Elasticsearch
 * rounds a date without time up to the day's last millisecond for gt and lte, never for gte and lt).
 */
final class WholeDayRule implements ValueRule {
    static final WholeDayRule INSTANCE = new WholeDayRule();

    /** A range bound: its key and how many days after D it lies. */
    private record Bound(String key, int daysAfter) {
    }

    private static final Map<CmpOp, List<Bound>> BOUNDS = new EnumMap<>(Map.of(
            CmpOp.EQ, List.of(new Bound("gte", 0), new Bound("lt", 1)),
            CmpOp.LT, List.of(new Bound("lt", 0)),
            CmpOp.LE, List.of(new Bound("lt", 1)),
            CmpOp.GT, List.of(new Bound("gte", 1)),
            CmpOp.GE, List.of(new Bound("gte", 0))));

    private WholeDayRule() {
    }

    @Override
    public ObjectNode compare(String field, CmpOp op, JsonNode value) {
        Map<String, JsonNode> bounds = new LinkedHashMap<>();
        for (Bound bound : BOUNDS.get(op)) {
            bounds.put(bound.key(), TextNode.valueOf(dayText(value, bound.daysAfter())));
        }
        return Dsl.range(field, bounds, Dsl.DATE_FORMAT);
    }

    /** D plus some days; for a placeholder, in Elasticsearch date math ("$1||+1d"). */
    private static String dayText(JsonNode value, int daysAfter) {
        if (ValueRule.isPlaceholder(value)) {
            return daysAfter == 0 ? value.textValue() : value.textValue() + "||+" + daysAfter + "d";
        }
        return day(value).plusDays(daysAfter).toString();
    }

    private static LocalDate day(JsonNode value) {
        try {
            return LocalDate.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new EsFdwException(SqlState.FDW_ERROR, "invalid es_fdw scan description: date value " + value
                    + " is not YYYY-MM-DD", null, null);
        }
    }
}
