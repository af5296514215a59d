package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.OutputAssertions;
import dev.attune.config.CommandLine;
import dev.attune.contract.Streams;
import dev.attune.io.SyntheticHistory;
import dev.attune.reliability.KafkaJobs;
import dev.attune.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live Kafka job with per-split idleness, fed like bench/faults (event time in order, an
 * out-of-orderness bound, end-of-feed records), compared with the same history decided by a
 * bounded end-of-input run. Input topics have 4 partitions, the job 2 source readers (2 splits of
 * each topic each). The live job must make every decision of the reference, the same decisions,
 * while it runs and after a stop-with-savepoint with drain.
 *
 * <p>These reproduce what the first faults run met (RELIABILITY.md, "Settings the compressed feed
 * needs"): decisions held for ever when every partition went quiet at once (Flink 1.20's
 * FLINK-38454, worked around by {@link dev.attune.io.CatchUpWatermarks}), and outputs that vanished
 * from their topics minutes after they were committed (their Kafka timestamps were the history's
 * event time, past the topics' 7-day retention, and the broker's retention check, 30 s after its
 * start and then every 5 minutes, deleted them).
 */
class IdleWatermarkITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            // the REST watermarks printed by settle: fetched every 500 ms, not the default 10 s (a stale
            // figure once read as "the watermark did not move after the resume")
            .setConfiguration(metricsFetchedOften())
            .build());

    static Configuration metricsFetchedOften() {
        Configuration c = new Configuration();
        c.set(
                org.apache.flink.configuration.MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL,
                java.time.Duration.ofMillis(500));
        return c;
    }

    static final int PARTITIONS = 4;
    static final int CUSTOMERS = 150;
    static final long DAY = 86_400_000L;

    static KafkaBroker broker;
    static SyntheticHistory history;
    static long last;
    static Map<String, List<String>> reference;

    @BeforeAll
    static void startBrokerAndDecideTheReference() throws Exception {
        broker = new KafkaBroker();
        history = new SyntheticHistory(11, CUSTOMERS, "2026-11-01T00:00:00Z", 0.01, 0.02);
        for (long i = 0; i < history.size(); i++) {
            last = Math.max(last, history.at(i).timestamp());
        }
        System.out.printf(
                "history: %,d records from %s to %s%n",
                history.size(), Instant.ofEpochMilli(history.at(0).timestamp()), Instant.ofEpochMilli(last));
        createTopics("ref");
        send("ref", 0, history.size());
        main(args(
                "ref",
                "--source.bounded",
                "true",
                "--watermark.strategy",
                "end-of-input",
                "--kafka.starting-offsets",
                "earliest"));
        reference = outputs("ref");
        System.out.printf("reference: %s%n", counts(reference));
        assertThat(reference.get(Streams.INTERVENTIONS)).hasSizeGreaterThan(20);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /**
     * The feed stops half way (every partition goes quiet), resumes, then ends with end-of-feed
     * records on the user-events partitions only while the other topics stay quiet. The resumed
     * partitions move the watermark on and lose nothing, and once the rest are quiet the markers
     * alone carry the watermark past every event: every decision comes out while the job runs, the
     * same as the reference, nothing late.
     *
     * <p>The second half (44 hours of event time) comes as one backlog, so the bound here is 2 days:
     * a backlog's partitions are fetched at different speeds (seconds apart under load), and a
     * partition still idle from the pause holds nothing back until its first record is read, so with
     * a bound shorter than the backlog the partitions read last can have late events (with 1 day, one
     * run in six under load: 50 {@code late_event} dead letters, two sends on another channel). That
     * is the out-of-orderness contract (docs/decisions.md, "Quiet partitions"), not a loss.
     */
    @Test
    void idlePartitionsThatResumeAndMarkersOnSomePartitionsLoseNothing(@TempDir Path dir) throws Exception {
        String prefix = "resume";
        createTopics(prefix);
        send(prefix, 0, history.size() / 2);
        JobClient job = start(prefix, dir, "2 s", "2 d");
        try {
            settle(prefix, "first half read, every partition idle");
            send(prefix, history.size() / 2, history.size());
            settle(prefix, "second half read after the idle gap");
            long firstHalfNewest = 0;
            for (long i = 0; i < history.size() / 2; i++) {
                firstHalfNewest = Math.max(firstHalfNewest, history.at(i).timestamp());
            }
            // The resumed partitions moved the watermark on, by their own events and by the catch-up once
            // they were quiet again: past the first catch-up (the first half's newest event less the bound).
            // (REST serves its last fetch and fetches anew in the background: asked again until it is fresh.)
            long firstCatchUp = firstHalfNewest - 2 * DAY - 1;
            long watermark = decideWatermark();
            for (long until = System.currentTimeMillis() + 15_000;
                    watermark <= firstCatchUp && System.currentTimeMillis() < until; ) {
                Thread.sleep(500);
                watermark = decideWatermark();
            }
            assertThat(Instant.ofEpochMilli(watermark))
                    .as("input watermark of decide per customer after the second half")
                    .isAfter(Instant.ofEpochMilli(firstCatchUp));
            markers(prefix, false);
            assertSameDecisions(settle(prefix, "end-of-feed on user-events partitions only"));
        } catch (Throwable t) {
            cancel(job);
            throw t;
        }
        drainAndAssertEverythingDecided(job, prefix, dir);
    }

    /** Control: no idleness and end-of-feed records on every partition (what bench/faults runs now). */
    @Test
    void withoutIdlenessMarkersOnEveryPartitionReleaseEverything(@TempDir Path dir) throws Exception {
        String prefix = "control";
        createTopics(prefix);
        send(prefix, 0, history.size());
        JobClient job = start(prefix, dir, "1 h", "1 d");
        try {
            settle(prefix, "history read, no idleness");
            markers(prefix, true);
            assertSameDecisions(settle(prefix, "end-of-feed on every partition"));
        } finally {
            cancel(job);
        }
    }

    /**
     * In the order bench/faults met it: the last records of every partition (the other topics'
     * last events and the user-events markers) are read together, so every split goes quiet at the
     * same watermark probe. Flink 1.20's per-split multiplexer alone keeps the minimum of the
     * splits' watermarks then (FLINK-38454): the watermark stayed {@code out-of-orderness} behind
     * the other topics' last events and 294 of 330 decisions waited. With
     * {@link dev.attune.io.CatchUpWatermarks} the markers carry it past every event while the job
     * runs, and a stop-with-savepoint with drain changes nothing.
     */
    @Test
    void drainReleasesEveryHeldDecisionWhenAllPartitionsFellIdleTogether(@TempDir Path dir) throws Exception {
        String prefix = "drain";
        createTopics(prefix);
        // Everything but the tail, read by the job; then the tail and the markers in one burst.
        send(prefix, 0, history.size());
        JobClient job = start(prefix, dir);
        Map<String, List<String>> live;
        try {
            settle(prefix, "history read, every partition idle");
            tailsAndMarkers(prefix);
            live = settle(prefix, "tails and markers read together, every partition idle again");
        } catch (Throwable t) {
            cancel(job);
            throw t;
        }
        System.out.printf("live, all partitions idle: %d decisions held of %d%n", missing(live), total(reference));
        try {
            assertSameDecisions(live);
        } catch (Throwable t) {
            cancel(job);
            throw t;
        }
        drainAndAssertEverythingDecided(job, prefix, dir);
    }

    /**
     * Stops the job with a savepoint and drain, reads the outputs with read_committed, and checks
     * that every decision of the reference is there, the same, once, and nothing late.
     */
    static void drainAndAssertEverythingDecided(JobClient job, String prefix, Path dir) throws Exception {
        String savepoint = job.stopWithSavepoint(
                        true, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(2, TimeUnit.MINUTES);
        Map<String, List<String>> drained = outputs(prefix);
        Map<String, Integer> uncommitted = new java.util.TreeMap<>();
        for (String s : Streams.OUTPUTS) {
            uncommitted.put(
                    s,
                    KafkaBroker.read(broker.bootstrapServers(), prefix + "-out-" + s, "read_uncommitted")
                            .size());
        }
        System.out.printf(
                "after stop-with-savepoint --drain (%s): read_committed %s, %d differing from the reference; "
                        + "read_uncommitted %s%n",
                savepoint, counts(drained), missing(drained), uncommitted);
        System.out.printf(
                "late_event dead letters: %d (reference %d)%n",
                drained.get(Streams.DEAD_LETTER).stream()
                        .filter(d -> d.contains("late_event"))
                        .count(),
                reference.get(Streams.DEAD_LETTER).stream()
                        .filter(d -> d.contains("late_event"))
                        .count());
        assertThat(requests(drained)).as("every campaign request answered").isEqualTo(requests(reference));
        assertSameDecisions(drained);
    }

    static Set<String> requests(Map<String, List<String>> outputs) throws Exception {
        Set<String> ids = new java.util.TreeSet<>();
        for (String s : List.of(Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS)) {
            for (String r : outputs.get(s)) {
                var n = dev.attune.contract.Json.MAPPER.readTree(r);
                if (n.hasNonNull("requestId")) {
                    ids.add(n.get("requestId").asText());
                }
            }
        }
        return ids;
    }

    // ---- feed ------------------------------------------------------------------------------------------

    static KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("linger.ms", "20");
        return new KafkaProducer<>(p);
    }

    /** History records [from, to), keyed by customer as the loader keys them. */
    static void send(String prefix, long from, long to) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (long i = from; i < to; i++) {
            SyntheticHistory.Generated g = history.at(i);
            records.add(new ProducerRecord<>(
                    prefix + "-" + g.stream(),
                    SyntheticHistory.userId(g.customer()).getBytes(StandardCharsets.UTF_8),
                    g.bytes()));
        }
        sendAll(records);
    }

    /** Input records sent since the running job started reading (the reference's are not counted). */
    static long sent;

    /** Sends and waits for every acknowledgement: a record the broker did not take fails the test here. */
    static void sendAll(List<ProducerRecord<byte[], byte[]>> records) throws Exception {
        sent += records.size();
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (ProducerRecord<byte[], byte[]> r : records) {
                acks.add(producer.send(r));
            }
            producer.flush();
        }
        for (var ack : acks) {
            ack.get();
        }
    }

    /** One end-of-feed record per user-events partition, 10 days after the history (as bench/faults sent them). */
    static void markers(String prefix, boolean everyTopic) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String stream : everyTopic ? Streams.INPUTS : List.of(Streams.USER_EVENTS)) {
            for (int p = 0; p < PARTITIONS; p++) {
                records.add(record(prefix, stream, p, "end-of-feed-" + p, last + 10 * DAY));
            }
        }
        sendAll(records);
    }

    /**
     * In one batch: a last event at the history's last time on every partition of the other topics
     * (a feed where every topic is written to until the end) and the user-events markers.
     */
    static void tailsAndMarkers(String prefix) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (String stream : List.of(Streams.ENGAGEMENT_EVENTS, Streams.CAMPAIGN_REQUESTS)) {
            for (int p = 0; p < PARTITIONS; p++) {
                records.add(record(prefix, stream, p, "tail-" + p, last));
            }
        }
        for (int p = 0; p < PARTITIONS; p++) {
            records.add(record(prefix, Streams.USER_EVENTS, p, "end-of-feed-" + p, last + 10 * DAY));
        }
        sendAll(records);
    }

    static ProducerRecord<byte[], byte[]> record(String prefix, String stream, int partition, String user, long time) {
        var r = dev.attune.contract.Json.MAPPER.createObjectNode();
        if (Streams.CAMPAIGN_REQUESTS.equals(stream)) {
            r.put("requestId", user).put("campaignId", "end-of-feed");
        } else {
            r.put("type", "identify").put("messageId", stream + "-" + user);
        }
        r.put("userId", user).put("timestamp", dev.attune.contract.Times.format(time));
        return new ProducerRecord<>(
                prefix + "-" + stream,
                partition,
                user.getBytes(StandardCharsets.UTF_8),
                r.toString().getBytes(StandardCharsets.UTF_8));
    }

    // ---- job ---------------------------------------------------------------------------------------------

    static JobClient start(String prefix, Path dir) throws Exception {
        return start(prefix, dir, "2 s", "1 d");
    }

    static JobClient job;

    static JobClient start(String prefix, Path dir, String idleness, String outOfOrderness) throws Exception {
        Configuration conf = CommandLine.parse(args(
                        prefix,
                        "--kafka.starting-offsets",
                        "earliest",
                        "--watermark.out-of-orderness",
                        outOfOrderness,
                        "--watermark.idleness",
                        idleness))
                .conf();
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, dir.resolve("checkpoints").toUri().toString());
        AttuneJob.build(env, conf);
        job = env.executeAsync("attune-" + prefix);
        return job;
    }

    static String[] args(String prefix, String... extra) {
        return KafkaJobs.args(broker, prefix, prefix + "-out", extra).toArray(String[]::new);
    }

    static void main(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
        assertThat(code).as("attune: %s", err.toString(StandardCharsets.UTF_8)).isZero();
    }

    static void createTopics(String prefix) throws Exception {
        sent = 0;
        broker.createTopics(
                PARTITIONS, Streams.INPUTS.stream().map(s -> prefix + "-" + s).toList());
        broker.createTopics(
                1, Streams.OUTPUTS.stream().map(s -> prefix + "-out-" + s).toList());
    }

    /**
     * Committed outputs, once the job has read every input record sent and the outputs have not grown
     * for 6 s (idleness 2 s, checkpoints every 500 ms). Read: its source has passed on as many records
     * (each input is a valid record or a dead letter; a REST figure, never ahead of the truth), or its
     * consumer group has committed the topics' ends (exact, but up to 10 s late). Waiting for the
     * outputs alone was not enough: records only read are held for the watermark and show nothing, and
     * end-of-feed markers sent before every record was fetched overtake the rest.
     */
    static Map<String, List<String>> settle(String prefix, String what) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        List<String> inputs = Streams.INPUTS.stream().map(s -> prefix + "-" + s).toList();
        while (sourceRecordsOut() < sent && broker.lag(prefix + "-out", inputs) > 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + ": the job has not read the " + sent + " records sent after 90 s");
            }
            Thread.sleep(200);
        }
        Map<String, List<String>> got = outputs(prefix);
        long stableSince = System.currentTimeMillis();
        while (System.currentTimeMillis() < deadline && System.currentTimeMillis() - stableSince < 6_000) {
            Thread.sleep(1_000);
            Map<String, List<String>> now = outputs(prefix);
            if (total(now) != total(got)) {
                stableSince = System.currentTimeMillis();
            }
            got = now;
        }
        System.out.printf("%s: %s, %d missing; watermarks %s%n", what, counts(got), missing(got), watermarks());
        return got;
    }

    /** Records the running job's Kafka source has passed on (REST, fetched every 500 ms; 0 while it starts). */
    static long sourceRecordsOut() throws Exception {
        return vertex("Source: read kafka")
                .path("metrics")
                .path("write-records")
                .asLong(0);
    }

    /** The lowest input watermark of the subtasks of {@code decide per customer} (REST). */
    static long decideWatermark() throws Exception {
        long min = Long.MAX_VALUE;
        for (var m :
                rest("/vertices/" + vertex("decide per customer").path("id").asText() + "/watermarks")) {
            min = Math.min(min, Long.parseLong(m.path("value").asText()));
        }
        return min;
    }

    /** The running job's vertex whose name starts with this (a missing node while the job is initialising). */
    static com.fasterxml.jackson.databind.JsonNode vertex(String name) throws Exception {
        for (var v : rest("").path("vertices")) {
            if (v.path("name").asText().startsWith(name)) {
                return v;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** GET on the running job's REST resource at this path. */
    static com.fasterxml.jackson.databind.JsonNode rest(String path) throws Exception {
        String url = "http://localhost:"
                + CLUSTER.getClientConfiguration().get(org.apache.flink.configuration.RestOptions.PORT) + "/jobs/"
                + job.getJobID() + path;
        return dev.attune.contract.Json.MAPPER.readTree(java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body());
    }

    /** Each vertex's current input watermarks (REST), as event time, and the job's failures. */
    static String watermarks() {
        try {
            StringBuilder b = new StringBuilder();
            for (var f : rest("/exceptions").path("exceptionHistory").path("entries")) {
                b.append("\n  FAILURE at ")
                        .append(Instant.ofEpochMilli(f.path("timestamp").asLong()))
                        .append(": ")
                        .append(f.path("exceptionName").asText())
                        .append(' ')
                        .append(f.path("stacktrace").asText().lines().limit(3).toList());
            }
            for (var v : rest("").path("vertices")) {
                b.append("\n  ").append(v.path("name").asText()).append(':');
                for (var m : rest("/vertices/" + v.path("id").asText() + "/watermarks")) {
                    long t = Long.parseLong(m.path("value").asText());
                    b.append(' ')
                            .append(m.path("id").asText())
                            .append('=')
                            .append(
                                    t <= Long.MIN_VALUE + 1
                                            ? "MIN"
                                            : t == Long.MAX_VALUE
                                                    ? "MAX"
                                                    : Instant.ofEpochMilli(t).toString());
                }
            }
            return b.toString();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    static Map<String, List<String>> outputs(String prefix) {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : Streams.OUTPUTS) {
            out.put(
                    s,
                    broker.readCommitted(prefix + "-out-" + s).stream()
                            .map(ConsumerRecord::value)
                            .filter(v -> !v.contains("end-of-feed") && !v.contains("tail-"))
                            .sorted()
                            .toList());
        }
        return out;
    }

    static long total(Map<String, List<String>> outputs) {
        return outputs.values().stream().mapToLong(List::size).sum();
    }

    static Map<String, Integer> counts(Map<String, List<String>> outputs) {
        Map<String, Integer> c = new java.util.TreeMap<>();
        outputs.forEach((k, v) -> c.put(k, v.size()));
        return c;
    }

    /** Reference decisions not among these outputs (dead letters compared by raw record and code). */
    static long missing(Map<String, List<String>> got) {
        long n = 0;
        for (String s : Streams.OUTPUTS) {
            Set<String> have = new HashSet<>(key(s, got.get(s)));
            n += key(s, reference.get(s)).stream()
                    .filter(r -> !have.contains(r))
                    .count();
        }
        return n;
    }

    static List<String> key(String stream, List<String> records) {
        if (!Streams.DEAD_LETTER.equals(stream)) {
            return records;
        }
        try {
            return new ArrayList<>(OutputAssertions.rawAndCode(records));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void assertSameDecisions(Map<String, List<String>> got) {
        printFieldDifferences(got);
        for (String s : Streams.OUTPUTS) {
            Set<String> want = new HashSet<>(key(s, reference.get(s)));
            Set<String> have = new HashSet<>(key(s, got.get(s)));
            want.stream()
                    .filter(r -> !have.contains(r))
                    .sorted()
                    .limit(3)
                    .forEach(r -> System.out.println("MISSING " + s + " " + r));
            have.stream()
                    .filter(r -> !want.contains(r))
                    .sorted()
                    .limit(3)
                    .forEach(r -> System.out.println("EXTRA   " + s + " " + r));
        }
        for (String s : Streams.OUTPUTS) {
            assertThat(new HashSet<>(key(s, got.get(s)))).as(s).isEqualTo(new HashSet<>(key(s, reference.get(s))));
            assertThat(got.get(s)).as(s + ": no duplicates").doesNotHaveDuplicates();
        }
    }

    /** For records with the same id on both sides but other content: which fields differ. */
    static void printFieldDifferences(Map<String, List<String>> got) {
        try {
            for (String s : List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS)) {
                Map<String, com.fasterxml.jackson.databind.JsonNode> want = new HashMap<>();
                for (String r : reference.get(s)) {
                    var n = dev.attune.contract.Json.MAPPER.readTree(r);
                    want.put(
                            n.path("userId").asText() + "|"
                                    + n.path("requestId").asText() + n.path("triggerMessageIds"),
                            n);
                }
                int shown = 0;
                for (String r : got.get(s)) {
                    var n = dev.attune.contract.Json.MAPPER.readTree(r);
                    var w = want.get(n.path("userId").asText() + "|"
                            + n.path("requestId").asText() + n.path("triggerMessageIds"));
                    if (w == null || w.equals(n) || shown++ >= 5) {
                        continue;
                    }
                    StringBuilder b = new StringBuilder(
                            "DIFF " + s + " " + n.path("userId").asText() + ":");
                    n.fieldNames().forEachRemaining(f -> {
                        if (!n.get(f).equals(w.get(f))) {
                            b.append("\n    ")
                                    .append(f)
                                    .append(": reference ")
                                    .append(w.get(f))
                                    .append(" | live ")
                                    .append(n.get(f));
                        }
                    });
                    System.out.println(b);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Cancels the job and waits until it has ended, so no checkpoint is still being written into the test's
     * temporary folder when JUnit deletes it.
     */
    private static void cancel(JobClient job) throws Exception {
        job.cancel().get(1, TimeUnit.MINUTES);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not end within a minute of its cancellation");
            }
            Thread.sleep(50);
        }
    }
}
