package org.esfdw.types;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.NANO_OF_SECOND;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads an Elasticsearch date the way its default format "strict_date_optional_time||epoch_millis" does,
 * as a UTC date-time: ISO text with an offset is converted to UTC, ISO text without one is UTC already
 * (as Elasticsearch reads it), numbers and numeric strings are milliseconds since the epoch.
 */
final class EsDates {
    private static final DateTimeFormatter STRICT_DATE_OPTIONAL_TIME = new DateTimeFormatterBuilder()
            .appendValue(YEAR, 4)
            .optionalStart().appendLiteral('-').appendValue(MONTH_OF_YEAR, 2)
            .optionalStart().appendLiteral('-').appendValue(DAY_OF_MONTH, 2)
            .optionalStart().appendLiteral('T').appendValue(HOUR_OF_DAY, 2)
            .optionalStart().appendLiteral(':').appendValue(MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(SECOND_OF_MINUTE, 2)
            .optionalStart().appendFraction(NANO_OF_SECOND, 1, 9, true)
            .optionalEnd().optionalEnd().optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .optionalEnd().optionalEnd().optionalEnd()
            .parseDefaulting(MONTH_OF_YEAR, 1)
            .parseDefaulting(DAY_OF_MONTH, 1)
            .parseDefaulting(HOUR_OF_DAY, 0)
            .parseDefaulting(MINUTE_OF_HOUR, 0)
            .parseDefaulting(SECOND_OF_MINUTE, 0)
            .parseDefaulting(NANO_OF_SECOND, 0)
            .toFormatter(Locale.ROOT)
            .withChronology(IsoChronology.INSTANCE)
            .withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern EPOCH_MILLIS = Pattern.compile("-?\\d+(\\.\\d+)?");
    /** More digits than any millisecond count LocalDateTime can hold. */
    private static final int MAX_EPOCH_DIGITS = 18;

    private EsDates() {
    }

    static LocalDateTime utc(JsonNode value) {
        if (value.isNumber()) {
            return fromEpochMillis(value.decimalValue());
        }
        if (!value.isTextual()) {
            throw notADate();
        }
        String text = value.textValue().strip();
        LocalDateTime common = commonIso(text);
        if (common != null) {
            return common;
        }
        try {
            return fromIso(text);
        } catch (DateTimeParseException e) {
            if (EPOCH_MILLIS.matcher(text).matches()) {
                return fromEpochMillis(new BigDecimal(text));
            }
            throw notADate();
        }
    }

    /**
     * The shapes nearly every document uses, read without the formatter (which is slow): yyyy-MM-dd and
     * yyyy-MM-ddTHH:mm:ss with an optional fraction of 1 to 9 digits and an optional Z. Null for any other
     * text or an invalid field value, which the formatter then reads (or refuses) as before.
     */
    static LocalDateTime commonIso(String text) {
        int length = text.length();
        if (length < 10 || text.charAt(4) != '-' || text.charAt(7) != '-') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31) {
            return null;
        }
        int hour = 0;
        int minute = 0;
        int second = 0;
        int nanos = 0;
        if (length > 10) {
            int end = text.charAt(length - 1) == 'Z' ? length - 1 : length;
            if (end < 19 || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
                return null;
            }
            hour = digits(text, 11, 2);
            minute = digits(text, 14, 2);
            second = digits(text, 17, 2);
            if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
                return null;
            }
            if (end > 19) {
                int fractionDigits = end - 20;
                if (text.charAt(19) != '.' || fractionDigits < 1 || fractionDigits > 9) {
                    return null;
                }
                nanos = digits(text, 20, fractionDigits);
                if (nanos < 0) {
                    return null;
                }
                for (int i = fractionDigits; i < 9; i++) {
                    nanos *= 10;
                }
            }
        }
        if (day > 28 && day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        return LocalDateTime.of(year, month, day, hour, minute, second, nanos);
    }

    /** The value of count ASCII digits at start, or -1 when one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static LocalDateTime fromIso(String text) {
        TemporalAccessor parsed = STRICT_DATE_OPTIONAL_TIME.parse(text);
        LocalDateTime local = LocalDateTime.from(parsed);
        ZoneOffset offset = parsed.query(TemporalQueries.offset());
        return offset == null ? local : local.atOffset(offset).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    private static LocalDateTime fromEpochMillis(BigDecimal millis) {
        if (JsonNumbers.integerDigits(millis) > MAX_EPOCH_DIGITS) {
            throw new InvalidValue("is out of range for a date");
        }
        BigDecimal seconds = millis.movePointLeft(3);
        BigDecimal wholeSeconds = seconds.setScale(0, RoundingMode.FLOOR);
        int nanos = seconds.subtract(wholeSeconds).movePointRight(9).setScale(0, RoundingMode.DOWN).intValueExact();
        return LocalDateTime.ofEpochSecond(wholeSeconds.longValueExact(), nanos, ZoneOffset.UTC);
    }

    private static InvalidValue notADate() {
        return new InvalidValue("is not a date in strict_date_optional_time or epoch_millis format");
    }
}
