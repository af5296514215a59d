package dev.attune.bench;

import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Instruments the benchmark adds around Attune's own graph. They record into static fields: the
 * jobs run on a MiniCluster inside the benchmark's JVM, with the application class loader, so the
 * benchmark reads what the tasks wrote. Reset between runs with {@link #reset()}.
 */
final class Probes {
    private Probes() {}

    /** Wall-clock (nanoTime) at which each struggle/error event entered the job, by messageId. */
    static final ConcurrentHashMap<String, Long> STAMPS = new ConcurrentHashMap<>();
    /** Struggle-to-intervention latencies in nanoseconds. */
    static final ConcurrentLinkedQueue<Long> LATENCIES = new ConcurrentLinkedQueue<>();
    /** Customers (userId) that received at least one intervention. */
    static final Set<String> INTERVENED = ConcurrentHashMap.newKeySet();

    static final AtomicLong OUTPUTS = new AtomicLong();
    static final AtomicLong FIRST_OUTPUT_NANOS = new AtomicLong();
    /** Records that passed {@link HoldFinalWatermark}, and when the first and the last did. */
    static final AtomicLong HELD_COUNT = new AtomicLong();

    static final AtomicLong HELD_FIRST_NANOS = new AtomicLong();
    static final AtomicLong HELD_LAST_NANOS = new AtomicLong();

    static void reset() {
        STAMPS.clear();
        LATENCIES.clear();
        INTERVENED.clear();
        OUTPUTS.set(0);
        FIRST_OUTPUT_NANOS.set(0);
        HELD_COUNT.set(0);
        HELD_FIRST_NANOS.set(0);
        HELD_LAST_NANOS.set(0);
    }

    /** Right after the source: stamps struggle and error events (the ones that trigger live chat and help tips). */
    static final class Stamp implements MapFunction<Inbound, Inbound> {
        private static final long serialVersionUID = 1L;

        @Override
        public Inbound map(Inbound in) {
            if (in.record != null
                    && ("Struggle Signal".equals(in.record.event) || "Error Shown".equals(in.record.event))) {
                STAMPS.putIfAbsent(in.record.messageId, System.nanoTime());
            }
            return in;
        }
    }

    /** Right before the sink: counts outputs, notes who got an intervention and how long it took. */
    static final class Observe implements MapFunction<OutputRecord, OutputRecord> {
        private static final long serialVersionUID = 1L;
        private static final String TRIGGER = "\"triggerMessageIds\":[\"";

        @Override
        public OutputRecord map(OutputRecord o) {
            long now = System.nanoTime();
            FIRST_OUTPUT_NANOS.compareAndSet(0, now);
            OUTPUTS.incrementAndGet();
            if (Streams.INTERVENTIONS.equals(o.stream)) {
                INTERVENED.add(o.key);
                if (!STAMPS.isEmpty()) {
                    int at = o.json.indexOf(TRIGGER);
                    if (at >= 0) {
                        int from = at + TRIGGER.length();
                        String trigger = o.json.substring(from, o.json.indexOf('"', from));
                        Long entered = STAMPS.remove(trigger);
                        if (entered != null) {
                            LATENCIES.add(now - entered);
                        }
                    }
                }
            }
            return o;
        }
    }

    /**
     * Passes records and watermarks on, except the final Long.MAX_VALUE watermark a bounded source
     * sends when it ends: that one would fire every customer's housekeeping timer and empty the
     * state the benchmark wants to measure, as if a month of silence had passed. Counts records.
     */
    static final class HoldFinalWatermark extends AbstractStreamOperator<Inbound>
            implements OneInputStreamOperator<Inbound, Inbound> {
        private static final long serialVersionUID = 1L;

        @Override
        public void processElement(StreamRecord<Inbound> element) {
            long now = System.nanoTime();
            HELD_FIRST_NANOS.compareAndSet(0, now);
            HELD_LAST_NANOS.set(now);
            HELD_COUNT.incrementAndGet();
            output.collect(element);
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            if (mark.getTimestamp() < Long.MAX_VALUE) {
                super.processWatermark(mark);
            }
        }
    }

    /** A rate limiter that grants the first {@code permits} permits at once, then none: a source that stays open. */
    static RateLimiterStrategy first(int permits) {
        return parallelism -> new RateLimiter() {
            private int granted;

            @Override
            public CompletionStage<Void> acquire() {
                return granted++ < permits ? CompletableFuture.completedFuture(null) : new CompletableFuture<>();
            }

            @Override
            public void notifyCheckpointComplete(long checkpointId) {}
        };
    }

    /** A rate limiter that never grants a permit: a source that stays open and silent (then idle). */
    static RateLimiterStrategy never() {
        return parallelism -> new RateLimiter() {
            @Override
            public CompletionStage<Void> acquire() {
                return new CompletableFuture<>();
            }

            @Override
            public void notifyCheckpointComplete(long checkpointId) {}
        };
    }
}
