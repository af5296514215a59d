package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static long parse(String s) {
        return Times.parse(F.textNode(s));
    }

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void formatIsUtcWithMilliseconds() {
        assertThat(Times.format(millis("2026-11-21T10:15:30.123Z"))).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(Times.format(millis("2026-11-21T10:15:30Z"))).isEqualTo("2026-11-21T10:15:30.000Z");
        assertThat(Times.format(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Times.format(millis("2199-12-31T23:59:59.999Z"))).isEqualTo("2199-12-31T23:59:59.999Z");
    }

    @Test
    void formatThenParseRoundTrips() {
        long t = millis("2026-03-29T01:30:00.007Z");
        assertThat(parse(Times.format(t))).isEqualTo(t);
    }

    @Test
    void offsetIsApplied() {
        assertThat(parse("2026-11-21T11:15:30+01:00")).isEqualTo(millis("2026-11-21T10:15:30Z"));
        assertThat(parse("2026-11-21T05:15:30.5-05:00")).isEqualTo(millis("2026-11-21T10:15:30.500Z"));
    }

    @Test
    void regionZoneIdIsAccepted() {
        assertThat(parse("2026-11-21T11:15:30+01:00[Europe/Paris]")).isEqualTo(millis("2026-11-21T10:15:30Z"));
    }

    @Test
    void epochMillisAsNumberOrDigits() {
        long t = millis("2026-11-21T10:15:30.123Z");
        assertThat(Times.parse(F.numberNode(t))).isEqualTo(t);
        assertThat(parse(Long.toString(t))).isEqualTo(t);
    }

    @Test
    void zonelessLocalTimeIsRejected() {
        assertThatThrownBy(() -> parse("2026-11-21T10:15:30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zone");
    }

    @Test
    void notATimeIsRejected() {
        assertThatThrownBy(() -> parse("yesterday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("yesterday");
        assertThatThrownBy(() -> parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("2026-11-21")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Times.parse(F.booleanNode(true))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Times.parse(F.numberNode(1.5e12))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outOfRangeIsRejected() {
        assertThatThrownBy(() -> parse("2300-01-01T00:00:00Z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("out of range");
        assertThatThrownBy(() -> parse("2200-01-01T00:00:00Z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("1969-12-31T23:59:59.999Z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Times.parse(F.numberNode(-1L))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Times.parse(F.numberNode(new java.math.BigInteger("99999999999999999999"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> parse("99999999999999999999")).isInstanceOf(IllegalArgumentException.class);
        assertThat(parse("2199-12-31T23:59:59.999Z")).isEqualTo(Times.MAX_MILLIS - 1);
        assertThat(parse("1970-01-01T00:00:00Z")).isEqualTo(Times.MIN_MILLIS);
    }

    @Test
    void theFastUtcPathAgreesWithTheGeneralParser() {
        java.util.Random r = new java.util.Random(8);
        java.util.List<String> cases = new java.util.ArrayList<>(java.util.List.of(
                "2026-11-21T10:15:30Z",
                "2026-11-21T10:15:30.1Z",
                "2026-11-21T10:15:30.123456789Z",
                "2024-02-29T23:59:59.999Z",
                "2025-02-29T10:00:00Z",
                "2026-11-21T24:00:00Z",
                "2026-11-21T10:60:00Z",
                "2026-11-21T10:15:60Z",
                "2026-13-01T00:00:00Z",
                "2026-00-01T00:00:00Z",
                "2026-11-21T10:15:30.Z",
                "2026-11-21T10:15:30.1234567890Z",
                "2026-11-21t10:15:30Z",
                "2026-11-21T10:15:30z",
                "+2026-11-21T10:15:30Z",
                "2026-11-2lT10:15:30Z",
                "1970-01-01T00:00:00Z",
                "2199-12-31T23:59:59.999Z",
                "2026-11-21T10:15Z",
                "2026-04-31T00:00:00Z"));
        for (int i = 0; i < 20_000; i++) {
            long t = r.nextLong(millis("1900-01-01T00:00:00Z"), millis("2300-01-01T00:00:00Z"));
            String iso = Instant.ofEpochMilli(t).toString();
            cases.add(iso);
            cases.add(iso.replace("Z", "." + r.nextInt(1_000_000) + "Z").replaceFirst("\\.(\\d+)\\.", ".$1"));
        }
        for (String c : cases) {
            long fast = Times.parseUtc(c);
            Long general;
            try {
                java.time.temporal.TemporalAccessor t = java.time.format.DateTimeFormatter.ISO_DATE_TIME.parse(c);
                general = Instant.from(t).toEpochMilli();
            } catch (RuntimeException e) {
                general = null;
            }
            if (fast != Long.MIN_VALUE) {
                assertThat(fast).as(c).isEqualTo(general);
            }
        }
        assertThat(Times.parseUtc("2026-11-21T10:15:30.5Z")).isEqualTo(millis("2026-11-21T10:15:30.500Z"));
        assertThat(Times.parseUtc("2026-11-21T10:15:30Z")).isEqualTo(millis("2026-11-21T10:15:30Z"));
    }
}
