package dev.attune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.config.CommandLine;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.job.AttuneJob;
import dev.attune.testing.KafkaBroker;
import dev.attune.testing.KinesisServer;
import dev.attune.testing.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What a product team's subscriber waits for an intervention, as the README tells it to read: the
 * shipped {@code kafka} profile against a real broker on loopback, events produced in real time
 * (timestamp = now) with steady background traffic, and a consumer of {@code interventions} with
 * {@code isolation.level=read_committed}. Latency runs from the producing of the event the
 * intervention names last in {@code triggerMessageIds} to the consumer's receiving it.
 */
final class SubscriberLatency {
    private SubscriberLatency() {}

    /** Each struggler sends this many struggle signals, {@link #GAP} apart: the burst the rules answer. */
    static final int STRUGGLES = 3;

    static final Duration GAP = Duration.ofMillis(150);

    /** Where events go in and interventions come out: a broker and its clients. */
    interface Target extends AutoCloseable {
        /** The job's arguments (profile and connection). */
        List<String> args();

        /** Produces one record to an input stream, keyed by customer. */
        void send(String stream, String key, String json);

        /** Interventions that arrived since the last call, as a subscriber reads them. */
        List<String> poll() throws Exception;

        String label();

        /** An intervention the subscriber read at {@code readAtMillis} (wall clock), for the per-hop figures. */
        default void observe(JsonNode intervention, long readAtMillis) {}

        /** Returns once every record sent so far has left the producer (after the warm-up). */
        default void drain() throws InterruptedException {}

        /** Starts the per-hop figures afresh (after the warm-up). */
        default void startHops() {}

        /** Per-hop figures since {@link #startHops()}; empty where the target has none. */
        default Map<String, Object> hops() {
            return Map.of();
        }
    }

    static Map<String, Object> kafka(double seconds, double backgroundPerSecond, double strugglersPerSecond)
            throws Exception {
        return measure(KafkaTarget::new, seconds, backgroundPerSecond, strugglersPerSecond);
    }

    static Map<String, Object> kinesis(double seconds, double backgroundPerSecond, double strugglersPerSecond)
            throws Exception {
        return measure(KinesisTarget::new, seconds, backgroundPerSecond, strugglersPerSecond);
    }

    interface TargetFactory {
        Target open() throws Exception;
    }

    static Map<String, Object> measure(
            TargetFactory factory, double seconds, double backgroundPerSecond, double strugglersPerSecond)
            throws Exception {
        Path dir = Files.createTempDirectory("bench-subscriber");
        Map<String, Long> produced = new ConcurrentHashMap<>();
        java.util.Set<String> answered = ConcurrentHashMap.newKeySet();
        List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, Object> capacity = new LinkedHashMap<>();
        Map<String, Object> cores = new LinkedHashMap<>();
        Map<String, Object> hops = new LinkedHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        String label;
        try (Target target = factory.open()) {
            label = target.label();
            Configuration conf =
                    CommandLine.parse(target.args().toArray(String[]::new)).conf();
            StreamExecutionEnvironment env = AttuneJob.environment(
                    conf, dir.resolve("checkpoints").toUri().toString());
            AttuneJob.build(env, conf);
            JobClient job = env.executeAsync("subscriber-latency");
            Thread subscriber =
                    new Thread(() -> subscribe(target, produced, answered, latencies, running), "bench-subscriber");
            subscriber.start();
            try {
                // Warm-up: until the job answers a struggler, nothing is measured.
                waitForFirstAnswer(target, produced, latencies);
                if (backgroundPerSecond <= 0) {
                    capacity.putAll(capacity(target, produced, answered, CAPACITY_RECORDS));
                    backgroundPerSecond = Math.round(((Number) capacity.get("eventsPerSecond")).doubleValue() / 2);
                }
                // The warm-up's records still waiting in the producer would be the first measured ones' queue.
                target.drain();
                Thread.sleep(1_000);
                latencies.clear();
                target.startHops();
                ThreadCpu before = ThreadCpu.now();
                feed(target, produced, seconds, backgroundPerSecond, strugglersPerSecond);
                cores.putAll(ThreadCpu.now().coresSince(before));
                Thread.sleep(5_000); // answers still on their way
                hops.putAll(target.hops());
            } finally {
                running.set(false);
                subscriber.join();
                job.cancel().get();
            }
        } finally {
            TestFiles.deleteQuietly(dir);
        }
        double[] ms =
                latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("profile", label);
        d.put("seconds", seconds);
        if (!capacity.isEmpty()) {
            d.put("capacity", capacity);
        }
        d.put("backgroundEventsPerSecond", backgroundPerSecond);
        d.put("strugglersPerSecond", strugglersPerSecond);
        d.put("samples", ms.length);
        d.put("p50Ms", pct(ms, 0.50));
        d.put("p90Ms", pct(ms, 0.90));
        d.put("p99Ms", pct(ms, 0.99));
        d.put("maxMs", ms.length == 0 ? null : Math.round(ms[ms.length - 1]));
        d.put("coresDuringRun", cores);
        if (!hops.isEmpty()) {
            d.put("hops", hops);
        }
        return d;
    }

    /** The shipped kafka profile on a local broker; interventions read with read_committed. */
    static final class KafkaTarget implements Target {
        private final KafkaBroker broker;
        private final KafkaProducer<String, String> producer;
        private final KafkaConsumer<String, String> consumer;

        KafkaTarget() throws Exception {
            broker = new KafkaBroker();
            broker.createTopics(2, Streams.INPUTS);
            broker.createTopics(2, Streams.OUTPUTS);
            producer = producer(broker.bootstrapServers());
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("group.id", "latency-subscriber");
            p.put("isolation.level", "read_committed");
            p.put("auto.offset.reset", "earliest");
            p.put("key.deserializer", StringDeserializer.class.getName());
            p.put("value.deserializer", StringDeserializer.class.getName());
            consumer = new KafkaConsumer<>(p);
            consumer.subscribe(List.of(Streams.INTERVENTIONS));
        }

        @Override
        public List<String> args() {
            return List.of(
                    "--profile", "kafka", "--kafka.bootstrap-servers", broker.bootstrapServers(), "--parallelism", "2");
        }

        @Override
        public void send(String stream, String key, String json) {
            producer.send(new ProducerRecord<>(stream, key, json));
        }

        @Override
        public List<String> poll() {
            List<String> out = new ArrayList<>();
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(20))) {
                out.add(r.value());
            }
            return out;
        }

        @Override
        public String label() {
            return "kafka (shipped), p=2, interventions read with read_committed";
        }

        @Override
        public void close() throws Exception {
            consumer.close();
            producer.close();
            broker.close();
        }
    }

    /**
     * The shipped kinesis profile on the local Kinesis server (kinesis-local from npm), input streams
     * with 2 shards; interventions read as a polling subscriber does (GetRecords every 50 ms from the
     * stream's start). Shard discovery every 500 ms so the job starts reading at once; nothing else
     * differs from the profile.
     */
    static final class KinesisTarget implements Target {
        private final KinesisServer server;
        private final KinesisClient client;
        private final List<String> args = new ArrayList<>();
        private final String prefix = "lat" + System.nanoTime();
        private final Map<String, String> iterators = new LinkedHashMap<>();
        private final java.util.concurrent.ThreadPoolExecutor puts = (java.util.concurrent.ThreadPoolExecutor)
                java.util.concurrent.Executors.newFixedThreadPool(8, r -> new Thread(r, "bench-put"));
        // Wall-clock times per messageId (put started, put acknowledged) and per interventionId (the
        // server's arrival time of the intervention the sink wrote), for the per-hop figures.
        private final Map<String, Long> calledAt = new ConcurrentHashMap<>();
        private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
        private final Map<String, Long> writtenAt = new ConcurrentHashMap<>();
        private final List<long[]> hopSamples = java.util.Collections.synchronizedList(new ArrayList<>());
        private volatile Duration serverCpuAtStart = Duration.ZERO;
        private volatile long hopsStartNanos = System.nanoTime();

        KinesisTarget() throws Exception {
            server = new KinesisServer();
            client = server.client();
            args.addAll(List.of(
                    "--profile",
                    "kinesis",
                    "--kinesis.initial-position",
                    "TRIM_HORIZON",
                    "--kinesis.client.flink.shard.discovery.intervalmillis",
                    "500"));
            args.addAll(server.connectorArgs());
            for (String s : Streams.INPUTS) {
                args.addAll(List.of("--kinesis.stream." + s, server.createStream(prefix + "-" + s, 2)));
            }
            for (String s : Streams.OUTPUTS) {
                server.createStream(prefix + "-" + s, 1);
                args.addAll(List.of("--kinesis.stream." + s, prefix + "-" + s));
            }
            for (Shard shard : server.shards(prefix + "-" + Streams.INTERVENTIONS)) {
                iterators.put(
                        shard.shardId(),
                        client.getShardIterator(b -> b.streamName(prefix + "-" + Streams.INTERVENTIONS)
                                        .shardId(shard.shardId())
                                        .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                                .shardIterator());
            }
        }

        @Override
        public List<String> args() {
            return args;
        }

        @Override
        public void send(String stream, String key, String json) {
            // PutRecord is a round trip each; a few in flight keep up with the feed, as a producer's pool would.
            String id = messageId(json);
            calledAt.put(id, System.currentTimeMillis());
            puts.execute(() -> {
                sentAt.put(id, System.currentTimeMillis());
                client.putRecord(b ->
                        b.streamName(prefix + "-" + stream).partitionKey(key).data(SdkBytes.fromUtf8String(json)));
                ackedAt.put(id, System.currentTimeMillis());
            });
        }

        private static String messageId(String json) {
            int from = json.indexOf("\"messageId\":\"") + 13;
            return json.substring(from, json.indexOf('"', from));
        }

        @Override
        public List<String> poll() throws Exception {
            List<String> out = new ArrayList<>();
            for (Map.Entry<String, String> e : iterators.entrySet()) {
                String it = e.getValue();
                GetRecordsResponse r =
                        client.getRecords(b -> b.shardIterator(it).limit(1_000));
                for (var x : r.records()) {
                    String value = x.data().asUtf8String();
                    out.add(value);
                    writtenAt.put(
                            Json.MAPPER.readTree(value).path("interventionId").asText(),
                            x.approximateArrivalTimestamp().toEpochMilli());
                }
                e.setValue(r.nextShardIterator());
            }
            Thread.sleep(50);
            return out;
        }

        /**
         * Splits a sample at the last trigger's put acknowledgement and the server's arrival time of the
         * intervention: put (producer's PutRecord round trip), job (from the acknowledgement: the source's
         * poll wait and GetRecords, the decision, the sink's buffer and PutRecords) and subscriber (from the
         * intervention's arrival at the server to its read: the poll wait and GetRecords).
         */
        @Override
        public void observe(JsonNode intervention, long readAtMillis) {
            String last = null;
            for (JsonNode id : intervention.path("triggerMessageIds")) {
                Long t = sentAt.get(id.asText());
                if (t != null && (last == null || t >= sentAt.get(last))) {
                    last = id.asText();
                }
            }
            Long written = writtenAt.remove(intervention.path("interventionId").asText());
            if (last == null || written == null || ackedAt.get(last) == null) {
                return;
            }
            long sent = sentAt.get(last);
            long acked = ackedAt.get(last);
            hopSamples.add(
                    new long[] {sent - calledAt.get(last), acked - sent, written - acked, readAtMillis - written});
        }

        @Override
        public void drain() throws InterruptedException {
            while (!puts.getQueue().isEmpty() || puts.getActiveCount() > 0) {
                Thread.sleep(10);
            }
        }

        @Override
        public void startHops() {
            hopSamples.clear();
            hopsStartNanos = System.nanoTime();
            serverCpuAtStart = server.cpu();
        }

        @Override
        public Map<String, Object> hops() {
            Map<String, Object> d = new LinkedHashMap<>();
            String[] names = {"queuedMs", "putMs", "jobMs", "subscriberMs"};
            List<long[]> samples;
            synchronized (hopSamples) {
                samples = new ArrayList<>(hopSamples);
            }
            for (int i = 0; i < names.length; i++) {
                int k = i;
                double[] ms = samples.stream().mapToDouble(x -> x[k]).sorted().toArray();
                Map<String, Object> q = new LinkedHashMap<>();
                q.put("p50", pct(ms, 0.5));
                q.put("p90", pct(ms, 0.9));
                q.put("p99", pct(ms, 0.99));
                d.put(names[i], q);
            }
            double seconds = (System.nanoTime() - hopsStartNanos) / 1e9;
            d.put("serverCores", Math.round(server.cpu().minus(serverCpuAtStart).toMillis() / 10.0 / seconds) / 100.0);
            return d;
        }

        @Override
        public String label() {
            return "kinesis (shipped) on kinesis-local, p=2, subscriber polling GetRecords every 50 ms";
        }

        @Override
        public void close() throws InterruptedException {
            puts.shutdownNow();
            puts.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
            server.close();
        }
    }

    private static Long pct(double[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        return Math.round(sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)]);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("linger.ms", "0");
        p.put("client.id", "bench-producer");
        return new KafkaProducer<>(p);
    }

    private static final java.util.concurrent.atomic.AtomicInteger STRUGGLER =
            new java.util.concurrent.atomic.AtomicInteger();

    /** Sends one struggler's burst; returns when the last signal is sent. */
    private static void struggle(Target producer, Map<String, Long> produced) throws Exception {
        struggle(producer, produced, "lat-" + STRUGGLER.getAndIncrement());
    }

    private static void struggle(Target producer, Map<String, Long> produced, String user) throws Exception {
        for (int i = 0; i < STRUGGLES; i++) {
            String id = user + "-s" + i;
            produced.put(id, System.nanoTime());
            producer.send(
                    Streams.USER_EVENTS,
                    user,
                    "{\"messageId\":\"" + id + "\",\"userId\":\""
                            + user + "\",\"type\":\"track\",\"event\":\"Struggle Signal\",\"timestamp\":\""
                            + Instant.now()
                            + "\",\"properties\":{\"kind\":\"rage_click\",\"attempts\":" + (i + 3) + "}}");
            if (i + 1 < STRUGGLES) {
                Thread.sleep(GAP.toMillis());
            }
        }
    }

    private static void background(Target producer, long n) {
        String user = "bg-" + (n % 5_000);
        producer.send(
                Streams.USER_EVENTS,
                user,
                "{\"messageId\":\"bg-" + n + "\",\"userId\":\""
                        + user + "\",\"type\":\"page\",\"name\":\"Pricing\",\"timestamp\":\"" + Instant.now()
                        + "\",\"properties\":{\"durationMs\":12000}}");
    }

    /** Background records produced at once to measure what the job can take. */
    static final int CAPACITY_RECORDS = Integer.getInteger("attune.bench.capacity-records", 100_000);

    /**
     * What the job takes through the broker: {@code records} background records produced as fast as the
     * producer goes, then a struggler on every partition's worth of keys; the time from the first record
     * produced to the last struggler answered, over the records. The answers come once each partition's
     * backlog is decided, so it is the job's rate draining a backlog, broker and sinks included.
     */
    static Map<String, Object> capacity(
            Target target, Map<String, Long> produced, java.util.Set<String> answered, int records) throws Exception {
        long t0 = System.nanoTime();
        for (int i = 0; i < records; i++) {
            background(target, 10_000_000L + i);
        }
        long producedIn = System.nanoTime() - t0;
        List<String> markers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String user = "cap-" + i;
            markers.add(user);
            Thread t = new Thread(() -> {
                try {
                    struggle(target, produced, user);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!answered.containsAll(markers)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job did not drain " + records + " records within 5 minutes");
            }
            Thread.sleep(5);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("records", records);
        d.put("producedInSeconds", Math.round(producedIn / 1e7) / 100.0);
        d.put("drainedInSeconds", Math.round(seconds * 100) / 100.0);
        d.put("eventsPerSecond", Math.round(records / seconds));
        return d;
    }

    private static void waitForFirstAnswer(Target producer, Map<String, Long> produced, List<Double> latencies)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        long n = 0;
        while (latencies.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no intervention came out within 2 minutes of the job's start");
            }
            struggle(producer, produced);
            for (int i = 0; i < 50; i++) {
                background(producer, n++);
                Thread.sleep(20);
            }
        }
    }

    private static void feed(
            Target producer,
            Map<String, Long> produced,
            double seconds,
            double backgroundPerSecond,
            double strugglersPerSecond)
            throws Exception {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long background = 0;
        long strugglers = 0;
        while (System.nanoTime() < end) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            while (background < elapsed * backgroundPerSecond) {
                background(producer, 1_000_000 + background++);
            }
            if (strugglers < elapsed * strugglersPerSecond) {
                strugglers++;
                Thread t = new Thread(
                        () -> {
                            try {
                                struggle(producer, produced);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        "bench-struggler");
                t.start();
            }
            Thread.sleep(2);
        }
    }

    private static void subscribe(
            Target target,
            Map<String, Long> produced,
            java.util.Set<String> answered,
            List<Double> latencies,
            AtomicBoolean running) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        try {
            while (running.get()) {
                for (String value : target.poll()) {
                    long now = System.nanoTime();
                    JsonNode n = Json.MAPPER.readTree(value);
                    if (!seen.add(n.path("interventionId").asText())) {
                        continue; // a repeat after a restore: subscribers drop it by id
                    }
                    answered.add(n.path("userId").asText());
                    target.observe(n, System.currentTimeMillis());
                    Long sent = null;
                    for (JsonNode id : n.path("triggerMessageIds")) {
                        Long t = produced.get(id.asText());
                        sent = t == null ? sent : sent == null ? t : Math.max(sent, t);
                    }
                    if (sent != null) {
                        latencies.add((now - sent) / 1e6);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
