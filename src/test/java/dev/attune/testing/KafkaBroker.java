package dev.attune.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) on loopback: in the test JVM on free
 * ports ({@code new KafkaBroker()}), or as its own process on fixed ports and a kept data folder
 * ({@link #main}), so that a script can stop it and start it again with its topics and records.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final boolean temporary;
    private final KafkaRaftServer server;
    private final String bootstrap;

    public KafkaBroker() throws Exception {
        this(Files.createTempDirectory("attune-kafka"), freePort(), freePort(), true);
    }

    /** A broker on fixed ports whose data stays in {@code dir}; formatted the first time only. */
    public KafkaBroker(Path dir, int port, int controller) throws Exception {
        this(dir, port, controller, false);
    }

    private KafkaBroker(Path dir, int port, int controller, boolean temporary) throws Exception {
        this.dir = dir;
        this.temporary = temporary;
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        if (!Files.exists(dir.resolve("meta.properties"))) {
            Files.createDirectories(dir);
            new Formatter()
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                    .run();
        }
        server = new KafkaRaftServer(new KafkaConfig(p, false), Time.SYSTEM);
        server.startup();
        bootstrap = "127.0.0.1:" + port;
    }

    /**
     * {@code KafkaBroker PORT CONTROLLER_PORT DIR}: a broker process until SIGTERM, which shuts it down cleanly
     * (SIGKILL is a crash). Started again on the same folder it keeps its topics, records and transactions.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: KafkaBroker PORT CONTROLLER_PORT DIR");
            System.exit(2);
        }
        KafkaBroker broker = new KafkaBroker(Path.of(args[2]), Integer.parseInt(args[0]), Integer.parseInt(args[1]));
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.server.shutdown();
            broker.server.awaitShutdown();
            stopped.countDown();
        }));
        System.out.println("KafkaBroker listening on " + broker.bootstrapServers() + ", data in " + args[2]);
        stopped.await();
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public void createTopics(int partitions, Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String t : topics) {
                newTopics.add(new NewTopic(t, partitions, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
            // A topic is created before its partitions have a leader that accepts writes; a producer
            // that writes at once can stall on them until its batches expire.
            long deadline = System.currentTimeMillis() + 60_000;
            while (!haveLeaders(admin, topics)) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("partitions of " + topics + " have no leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    static boolean haveLeaders(Admin admin, Collection<String> topics) throws InterruptedException {
        try {
            return admin.describeTopics(topics).allTopicNames().get().values().stream()
                    .flatMap(d -> d.partitions().stream())
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        } catch (java.util.concurrent.ExecutionException e) {
            return false; // not known to the broker yet
        }
    }

    /**
     * Records of these topics beyond the offsets the consumer group has committed: what a job may not
     * have read yet. A Flink Kafka source commits when a checkpoint completes, and its fetcher sends the
     * commit only when its current poll returns (up to 10 s later on a quiet topic).
     */
    public long lag(String group, Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .forEach((t, d) -> d.partitions()
                            .forEach(p -> latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest())));
            var ends = admin.listOffsets(latest).all().get();
            var committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            long lag = 0;
            for (var e : ends.entrySet()) {
                var c = committed.get(e.getKey());
                lag += e.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }

    /** Every committed record of a topic (read_committed), read until the topic's end. */
    public List<ConsumerRecord<String, String>> readCommitted(String topic) {
        return readCommitted(bootstrap, topic);
    }

    /**
     * Every committed record of a topic on any broker, read with {@code isolation.level=read_committed} up to the
     * last stable offset (so a transaction still open cannot hold the reader up), within 2 min.
     */
    public static List<ConsumerRecord<String, String>> readCommitted(String bootstrap, String topic) {
        return read(bootstrap, topic, "read_committed");
    }

    /** Every record of a topic with the given {@code isolation.level} ({@code read_uncommitted}: aborted ones too). */
    public static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, String isolation) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("isolation.level", isolation);
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.currentTimeMillis() + 120_000;
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within 2 min");
                }
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
        server.awaitShutdown();
        if (!temporary) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
