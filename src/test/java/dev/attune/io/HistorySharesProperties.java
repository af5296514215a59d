package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The shares of a history, at any count of readers, are the history: each record once, in place and order. */
class HistorySharesProperties {
    @Property(tries = 25)
    void theUnionOfTheSharesIsTheWholeHistory(
            @ForAll @LongRange(min = -5, max = 1_000) long seed,
            @ForAll @IntRange(min = 1, max = 620) int customers,
            @ForAll @IntRange(min = 0, max = 3) int noise) {
        double ratio = noise * 0.03; // retries and corruptions change event times and order: cover them
        SyntheticHistory whole = new SyntheticHistory(seed, customers, "2026-11-21T08:00:00Z", ratio, ratio);
        SyntheticHistory.Generated[] expected = new SyntheticHistory.Generated[(int) whole.size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = whole.at(i);
        }
        for (int shares = 1; shares <= 4; shares++) {
            // A fresh history for each count, as each reader deserialises its own.
            SyntheticHistory h = new SyntheticHistory(seed, customers, "2026-11-21T08:00:00Z", ratio, ratio);
            boolean[] seen = new boolean[expected.length];
            long total = 0;
            for (int r = 0; r < shares; r++) {
                SyntheticHistory.Share share = h.share(r, shares);
                long previous = -1;
                for (long k = 0; k < share.size(); k++) {
                    long position = share.position(k);
                    SyntheticHistory.Generated g = share.at(k);
                    assertThat(position)
                            .as("share %d of %d in the history's order", r, shares)
                            .isGreaterThan(previous);
                    previous = position;
                    assertThat(seen[(int) position])
                            .as("position %d twice", position)
                            .isFalse();
                    seen[(int) position] = true;
                    assertThat(g.customer() % shares)
                            .as("a customer's records stay in one share")
                            .isEqualTo(r);
                    SyntheticHistory.Generated e = expected[(int) position];
                    assertThat(g.stream()).isEqualTo(e.stream());
                    assertThat(g.timestamp()).isEqualTo(e.timestamp());
                    assertThat(g.customer()).isEqualTo(e.customer());
                    assertThat(Arrays.equals(g.bytes(), e.bytes()))
                            .as("bytes at %d", position)
                            .isTrue();
                }
                total += share.size();
            }
            assertThat(total).isEqualTo(whole.size());
        }
    }
}
