package dev.attune.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalQueries;
import java.time.temporal.TemporalAccessor;

/** Input times (ISO-8601 with a zone or offset, or epoch millis) and output times (UTC, millis). */
public final class Times {
    /** Earliest and latest accepted event times: outside them a "time" is a bug upstream. */
    public static final long MIN_MILLIS = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();
    public static final long MAX_MILLIS = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();

    private static final DateTimeFormatter OUT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Times() {}

    public static String format(long epochMillis) {
        return OUT.format(Instant.ofEpochMilli(epochMillis));
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
            throw new IllegalArgumentException("not a time: " + node.getNodeType().name().toLowerCase());
        }
        if (millis < MIN_MILLIS || millis >= MAX_MILLIS) {
            throw new IllegalArgumentException(
                    "time out of range 1970-01-01..2200-01-01: " + node.asText());
        }
        return millis;
    }

    static long parseText(String text) {
        if (!text.isEmpty() && text.length() <= 19 && text.chars().allMatch(Character::isDigit)) {
            return Long.parseLong(text);
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

    private static String shorten(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }
}
