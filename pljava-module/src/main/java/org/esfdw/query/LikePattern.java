package org.esfdw.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * A PostgreSQL LIKE pattern as an Elasticsearch query: 'abc%' (no other wildcard) is a prefix query,
 * '%' alone an exists query, anything else a wildcard query where % is *, _ is ?, a backslash makes the
 * next character literal, and Elasticsearch's own *, ? and \ are escaped. ILIKE adds case_insensitive,
 * which Elasticsearch applies to ASCII letters only: an ILIKE pattern with other letters that have case
 * (ü, Σ) becomes a regexp query where each letter is the class of its case forms ([üÜ]).
 */
final class LikePattern {
    private static final String ES_SPECIAL = "*?\\";

    private final StringBuilder wildcard = new StringBuilder();
    private final StringBuilder literalPrefix = new StringBuilder();
    private final StringBuilder regexp = new StringBuilder();
    private boolean nonAsciiCase;
    private boolean prefixForm = true;
    private boolean endsInAny;

    private LikePattern() {
    }

    static ObjectNode query(String field, String pattern, boolean caseInsensitive) {
        LikePattern parsed = parse(pattern);
        if (caseInsensitive && parsed.nonAsciiCase) {
            return Dsl.pattern("regexp", field, parsed.regexp.toString(), false);
        }
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
                parsed.regexp.append(".*");
                parsed.endsInAny = true;
            } else if (c == '_') {
                parsed.wildcard.append('?');
                parsed.regexp.append('.');
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
        regexpLiteral(codePoint);
    }

    /** A letter as the class of its case forms; ASCII punctuation escaped (Lucene reserves much of it). */
    private void regexpLiteral(int codePoint) {
        int[] forms = {codePoint, Character.toLowerCase(codePoint), Character.toUpperCase(codePoint),
                Character.toTitleCase(codePoint)};
        String cased = Arrays.stream(forms).distinct()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        if (cased.codePointCount(0, cased.length()) > 1) {
            nonAsciiCase |= codePoint > 0x7f || cased.codePoints().anyMatch(c -> c > 0x7f);
            regexp.append('[').append(cased).append(']');
        } else if (codePoint < 0x80 && !Character.isLetterOrDigit(codePoint)) {
            regexp.append('\\').appendCodePoint(codePoint);
        } else {
            regexp.appendCodePoint(codePoint);
        }
    }
}
