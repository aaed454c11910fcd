package org.esfdw.query;

import java.util.Arrays;
import java.util.Optional;

/** The comparison operators of a cmp node, by their boundary name, with the range key each one uses. */
public enum CmpOp {
    EQ("eq", null),
    NE("ne", null),
    LT("lt", "lt"),
    LE("le", "lte"),
    GT("gt", "gt"),
    GE("ge", "gte");

    private final String boundaryName;
    private final String rangeKey;

    CmpOp(String boundaryName, String rangeKey) {
        this.boundaryName = boundaryName;
        this.rangeKey = rangeKey;
    }

    /** The key of an Elasticsearch range query for this operator ("gte" for ge); eq and ne have none. */
    public String rangeKey() {
        return rangeKey;
    }

    public static Optional<CmpOp> fromName(String name) {
        return Arrays.stream(values()).filter(op -> op.boundaryName.equals(name)).findFirst();
    }
}
