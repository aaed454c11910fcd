package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HexFormat;

/** bytea: an Elasticsearch binary value (base64 text) in PostgreSQL's hex format, \x0102... */
final class ByteaConverter {
    private ByteaConverter() {
    }

    static String convert(JsonNode value) {
        if (!value.isTextual()) {
            throw new InvalidValue("is not base64 text");
        }
        try {
            return "\\x" + HexFormat.of().formatHex(Base64.getDecoder().decode(value.textValue()));
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("is not valid base64");
        }
    }
}
