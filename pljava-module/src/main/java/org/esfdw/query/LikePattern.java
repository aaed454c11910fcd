package org.esfdw.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * A PostgreSQL LIKE pattern as an Elasticsearch query: 'abc%' (no other wildcard) is a prefix query,
 * '%' alone an exists query, anything else a wildcard query where % is *, _ is ?, a backslash makes the
 * next character literal, and Elasticsearch's own *, ? and \ are escaped. ILIKE adds case_insensitive.
 */
final class LikePattern {
    private static final String ES_SPECIAL = "*?\\";

    private final StringBuilder wildcard = new StringBuilder();
    private final StringBuilder literalPrefix = new StringBuilder();
    private boolean prefixForm = true;
    private boolean endsInAny;

    private LikePattern() {
    }

    static ObjectNode query(String field, String pattern, boolean caseInsensitive) {
        LikePattern parsed = parse(pattern);
        if (parsed.prefixForm && parsed.endsInAny) {
            return parsed.literalPrefix.isEmpty()
                    ? Dsl.exists(field)
                    : Dsl.pattern("prefix", field, parsed.literalPrefix.toString(), caseInsensitive);
        }
        return Dsl.pattern("wildcard", field, parsed.wildcard.toString(), caseInsensitive);
    }

    private static LikePattern parse(String pattern) {
        LikePattern parsed = new LikePattern();
        for (int i = 0; i < pattern.length(); i = pattern.offsetByCodePoints(i, 1)) {
            int c = pattern.codePointAt(i);
            if (c == '\\') {
                i++;
                if (i >= pattern.length()) {
                    throw new EsFdwException(SqlState.INVALID_ESCAPE_SEQUENCE,
                            "LIKE pattern must not end with escape character", null, null);
                }
                parsed.literal(pattern.codePointAt(i));
            } else if (c == '%') {
                parsed.wildcard.append('*');
                parsed.endsInAny = true;
            } else if (c == '_') {
                parsed.wildcard.append('?');
                parsed.prefixForm = false;
            } else {
                parsed.literal(c);
            }
        }
        return parsed;
    }

    private void literal(int codePoint) {
        if (endsInAny) {
            prefixForm = false;
        }
        if (ES_SPECIAL.indexOf(codePoint) >= 0) {
            wildcard.append('\\');
        }
        wildcard.appendCodePoint(codePoint);
        literalPrefix.appendCodePoint(codePoint);
    }
}
