package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link Decimals#twoPlaces} writes exactly what {@code String.format(Locale.ROOT, "%.2f", x)} does. */
class DecimalsProperties {
    private static String reference(double x) {
        return String.format(Locale.ROOT, "%.2f", x);
    }

    @Property(tries = 20_000)
    void sameAsFormatterForRates(@ForAll("rates") double x) {
        assertThat(Decimals.twoPlaces(x)).isEqualTo(reference(x));
    }

    /** Halves at the third place (0.125, 0.005, 1.005, ...), whose binary values lie either side of them. */
    @Property(tries = 5_000)
    void sameAsFormatterAtHalves(@ForAll("halves") double x) {
        assertThat(Decimals.twoPlaces(x)).isEqualTo(reference(x));
    }

    @Property(tries = 5_000)
    void sameAsFormatterForAnyDouble(@ForAll double x) {
        assertThat(Decimals.twoPlaces(x)).isEqualTo(reference(x));
    }

    /** Sentiments and other signed scores, negative zero among them. */
    @Property(tries = 5_000)
    void sameAsFormatterForSignedScores(@ForAll("scores") double x) {
        assertThat(Decimals.twoPlaces(x)).isEqualTo(reference(x));
    }

    @Provide
    Arbitrary<Double> scores() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-1, 1),
                halves().map(x -> -x),
                Arbitraries.of(-0.0, -0.005, -0.004999, -0.995, -1e-300, -Double.MIN_VALUE));
    }

    @Provide
    Arbitrary<Double> rates() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(0, 1_000_000).map(i -> i / 1_000_000.0),
                Arbitraries.of(0.0, -0.0, 1.0, 1e-300, Double.MIN_VALUE, 0.995, 0.9949999999999999, 0.005));
    }

    @Provide
    Arbitrary<Double> halves() {
        return Arbitraries.integers()
                .between(0, 100_000)
                .flatMap(i -> Arbitraries.of(
                        (i * 10 + 5) / 1000.0,
                        Math.nextUp((i * 10 + 5) / 1000.0),
                        Math.nextDown((i * 10 + 5) / 1000.0)));
    }
}
