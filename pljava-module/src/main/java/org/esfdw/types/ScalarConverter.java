package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns one non-null, non-array JSON value into the input syntax of a PostgreSQL type. */
@FunctionalInterface
interface ScalarConverter {
    /** @throws InvalidValue when the value does not fit the type */
    String toPgText(JsonNode value);
}
