package org.esfdw.types;

import static org.esfdw.types.ScalarConversionTest.convert;
import static org.esfdw.types.ScalarConversionTest.reason;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DateTimeConversionTest {

    @Test
    void dateFromIsoStringsOfEveryPrecision() {
        assertEquals("2024-01-02", convert("\"2024-01-02\"", PgType.DATE));
        assertEquals("2024-01-01", convert("\"2024\"", PgType.DATE));
        assertEquals("2024-03-01", convert("\"2024-03\"", PgType.DATE));
        assertEquals("2024-01-02", convert("\"2024-01-02T03:04:05.123Z\"", PgType.DATE));
    }

    @Test
    void dateWithOffsetIsTheUtcDate() {
        assertEquals("2024-01-03", convert("\"2024-01-02T23:00:00-05:00\"", PgType.DATE));
    }

    @Test
    void dateFromEpochMillisNumbersAndNumericStrings() {
        assertEquals("2023-11-14", convert("1700000000000", PgType.DATE));
        assertEquals("2023-11-14", convert("\"1700000000000\"", PgType.DATE));
        assertEquals("1969-12-31", convert("-1", PgType.DATE));
    }

    @Test
    void timestampConvertsOffsetsToUtcAndKeepsFractions() {
        assertEquals("2024-01-02 03:04:05", convert("\"2024-01-02T03:04:05\"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 02:04:05.123", convert("\"2024-01-02T03:04:05.123+01:00\"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 02:04:05", convert("\"2024-01-02T03:04:05+0100\"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 03:04:05.123456", convert("\"2024-01-02T03:04:05.123456Z\"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 03:04:00", convert("\"2024-01-02T03:04\"", PgType.TIMESTAMP));
        assertEquals("2023-11-14 22:13:20.5", convert("1700000000500", PgType.TIMESTAMP));
    }

    @Test
    void timestamptzIsUtcWithExplicitOffset() {
        assertEquals("2024-01-02 03:04:05.123+00", convert("\"2024-01-02T03:04:05.123Z\"", PgType.TIMESTAMPTZ));
        assertEquals("2024-01-02 01:04:05+00", convert("\"2024-01-02T03:04:05+02:00\"", PgType.TIMESTAMPTZ));
        assertEquals("1970-01-01 00:00:00.001+00", convert("1", PgType.TIMESTAMPTZ));
    }

    @Test
    void yearsBeforeOneAdUsePostgresBcSuffix() {
        assertEquals("0001-12-31 23:59:59.999+00 BC", convert("-62135596800001", PgType.TIMESTAMPTZ));
    }

    @Test
    void timeFromTimeOfDayStringsAndFromDates() {
        assertEquals("03:04:05.25", convert("\"03:04:05.25\"", PgType.TIME));
        assertEquals("03:04:00", convert("\"03:04\"", PgType.TIME));
        assertEquals("02:04:05", convert("\"2024-01-02T03:04:05+01:00\"", PgType.TIME));
        assertEquals("22:13:20", convert("1700000000000", PgType.TIME));
    }

    @Test
    void invalidDatesAreRefused() {
        String reason = "is not a date in strict_date_optional_time or epoch_millis format";
        assertEquals(reason, reason("\"2024-02-30\"", PgType.DATE));
        assertEquals(reason, reason("\"yesterday\"", PgType.TIMESTAMP));
        assertEquals(reason, reason("true", PgType.TIMESTAMPTZ));
        assertEquals("is out of range for a date", reason("1e30", PgType.DATE));
    }

    /** The hand-read common shapes (EsDates.commonIso) give what the formatter gives, and defer the rest. */
    @Test
    void commonIsoShapesAgreeWithTheFormatter() {
        assertEquals("2024-02-29", convert("\"2024-02-29\"", PgType.DATE));
        assertEquals("0001-01-01 BC", convert("\"0000-01-01\"", PgType.DATE));
        assertEquals("0001-02-29 00:00:00 BC", convert("\"0000-02-29T00:00:00\"", PgType.TIMESTAMP));
        assertEquals("9999-12-31 23:59:59.000000001+00",
                convert("\"9999-12-31T23:59:59.000000001Z\"", PgType.TIMESTAMPTZ));
        assertEquals("2024-01-02 03:04:05.1", convert("\"2024-01-02T03:04:05.100\"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 03:04:05", convert("\" 2024-01-02T03:04:05.0Z \"", PgType.TIMESTAMP));
        assertEquals("2024-01-02 03:04:05", convert("\"2024-01-02T03:04:05Z\"", PgType.TIMESTAMP));
        assertEquals("2024-01-01 23:00:00", convert("\"2024-01-02T00:00:00+01\"", PgType.TIMESTAMP));
        String reason = "is not a date in strict_date_optional_time or epoch_millis format";
        for (String invalid : new String[] {"2023-02-29", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00",
                "2024-01-02T24:00:00", "2024-01-02T23:60:00", "2024-01-02T23:59:60", "2024-01-02T03:04:05.",
                "2024-01-02T03:04:05.1234567890", "2024-01-02 03:04:05", "2024-1-02",
                "2024-01-0x", "2024-01-02Z"}) {
            assertEquals(reason, reason("\"" + invalid + "\"", PgType.TIMESTAMP), invalid);
        }
    }
}
