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
        return yearMonthDay(date) + era(date);
    }

    static String time(LocalTime time) {
        return String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond())
                + fraction(time.getNano());
    }

    static String timestamp(LocalDateTime dateTime) {
        return yearMonthDay(dateTime.toLocalDate()) + " " + time(dateTime.toLocalTime()) + era(dateTime.toLocalDate());
    }

    static String utcTimestamptz(LocalDateTime utc) {
        return yearMonthDay(utc.toLocalDate()) + " " + time(utc.toLocalTime()) + "+00" + era(utc.toLocalDate());
    }

    private static String yearMonthDay(LocalDate date) {
        int year = date.getYear() > 0 ? date.getYear() : 1 - date.getYear();
        return String.format("%04d-%02d-%02d", year, date.getMonthValue(), date.getDayOfMonth());
    }

    private static String era(LocalDate date) {
        return date.getYear() > 0 ? "" : " BC";
    }

    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        return "." + String.format("%09d", nanos).replaceAll("0+$", "");
    }
}
