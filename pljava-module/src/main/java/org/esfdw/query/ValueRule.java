package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** How one family of column types compares a field with constants: the query of the TRUE documents. */
interface ValueRule {
    /** "$1": a parameter C could not evaluate (EXPLAIN of a generic plan); shown, never sent. */
    static boolean isPlaceholder(JsonNode value) {
        return value.isTextual() && value.textValue().matches("\\$\\d+");
    }

    /** field (op) value, for eq, lt, le, gt and ge (ne is NOT eq). */
    ObjectNode compare(String field, CmpOp op, JsonNode value);

    /** field IN (values): any of the equalities. */
    default ObjectNode in(String field, List<JsonNode> values) {
        return Dsl.anyOf(values.stream().map(value -> compare(field, CmpOp.EQ, value)).toList());
    }
}
