package dev.attune.io;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.clock.RelativeClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounded out-of-orderness with idleness, as {@code WatermarkStrategy.forBoundedOutOfOrderness(bound)
 * .withIdleness(idleness)}, except when every split of a source reader has gone quiet at once.
 *
 * <p>A split (a Kafka partition, a Kinesis shard) that has read nothing for {@code idleness} is
 * marked idle, so it no longer holds the watermark back, as Flink's own idleness does. When every
 * split of one reader is quiet, the reader's watermark should be the largest of its splits'
 * watermarks (the newest event time it has read, less the bound), as the operator inputs behind
 * it do since FLINK-7728. Flink 1.20's split multiplexer instead keeps the minimum over the splits
 * still active at the previous probe when all of them turn idle together (FLINK-38454; fixed
 * upstream, not in 1.20.5). After a burst that ends every partition at once (a backlog read after a
 * restart, the end of a replay, a quiet spell) the watermark then stopped behind the other splits,
 * up to the bound behind the newest event of the split read last, or much more when one topic ended
 * earlier, and the decisions in between waited for the next event. Here every quiet split of such
 * a reader emits that largest watermark once, and is marked idle at the next probe.
 *
 * <p>It never goes beyond the bound: the last {@code bound} of event time before a pause is decided
 * by the next events (or the end of input), so an event that arrives after a pause but within the
 * bound is still decided in order, and a live run decides as a replay of the same history does.
 * The generators of one reader (one source subtask) find each other through the metric group of
 * their context, which the source operator shares between its main output and every split; they
 * all run on the task thread.
 *
 * <p>Its transitions (a split reads again, its watermark moves, a reader catches up, a split goes
 * idle) are logged at DEBUG under this class's name: {@code -Dattune.log.watermarks=DEBUG} turns
 * them on for {@code java -jar} runs and for the tests.
 */
public final class CatchUpWatermarks<T> implements WatermarkStrategy<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpWatermarks.class);

    private final long boundMillis;
    private final long idleNanos;
    private transient Map<MetricGroup, Reader> readers;

    public CatchUpWatermarks(Duration bound, Duration idleness) {
        if (bound.isNegative() || idleness.isZero() || idleness.isNegative()) {
            throw new IllegalArgumentException("bound must be >= 0 and idleness > 0");
        }
        this.boundMillis = bound.toMillis();
        long nanos;
        try {
            nanos = idleness.toNanos();
        } catch (ArithmeticException tooLong) {
            nanos = Long.MAX_VALUE; // never quiet
        }
        this.idleNanos = nanos;
    }

    @Override
    public WatermarkGenerator<T> createWatermarkGenerator(WatermarkGeneratorSupplier.Context context) {
        Reader reader;
        synchronized (this) {
            if (readers == null) {
                readers = new WeakHashMap<>();
            }
            reader = readers.computeIfAbsent(context.getMetricGroup(), g -> new Reader());
        }
        Split<T> split = new Split<>(
                reader,
                reader.name + "/" + reader.splits.size(),
                context.getInputActivityClock(),
                boundMillis,
                idleNanos);
        reader.splits.add(split);
        return split;
    }

    /**
     * The generators of one source subtask: its main output's and one per split. A split released
     * by the reader (a finished Kinesis shard, a bounded partition at its end) is no longer probed;
     * until its generator is garbage-collected it counts as gone once it has missed two probes.
     */
    static final class Reader {
        final Set<Split<?>> splits = Collections.newSetFromMap(new WeakHashMap<>());
        final String name = "reader@" + Integer.toHexString(System.identityHashCode(this));
        long probes;

        boolean allQuiet() {
            for (Split<?> s : splits) {
                if (!s.quiet && probes - s.probes <= 2) {
                    return false;
                }
            }
            return true;
        }

        long newest() {
            long newest = Long.MIN_VALUE;
            for (Split<?> s : splits) {
                newest = Math.max(newest, s.maxTimestamp);
            }
            return newest;
        }
    }

    static final class Split<T> implements WatermarkGenerator<T> {
        private final Reader reader;
        private final RelativeClock clock;
        private final long boundMillis;
        private final long idleNanos;
        long maxTimestamp = Long.MIN_VALUE;
        boolean quiet;
        private boolean announcedIdle;
        private long flushedTo = Long.MIN_VALUE;
        private long events;
        private long eventsAtLastProbe;
        private long quietSince;
        long probes;
        /** In debug logs: the reader and the order the split was created in (0: the reader's main output). */
        private final String name;

        private long lastEmitted = Long.MIN_VALUE;

        Split(Reader reader, String name, RelativeClock clock, long boundMillis, long idleNanos) {
            this.reader = reader;
            this.name = name;
            this.clock = clock;
            this.boundMillis = boundMillis;
            this.idleNanos = idleNanos;
            this.quietSince = clock.relativeTimeNanos();
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            maxTimestamp = Math.max(maxTimestamp, timestamp);
            events++;
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            probes++;
            reader.probes = Math.max(reader.probes, probes);
            boolean wasQuiet = quiet;
            quiet = checkQuiet();
            if (!quiet) {
                if (wasQuiet) {
                    LOG.debug("{}: reads again", name);
                }
                announcedIdle = false;
                if (maxTimestamp != Long.MIN_VALUE) {
                    long watermark = maxTimestamp - boundMillis - 1;
                    if (watermark != lastEmitted) {
                        lastEmitted = watermark;
                        LOG.debug("{}: watermark {}", name, Instant.ofEpochMilli(watermark));
                    }
                    output.emitWatermark(new Watermark(watermark));
                }
                return;
            }
            // Quiet beside a busy split (the common case): allQuiet() stops at the first busy split, and the
            // reader's newest event time is looked up only once every split is quiet.
            if (reader.allQuiet()) {
                long newest = reader.newest();
                long caughtUp = newest == Long.MIN_VALUE ? Long.MIN_VALUE : newest - boundMillis - 1;
                if (caughtUp > flushedTo) {
                    flushedTo = caughtUp;
                    announcedIdle = false;
                    LOG.debug(
                            "{}: every split of the reader quiet, catches up to {}",
                            name,
                            Instant.ofEpochMilli(caughtUp));
                    output.emitWatermark(new Watermark(caughtUp));
                    return;
                }
            }
            if (!announcedIdle) {
                announcedIdle = true;
                LOG.debug("{}: idle", name);
                output.markIdle();
            }
        }

        /** Quiet: no event since a probe at least {@code idleness} ago (on the input-activity clock). */
        private boolean checkQuiet() {
            if (events != eventsAtLastProbe) {
                eventsAtLastProbe = events;
                quietSince = clock.relativeTimeNanos();
                return false;
            }
            return clock.relativeTimeNanos() - quietSince >= idleNanos;
        }
    }
}
