package org.esfdw.importschema;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Readable PostgreSQL names for Elasticsearch names (indices, field paths): lower case, every run of
 * characters other than a-z and 0-9 one '_', no '_' at either end, '_' before a leading digit, at most 63
 * bytes, "unnamed" when nothing is left. A name that is already such a name is kept as it is ("my__field").
 * The C shim quotes every name, so keywords such as "user" need no care here.
 */
final class PgNames {
    /** PostgreSQL's NAMEDATALEN - 1: longer names would be truncated by PostgreSQL itself. */
    static final int MAX_BYTES = 63;
    private static final Pattern LEGAL = Pattern.compile("[a-z_][a-z0-9_]{0," + (MAX_BYTES - 1) + "}");
    private static final Pattern ILLEGAL_RUNS = Pattern.compile("[^a-z0-9]+");

    private PgNames() {
    }

    /** "@timestamp" → "timestamp", "http.response.status_code" → "http_response_status_code" */
    static String readable(String name) {
        if (LEGAL.matcher(name).matches()) {
            return name;
        }
        String readable = ILLEGAL_RUNS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_");
        readable = stripUnderscores(readable);
        if (readable.isEmpty()) {
            return "unnamed";
        }
        if (Character.isDigit(readable.charAt(0))) {
            readable = "_" + readable;
        }
        return readable.length() > MAX_BYTES ? stripUnderscores(readable.substring(0, MAX_BYTES)) : readable;
    }

    /**
     * One distinct readable name per source name, none of them taken already. Names that are their own
     * readable name get it first (field "a_b" is column a_b even next to field "a.b"); the others take turns
     * in order, a taken name getting the first free suffix _2, _3, …
     */
    static List<String> unique(List<String> names, Set<String> taken) {
        Set<String> used = new HashSet<>(taken);
        List<String> unique = new ArrayList<>();
        for (String name : names) {
            unique.add(readable(name).equals(name) && used.add(name) ? name : null);
        }
        for (int i = 0; i < names.size(); i++) {
            if (unique.get(i) == null) {
                unique.set(i, free(readable(names.get(i)), used));
            }
        }
        return unique;
    }

    private static String free(String name, Set<String> used) {
        if (used.add(name)) {
            return name;
        }
        for (int n = 2; ; n++) {
            String suffix = "_" + n;
            String base = name.length() + suffix.length() > MAX_BYTES
                    ? name.substring(0, MAX_BYTES - suffix.length()) : name;
            if (used.add(base + suffix)) {
                return base + suffix;
            }
        }
    }

    private static String stripUnderscores(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '_') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '_') {
            end--;
        }
        return name.substring(start, end);
    }
}
