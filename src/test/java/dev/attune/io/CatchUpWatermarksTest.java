package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkOutputMultiplexer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.clock.ManualClock;
import org.apache.flink.util.clock.RelativeClock;
import org.junit.jupiter.api.Test;

/**
 * The per-split watermarks of one source reader, driven as Flink 1.20's source operator drives
 * them: one generator per split behind a {@link WatermarkOutputMultiplexer}, periodic probes that
 * first ask every split and then merge. Bound 10 ms, idleness 100 ms, a probe every 50 ms.
 */
class CatchUpWatermarksTest {
    static final Duration BOUND = Duration.ofMillis(10);
    static final Duration IDLENESS = Duration.ofMillis(100);

    /** One source subtask: its splits, their multiplexer, and what reaches the operator after it. */
    static final class Reader {
        final ManualClock clock = new ManualClock(1_000_000_000L);
        final MetricGroup metrics = new UnregisteredMetricsGroup();
        final List<String> downstream = new ArrayList<>();
        final WatermarkOutputMultiplexer multiplexer = new WatermarkOutputMultiplexer(new WatermarkOutput() {
            @Override
            public void emitWatermark(Watermark w) {
                downstream.add("watermark " + w.getTimestamp());
            }

            @Override
            public void markIdle() {
                downstream.add("idle");
            }

            @Override
            public void markActive() {
                downstream.add("active");
            }
        });
        final List<WatermarkGenerator<Long>> generators = new ArrayList<>();
        final WatermarkStrategy<Long> strategy;

        Reader(WatermarkStrategy<Long> strategy, int splits) {
            this.strategy = strategy;
            for (int i = 0; i < splits; i++) {
                multiplexer.registerNewOutput("split-" + i, w -> {});
                generators.add(strategy.createWatermarkGenerator(new WatermarkGeneratorSupplier.Context() {
                    @Override
                    public MetricGroup getMetricGroup() {
                        return metrics;
                    }

                    @Override
                    public RelativeClock getInputActivityClock() {
                        return clock;
                    }
                }));
            }
        }

        /** The source reader releases a split (it reached its end): no more probes for it. */
        void release(int split) {
            multiplexer.unregisterOutput("split-" + split);
            released.add(split);
        }

        final java.util.Set<Integer> released = new java.util.HashSet<>();

        void event(int split, long timestamp) {
            generators.get(split).onEvent(timestamp, timestamp, multiplexer.getImmediateOutput("split-" + split));
        }

        /** {@code n} periodic probes, 50 ms apart. */
        void probes(int n) {
            for (int p = 0; p < n; p++) {
                clock.advanceTime(Duration.ofMillis(50));
                for (int i = 0; i < generators.size(); i++) {
                    if (!released.contains(i)) {
                        generators.get(i).onPeriodicEmit(multiplexer.getDeferredOutput("split-" + i));
                    }
                }
                multiplexer.onPeriodicEmit();
            }
        }

        long watermark() {
            long w = Long.MIN_VALUE;
            for (String d : downstream) {
                if (d.startsWith("watermark ")) {
                    w = Math.max(w, Long.parseLong(d.substring(10)));
                }
            }
            return w;
        }

        String last() {
            return downstream.get(downstream.size() - 1);
        }
    }

    static Reader flinks(int splits) {
        return new Reader(
                WatermarkStrategy.<Long>forBoundedOutOfOrderness(BOUND).withIdleness(IDLENESS), splits);
    }

    static Reader attunes(int splits) {
        return new Reader(new CatchUpWatermarks<>(BOUND, IDLENESS), splits);
    }

    @Test
    void whileSplitsAreBusyTheWatermarkTrailsTheSlowestByTheBound() {
        Reader r = attunes(2);
        r.event(0, 1_000);
        r.event(1, 1_500);
        r.probes(1);
        assertThat(r.watermark()).isEqualTo(1_000 - 10 - 1);
        r.event(0, 2_000);
        r.probes(1);
        assertThat(r.watermark()).isEqualTo(1_500 - 10 - 1);
    }

    /**
     * Both splits go quiet at the same probe. Flink 1.20's idleness leaves the reader at the
     * minimum (FLINK-38454); this strategy moves it to the newest event time less the bound, then
     * marks it idle so that other readers are not held back.
     */
    @Test
    void whenEverySplitGoesQuietTogetherTheReaderMovesToItsNewestEventTimeLessTheBound() {
        Reader flink = quietTogether(flinks(2));
        Reader attune = quietTogether(attunes(2));
        assertThat(flink.watermark()).isEqualTo(1_000 - 10 - 1);
        assertThat(attune.watermark()).isEqualTo(5_000 - 10 - 1);
        assertThat(flink.last()).isEqualTo("idle");
        assertThat(attune.last()).isEqualTo("idle");
    }

    static Reader quietTogether(Reader r) {
        r.event(0, 1_000);
        r.event(1, 5_000);
        r.probes(10);
        return r;
    }

    @Test
    void aQuietSplitBesideABusyOneOnlyStopsHoldingItBack() {
        Reader r = attunes(2);
        r.event(0, 1_000);
        for (int i = 1; i <= 10; i++) {
            r.event(1, 1_000 + i * 100);
            r.probes(1);
        }
        assertThat(r.watermark())
                .as("split 1's own bound, not its newest event")
                .isEqualTo(2_000 - 10 - 1);
        assertThat(r.downstream).doesNotContain("idle");
    }

    @Test
    void aSplitThatNeverReadAnythingGoesIdleAfterTheTimeoutNotBefore() {
        Reader r = attunes(1);
        r.probes(1);
        assertThat(r.downstream).isEmpty();
        r.probes(2);
        assertThat(r.downstream).isNotEmpty().allMatch("idle"::equals);
    }

    @Test
    void afterAPauseNewEventsMoveItOnAndTheNextPauseCatchesUpAgain() {
        Reader r = attunes(2);
        r.event(0, 1_000);
        r.event(1, 2_000);
        r.probes(10);
        assertThat(r.watermark()).isEqualTo(2_000 - 10 - 1);
        r.event(0, 3_000);
        r.event(1, 3_500);
        r.probes(1);
        assertThat(r.watermark()).isEqualTo(3_000 - 10 - 1);
        r.probes(10);
        assertThat(r.watermark()).isEqualTo(3_500 - 10 - 1);
        assertThat(r.last()).isEqualTo("idle");
    }

    /**
     * The contract a backlog must keep, as Flink's own idleness keeps it: after a pause every split is
     * idle, and a split whose backlog is fetched first moves the watermark on alone; the other split's
     * backlog, read a probe later, is then behind the watermark wherever it is more than the bound
     * older than the first split's newest event (those events become {@code late_event} dead letters).
     * A backlog replayed through live sources has to fit within the bound (docs/decisions.md, "Quiet partitions").
     */
    @Test
    void afterAPauseASplitStillIdleHoldsNothingBackUntilItReadsAsFlinksOwnIdlenessDoes() {
        for (Reader r : List.of(flinks(2), attunes(2))) {
            r.event(0, 1_000);
            r.event(1, 1_000);
            r.probes(10);
            r.event(0, 1_100);
            r.event(0, 5_000); // split 0's backlog is fetched first
            r.probes(1);
            assertThat(r.watermark())
                    .as("split 1, idle since the pause, holds nothing back")
                    .isEqualTo(5_000 - 10 - 1);
            // split 1's backlog (from 1_100 on) is now more than the bound behind: late downstream
        }
    }

    @Test
    void aSplitReleasedWhileBusyDoesNotKeepTheOthersFromCatchingUp() {
        Reader r = attunes(2);
        r.event(0, 1_000);
        r.event(1, 3_000);
        r.probes(1);
        r.release(1);
        r.probes(10);
        assertThat(r.watermark())
                .as("the newest event the reader read, less the bound")
                .isEqualTo(3_000 - 10 - 1);
        assertThat(r.last()).isEqualTo("idle");
    }

    @Test
    void anIdlenessTooLongForNanosecondsMeansNeverQuiet() {
        Reader r = new Reader(new CatchUpWatermarks<>(BOUND, Duration.ofDays(200_000_000L)), 1);
        r.event(0, 1_000);
        r.probes(1_000);
        assertThat(r.downstream).doesNotContain("idle");
        assertThat(r.watermark()).isEqualTo(1_000 - 10 - 1);
    }

    @Test
    void readersOfDifferentSubtasksDoNotSeeEachOther() {
        WatermarkStrategy<Long> shared = new CatchUpWatermarks<>(BOUND, IDLENESS);
        Reader a = new Reader(shared, 1);
        Reader b = new Reader(shared, 1);
        a.event(0, 1_000);
        b.event(0, 9_000);
        a.probes(10);
        assertThat(a.watermark()).as("a's newest, not b's").isEqualTo(1_000 - 10 - 1);
    }
}
