package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Times#format} writes exactly what {@link DateTimeFormatter} writes, for any time. */
class TimesFormatProperties {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static String reference(long millis) {
        return REFERENCE.format(Instant.ofEpochMilli(millis));
    }

    @Property(tries = 20_000)
    void sameAsTheFormatterInTheAcceptedRange(@ForAll("accepted") long millis) {
        assertThat(Times.format(millis)).isEqualTo(reference(millis));
    }

    @Property(tries = 2_000)
    void sameAsTheFormatterOutsideIt(@ForAll("outside") long millis) {
        assertThat(Times.format(millis)).isEqualTo(reference(millis));
    }

    @Property(tries = 2_000)
    void sameAsTheFormatterAroundDayAndYearEdges(@ForAll("edges") long millis) {
        assertThat(Times.format(millis)).isEqualTo(reference(millis));
    }

    @Provide
    Arbitrary<Long> accepted() {
        return Arbitraries.longs().between(Times.MIN_MILLIS, Times.MAX_MILLIS);
    }

    @Provide
    Arbitrary<Long> outside() {
        return Arbitraries.oneOf(
                Arbitraries.longs().between(-62_135_596_800_000L, Times.MIN_MILLIS - 1),
                Arbitraries.longs().between(Times.MAX_MILLIS + 1, 253_402_300_799_999L));
    }

    /** Within a second of a midnight: month ends, 29 February, the century years 2000 (leap) and 2100 (not). */
    @Provide
    Arbitrary<Long> edges() {
        Arbitrary<Long> midnight = Arbitraries.of(
                        "1970-01-01",
                        "1972-02-29",
                        "1972-03-01",
                        "1999-12-31",
                        "2000-02-29",
                        "2000-03-01",
                        "2024-02-29",
                        "2024-12-31",
                        "2026-12-31",
                        "2100-02-28",
                        "2100-03-01",
                        "2199-12-31",
                        "2200-01-01")
                .map(d -> Instant.parse(d + "T00:00:00Z").toEpochMilli());
        Arbitrary<Long> offset = Arbitraries.longs().between(-1_000, 1_000);
        return midnight.flatMap(m -> offset.map(o -> m + o))
                .filter(t -> t >= Times.MIN_MILLIS && t <= Times.MAX_MILLIS);
    }
}
