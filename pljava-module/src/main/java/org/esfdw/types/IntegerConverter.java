package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;

/** int2, int4 and int8: accepts integral numbers, 12.0, and numeric strings; range-checked. */
final class IntegerConverter {
    static final IntegerConverter INT2 = new IntegerConverter("smallint", Short.MIN_VALUE, Short.MAX_VALUE);
    static final IntegerConverter INT4 = new IntegerConverter("integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
    static final IntegerConverter INT8 = new IntegerConverter("bigint", Long.MIN_VALUE, Long.MAX_VALUE);

    /** Longer than any bigint: no need to build a huge BigInteger to know it is out of range. */
    private static final int MAX_DIGITS = 20;

    private final String pgTypeName;
    private final BigInteger min;
    private final BigInteger max;
    private final long minLong;
    private final long maxLong;

    private IntegerConverter(String pgTypeName, long min, long max) {
        this.pgTypeName = pgTypeName;
        this.minLong = min;
        this.maxLong = max;
        this.min = BigInteger.valueOf(min);
        this.max = BigInteger.valueOf(max);
    }

    String convert(JsonNode value) {
        if (value.isInt() || value.isLong()) {
            long integer = value.longValue();
            if (integer < minLong || integer > maxLong) {
                throw outOfRange();
            }
            return Long.toString(integer);
        }
        BigDecimal decimal = JsonNumbers.decimal(value);
        if (JsonNumbers.integerDigits(decimal) > MAX_DIGITS) {
            throw outOfRange();
        }
        BigInteger integer = exactInteger(decimal);
        if (integer.compareTo(min) < 0 || integer.compareTo(max) > 0) {
            throw outOfRange();
        }
        return integer.toString();
    }

    private static BigInteger exactInteger(BigDecimal decimal) {
        try {
            return decimal.toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new InvalidValue("is not an integer");
        }
    }

    private InvalidValue outOfRange() {
        return new InvalidValue("is out of range for type " + pgTypeName);
    }
}
