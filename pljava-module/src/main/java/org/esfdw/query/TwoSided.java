package org.esfdw.query;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two queries SQL's three-valued logic needs for one condition: the documents where it is TRUE and
 * those where it is FALSE. Every other document (a missing field, say) makes it UNKNOWN.
 */
record TwoSided(ObjectNode whenTrue, ObjectNode whenFalse) {

    /** NOT swaps TRUE and FALSE; UNKNOWN stays UNKNOWN. */
    TwoSided negated() {
        return new TwoSided(whenFalse, whenTrue);
    }

    /** A test on one field: FALSE where the field has a value and the test does not match it. */
    static TwoSided onField(String field, ObjectNode whenTrue) {
        return new TwoSided(whenTrue, Dsl.existsAndNot(field, whenTrue));
    }
}
