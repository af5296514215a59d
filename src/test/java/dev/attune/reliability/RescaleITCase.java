package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import dev.attune.io.SyntheticHistory;
import dev.attune.job.AttuneJob;
import dev.attune.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live Kafka job restored from savepoints at other parallelisms, 2 → 4 → 1, with the same decisions as the
 * uninterrupted replay and as the oracle. Three waves of customers (three days of event time each) go into topics of
 * four partitions one wave at a time: the job at parallelism 2 reads the first and is stopped with a savepoint; restored
 * at 4 it reads the second and is stopped with a savepoint; restored at 1 it reads the third, then one end-of-feed
 * record per input partition ten days later releases the last held events. Each stop holds undecided events (those
 * within the watermark's bound), campaign ledgers and customers in keyed state, redistributed over key groups at each
 * restore, and the Kafka source's offsets and the exactly-once sink's transactions with them.
 */
class RescaleITCase {
    static final int PARTITIONS = 4;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    static KafkaBroker broker;
    static KafkaJobs kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker();
        kafka = new KafkaJobs(broker);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void savepointsRestoredAtParallelism2Then4Then1DecideAsTheUninterruptedReplay(@TempDir Path dir) throws Exception {
        Path history = dir.resolve("history");
        List<Path> waves = List.of(dir.resolve("wave-0"), dir.resolve("wave-1"), dir.resolve("wave-2"));
        int perWave = SyntheticHistory.WAVE * SyntheticHistory.PER_CUSTOMER;
        KafkaJobs.writeHistory(3 * SyntheticHistory.WAVE, history, waves, i -> i / perWave);
        kafka.createTopics("rs-in", PARTITIONS, 2);
        kafka.createTopics("rs", PARTITIONS, 2);
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        Path savepoints = Files.createDirectories(dir.resolve("savepoints"));
        List<String> figures = new ArrayList<>();

        String savepoint = null;
        int[] parallelism = {2, 4, 1};
        long committedBefore = 0;
        for (int phase = 0; phase < 3; phase++) {
            kafka.load("rs-in", waves.get(phase));
            if (phase == 2) {
                endOfFeed(broker, "rs-in", PARTITIONS, true);
            }
            List<String> args = kafka.args(
                    "rs-in",
                    "rs",
                    "--parallelism",
                    Integer.toString(parallelism[phase]),
                    "--kafka.starting-offsets",
                    "earliest",
                    // Each partition is in event-time order, but under load one may lag the others by seconds of
                    // wall clock: a day of event time is a margin of about 2 s of reading here.
                    "--watermark.out-of-orderness",
                    "1 d");
            if (savepoint != null) {
                args.addAll(List.of("--flink.execution.savepoint.path", savepoint));
            }
            long started = System.currentTimeMillis();
            JobClient job = start(KafkaJobs.conf(args), checkpoints);
            KafkaJobs.await("phase " + phase + ": every input read", () -> kafka.lag("rs", "rs-in"), n -> n == 0);
            long committed = awaitSettled(broker, "rs");
            Set<Integer> subtasks = sinkSubtasks();
            figures.add(String.format(
                    "phase %d at parallelism %d: %,d committed output offsets (+%,d), exactly-once sink subtasks %s,"
                            + " %.1f s",
                    phase,
                    parallelism[phase],
                    committed,
                    committed - committedBefore,
                    subtasks,
                    (System.currentTimeMillis() - started) / 1000.0));
            assertThat(committed).as("phase %d decided something", phase).isGreaterThan(committedBefore);
            assertThat(subtasks)
                    .as("transactional ids of the sink's subtasks so far")
                    .contains(parallelism[phase] - 1);
            committedBefore = committed;
            if (phase < 2) {
                savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(2, TimeUnit.MINUTES);
                assertThat(Path.of(java.net.URI.create(savepoint)).resolve("_metadata"))
                        .exists();
            } else {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
        figures.forEach(System.out::println);

        Map<String, List<String>> run = kafka.outputs("rs");
        Map<String, List<String>> reference = KafkaJobs.replay(history, dir.resolve("replay"));
        Oracle.Expected oracle = Oracle.of(history, KafkaJobs.conf(kafka.args("rs-in", "rs")));
        FaultRunChecker.Result r =
                KafkaJobs.check("rescaled 2 → 4 → 1 vs uninterrupted replay", reference, run, oracle);
        assertThat(r.referenceRecords.get(Streams.INTERVENTIONS)).isGreaterThan(100);
        assertThat(r.referenceRecords.get(Streams.CAMPAIGN_SENDS)).isGreaterThan(100);
    }

    static JobClient start(Configuration conf, Path checkpoints) throws Exception {
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        AttuneJob.build(env, conf);
        return env.executeAsync("attune-rescale");
    }

    /**
     * One record per input partition ten days after the history: the watermark passes every real event; their own
     * decisions wait for a watermark that never comes. Without {@code requests} only identifies in the event
     * streams, which decide nothing even when a bounded run's last watermark passes them.
     */
    static void endOfFeed(KafkaBroker broker, String prefix, int partitions, boolean requests) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        String at = "2026-11-25T00:00:00Z"; // the history ends on 2026-11-10
        try (var producer = new KafkaProducer<String, String>(p)) {
            for (String stream : Streams.INPUTS) {
                if (!requests && Streams.CAMPAIGN_REQUESTS.equals(stream)) {
                    continue; // its partitions go idle instead
                }
                for (int i = 0; i < partitions; i++) {
                    String user = "end-of-feed-" + i;
                    String json = requests && Streams.CAMPAIGN_REQUESTS.equals(stream)
                            ? "{\"requestId\":\"" + user + "\",\"campaignId\":\"end-of-feed\",\"userId\":\"" + user
                                    + "\",\"timestamp\":\"" + at + "\"}"
                            : "{\"type\":\"identify\",\"messageId\":\"" + stream + "-" + user + "\",\"userId\":\""
                                    + user + "\",\"timestamp\":\"" + at + "\"}";
                    producer.send(new ProducerRecord<>(prefix + "-" + stream, i, user, json));
                }
            }
            producer.flush();
        }
    }

    /** Waits until the committed outputs stop growing for 8 s (idle partitions after 5 s); returns their sum. */
    static long awaitSettled(KafkaBroker broker, String prefix) throws Exception {
        long[] last = {-1};
        long[] since = {System.currentTimeMillis()};
        KafkaJobs.await(
                "outputs settled",
                () -> {
                    long now = committedOutputs(broker, prefix);
                    if (now != last[0]) {
                        last[0] = now;
                        since[0] = System.currentTimeMillis();
                    }
                    return System.currentTimeMillis() - since[0];
                },
                quiet -> quiet >= 8_000);
        return last[0];
    }

    static long committedOutputs(KafkaBroker broker, String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            return KafkaJobs.committedOutputs(admin, prefix + "-", 2);
        }
    }

    /**
     * The subtask indexes in the exactly-once sink's transactional ids ({@code rs-<subtask>-<n>}) the broker knows;
     * a restore also probes the ids of subtasks beyond its parallelism (to abort what they left open), so a higher
     * index than any parallelism ran may appear.
     */
    static Set<Integer> sinkSubtasks() throws Exception {
        Set<Integer> out = new TreeSet<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            for (TransactionListing t : admin.listTransactions().all().get()) {
                String[] parts = t.transactionalId().split("-");
                if (t.transactionalId().startsWith("rs-") && parts.length == 3) {
                    out.add(Integer.parseInt(parts[1]));
                }
            }
        }
        return out;
    }
}
