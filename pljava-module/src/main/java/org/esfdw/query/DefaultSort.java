package org.esfdw.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.esfdw.EsFdwException;
import org.esfdw.SqlState;

/**
 * Reads pg_es_fdw's default_sort option, "field[:asc|desc][,field[:asc|desc]…]", into sort keys. Without a
 * direction a field sorts ascending and _score descending, and documents without the field come last
 * (Elasticsearch's own defaults, which pg_es_fdw relied on).
 */
public final class DefaultSort {
    private DefaultSort() {
    }

    public static List<SortKey> parse(String option) {
        List<SortKey> keys = new ArrayList<>();
        for (String entry : option.split(",", -1)) {
            keys.add(key(option, entry.strip()));
        }
        return keys;
    }

    private static SortKey key(String option, String entry) {
        int colon = entry.lastIndexOf(':');
        String field = (colon < 0 ? entry : entry.substring(0, colon)).strip();
        if (field.isEmpty()) {
            throw invalid(option, "a sort key has no field name");
        }
        if (colon < 0) {
            return new SortKey(field, field.equals(SortKey.SCORE), false);
        }
        String direction = entry.substring(colon + 1).strip().toLowerCase(Locale.ROOT);
        return switch (direction) {
            case "asc" -> new SortKey(field, false, false);
            case "desc" -> new SortKey(field, true, false);
            default -> throw invalid(option, "\"" + entry.substring(colon + 1).strip()
                    + "\" after field \"" + field + "\" is not asc or desc");
        };
    }

    private static EsFdwException invalid(String option, String why) {
        return new EsFdwException(SqlState.INVALID_VALUE, "invalid value for option \"default_sort\": \"" + option
                + "\"", why + ".", "Write default_sort as field[:asc|desc], several separated by commas, "
                + "e.g. 'views:desc,title'.");
    }
}
