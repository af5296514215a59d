package dev.attune.signals;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The windows of signals that each carry their own risk points: order, expiry, merge, old state. */
class WeightedWindowTest {
    static final long W = 300_000;

    @Test
    void signalsKeepTheirPointsInTimeOrderWhateverTheArrival() {
        Journey.Weighted w = Journey.addWeighted(null, null, 10_000, 15, W);
        w = Journey.addWeighted(w.times(), w.points(), 5_000, 30, W);
        w = Journey.addWeighted(w.times(), w.points(), 20_000, 5, W);
        assertThat(w.times()).containsExactly(5_000, 10_000, 20_000);
        assertThat(w.points()).containsExactly(30, 15, 5);
        assertThat(Journey.points(w.times(), w.points(), 20_000, W, 12)).isEqualTo(50);
        assertThat(Journey.points(w.times(), w.points(), 10_000, W, 12))
                .as("not yet the later one")
                .isEqualTo(45);
    }

    @Test
    void signalsOlderThanTheWindowAreDropped() {
        Journey.Weighted w = Journey.addWeighted(null, null, 0, 15, W);
        w = Journey.addWeighted(w.times(), w.points(), W + 1, 12, W);
        assertThat(w.times()).containsExactly(W + 1);
        assertThat(w.points()).containsExactly(12);
    }

    @Test
    void stateFromBeforePointsCountsTheDefaultWeight() {
        long[] times = {1_000, 2_000};
        assertThat(Journey.points(times, null, 2_000, W, 12)).isEqualTo(24);
        Journey.Weighted w = Journey.addWeighted(times, null, 3_000, 30, W);
        assertThat(w.points()).containsExactly(-1, -1, 30);
        assertThat(Journey.points(w.times(), w.points(), 3_000, W, 12)).isEqualTo(54);
    }

    @Property(tries = 200)
    void unionIsTheSameWhicheverSideHeldWhat(
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 600) Integer> a,
            @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 600) Integer> b) {
        Journey.Weighted wa = window(a);
        Journey.Weighted wb = window(b);
        Journey.Weighted ab = Journey.union(wa.times(), wa.points(), wb.times(), wb.points());
        Journey.Weighted ba = Journey.union(wb.times(), wb.points(), wa.times(), wa.points());
        long now = 700_000;
        assertThat(Journey.points(ab.times(), ab.points(), now, 2 * W, 12))
                .isEqualTo(Journey.points(ba.times(), ba.points(), now, 2 * W, 12))
                .isEqualTo(Journey.points(wa.times(), wa.points(), now, 2 * W, 12)
                        + Journey.points(wb.times(), wb.points(), now, 2 * W, 12));
        if (ab.times() != null) {
            List<Long> sorted = new ArrayList<>();
            for (long t : ab.times()) {
                sorted.add(t);
            }
            List<Long> copy = new ArrayList<>(sorted);
            Collections.sort(copy);
            assertThat(sorted).isEqualTo(copy);
        }
    }

    /** Signals at the given seconds, each worth its second modulo 40 points. */
    private static Journey.Weighted window(List<Integer> seconds) {
        Journey.Weighted w = new Journey.Weighted(null, null);
        for (int s : seconds) {
            w = Journey.addWeighted(w.times(), w.points(), s * 1000L, s % 40, 2 * W);
        }
        return w;
    }
}
