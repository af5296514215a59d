package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.DeadLetters;
import dev.attune.contract.Inbound;
import dev.attune.contract.Streams;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.io.SyntheticHistory;
import dev.attune.testing.KafkaBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attune on a real Kafka broker (KRaft, in this JVM, on loopback): the loader, the Kafka source
 * and the exactly-once Kafka sink, a round trip compared with the file replay, and exactly-once
 * outputs across injected failures, read by a read_committed consumer.
 */
class KafkaITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    /** Topic overrides so each test has its own topics: kafka.topic.STREAM = PREFIX-STREAM. */
    static List<String> topicArgs(String prefix) {
        List<String> args = new ArrayList<>();
        for (String s : Streams.INPUTS) {
            args.addAll(List.of("--kafka.topic." + s, prefix + "-" + s));
        }
        for (String s : Streams.OUTPUTS) {
            args.addAll(List.of("--kafka.topic." + s, prefix + "-" + s));
        }
        return args;
    }

    static void createTopics(String prefix) throws Exception {
        List<String> inputs = Streams.INPUTS.stream().map(s -> prefix + "-" + s).toList();
        List<String> outputs =
                Streams.OUTPUTS.stream().map(s -> prefix + "-" + s).toList();
        broker.createTopics(2, inputs);
        broker.createTopics(1, outputs);
    }

    static int main(String... args) {
        return dev.attune.reliability.KafkaJobs.main(args);
    }

    static String[] args(String command, String prefix, Path input, String... extra) {
        List<String> a = new ArrayList<>();
        if (command != null) {
            a.add(command);
        }
        a.addAll(List.of(
                "--profile",
                "jobs/kafka.properties",
                "--kafka.bootstrap-servers",
                broker.bootstrapServers(),
                "--kafka.transactional-id-prefix",
                prefix,
                "--kafka.group-id",
                prefix,
                "--checkpoint.interval",
                "500 ms"));
        if (input != null) {
            a.addAll(List.of("--input.path", input.toString()));
        }
        a.addAll(topicArgs(prefix));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static Map<String, List<String>> outputs(String prefix) {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : Streams.OUTPUTS) {
            List<String> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : broker.readCommitted(prefix + "-" + s)) {
                values.add(r.value());
            }
            values.sort(null);
            out.put(s, values);
        }
        return out;
    }

    @Test
    void roundTripThroughKafkaGivesTheSameDecisionsAsTheFileReplay() throws Exception {
        String prefix = "rt";
        createTopics(prefix);
        Path fixture = ReplayITCase.FIXTURE.resolve("input");
        main(args("load", prefix, fixture));
        main(args(null, prefix, null, "--source.bounded", "true", "--watermark.strategy", "end-of-input"));
        Map<String, List<String>> actual = outputs(prefix);
        for (String s : List.of(
                Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS, Streams.CAMPAIGN_SUMMARIES)) {
            List<String> want = Files.readAllLines(ReplayITCase.FIXTURE.resolve("expected/" + s + ".jsonl"));
            assertThat(actual.get(s)).as(s + ": same records, same ids").containsExactlyElementsOf(want);
        }
        // Dead letters name where they came from (topic-partition@offset rather than file:line),
        // so their ids differ; the records and reasons are the same.
        assertThat(dev.attune.OutputAssertions.rawAndCode(actual.get(Streams.DEAD_LETTER)))
                .isEqualTo(dev.attune.OutputAssertions.rawAndCode(
                        Files.readAllLines(ReplayITCase.FIXTURE.resolve("expected/dead-letter.jsonl"))));
        assertThat(actual.get(Streams.DEAD_LETTER))
                .allSatisfy(d -> assertThat(d).contains("\"position\":\"rt-user-events-"));
    }

    @Test
    void exactlyOnceAcrossInjectedFailures(@TempDir Path history) throws Exception {
        writeHistory(history, 250);
        createTopics("eos-in");
        createTopics("eos-ref");
        createTopics("eos-out");
        main(args("load", "eos-in", history));
        String[] common = {
            "--source.bounded", "true", "--watermark.idleness", "1 h", "--kafka.starting-offsets", "earliest"
        };
        // Fault-free reference run.
        runPipeline(withInputs(args(null, "eos-ref", null, common), "eos-in"), Integer.MAX_VALUE, Integer.MAX_VALUE);
        // The same job, failing twice mid-stream, restored from its checkpoints each time.
        runPipeline(withInputs(args(null, "eos-out", null, common), "eos-in"), 1500, 1200);

        long lost = 0;
        long duplicated = 0;
        long repeatedInterventions = 0;
        long expectedTotal = 0;
        for (String s : Streams.OUTPUTS) {
            List<String> ref = broker.readCommitted("eos-ref-" + s).stream()
                    .map(ConsumerRecord::value)
                    .toList();
            List<String> got = broker.readCommitted("eos-out-" + s).stream()
                    .map(ConsumerRecord::value)
                    .toList();
            Set<String> refSet = new HashSet<>(ref);
            Set<String> gotSet = new HashSet<>(got);
            expectedTotal += refSet.size();
            // Interventions are at-least-once (kafka.interventions-delivery): a restore may write a
            // record again, byte for byte, id included; every other stream is exactly-once.
            if (s.equals(Streams.INTERVENTIONS)) {
                repeatedInterventions += got.size() - gotSet.size();
            } else {
                duplicated += got.size() - gotSet.size();
            }
            lost += refSet.stream().filter(r -> !gotSet.contains(r)).count();
            assertThat(gotSet).as(s).isEqualTo(refSet);
        }
        System.out.printf(
                "Kafka across 2 injected failures: %d expected outputs, %d lost, %d duplicated (exactly-once "
                        + "streams), %d interventions repeated with the same id (at-least-once)%n",
                expectedTotal, lost, duplicated, repeatedInterventions);
        assertThat(expectedTotal).isGreaterThan(300);
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();
    }

    /**
     * A live (unbounded) Kafka job whose input topics have more partitions than customers fill:
     * silent partitions, and partitions that have delivered all they had, go idle after
     * watermark.idleness, so the watermark follows the one partition that moves on and every
     * decision comes out. Without idleness the job would wait forever.
     */
    @Test
    void idlePartitionsDoNotStallTheWatermark() throws Exception {
        String prefix = "idle";
        List<String> inputs = Streams.INPUTS.stream().map(s -> prefix + "-" + s).toList();
        broker.createTopics(6, inputs);
        broker.createTopics(
                1, Streams.OUTPUTS.stream().map(s -> prefix + "-" + s).toList());
        main(args("load", prefix, ReplayITCase.FIXTURE.resolve("input")));
        // Partition 0 of user-events stays live (a heartbeat customer a month later, every 300 ms);
        // every other partition falls silent once read and must go idle for the watermark to move.
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p);
        java.util.concurrent.atomic.AtomicBoolean live = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread heartbeat = new Thread(() -> {
            for (int i = 0; live.get(); i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        prefix + "-user-events",
                        0,
                        "zz",
                        "{\"messageId\":\"beat-" + i + "\",\"userId\":\"zz\",\"type\":\"page\",\"name\":\"home\","
                                + "\"timestamp\":"
                                + (java.time.Instant.parse("2027-01-15T00:00:00Z")
                                                .toEpochMilli()
                                        + i) + "}"));
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        heartbeat.start();
        Configuration conf = CommandLine.parse(args(
                        null,
                        prefix,
                        null,
                        "--kafka.starting-offsets",
                        "earliest",
                        "--watermark.out-of-orderness",
                        "30 d",
                        "--watermark.idleness",
                        "5 s",
                        // The heartbeat is dated weeks ahead of today, past the history.
                        "--input.max-clock-skew",
                        "3650 d"))
                .conf();
        StreamExecutionEnvironment env = AttuneJob.environment(
                conf, Files.createTempDirectory("attune-idle").toUri().toString());
        AttuneJob.build(env, conf);
        var job = env.executeAsync("attune-idle");
        List<String> want = Files.readAllLines(ReplayITCase.FIXTURE.resolve("expected/interventions.jsonl"));
        long deadline = System.currentTimeMillis() + 90_000;
        List<String> got = List.of();
        try {
            while (System.currentTimeMillis() < deadline) {
                got = broker.readCommitted(prefix + "-interventions").stream()
                        .map(ConsumerRecord::value)
                        .sorted()
                        .toList();
                if (got.size() >= want.size()) {
                    break;
                }
                Thread.sleep(1_000);
            }
        } finally {
            live.set(false);
            heartbeat.join();
            producer.close();
            job.cancel().get();
        }
        assertThat(got)
                .as("every decision released by a watermark that idle partitions did not hold back")
                .containsExactlyElementsOf(want);
    }

    /**
     * The seed's headline case through a real broker with the shipped profile: one decisive struggle
     * (10 attempts), produced now, and nothing after it. The live chat offer comes from that event
     * alone, on arrival: no later event moves the watermark past it (the struggle is the newest
     * event, so even a quiet partition's watermark stays {@code watermark.out-of-orderness} behind
     * it), so were it waiting for the watermark it would never come.
     */
    @Test
    void aDecisiveStruggleIsAnsweredOnArrivalWithNothingAfterIt() throws Exception {
        String prefix = "arrival";
        createTopics(prefix);
        Configuration conf = CommandLine.parse(args(null, prefix, null, "--kafka.starting-offsets", "earliest"))
                .conf();
        StreamExecutionEnvironment env = AttuneJob.environment(
                conf, Files.createTempDirectory("attune-arrival").toUri().toString());
        AttuneJob.build(env, conf);
        var job = env.executeAsync("attune-arrival");
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        List<String> interventions = List.of();
        try {
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        prefix + "-user-events",
                        "calc",
                        "{\"messageId\":\"calc-1\",\"userId\":\"calc\",\"type\":\"track\","
                                + "\"event\":\"Struggle Signal\",\"timestamp\":" + System.currentTimeMillis()
                                + ",\"properties\":{\"kind\":\"rage_click\",\"attempts\":10,"
                                + "\"page\":\"/loan-calculator\"}}"));
                producer.flush();
            }
            long deadline = System.currentTimeMillis() + 90_000;
            while (interventions.isEmpty() && System.currentTimeMillis() < deadline) {
                interventions = broker.readCommitted(prefix + "-interventions").stream()
                        .map(ConsumerRecord::value)
                        .toList();
                Thread.sleep(200);
            }
        } finally {
            job.cancel().get();
        }
        assertThat(interventions)
                .as("answered from the struggle alone")
                .singleElement()
                .satisfies(i -> assertThat(i)
                        .contains(
                                "\"userId\":\"calc\"",
                                "\"type\":\"live_chat_offer\"",
                                "\"triggerMessageIds\":[\"calc-1\"]"));
    }

    /**
     * One hostile record stops nothing: a 200 KB line of control characters (1.2 MB once escaped as a
     * dead letter, over the sink's request size) and a record dated 2199 (which would drag the watermark
     * there) go to dead-letter, and the job goes on deciding the valid events after them, none late.
     */
    @Test
    void oneHostileRecordStopsNothing() throws Exception {
        String prefix = "hostile";
        createTopics(prefix);
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put("value.serializer", org.apache.kafka.common.serialization.StringSerializer.class.getName());
        long now = System.currentTimeMillis();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
            String topic = prefix + "-user-events";
            producer.send(
                    new org.apache.kafka.clients.producer.ProducerRecord<>(topic, 0, "x", "\u0001".repeat(200_000)));
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    topic,
                    0,
                    "poison",
                    "{\"messageId\":\"future\",\"userId\":\"poison\",\"type\":\"page\",\"name\":\"home\","
                            + "\"timestamp\":\"2199-01-01T00:00:00Z\"}"));
            for (int i = 0; i < 6; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        topic,
                        0,
                        "s1",
                        "{\"messageId\":\"s-" + i + "\",\"userId\":\"s1\",\"type\":\"track\","
                                + "\"event\":\"Struggle Signal\",\"timestamp\":" + (now - 10_000L + i * 1_000L)
                                + ",\"properties\":{\"kind\":\"rage_click\",\"attempts\":3}}"));
            }
            producer.flush();
        }
        Configuration conf = CommandLine.parse(
                        args(null, prefix, null, "--kafka.starting-offsets", "earliest", "--watermark.idleness", "1 s"))
                .conf();
        StreamExecutionEnvironment env = AttuneJob.environment(
                conf, Files.createTempDirectory("attune-hostile").toUri().toString());
        AttuneJob.build(env, conf);
        var job = env.executeAsync("attune-hostile");
        List<String> dead = List.of();
        List<String> interventions = List.of();
        try {
            // A heartbeat a little later moves the watermark past the struggles.
            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, String>(p)) {
                long deadline = System.currentTimeMillis() + 60_000;
                for (int i = 0; System.currentTimeMillis() < deadline; i++) {
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                            prefix + "-user-events",
                            0,
                            "zz",
                            "{\"messageId\":\"beat-" + i + "\",\"userId\":\"zz\",\"type\":\"page\","
                                    + "\"name\":\"home\",\"timestamp\":" + System.currentTimeMillis() + "}"));
                    producer.flush();
                    dead = broker.readCommitted(prefix + "-dead-letter").stream()
                            .map(ConsumerRecord::value)
                            .toList();
                    interventions = broker.readCommitted(prefix + "-interventions").stream()
                            .map(ConsumerRecord::value)
                            .filter(v -> v.contains("\"userId\":\"s1\""))
                            .toList();
                    if (dead.size() >= 2 && !interventions.isEmpty()) {
                        break;
                    }
                    Thread.sleep(500);
                }
            }
            assertThat(job.getJobStatus().get()).isEqualTo(org.apache.flink.api.common.JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
        assertThat(interventions)
                .as("the struggles after the hostile records were decided")
                .isNotEmpty();
        assertThat(dead).as("dead letters: %s", dead).hasSize(2);
        assertThat(dead)
                .anySatisfy(d -> assertThat(d)
                        .contains("\"rawTruncated\":true", "\"rawBytes\":200000")
                        .hasSizeLessThan(DeadLetters.MAX_BYTES));
        assertThat(dead).anySatisfy(d -> assertThat(d).contains("\"code\":\"future_timestamp\""));
        assertThat(dead).noneMatch(d -> d.contains("late_event"));
    }

    /** Input topics are the loaded ones; outputs are the run's own. */
    static String[] withInputs(String[] args, String inputPrefix) {
        List<String> a = new ArrayList<>(List.of(args));
        for (String s : Streams.INPUTS) {
            a.addAll(List.of("--kafka.topic." + s, inputPrefix + "-" + s));
        }
        return a.toArray(String[]::new);
    }

    static void runPipeline(String[] args, int failFirstAt, int failSecondAt) throws Exception {
        Configuration conf = CommandLine.parse(args).conf();
        Path checkpoints = Files.createTempDirectory("attune-eos");
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        Sinks.attach(
                AttuneJob.decide(
                        Sources.inbound(env, conf)
                                .map(new FailAt(failFirstAt, failSecondAt))
                                .returns(TypeInformation.of(Inbound.class)),
                        conf),
                conf);
        env.execute("attune-eos");
    }

    static void writeHistory(Path dir, int customers) throws IOException {
        SyntheticHistory h = new SyntheticHistory(7, customers, "2026-11-01T00:00:00Z", 0.01, 0.02);
        Map<String, StringBuilder> files = new HashMap<>();
        for (long i = 0; i < h.size(); i++) {
            SyntheticHistory.Generated g = h.at(i);
            files.computeIfAbsent(g.stream(), k -> new StringBuilder())
                    .append(new String(g.bytes(), StandardCharsets.ISO_8859_1))
                    .append('\n');
        }
        for (Map.Entry<String, StringBuilder> e : files.entrySet()) {
            Files.createDirectories(dir.resolve(e.getKey()));
            Files.write(
                    dir.resolve(e.getKey()).resolve("history.jsonl"),
                    e.getValue().toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Throws once after N records in the first attempt and after M records in the second. */
    static final class FailAt extends RichMapFunction<Inbound, Inbound> {
        private final int first;
        private final int second;
        private transient int seen;

        FailAt(int first, int second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public Inbound map(Inbound in) {
            seen++;
            int attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
            if ((attempt == 0 && seen == first) || (attempt == 1 && seen == second)) {
                throw new IllegalStateException("injected failure " + (attempt + 1) + " after " + seen + " records");
            }
            return in;
        }
    }
}
