package dev.attune.job;

import static dev.attune.OutputAssertions.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.testing.LocalBedrock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow sink and a slow, throttling model hold the job back; they never make it drop, repeat or
 * pile up data. The synthetic history runs through the real job graph ({@link AttuneJob#decide},
 * the file source and sink) three times: with no slowness, then with a stage before the file sink
 * that pauses on every record and a model that answers after {@link #MODEL_DELAY_MS} and throttles
 * every fifth call, for N and for 2N customers. Live watermarks (bounded out-of-orderness), so
 * decisions and outputs flow while the input is read and the slowness reaches the sources.
 *
 * <p>Asserted: the slow run's outputs equal the fast run's record for record (nothing lost, nothing
 * twice, no late event) and every input is accounted for; the model never had more calls in flight
 * than the Async I/O capacity of all instances; and the valid records read but not yet taken by the customer operator,
 * sampled through the run, stay a small share of the input (what the network buffers between them
 * hold); and with 2N the sources were held back. The cluster's network buffers are small, so that
 * the slow stages fall further behind than the buffers hold, as with a long history: with Flink's
 * default buffers a few hundred outputs fit between the stages, the customer operator never waits,
 * and the sources read on. The heap after a full GC, sampled each second, the records in transit
 * with N and 2N and the sources' back pressure with N are printed, not compared: they move with
 * timing on a loaded machine. No assertion is on time.
 */
class BackPressureITCase {
    /** N; {@code -Pfuzz} runs 1,000 (24,000 and 48,000 records), or -Dattune.backpressure.customers. */
    static final int CUSTOMERS = Integer.getInteger("attune.backpressure.customers", 250);

    static final int PARALLELISM = 2;
    static final int CAPACITY = 2;
    static final long SINK_PAUSE_MS = 2;
    static final long MODEL_DELAY_MS = 300;

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(smallNetworkBuffers()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .build());

    static LocalBedrock bedrock;

    /**
     * Network buffers of 4 KiB (Flink's default is 32 KiB), two per channel and two floating per
     * gate: what the slow stages are behind on (hundreds of outputs) then exceeds what the buffers
     * between the stages hold, as a long history's would, so the slowness must reach the sources.
     */
    static Configuration smallNetworkBuffers() {
        Configuration c = new Configuration();
        c.setString("taskmanager.memory.segment-size", "4kb");
        c.setString("taskmanager.network.memory.buffers-per-channel", "2");
        c.setString("taskmanager.network.memory.floating-buffers-per-gate", "2");
        return c;
    }

    @BeforeAll
    static void start() {
        bedrock = LocalBedrock.startWithTestCredentials();
    }

    @AfterAll
    static void stop() {
        bedrock.close();
    }

    /** What one run measured. */
    record Run(
            Map<String, List<String>> outputs,
            double seconds,
            long peakHeapAfterGc,
            long maxInTransit,
            int maxModelCalls,
            long maxSourceBackPressureMsPerSecond,
            long modelCalls,
            long used,
            long deduplicated,
            long forgotten,
            long late) {}

    @Test
    void aSlowSinkAndASlowModelLoseNothingAndKeepMemoryFlat(@TempDir Path root) throws Exception {
        Path small = root.resolve("in-n");
        Path large = root.resolve("in-2n");
        KafkaITCase.writeHistory(small, CUSTOMERS);
        KafkaITCase.writeHistory(large, 2 * CUSTOMERS);
        long smallValid = validRecords(small);

        quickModel();
        Run fast = run(small, root.resolve("fast"), 0);
        slowModel();
        Run slow = run(small, root.resolve("slow"), SINK_PAUSE_MS);
        int throttledN = throttled;
        slowModel();
        Run slow2 = run(large, root.resolve("slow-2n"), SINK_PAUSE_MS);

        int outputs = fast.outputs.values().stream().mapToInt(List::size).sum();
        System.out.printf(
                "%nBackPressureITCase: %d customers, %d input records, %d outputs (%s), %d model calls;"
                        + " fast %.1f s, slow %.1f s (sink pause %d ms/record, model %d ms, %d calls throttled),"
                        + " 2N slow %.1f s; peak heap after GC: fast %.1f MiB, N %.1f MiB, 2N %.1f MiB;"
                        + " most records read but not yet decided: N %d, 2N %d;"
                        + " most model calls at once %d (capacity %d x %d); source back-pressured up to %d ms/s (N),"
                        + " %d ms/s (2N)%n",
                CUSTOMERS,
                CUSTOMERS * 24,
                outputs,
                sizes(fast.outputs),
                slow.modelCalls,
                fast.seconds,
                slow.seconds,
                SINK_PAUSE_MS,
                MODEL_DELAY_MS,
                throttledN,
                slow2.seconds,
                mib(fast.peakHeapAfterGc),
                mib(slow.peakHeapAfterGc),
                mib(slow2.peakHeapAfterGc),
                slow.maxInTransit,
                slow2.maxInTransit,
                Math.max(slow.maxModelCalls, slow2.maxModelCalls),
                CAPACITY,
                PARALLELISM,
                slow.maxSourceBackPressureMsPerSecond,
                slow2.maxSourceBackPressureMsPerSecond);

        // Nothing lost, nothing twice: the same records as without slowness, each once.
        assertThat(fast.modelCalls).as("the model was asked").isPositive();
        assertThat(slow.outputs)
                .as("outputs of the slow run = outputs of the fast run")
                .isEqualTo(fast.outputs);
        for (Run r : List.of(slow, slow2)) {
            for (Map.Entry<String, List<String>> e : r.outputs.entrySet()) {
                assertThat(new HashSet<>(e.getValue()))
                        .as("%s without repeats", e.getKey())
                        .hasSize(e.getValue().size());
            }
            assertThat(r.late).as("late events").isZero();
            assertThat(r.outputs.get(Streams.DEAD_LETTER))
                    .as("no model fallback")
                    .noneMatch(d -> d.contains("\"analysis\""));
        }
        assertThat(slow.used + slow.deduplicated + slow.forgotten)
                .as("inputs used, deduplicated or forgotten")
                .isEqualTo(smallValid);
        assertThat(slow2.used + slow2.deduplicated + slow2.forgotten).isEqualTo(validRecords(large));
        assertThat(slow2.outputs.get(Streams.INTERVENTIONS).size())
                .isGreaterThan(slow.outputs.get(Streams.INTERVENTIONS).size());

        // Bounded: the model sees at most the Async I/O capacity, the sources wait for the sink.
        assertThat(Math.max(slow.maxModelCalls, slow2.maxModelCalls))
                .as("model calls in flight")
                .isBetween(2, CAPACITY * PARALLELISM);
        // The slowness reaches the sources: with the small network buffers the slow stages' backlog
        // outgrows what lies between them and the customer operator, which then waits, and so do the
        // sources (with N the sources may finish reading first; how long they waited is printed).
        assertThat(slow2.maxSourceBackPressureMsPerSecond)
                .as("sources back-pressured with 2N customers, ms/s")
                .isPositive();
        // The network buffers between sources and the customer operator hold a bounded number of
        // records whatever the input size (how many depends on timing: 26-137 seen); had the
        // sources read ahead of the slow stages, most of the input would have been in transit.
        assertThat(slow2.maxInTransit)
                .as("most records in transit with 2N customers")
                .isLessThan(validRecords(large) / 4);
    }

    static volatile int throttled;

    static void quickModel() {
        bedrock.reset();
        bedrock.setDefault(LocalBedrock.answer(LocalBedrock.VALID_JOURNEY_JSON));
        bedrock.when(BedrockITCase.CHURN_PROMPT, LocalBedrock.answer(LocalBedrock.VALID_WINBACK_JSON));
    }

    /** Answers after a pause; every fifth call is throttled (the retry, the next call, is answered). */
    static void slowModel() {
        bedrock.reset();
        bedrock.setDefault(LocalBedrock.delayed(MODEL_DELAY_MS, LocalBedrock.VALID_JOURNEY_JSON));
        bedrock.when(BedrockITCase.CHURN_PROMPT, LocalBedrock.delayed(MODEL_DELAY_MS, LocalBedrock.VALID_WINBACK_JSON));
        for (int n = 5; n <= 20_000; n += 5) {
            bedrock.whenNth(n, LocalBedrock.throttle());
        }
    }

    /** The real job graph; a pausing stage before the file sink when {@code pauseMs > 0}; sampled while it runs. */
    static Run run(Path in, Path dir, long pauseMs) throws Exception {
        Path out = dir.resolve("out");
        Configuration conf = CommandLine.parse(new String[] {
                    "--profile",
                    "jobs/replay.properties",
                    "--input.path",
                    in.toString(),
                    "--output.path",
                    out.toString(),
                    "--watermark.strategy",
                    "bounded",
                    "--watermark.idleness",
                    "1 h", // a waiting reader is not idle
                    "--parallelism",
                    String.valueOf(PARALLELISM),
                    "--checkpoint.interval",
                    "1 s",
                    "--analysis.mode",
                    "bedrock",
                    "--bedrock.endpoint",
                    bedrock.endpoint(),
                    "--bedrock.region",
                    "us-east-1",
                    // Every live chat and service recovery asks the (slow) model too, so the Async I/O queue fills.
                    "--analysis.min-risk-level",
                    "low",
                    "--analysis.capacity",
                    String.valueOf(CAPACITY),
                    "--analysis.deadline",
                    "20 s",
                    "--analysis.call-timeout",
                    "20 s",
                    "--analysis.retry-backoff",
                    "20 ms",
                    "--analysis.budget.tokens-per-minute",
                    "1000000000",
                    "--analysis.journal.path",
                    dir.resolve("journal").toString()
                })
                .conf();
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, dir.resolve("checkpoints").toUri().toString());
        DataStream<OutputRecord> outputs = AttuneJob.decide(Sources.inbound(env, conf), conf);
        if (pauseMs > 0) {
            outputs = outputs.map(new Pause(pauseMs))
                    .returns(TypeInformation.of(OutputRecord.class))
                    .name("slow stage");
        }
        Sinks.attach(outputs, conf);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        long started = System.nanoTime();
        JobClient job = env.executeAsync("attune-backpressure");
        long peakHeap = memory.getHeapMemoryUsage().getUsed();
        long backPressure = 0;
        long inTransit = 0;
        int samples = 0;
        while (!job.getJobExecutionResult().isDone()) {
            Thread.sleep(100);
            backPressure = Math.max(backPressure, sourceBackPressure(job.getJobID()));
            inTransit = Math.max(
                    inTransit,
                    sum(job.getJobID(), "unwrap", "numRecordsOut")
                            - sum(job.getJobID(), "decide per customer", "numRecordsIn"));
            if (++samples % 10 == 0) { // a full GC a second: what the job holds, not what it has not freed yet
                memory.gc();
                peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
            }
        }
        job.getJobExecutionResult().get();
        double seconds = (System.nanoTime() - started) / 1e9;
        throttled = bedrock.calls() / 5;
        assertThat(FuzzReplayITCase.restarts(METRICS, job.getJobID()))
                .as("restarts")
                .isZero();
        Map<String, List<String>> sorted = sortedOutputs(out);
        assertNoUnfinishedFiles(out);
        JobID id = job.getJobID();
        return new Run(
                sorted,
                seconds,
                peakHeap,
                inTransit,
                bedrock.maxConcurrentCalls(),
                backPressure,
                FuzzReplayITCase.sum(METRICS, id, "modelCalls"),
                FuzzReplayITCase.sum(METRICS, id, "eventsUsed"),
                FuzzReplayITCase.sum(METRICS, id, "eventsDeduplicated"),
                FuzzReplayITCase.sum(METRICS, id, "eventsForgotten"),
                FuzzReplayITCase.sum(METRICS, id, "eventsLate"));
    }

    /** The most any source task was back-pressured, in ms per second, right now. */
    static long sourceBackPressure(JobID job) {
        long max = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> g :
                METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = g.getKey().getAllVariables();
            if (job.toString().equals(vars.get("<job_id>"))
                    && vars.getOrDefault("<task_name>", "").startsWith("Source:")
                    && g.getValue().get("backPressuredTimeMsPerSecond") instanceof Gauge<?> gauge
                    && gauge.getValue() instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** A counter of one operator summed over its subtasks. */
    static long sum(JobID job, String operator, String name) {
        long total = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> g :
                METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> vars = g.getKey().getAllVariables();
            if (job.toString().equals(vars.get("<job_id>"))
                    && operator.equals(vars.get("<operator_name>"))
                    && g.getValue().get(name) instanceof org.apache.flink.metrics.Counter c) {
                total += c.getCount();
            }
        }
        return total;
    }

    /** Valid records in an input folder, as the parser sees them. */
    static long validRecords(Path in) throws IOException {
        long valid = 0;
        for (String stream : Streams.INPUTS) {
            Path dir = in.resolve(stream);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    int line = 0;
                    for (String l : Files.readAllLines(f, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                        line++;
                        byte[] bytes = l.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                        if (RecordParser.parse(stream, f.getFileName() + ":" + line, bytes)
                                .isValid()) {
                            valid++;
                        }
                    }
                }
            }
        }
        return valid;
    }

    static final class Pause implements MapFunction<OutputRecord, OutputRecord> {
        private static final long serialVersionUID = 1L;
        private final long millis;

        Pause(long millis) {
            this.millis = millis;
        }

        @Override
        public OutputRecord map(OutputRecord r) throws InterruptedException {
            TimeUnit.MILLISECONDS.sleep(millis);
            return r;
        }
    }

    private static Map<String, Integer> sizes(Map<String, List<String>> outputs) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        outputs.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    private static double mib(long bytes) {
        return bytes / 1048576.0;
    }
}
