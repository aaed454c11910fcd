package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/**
 * float4 and float8: passes the exact decimal text on (PostgreSQL rounds it to the type), after checking
 * the value fits; accepts the strings NaN and Infinity in the spellings PostgreSQL knows.
 */
final class FloatConverter {
    static final FloatConverter FLOAT4 = new FloatConverter("real", true);
    static final FloatConverter FLOAT8 = new FloatConverter("double precision", false);

    private final String pgTypeName;
    private final boolean singlePrecision;
    /**
     * Values with this many integer digits or fewer (fewer than -this many leading fraction zeros) are
     * finite and non-zero in the type for sure: no need to round them (BigDecimal.doubleValue is slow).
     */
    private final int safeMagnitude;

    private FloatConverter(String pgTypeName, boolean singlePrecision) {
        this.pgTypeName = pgTypeName;
        this.singlePrecision = singlePrecision;
        this.safeMagnitude = singlePrecision ? 36 : 300;
    }

    String convert(JsonNode value) {
        if (value.isTextual()) {
            String special = JsonNumbers.specialValue(value.textValue());
            if (special != null) {
                return special;
            }
        }
        BigDecimal decimal = JsonNumbers.decimal(value);
        int magnitude = decimal.precision() - decimal.scale();
        if (decimal.signum() == 0 || (magnitude <= safeMagnitude && magnitude >= -safeMagnitude)) {
            return decimal.toString();
        }
        double rounded = singlePrecision ? decimal.floatValue() : decimal.doubleValue();
        if (Double.isInfinite(rounded) || (rounded == 0 && decimal.signum() != 0)) {
            throw new InvalidValue("is out of range for type " + pgTypeName);
        }
        return decimal.toString();
    }
}
