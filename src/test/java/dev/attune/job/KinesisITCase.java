package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.Json;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.testing.KinesisServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;
import org.apache.flink.runtime.checkpoint.CheckpointStatsSnapshot;
import org.apache.flink.runtime.checkpoint.CompletedCheckpointStats;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attune on a local Kinesis-compatible server (kinesis-local, a Node process on loopback): the
 * loader, the Kinesis source (by stream ARN) and the at-least-once Kinesis sink, a round trip
 * compared with the file replay, and a restart from a checkpoint whose repeats carry the ids
 * already written.
 *
 * <p>The Kinesis source never ends, so there is no end-of-input watermark. The job runs with
 * bounded watermarks of 30 days (the fixture spans 27 days, so no record is late whatever order
 * the shards deliver it in), and decisions wait until the watermark passes them. After the
 * fixture, the test writes one sentinel record into every shard of every input stream, with an
 * event time so much later that the watermark it raises (sentinel minus 30 days) passes every
 * fixture event and every per-minute summary timer: each customer's history is then decided in
 * event-time order exactly as the end-of-input replay decides it, so the records and ids match
 * the expected files, summaries included; only dead letters differ, in their positions and so
 * their ids. The sentinels themselves stay pending (the watermark never reaches them)
 * and write nothing. Every shard gets one because watermarks are per shard and the job's is the
 * least of them; idleness is set to an hour so no shard is skipped as idle before its records
 * are read.
 */
class KinesisITCase {
    /** The job manager keeps old checkpoints (a job's own setting does not reach it), for the restart test. */
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .setConfiguration(retainCheckpoints())
            .build());

    static Configuration retainCheckpoints() {
        Configuration c = new Configuration();
        c.setString("execution.checkpointing.num-retained", "100");
        return c;
    }

    /** Watermark 2026-12-16: past every fixture event (the last is on 2026-11-21) and timer. */
    static final String FINAL_SENTINEL = "2027-01-15T00:00:00.000Z";
    /** Watermark 2026-11-21T10:20, mid-morning of the fixture day; above FINAL_SENTINEL's, so never decided. */
    static final String MID_SENTINEL = "2026-12-21T10:20:00.000Z";

    static final Instant MID_WATERMARK = Instant.parse("2026-11-21T10:20:00Z");
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The decision streams and the field holding each record's id. */
    static final Map<String, String> DECISIONS = new LinkedHashMap<>();

    static {
        DECISIONS.put(Streams.INTERVENTIONS, "interventionId");
        DECISIONS.put(Streams.CAMPAIGN_SENDS, "sendId");
        DECISIONS.put(Streams.SUPPRESSIONS, "suppressionId");
    }

    static final Path FIXTURE = Path.of("src/test/resources/replay");

    static KinesisServer kinesis;

    @BeforeAll
    static void startServer() throws Exception {
        kinesis = new KinesisServer();
    }

    @AfterAll
    static void stopServer() {
        if (kinesis != null) {
            kinesis.close();
        }
    }

    @Test
    void roundTripThroughKinesisGivesTheSameDecisionsAsTheFileReplay(@TempDir Path checkpoints) throws Exception {
        String prefix = "rt";
        List<String> args = createStreams(prefix, false);
        main(with(args, "load", "--input.path", FIXTURE.resolve("input").toString()));
        putSentinels(prefix, FINAL_SENTINEL);

        Map<String, Set<String>> want = expected(List.of(
                Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS, Streams.CAMPAIGN_SUMMARIES));
        int deadLetters = expectedLines(Streams.DEAD_LETTER).size();
        long started = System.nanoTime();
        JobClient job = start(args, checkpoints, null);
        Map<String, List<String>> got;
        try {
            got = await(job, prefix, want, deadLetters);
        } finally {
            cancel(job);
        }
        System.out.printf(
                "Kinesis round trip: %s received in %.1f s%n", counts(got), (System.nanoTime() - started) / 1e9);

        for (Map.Entry<String, Set<String>> e : want.entrySet()) {
            assertThat(new TreeSet<>(got.get(e.getKey())))
                    .as(e.getKey() + ": same records, same ids")
                    .containsExactlyElementsOf(e.getValue());
            assertThat(got.get(e.getKey()))
                    .as(e.getKey() + ": no repeats without a restart")
                    .hasSameSizeAs(e.getValue());
        }
        // Dead letters name where they came from (shardId@sequenceNumber rather than file:line),
        // so their ids differ; the records and reasons are the same.
        assertThat(dev.attune.OutputAssertions.rawAndCode(got.get(Streams.DEAD_LETTER)))
                .isEqualTo(dev.attune.OutputAssertions.rawAndCode(expectedLines(Streams.DEAD_LETTER)));
        assertThat(got.get(Streams.DEAD_LETTER)).allSatisfy(d -> assertThat(d).contains("\"position\":\"shardId-"));
    }

    /**
     * Job 1 reads the fixture and is checkpointed; then mid sentinels release the decisions up to
     * 10:20 on the fixture day, which job 1 writes. Job 1 is cancelled and job 2 restored from
     * the checkpoint taken before those decisions, as after a failure between a write and the
     * next checkpoint: it reads the mid sentinels again and repeats those decisions, then final
     * sentinels release the rest. Nothing may be missing, and every repeat must carry an id
     * already written (the ids come from the inputs, not from when or how often they are decided).
     */
    @Test
    void restartFromACheckpointRepeatsOnlyRecordsWithTheSameIds(
            @InjectMiniCluster MiniCluster cluster, @TempDir Path checkpoints) throws Exception {
        String prefix = "rs";
        List<String> args = createStreams(prefix, true);
        args.addAll(
                List.of("--flink.execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION"));
        // Job 1 is stopped between two decisions that the watermark releases (the sentinels move it), so
        // everything here waits for the watermark; what is decided on arrival is repeated the same way.
        args.addAll(List.of("--decide.on-arrival", "false"));
        main(with(args, "load", "--input.path", FIXTURE.resolve("input").toString()));

        Map<String, Set<String>> want = expected(DECISIONS.keySet());
        Map<String, Set<String>> early = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> e : want.entrySet()) {
            Set<String> before = new TreeSet<>();
            for (String r : e.getValue()) {
                if (Instant.parse(Json.MAPPER.readTree(r).get("eventTime").asText())
                        .isBefore(MID_WATERMARK)) {
                    before.add(r);
                }
            }
            early.put(e.getKey(), before);
        }
        int earlyCount = early.values().stream().mapToInt(Set::size).sum();
        assertThat(earlyCount)
                .as("decisions before the mid watermark")
                .isPositive()
                .isLessThan(want.values().stream().mapToInt(Set::size).sum());

        long started = System.nanoTime();
        JobClient first = start(args, checkpoints, null);
        String checkpoint;
        Map<String, List<String>> beforeCancel;
        try {
            // A checkpoint of job 1 before any decision is released (the sentinels come after it).
            checkpoint = awaitCheckpoint(cluster, first.getJobID(), 2);
            putSentinels(prefix, MID_SENTINEL);
            beforeCancel = await(first, prefix, early, 0);
        } finally {
            cancel(first);
        }
        for (String s : DECISIONS.keySet()) {
            assertThat(new TreeSet<>(beforeCancel.get(s)))
                    .as(s + " written by job 1: the decisions before 10:20")
                    .containsExactlyElementsOf(early.get(s));
        }

        putSentinels(prefix, FINAL_SENTINEL);
        JobClient second = start(args, checkpoints, checkpoint);
        Map<String, List<String>> got;
        try {
            got = await(second, prefix, want, 0);
            assertThat(cluster.getExecutionGraph(second.getJobID())
                            .get()
                            .getCheckpointStatsSnapshot()
                            .getLatestRestoredCheckpoint())
                    .as("job 2 restored from " + checkpoint)
                    .isNotNull();
        } finally {
            cancel(second);
        }

        int total = 0;
        int repeats = 0;
        int missing = 0;
        int newIds = 0;
        for (Map.Entry<String, String> d : DECISIONS.entrySet()) {
            String s = d.getKey();
            Set<String> wantIds = new HashSet<>();
            for (String r : want.get(s)) {
                wantIds.add(Json.MAPPER.readTree(r).get(d.getValue()).asText());
            }
            Set<String> seen = new HashSet<>();
            for (String r : got.get(s)) {
                String id = Json.MAPPER.readTree(r).get(d.getValue()).asText();
                if (!seen.add(id)) {
                    repeats++;
                }
                if (!wantIds.contains(id)) {
                    newIds++;
                }
            }
            total += got.get(s).size();
            missing += (int)
                    want.get(s).stream().filter(r -> !got.get(s).contains(r)).count();
            // Same records: a repeat with an id seen before but other content would be an extra element.
            assertThat(new TreeSet<>(got.get(s)))
                    .as(s + ": every expected record, nothing else")
                    .containsExactlyElementsOf(want.get(s));
        }
        System.out.printf(
                "Kinesis restart from a checkpoint: %d expected decisions, %d written by job 1 before the "
                        + "cancel, %d received in all, %d repeated (all with ids seen before), %d missing, %d new ids, "
                        + "in %.1f s%n",
                want.values().stream().mapToInt(Set::size).sum(),
                earlyCount,
                total,
                repeats,
                missing,
                newIds,
                (System.nanoTime() - started) / 1e9);
        assertThat(missing).isZero();
        assertThat(newIds).isZero();
        // Job 2 restored from before the mid sentinels, so it decides the early records again.
        assertThat(repeats).isEqualTo(earlyCount);
    }

    // ---- helpers

    /** Input streams (2 shards, by ARN) and output streams (1 shard, by name or ARN); the job's arguments. */
    static List<String> createStreams(String prefix, boolean outputArns) throws InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "--profile",
                "jobs/kinesis.properties",
                "--kinesis.initial-position",
                "TRIM_HORIZON",
                "--watermark.out-of-orderness",
                "30 d",
                "--watermark.idleness",
                "1 h",
                // The history is replayed live, ending with a sentinel dated weeks ahead of today.
                "--input.max-clock-skew",
                "3650 d",
                "--checkpoint.interval",
                "500 ms"));
        args.addAll(kinesis.connectorArgs());
        // The 4.3 source assigns the shards it finds before its readers register only at the next
        // discovery (every 10 s by default), so a fresh job would idle 10 s before reading.
        args.addAll(List.of("--kinesis.client.flink.shard.discovery.intervalmillis", "500"));
        for (String s : Streams.INPUTS) {
            args.addAll(List.of("--kinesis.stream." + s, kinesis.createStream(prefix + "-" + s, 2)));
        }
        for (String s : Streams.OUTPUTS) {
            String arn = kinesis.createStream(prefix + "-" + s, 1);
            args.addAll(List.of("--kinesis.stream." + s, outputArns ? arn : prefix + "-" + s));
        }
        return args;
    }

    static String[] with(List<String> args, String command, String... extra) {
        List<String> a = new ArrayList<>();
        if (command != null) {
            a.add(command);
        }
        a.addAll(args);
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static void main(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
        assertThat(code)
                .as("attune %s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8))
                .isZero();
    }

    /** The job as AttuneJob.run wires it, submitted without waiting: the Kinesis source never ends. */
    static JobClient start(List<String> args, Path checkpoints, String restoreFrom) throws Exception {
        List<String> a = new ArrayList<>(args);
        if (restoreFrom != null) {
            a.addAll(List.of("--flink.execution.savepoint.path", restoreFrom));
        }
        Configuration conf = CommandLine.parse(a.toArray(String[]::new)).conf();
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        AttuneJob.build(env, conf);
        return env.executeAsync("attune-kinesis");
    }

    static void cancel(JobClient job) throws Exception {
        failIfEnded(job);
        job.cancel().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!job.getJobStatus().get(10, TimeUnit.SECONDS).isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getJobID() + " did not stop within 30 s");
            }
            Thread.sleep(100);
        }
    }

    /** A job that ended by itself failed: surface why, rather than a timeout or a failed cancel. */
    static void failIfEnded(JobClient job) throws Exception {
        JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("job " + job.getJobID() + " ended by itself: " + status, e.getCause());
            }
            throw new IllegalStateException("job " + job.getJobID() + " ended by itself: " + status);
        }
    }

    /** Waits for a completed checkpoint with at least this id and returns its path. */
    static String awaitCheckpoint(MiniCluster cluster, JobID job, long atLeast) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            CheckpointStatsSnapshot stats = cluster.getExecutionGraph(job).get().getCheckpointStatsSnapshot();
            CompletedCheckpointStats latest =
                    stats == null ? null : stats.getHistory().getLatestCompletedCheckpoint();
            if (latest != null && latest.getCheckpointId() >= atLeast) {
                return latest.getExternalPath();
            }
            JobStatus status = cluster.getJobStatus(job).get();
            if (status.isGloballyTerminalState()) {
                throw new IllegalStateException("job " + job + " ended (" + status + ") before checkpoint " + atLeast);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no checkpoint " + atLeast + " of job " + job + " within " + WAIT);
    }

    /**
     * One sentinel per shard of each input stream: a valid record of a customer of its own, at an
     * event time that moves that shard's watermark to the sentinel's time minus 30 days.
     */
    static void putSentinels(String prefix, String eventTime) {
        for (String s : Streams.INPUTS) {
            int i = 0;
            for (Shard shard : kinesis.shards(prefix + "-" + s)) {
                String id = "sentinel-" + eventTime + "-" + i++;
                String record = switch (s) {
                    case Streams.USER_EVENTS ->
                        "{\"messageId\":\"" + id + "\",\"userId\":\"zz-sentinel\",\"type\":\"page\","
                                + "\"timestamp\":\"" + eventTime + "\",\"name\":\"home\"}";
                    case Streams.ENGAGEMENT_EVENTS ->
                        "{\"messageId\":\"" + id + "\",\"userId\":\"zz-sentinel\","
                                + "\"type\":\"track\",\"timestamp\":\"" + eventTime + "\",\"event\":\"Message Opened\","
                                + "\"properties\":{\"channel\":\"email\",\"sendId\":\"sentinel\",\"campaignId\":\"sentinel\"}}";
                    case Streams.CAMPAIGN_REQUESTS ->
                        "{\"requestId\":\"" + id + "\",\"campaignId\":\"sentinel\","
                                + "\"userId\":\"zz-sentinel\",\"timestamp\":\"" + eventTime
                                + "\",\"channels\":[\"email\"],"
                                + "\"offer\":{\"title\":\"Sentinel\"}}";
                    default -> throw new IllegalArgumentException(s);
                };
                assertThat(RecordParser.parse(s, "sentinel", record.getBytes(StandardCharsets.UTF_8))
                                .isValid())
                        .as("sentinel for %s is a valid record: %s", s, record)
                        .isTrue();
                kinesis.putIntoShard(prefix + "-" + s, shard, record);
            }
        }
    }

    /** Reads the output streams until they hold every wanted record and enough dead letters, or WAIT passes. */
    static Map<String, List<String>> await(JobClient job, String prefix, Map<String, Set<String>> want, int deadLetters)
            throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            failIfEnded(job);
            Map<String, List<String>> got = outputs(prefix);
            boolean done = got.get(Streams.DEAD_LETTER).size() >= deadLetters
                    && want.entrySet().stream()
                            .allMatch(e -> got.get(e.getKey()).containsAll(e.getValue()));
            if (done || System.nanoTime() > deadline) {
                return got;
            }
            Thread.sleep(500);
        }
    }

    static Map<String, List<String>> outputs(String prefix) {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : Streams.OUTPUTS) {
            out.put(s, kinesis.readAll(prefix + "-" + s));
        }
        return out;
    }

    static Map<String, Set<String>> expected(Iterable<String> streams) throws IOException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String s : streams) {
            out.put(s, new TreeSet<>(expectedLines(s)));
        }
        return out;
    }

    static List<String> expectedLines(String stream) throws IOException {
        return Files.readAllLines(FIXTURE.resolve("expected/" + stream + ".jsonl"), StandardCharsets.UTF_8);
    }

    static String counts(Map<String, List<String>> got) {
        StringBuilder b = new StringBuilder();
        for (String s : Streams.OUTPUTS) {
            b.append(b.length() == 0 ? "" : ", ")
                    .append(got.get(s).size())
                    .append(' ')
                    .append(s);
        }
        return b.toString();
    }
}
