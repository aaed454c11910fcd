package org.esfdw.importschema;

import java.util.Arrays;
import java.util.Set;

/**
 * Whether es_fdw reads the values of a date field as the dates they are. es_fdw reads ISO 8601 text and
 * numbers as epoch milliseconds (Elasticsearch's default format, strict_date_optional_time||epoch_millis).
 * A field with any other format (epoch_second, "yyyy/MM/dd HH:mm", …) may hold values that es_fdw would
 * refuse or, worse, read as other instants (seconds taken for milliseconds), so it is imported as text.
 */
final class DateFormats {
    /** Elasticsearch's built-in formats whose every value is ISO 8601 text es_fdw reads, or epoch millis. */
    private static final Set<String> READABLE = Set.of("epoch_millis",
            "date_optional_time", "strict_date_optional_time", "strict_date_optional_time_nanos",
            "date_time", "strict_date_time", "date_time_no_millis", "strict_date_time_no_millis",
            "date", "strict_date", "year_month_day", "strict_year_month_day", "year_month", "strict_year_month",
            "year", "strict_year", "date_hour", "strict_date_hour", "date_hour_minute", "strict_date_hour_minute",
            "date_hour_minute_second", "strict_date_hour_minute_second",
            "date_hour_minute_second_millis", "strict_date_hour_minute_second_millis",
            "date_hour_minute_second_fraction", "strict_date_hour_minute_second_fraction",
            "yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ssZ",
            "yyyy-MM-dd'T'HH:mm:ss.SSSZ", "yyyy-MM-dd'T'HH:mm:ssXXX", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private DateFormats() {
    }

    /** @param format the mapping's format parameter ("a||b"), null for the default */
    static boolean readable(String format) {
        return format == null || Arrays.stream(format.split("\\|\\|")).map(String::strip).allMatch(READABLE::contains);
    }
}
