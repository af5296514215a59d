package dev.attune.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;

/** Input times (ISO-8601 with a zone or offset, or epoch millis) and output times (UTC, millis). */
public final class Times {
    /** Earliest and latest accepted event times: outside them a "time" is a bug upstream. */
    public static final long MIN_MILLIS = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();

    public static final long MAX_MILLIS = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();

    private static final DateTimeFormatter OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    /**
     * {@code epochMillis} as {@code uuuu-MM-dd'T'HH:mm:ss.SSS'Z'} in UTC. Between {@link #MIN_MILLIS} and
     * {@link #MAX_MILLIS} written digit by digit (every output time and every generated event has one, and
     * {@link DateTimeFormatter} was a tenth of the generator's time); elsewhere by the formatter.
     */
    public static String format(long epochMillis) {
        if (epochMillis < MIN_MILLIS || epochMillis > MAX_MILLIS) {
            return OUT.format(Instant.ofEpochMilli(epochMillis));
        }
        long days = epochMillis / 86_400_000L;
        int ofDay = (int) (epochMillis % 86_400_000L);
        // The civil date of a day count (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms"),
        // for days on or after 1970-01-01: eras of 400 years from 0000-03-01.
        long z = days + 719_468;
        long era = z / 146_097;
        int dayOfEra = (int) (z - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int mp = (5 * dayOfYear + 2) / 153;
        int day = dayOfYear - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        int year = (int) (yearOfEra + era * 400) + (month <= 2 ? 1 : 0);
        byte[] b = new byte[24];
        digits(b, 0, year, 4);
        b[4] = '-';
        digits(b, 5, month, 2);
        b[7] = '-';
        digits(b, 8, day, 2);
        b[10] = 'T';
        digits(b, 11, ofDay / 3_600_000, 2);
        b[13] = ':';
        digits(b, 14, ofDay / 60_000 % 60, 2);
        b[16] = ':';
        digits(b, 17, ofDay / 1000 % 60, 2);
        b[19] = '.';
        digits(b, 20, ofDay % 1000, 3);
        b[23] = 'Z';
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void digits(byte[] b, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }

    /**
     * Parses a timestamp node.
     *
     * @throws IllegalArgumentException with a message fit for a dead-letter record
     */
    public static long parse(JsonNode node) {
        long millis;
        if (node.isIntegralNumber()) {
            if (!node.canConvertToLong()) {
                throw new IllegalArgumentException("epoch milliseconds out of range: " + node.asText());
            }
            millis = node.longValue();
        } else if (node.isTextual()) {
            millis = parseText(node.textValue());
        } else {
            throw new IllegalArgumentException(
                    "not a time: " + node.getNodeType().name().toLowerCase());
        }
        if (millis < MIN_MILLIS || millis >= MAX_MILLIS) {
            throw new IllegalArgumentException("time out of range 1970-01-01..2200-01-01: " + node.asText());
        }
        return millis;
    }

    static long parseText(String text) {
        if (!text.isEmpty() && text.length() <= 19 && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
        }
        long utc = parseUtc(text);
        if (utc != Long.MIN_VALUE) {
            return utc;
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(text);
            if (t.query(TemporalQueries.zone()) == null) {
                throw new IllegalArgumentException("time without a zone or offset: '" + shorten(text) + "'");
            }
            return Instant.from(t).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            throw new IllegalArgumentException("not an ISO-8601 time: '" + shorten(text) + "'");
        }
    }

    /**
     * The common shape {@code uuuu-MM-ddTHH:mm:ss[.f…]Z} without the general parser (which was a
     * fifth of the source's time); {@link Long#MIN_VALUE} for anything else, which the general
     * parser then decides. Same result as {@code Instant.from(ISO_DATE_TIME.parse(text))}.
     */
    public static long parseUtc(String t) {
        int n = t.length();
        if (n < 20
                || n > 30
                || t.charAt(n - 1) != 'Z'
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 7);
        int day = digits(t, 8, 10);
        int hour = digits(t, 11, 13);
        int minute = digits(t, 14, 16);
        int second = digits(t, 17, 19);
        int millis = 0;
        if (n > 20) {
            // A fraction of 1 to 9 digits; milliseconds are its first three (truncated, as toEpochMilli does).
            if (t.charAt(19) != '.' || n == 21 || n > 30 || digits(t, 20, n - 1) < 0) {
                return Long.MIN_VALUE;
            }
            for (int i = 20; i < 23; i++) {
                millis = millis * 10 + (i < n - 1 ? t.charAt(i) - '0' : 0);
            }
        } else if (n != 20) {
            return Long.MIN_VALUE;
        }
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || day > java.time.YearMonth.of(year, month).lengthOfMonth()
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return Long.MIN_VALUE;
        }
        long days = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1_000L + millis;
    }

    /** The decimal number in t[from, to), or -1 if any of it is not an ASCII digit. */
    private static int digits(String t, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
