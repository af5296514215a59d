package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Quiet hours in the customer's zone: across midnight, with a habitual hour, and on daylight-saving nights. */
class QuietHoursTest {
    static final QuietHours NIGHT = new QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0));
    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static Instant local(String dateTime, ZoneId zone) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    @ParameterizedTest(name = "{0} quiet={1}")
    @CsvSource({
        "2026-11-21T20:59:59, false",
        "2026-11-21T21:00:00, true",
        "2026-11-21T23:59:59, true",
        "2026-11-22T00:00:00, true",
        "2026-11-22T07:59:59, true",
        "2026-11-22T08:00:00, false",
        "2026-11-22T12:00:00, false",
    })
    void quietAcrossMidnight(String at, boolean quiet) {
        assertThat(NIGHT.isQuiet(local(at, LONDON), LONDON)).isEqualTo(quiet);
    }

    @Test
    void quietIsInTheCustomersZone() {
        Instant t = Instant.parse("2026-11-21T14:30:00Z"); // 14:30 London, 23:30 Tokyo, 09:30 New York
        assertThat(NIGHT.isQuiet(t, LONDON)).isFalse();
        assertThat(NIGHT.isQuiet(t, ZoneId.of("Asia/Tokyo"))).isTrue();
        assertThat(NIGHT.isQuiet(t, NEW_YORK)).isFalse();
        assertThat(NIGHT.nextAllowed(t, ZoneId.of("Asia/Tokyo"))).isEqualTo(Instant.parse("2026-11-21T23:00:00Z"));
    }

    @Test
    void aDaytimeWindowAndAnEmptyWindow() {
        QuietHours lunch = new QuietHours(LocalTime.of(12, 0), LocalTime.of(14, 0));
        assertThat(lunch.isQuiet(local("2026-11-21T11:59:59", LONDON), LONDON)).isFalse();
        assertThat(lunch.isQuiet(local("2026-11-21T12:00:00", LONDON), LONDON)).isTrue();
        assertThat(lunch.isQuiet(local("2026-11-21T14:00:00", LONDON), LONDON)).isFalse();
        assertThat(lunch.isQuiet(local("2026-11-21T23:00:00", LONDON), LONDON)).isFalse();
        assertThat(lunch.nextAllowed(local("2026-11-21T13:10:00", LONDON), LONDON))
                .isEqualTo(local("2026-11-21T14:00:00", LONDON));
        QuietHours none = new QuietHours(LocalTime.of(9, 0), LocalTime.of(9, 0));
        assertThat(none.isQuiet(local("2026-11-21T09:00:00", LONDON), LONDON)).isFalse();
        assertThat(none.nextAllowed(local("2026-11-21T03:00:00", LONDON), LONDON))
                .isEqualTo(local("2026-11-21T03:00:00", LONDON));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2026-11-21T14:00:00, 2026-11-21T14:00:00",
        "2026-11-21T21:00:00, 2026-11-22T08:00:00",
        "2026-11-21T23:30:00, 2026-11-22T08:00:00",
        "2026-11-22T00:00:00, 2026-11-22T08:00:00",
        "2026-11-22T03:15:00, 2026-11-22T08:00:00",
        "2026-12-31T22:00:00, 2027-01-01T08:00:00",
    })
    void nextAllowedIsTheEndOfTheQuietHours(String at, String allowed) {
        assertThat(NIGHT.nextAllowed(local(at, LONDON), LONDON)).isEqualTo(local(allowed, LONDON));
    }

    @ParameterizedTest(name = "request {0}, habit {1} -> {2}")
    @CsvSource({
        // no habit: now or the end of the quiet hours
        "2026-11-21T10:00:00, -1, 2026-11-21T10:00:00",
        "2026-11-21T22:00:00, -1, 2026-11-22T08:00:00",
        // a habit later today
        "2026-11-21T10:00:00, 19, 2026-11-21T19:00:00",
        // the habitual hour has begun: now
        "2026-11-21T19:40:00, 19, 2026-11-21T19:40:00",
        // the habit has passed today: tomorrow, still within a day
        "2026-11-21T20:00:00, 19, 2026-11-22T19:00:00",
        // at night: the habit tomorrow morning
        "2026-11-21T23:00:00, 9, 2026-11-22T09:00:00",
        "2026-11-21T23:00:00, 8, 2026-11-22T08:00:00",
        "2026-11-22T02:00:00, 12, 2026-11-22T12:00:00",
        // a habit inside the quiet hours is never used
        "2026-11-21T10:00:00, 23, 2026-11-21T10:00:00",
        "2026-11-21T22:00:00, 3, 2026-11-22T08:00:00",
        "2026-11-21T22:00:00, 21, 2026-11-22T08:00:00",
    })
    void scheduleWithAHabitualHour(String at, int habit, String expected) {
        Instant scheduled = NIGHT.schedule(local(at, LONDON), LONDON, habit);
        assertThat(scheduled).isEqualTo(local(expected, LONDON));
        assertThat(NIGHT.isQuiet(scheduled, LONDON)).isFalse();
    }

    static Stream<Arguments> dstNights() {
        return Stream.of(
                // London springs forward 01:00 GMT -> 02:00 BST
                Arguments.of(LONDON, "2026-03-29T00:30:00Z", "2026-03-29T07:00:00Z"),
                Arguments.of(LONDON, "2026-03-28T21:30:00Z", "2026-03-29T07:00:00Z"),
                // London falls back 02:00 BST -> 01:00 GMT: 01:30 BST, then 01:30 GMT, both quiet
                Arguments.of(LONDON, "2026-10-25T00:30:00Z", "2026-10-25T08:00:00Z"),
                Arguments.of(LONDON, "2026-10-25T01:30:00Z", "2026-10-25T08:00:00Z"),
                Arguments.of(LONDON, "2026-10-24T20:30:00Z", "2026-10-25T08:00:00Z"),
                // New York springs forward 02:00 EST -> 03:00 EDT
                Arguments.of(NEW_YORK, "2026-03-08T06:30:00Z", "2026-03-08T12:00:00Z"),
                Arguments.of(NEW_YORK, "2026-03-08T02:30:00Z", "2026-03-08T12:00:00Z"),
                // New York falls back 02:00 EDT -> 01:00 EST
                Arguments.of(NEW_YORK, "2026-11-01T05:30:00Z", "2026-11-01T13:00:00Z"),
                Arguments.of(NEW_YORK, "2026-11-01T06:30:00Z", "2026-11-01T13:00:00Z"),
                Arguments.of(NEW_YORK, "2026-11-01T01:30:00Z", "2026-11-01T13:00:00Z"));
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("dstNights")
    void onDaylightSavingNightsTheQuietHoursEndAtEightLocal(ZoneId zone, String at, String expected) {
        Instant t = Instant.parse(at);
        assertThat(NIGHT.isQuiet(t, zone)).isTrue();
        Instant next = NIGHT.nextAllowed(t, zone);
        assertThat(next).isEqualTo(Instant.parse(expected));
        assertThat(next.atZone(zone).toLocalTime()).isEqualTo(LocalTime.of(8, 0));
        assertThat(NIGHT.schedule(t, zone, -1)).isEqualTo(next);
    }

    static Stream<Arguments> dstDays() {
        return Stream.of(
                Arguments.of(LONDON, "2026-03-29"),
                Arguments.of(LONDON, "2026-10-25"),
                Arguments.of(NEW_YORK, "2026-03-08"),
                Arguments.of(NEW_YORK, "2026-11-01"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dstDays")
    void aroundEachChangeTheScheduledInstantIsNeverQuiet(ZoneId zone, String day) {
        Instant from = java.time.LocalDate.parse(day)
                .minusDays(1)
                .atTime(12, 0)
                .atZone(zone)
                .toInstant();
        Instant to = java.time.LocalDate.parse(day)
                .plusDays(1)
                .atTime(12, 0)
                .atZone(zone)
                .toInstant();
        int checked = 0;
        for (Instant t = from; t.isBefore(to); t = t.plus(Duration.ofMinutes(7))) {
            for (int habit = -1; habit < 24; habit++) {
                Instant at = NIGHT.schedule(t, zone, habit);
                assertThat(NIGHT.isQuiet(at, zone))
                        .as("%s habit %d -> %s", t, habit, at)
                        .isFalse();
                assertThat(at).as("%s habit %d", t, habit).isAfterOrEqualTo(t);
                assertThat(Duration.between(t, at)).as("%s habit %d", t, habit).isLessThan(Duration.ofHours(25));
                if (!NIGHT.isQuiet(t, zone) && habit < 0) {
                    assertThat(at).isEqualTo(t);
                }
                if (habit >= 8 && habit < 21 && !at.equals(t) && at.atZone(zone).getHour() != habit) {
                    // Only the end of the quiet hours may stand in for a habit that is more than a day away.
                    assertThat(at).isEqualTo(NIGHT.nextAllowed(t, zone));
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(5_000);
    }

    @Test
    void aQuietWindowEndingInTheSpringGapEndsAtTheFirstTimeAfterIt() {
        // 22:00-02:30 in New York: 02:30 does not exist on 8 March 2026, so the quiet hours end at 03:30 EDT.
        QuietHours h = new QuietHours(LocalTime.of(22, 0), LocalTime.of(2, 30));
        Instant oneAm = Instant.parse("2026-03-08T06:00:00Z"); // 01:00 EST
        assertThat(h.isQuiet(oneAm, NEW_YORK)).isTrue();
        Instant next = h.nextAllowed(oneAm, NEW_YORK);
        assertThat(next).isEqualTo(Instant.parse("2026-03-08T07:30:00Z"));
        assertThat(h.isQuiet(next, NEW_YORK)).isFalse();
    }

    @Test
    void halfAndQuarterHourZones() {
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        ZoneId chatham = ZoneId.of("Pacific/Chatham");
        Instant t = Instant.parse("2026-11-21T18:00:00Z"); // 23:30 Kolkata, 07:45 (+13:45) Chatham
        assertThat(NIGHT.nextAllowed(t, kolkata)).isEqualTo(Instant.parse("2026-11-22T02:30:00Z"));
        assertThat(NIGHT.nextAllowed(t, chatham)).isEqualTo(Instant.parse("2026-11-21T18:15:00Z"));
    }
}
