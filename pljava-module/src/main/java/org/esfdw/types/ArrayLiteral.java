package org.esfdw.types;

import java.util.List;

/** Writes a one-dimensional PostgreSQL array literal, every element quoted, null elements as NULL. */
final class ArrayLiteral {
    private ArrayLiteral() {
    }

    static String of(List<String> elements) {
        StringBuilder literal = new StringBuilder("{");
        for (String element : elements) {
            if (literal.length() > 1) {
                literal.append(',');
            }
            appendElement(literal, element);
        }
        return literal.append('}').toString();
    }

    private static void appendElement(StringBuilder literal, String element) {
        if (element == null) {
            literal.append("NULL");
            return;
        }
        literal.append('"');
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\') {
                literal.append('\\');
            }
            literal.append(c);
        }
        literal.append('"');
    }
}
