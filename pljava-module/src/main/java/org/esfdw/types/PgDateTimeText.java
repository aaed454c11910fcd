package org.esfdw.types;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/**
 * Writes dates and times in PostgreSQL's ISO input syntax: fractions only as long as needed, and years
 * before 1 AD with PostgreSQL's "BC" suffix (ISO year 0 is 1 BC).
 */
final class PgDateTimeText {
    private PgDateTimeText() {
    }

    static String date(LocalDate date) {
        StringBuilder text = new StringBuilder(13);
        yearMonthDay(text, date);
        return era(text, date).toString();
    }

    static String time(LocalTime time) {
        return time(new StringBuilder(18), time).toString();
    }

    static String timestamp(LocalDateTime dateTime) {
        StringBuilder text = new StringBuilder(32);
        yearMonthDay(text, dateTime.toLocalDate());
        time(text.append(' '), dateTime.toLocalTime());
        return era(text, dateTime.toLocalDate()).toString();
    }

    static String utcTimestamptz(LocalDateTime utc) {
        StringBuilder text = new StringBuilder(35);
        yearMonthDay(text, utc.toLocalDate());
        time(text.append(' '), utc.toLocalTime()).append("+00");
        return era(text, utc.toLocalDate()).toString();
    }

    /** hh:mm:ss and the fraction without trailing zeros (none when whole); no String.format, it is slow. */
    private static StringBuilder time(StringBuilder text, LocalTime time) {
        zeroPadded(text, time.getHour(), 2).append(':');
        zeroPadded(text, time.getMinute(), 2).append(':');
        zeroPadded(text, time.getSecond(), 2);
        int nanos = time.getNano();
        if (nanos != 0) {
            int digits = 9;
            while (nanos % 10 == 0) {
                nanos /= 10;
                digits--;
            }
            zeroPadded(text.append('.'), nanos, digits);
        }
        return text;
    }

    private static void yearMonthDay(StringBuilder text, LocalDate date) {
        int year = date.getYear() > 0 ? date.getYear() : 1 - date.getYear();
        zeroPadded(text, year, 4).append('-');
        zeroPadded(text, date.getMonthValue(), 2).append('-');
        zeroPadded(text, date.getDayOfMonth(), 2);
    }

    private static StringBuilder era(StringBuilder text, LocalDate date) {
        return date.getYear() > 0 ? text : text.append(" BC");
    }

    /** A non-negative value in at least width digits, like "%0<width>d". */
    private static StringBuilder zeroPadded(StringBuilder text, int value, int width) {
        for (int limit = 10, digits = 1; digits < width; limit *= 10, digits++) {
            if (value < limit) {
                text.append('0');
            }
        }
        return text.append(value);
    }
}
