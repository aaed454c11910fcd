package org.esfdw.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Text, uuid, inet, bool and numbers: the JSON value goes to Elasticsearch as it is, in term, terms and
 * range queries (numbers stay exact JSON numbers, never doubles).
 */
final class ExactValueRule implements ValueRule {
    static final ExactValueRule INSTANCE = new ExactValueRule();

    private ExactValueRule() {
    }

    @Override
    public ObjectNode compare(String field, CmpOp op, JsonNode value) {
        return op == CmpOp.EQ ? Dsl.term(field, value) : Dsl.range(field, Map.of(op.rangeKey(), value), null);
    }

    @Override
    public ObjectNode in(String field, List<JsonNode> values) {
        return Dsl.terms(field, values);
    }
}
