package org.esfdw.types;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** date, timestamp, timestamptz and time from Elasticsearch dates (see EsDates), all in UTC. */
final class DateTimeConverters {
    private DateTimeConverters() {
    }

    static String date(JsonNode value) {
        return PgDateTimeText.date(EsDates.utc(value).toLocalDate());
    }

    static String timestamp(JsonNode value) {
        return PgDateTimeText.timestamp(EsDates.utc(value));
    }

    static String timestamptz(JsonNode value) {
        return PgDateTimeText.utcTimestamptz(EsDates.utc(value));
    }

    /** A time of day ("03:04:05.123") as is; any other date value gives its UTC time of day. */
    static String time(JsonNode value) {
        if (value.isTextual()) {
            try {
                String text = value.textValue().strip();
                return PgDateTimeText.time(LocalTime.parse(text, DateTimeFormatter.ISO_LOCAL_TIME));
            } catch (DateTimeParseException e) {
                // not a bare time of day: read it as a date-time below
            }
        }
        return PgDateTimeText.time(EsDates.utc(value).toLocalTime());
    }
}
