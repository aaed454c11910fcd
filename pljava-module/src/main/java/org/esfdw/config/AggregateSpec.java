package org.esfdw.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;
import org.esfdw.types.PgType;

/**
 * A GROUP BY query C pushed down (docs/boundary.md, "GROUP BY and aggregates"): the grouping fields and,
 * in the order of the row's columns, each output: a group key, the document count, a field's value
 * count, or a field's min, max, sum or avg.
 */
public record AggregateSpec(List<Group> groupBy, List<Output> outputs) {

    /** A grouping field; a date column groups by whole UTC days. */
    public record Group(String field, PgType type) {
    }

    /**
     * One output column: kind is group (with the group's position), count, count_field, min, max, sum or avg;
     * type is the column's type, of which the aggregate's result follows.
     */
    public record Output(String name, String kind, int group, String field, PgType type) {

        /** An integer column: its sum and avg must be exact, which Elasticsearch's double sums are only within 2^53. */
        public boolean integral() {
            return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8;
        }
    }

    public AggregateSpec {
        groupBy = List.copyOf(groupBy);
        outputs = List.copyOf(outputs);
    }

    /** The "aggregate" object of a description, or null when there is none. */
    public static AggregateSpec parse(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        List<Group> groups = new ArrayList<>();
        for (JsonNode group : node.path("group_by")) {
            groups.add(new Group(group.path("field").asText(), PgType.fromName(group.path("type").asText())));
        }
        List<Output> outputs = new ArrayList<>();
        for (JsonNode output : node.path("outputs")) {
            outputs.add(output(output, groups.size()));
        }
        return new AggregateSpec(groups, outputs);
    }

    private static Output output(JsonNode node, int groups) {
        String kind = node.path("kind").asText();
        switch (kind) {
            case "group" -> {
                int group = node.path("group").asInt(-1);
                if (group < 0 || group >= groups) {
                    throw invalid("group " + group + " of output \"" + node.path("name").asText() + "\" does not exist");
                }
                return new Output(node.path("name").asText(), kind, group, null, null);
            }
            case "count" -> {
                return new Output(node.path("name").asText(), kind, -1, null, null);
            }
            case "count_field", "min", "max", "sum", "avg" -> {
                return new Output(node.path("name").asText(), kind, -1, node.path("field").asText(),
                        PgType.fromName(node.path("type").asText()));
            }
            default -> throw invalid("unknown aggregate output kind \"" + kind + "\"");
        }
    }

    private static EsFdwException invalid(String message) {
        return new EsFdwException(SqlState.FDW_ERROR, "invalid aggregate description: " + message, null, null);
    }
}
