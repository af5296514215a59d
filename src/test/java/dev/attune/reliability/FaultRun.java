package dev.attune.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.config.AttuneOptions;
import dev.attune.config.CommandLine;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.io.RunSummary;
import dev.attune.io.SyntheticHistory;
import dev.attune.testing.KafkaBroker;
import dev.attune.testing.LeakScanner;
import dev.attune.testing.TestFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Issue 10, faults under load: Attune on Kafka, exactly-once, RocksDB with incremental checkpoints, on a real
 * Flink standalone cluster (a JobManager and a TaskManager, each its own process, from the Flink classes inside
 * {@code target/attune.jar}, with ZooKeeper high availability), fed a seeded history at a steady rate while faults
 * are injected on a schedule: the TaskManager killed (SIGKILL) or paused (SIGSTOP) and a new one started, the
 * JobManager killed and a new one started (it recovers the job through HA), the broker stopped or killed and started
 * on its kept data, the checkpoint folder's tmpfs filled, the model server slow, throttling (429) and down (its
 * process killed: connection refused). Then it reads every output
 * topic with {@code read_committed}, replays the same input from files with the replay profile (answers from the
 * fault run's model journal) and compares them with {@link FaultRunChecker}. Exit code 1 when anything was lost,
 * duplicated or differs for another reason than the model's answer. Run it with {@code bench/faults}.
 */
public final class FaultRun {
    static final int INPUT_PARTITIONS = 4;
    static final int OUTPUT_PARTITIONS = 2;
    /** {@code --quick}: long enough that all ten faults but the last two begin while the feed runs. */
    static final double QUICK_MINUTES = 4;
    /** ZooKeeper session timeout of the cluster's HA services: how long a killed JobManager keeps its leadership. */
    static final int ZK_SESSION_TIMEOUT_MS = 15_000;
    /** Size of the tmpfs under the checkpoints: the quick run's incremental checkpoints take about 5 MB. */
    static final int CHECKPOINT_DISK_MB = 128;
    /** How long the checkpoint disk is held full: several checkpoint intervals (10 s). */
    static final long DISK_FULL_MILLIS = 40_000;

    static final String GROUP = "attune";
    static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    /** Command-line settings. */
    static final class Settings {
        double minutes = 10;
        double rate = 400;
        long seed = 42;
        int portOffset;
        Path out = Path.of("bench/out/faults");

        static Settings parse(String[] args) {
            Settings s = new Settings();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--quick" -> s.minutes = QUICK_MINUTES;
                    case "--minutes" -> s.minutes = Double.parseDouble(args[++i]);
                    case "--rate" -> s.rate = Double.parseDouble(args[++i]);
                    case "--seed" -> s.seed = Long.parseLong(args[++i]);
                    case "--port-offset" -> s.portOffset = Integer.parseInt(args[++i]);
                    case "--out" -> s.out = Path.of(args[++i]);
                    default ->
                        throw new IllegalArgumentException("unknown argument " + args[i]
                                + " (bench/faults [--minutes N | --quick] [--rate EVENTS_PER_S] [--seed S]"
                                + " [--port-offset N] [--out DIR])");
                }
            }
            return s;
        }
    }

    /**
     * One injected fault: what, when it started and ended, when the first checkpoint triggered after its end
     * completed (epoch ms, -1 if none), how often the job restarted meanwhile and when all its tasks ran again.
     */
    record Fault(String kind, long start, long end, long recovered, long restarts, long tasksRunning) {}

    private final Settings s;
    private final Path out;
    private final int kafkaPort;
    private final int controllerPort;
    private final int bedrockPort;
    private final int restPort;
    private final int rpcPort;
    private final int zkPort;
    private final String bootstrap;
    private final Processes processes;
    private final PrintStream log;
    private final List<Fault> faults = new ArrayList<>();
    /** Every fault the schedule injected, by kind, and the evidence seen of each. */
    private final List<String> scheduled = new ArrayList<>();

    private final List<FaultRunChecker.Evidence> evidence = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private long feedStart;
    private JobMonitor monitor;
    private String uncommitted = "";
    private Process broker;
    private Process bedrock;
    private Process taskManager;
    private Process jobManager;
    private Process zookeeper;
    private String jobId;
    /** numRestarts of the JobManagers killed so far (a new JobManager counts from 0). */
    private long restartsBeforeFailover;
    /** The newest checkpoint seen completed when the JobManager was killed. */
    private long lastCompletedBeforeKill;
    /** Null when the checkpoints folder is a size-limited tmpfs; else why the disk-full fault is skipped. */
    private String checkpointDiskSkipped = "not set up";

    private Thread diskFiller;
    private volatile boolean keepFull;
    private volatile long fillerBytes;
    private long filledAt;
    private long freedAt;

    FaultRun(Settings s) throws Exception {
        this.s = s;
        this.out = s.out.toAbsolutePath();
        kafkaPort = 19092 + s.portOffset;
        controllerPort = 19093 + s.portOffset;
        bedrockPort = 18099 + s.portOffset;
        restPort = 18081 + s.portOffset;
        rpcPort = 16123 + s.portOffset;
        zkPort = 12181 + s.portOffset;
        bootstrap = "127.0.0.1:" + kafkaPort;
        unmountUnder(out);
        TestFiles.deleteQuietly(out);
        Files.createDirectories(out);
        processes = new Processes(out.resolve("logs"));
        log = new PrintStream(Files.newOutputStream(out.resolve("faults.log")), true, StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        int code;
        try {
            code = new FaultRun(Settings.parse(args)).run();
        } catch (Exception e) {
            System.err.println("faults: " + e.getMessage());
            e.printStackTrace();
            code = 2;
        }
        System.exit(code);
    }

    void say(String message) {
        long now = System.currentTimeMillis();
        String offset = feedStart == 0 ? "" : String.format(" [+%5.1f s]", (now - feedStart) / 1000.0);
        String line = CLOCK.format(Instant.ofEpochMilli(now)) + offset + " " + message;
        System.out.println(line);
        log.println(line);
    }

    int run() throws Exception {
        try {
            return runAll();
        } finally {
            processes.stopAll();
            unmountUnder(out);
        }
    }

    int runAll() throws Exception {
        long started = System.currentTimeMillis();
        double feedSeconds = s.minutes * 60;
        int customers = (int) Math.ceil(s.rate * feedSeconds / SyntheticHistory.PER_CUSTOMER);
        for (int port : new int[] {kafkaPort, controllerPort, bedrockPort, restPort, rpcPort, zkPort}) {
            Processes.requireFree(port, "fault run");
        }
        say(String.format(
                "fault run: %.1f min of feed at %.0f events/s, %,d customers (seed %d), output in %s",
                s.minutes, s.rate, customers, s.seed, out));
        List<Feeder.Line> lines = writeHistory(out.resolve("history"), customers);
        say(String.format("history: %,d input records in %s", lines.size(), out.resolve("history")));

        startBroker();
        createTopics();
        startBedrock();
        startZooKeeper();
        mountCheckpointDisk();
        Path conf = writeFlinkConf();
        startJobManager(conf);
        startTaskManager(conf);
        jobId = submit(conf);
        monitor = new JobMonitor("http://127.0.0.1:" + restPort, jobId);
        Thread watching = new Thread(monitor, "job-monitor");
        watching.setDaemon(true);
        watching.start();
        awaitFirstCheckpoint();

        Feeder feeder = new Feeder(bootstrap, lines, s.rate);
        Thread feeding = new Thread(feeder, "feeder");
        feedStart = System.currentTimeMillis();
        feeding.start();
        say("feeding started");
        injectFaults(feedSeconds, conf);
        feeding.join();
        say(String.format(
                "feeding finished: %,d records sent, %,d acknowledged%s",
                feeder.sent.get(),
                feeder.acknowledged.get(),
                feeder.failure.get() == null ? "" : ", FAILED: " + feeder.failure.get()));
        long restarts = restarts();
        awaitSettled();
        Path faultOut = out.resolve("fault-run");
        readOutputs(faultOut);
        monitor.poll();
        monitor.stop();
        monitor.cancel();
        processes.stopAll();
        unmountUnder(out);
        say("cluster, ZooKeeper, broker and model server stopped");

        Path reference = out.resolve("reference");
        replay(reference);
        FaultRunChecker.Result result = FaultRunChecker.compare(reference, faultOut);
        FaultRunChecker.requireFaults(result, scheduled, evidence);
        Oracle.Expected expected = Oracle.of(
                out.resolve("history"),
                CommandLine.parse(jobArguments().toArray(String[]::new)).conf());
        FaultRunChecker.requireOracle(
                result, expected, FaultRunChecker.read(reference), FaultRunChecker.read(faultOut));
        say(String.format(
                "oracle (plain-Java engine over the sorted history): %,d interventions, %,d sends, %,d suppressions "
                        + "expected; %d problems in all",
                expected.count(Streams.INTERVENTIONS),
                expected.count(Streams.CAMPAIGN_SENDS),
                expected.count(Streams.SUPPRESSIONS),
                result.problems.size()));
        // Every email address and phone number of the input, looked for in both runs' outputs and every log
        // (Flink's, the broker's, the model server's, this script's); a dead letter's raw is the input itself.
        log.flush();
        LeakScanner.Contacts contacts = LeakScanner.collect(List.of(out.resolve("history")));
        List<LeakScanner.Hit> leaks = LeakScanner.scan(
                contacts, List.of(faultOut, reference, out.resolve("logs"), out.resolve("faults.log")), true);
        String figures = figures(customers, feeder, restarts, result, faultOut, started)
                + String.format(
                        "%-35s%,d email addresses and %,d phone numbers of the input looked for in the outputs "
                                + "and logs: %d found%n",
                        "leak scan", contacts.emails().size(), contacts.phones().size(), leaks.size());
        leaks.stream().limit(20).forEach(h -> say("leak: " + h));
        System.out.print(figures);
        Files.writeString(out.resolve("figures.txt"), figures);
        boolean feedOk = feeder.failure.get() == null && feeder.acknowledged.get() == lines.size();
        return result.failed() || !feedOk || !leaks.isEmpty() ? 1 : 0;
    }

    // ---- input -------------------------------------------------------------------------------------------

    /**
     * The seeded synthetic history (in event-time order) as files for the replay and as the feed's lines, plus
     * end-of-feed records (feed only).
     */
    List<Feeder.Line> writeHistory(Path dir, int customers) throws IOException {
        SyntheticHistory h = new SyntheticHistory(
                s.seed,
                customers,
                AttuneOptions.GENERATOR_START.defaultValue(),
                AttuneOptions.GENERATOR_MALFORMED_RATIO.defaultValue(),
                AttuneOptions.GENERATOR_DUPLICATE_RATIO.defaultValue());
        List<Feeder.Line> lines = new ArrayList<>((int) h.size());
        long last = 0;
        Map<String, OutputStream> files = new HashMap<>();
        try {
            for (String stream : Streams.INPUTS) {
                Files.createDirectories(dir.resolve(stream));
                files.put(
                        stream,
                        new BufferedOutputStream(
                                Files.newOutputStream(dir.resolve(stream).resolve("part-00000.jsonl"))));
            }
            for (long i = 0; i < h.size(); i++) {
                SyntheticHistory.Generated g = h.at(i);
                lines.add(new Feeder.Line(g.stream(), SyntheticHistory.userId(g.customer()), g.bytes(), null));
                files.get(g.stream()).write(g.bytes());
                files.get(g.stream()).write('\n');
                last = Math.max(last, g.timestamp());
            }
            // End of feed, in the feed only: one record per input partition 20 days after the history, so the
            // live watermark (7 days behind the newest event of the slowest partition) passes every real event.
            // Their own decisions wait for a watermark that never comes: they add no output.
            for (String stream : Streams.INPUTS) {
                for (int p = 0; p < INPUT_PARTITIONS; p++) {
                    String user = "end-of-feed-" + p;
                    var end = Json.MAPPER.createObjectNode();
                    if (Streams.CAMPAIGN_REQUESTS.equals(stream)) {
                        end.put("requestId", "end-of-feed-" + p).put("campaignId", "end-of-feed");
                    } else {
                        end.put("type", "identify").put("messageId", stream + "-end-of-feed-" + p);
                    }
                    end.put("userId", user).put("timestamp", dev.attune.contract.Times.format(last + 20 * 86_400_000L));
                    lines.add(new Feeder.Line(stream, user, end.toString().getBytes(StandardCharsets.UTF_8), p));
                }
            }
        } finally {
            for (OutputStream o : files.values()) {
                o.close();
            }
        }
        return lines;
    }

    // ---- processes ---------------------------------------------------------------------------------------

    static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    String startBroker() throws InterruptedException {
        broker = processes.java(
                "broker",
                List.of(
                        "-Xmx1g",
                        "-cp",
                        testClasspath(),
                        KafkaBroker.class.getName(),
                        Integer.toString(kafkaPort),
                        Integer.toString(controllerPort),
                        out.resolve("kafka").toString()),
                Map.of());
        Processes.awaitPort(kafkaPort, 120_000, "the Kafka broker");
        say("broker up on " + bootstrap + " (pid " + broker.pid() + ")");
        return "broker up again on its kept log dirs (pid " + broker.pid() + ")";
    }

    void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            Streams.INPUTS.forEach(t -> topics.add(new NewTopic(t, INPUT_PARTITIONS, (short) 1)));
            Streams.OUTPUTS.forEach(t -> topics.add(new NewTopic(t, OUTPUT_PARTITIONS, (short) 1)));
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        }
    }

    String startBedrock() throws InterruptedException {
        bedrock = processes.java(
                "bedrock",
                List.of(
                        "-Xmx256m",
                        "-cp",
                        testClasspath(),
                        "dev.attune.testing.LocalBedrock",
                        Integer.toString(bedrockPort),
                        "--quiet"),
                Map.of());
        Processes.awaitPort(bedrockPort, 60_000, "LocalBedrock");
        say("model server up on 127.0.0.1:" + bedrockPort + " (pid " + bedrock.pid() + ")");
        return "model server up again (pid " + bedrock.pid() + ")";
    }

    /**
     * ZooKeeper for the cluster's high availability: a standalone server ({@code ZooKeeperServerMain}, from the
     * {@code org.apache.zookeeper:zookeeper} artifact) as its own process on loopback, data in {@code zookeeper/}.
     */
    void startZooKeeper() throws Exception {
        Path dir = Files.createDirectories(out.resolve("zookeeper"));
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(
                dir.resolve("zoo.cfg"),
                String.join(
                        "\n",
                        "tickTime=1000",
                        "dataDir=" + dir.resolve("data"),
                        "clientPortAddress=127.0.0.1",
                        "clientPort=" + zkPort,
                        "maxClientCnxns=0",
                        "admin.enableServer=false",
                        ""));
        Files.writeString(dir.resolve("log4j2.properties"), FlinkCluster.LOG4J);
        zookeeper = processes.java(
                "zookeeper",
                List.of(
                        "-Xmx256m",
                        "-Dlog4j.configurationFile="
                                + dir.resolve("log4j2.properties").toUri(),
                        "-cp",
                        testClasspath(),
                        "org.apache.zookeeper.server.ZooKeeperServerMain",
                        dir.resolve("zoo.cfg").toString()),
                Map.of());
        Processes.awaitPort(zkPort, 60_000, "ZooKeeper");
        say("ZooKeeper up on 127.0.0.1:" + zkPort + " (pid " + zookeeper.pid() + ")");
    }

    /**
     * The checkpoints folder on a tmpfs of {@value #CHECKPOINT_DISK_MB} MB, so that it can be filled. Needs root
     * (mount); otherwise the disk-full fault is skipped and the figures say why.
     */
    void mountCheckpointDisk() throws Exception {
        Path dir = Files.createDirectories(out.resolve("checkpoints"));
        String uid = command(List.of("id", "-u")).output().strip();
        if (!"0".equals(uid)) {
            checkpointDiskSkipped = "skipped: not root (uid " + uid + "), so no tmpfs can be mounted";
        } else {
            Processes.Outcome m = command(
                    List.of("mount", "-t", "tmpfs", "-o", "size=" + CHECKPOINT_DISK_MB + "m", "tmpfs", dir.toString()));
            checkpointDiskSkipped = m.exit() == 0
                    ? null
                    : "skipped: mount -t tmpfs failed (exit " + m.exit() + ": "
                            + m.output().strip() + ")";
        }
        say(
                checkpointDiskSkipped == null
                        ? "checkpoints on a " + CHECKPOINT_DISK_MB + " MB tmpfs at " + dir
                        : "checkpoint disk full: " + checkpointDiskSkipped);
    }

    /** Unmounts whatever is mounted under {@code dir} (a tmpfs left by this run or an earlier one). */
    static void unmountUnder(Path dir) throws Exception {
        Path mounts = Path.of("/proc/mounts");
        if (!Files.isReadable(mounts)) {
            return;
        }
        String prefix = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(mounts)) {
            String[] f = line.split(" ");
            if (f.length > 1 && (f[1].equals(prefix) || f[1].startsWith(prefix + "/"))) {
                command(List.of("umount", "-l", f[1]));
            }
        }
    }

    static Processes.Outcome command(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Processes.Outcome(p.waitFor(), text);
    }

    String controlBedrock(String mode) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bedrockPort + "/_control/" + mode))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("LocalBedrock control " + mode + ": " + r.body());
        }
        return "model server answered 200 to /_control/" + mode;
    }

    /** A Flink configuration for a one-JobManager, one-TaskManager standalone session cluster on loopback. */
    Path writeFlinkConf() throws IOException {
        Path conf = Files.createDirectories(out.resolve("flink-conf"));
        String yaml = String.join(
                "\n",
                "jobmanager.rpc.address: 127.0.0.1",
                "jobmanager.rpc.port: " + rpcPort,
                "jobmanager.bind-host: 127.0.0.1",
                "jobmanager.memory.process.size: 1g",
                "rest.address: 127.0.0.1",
                "rest.bind-address: 127.0.0.1",
                "rest.port: " + restPort,
                "taskmanager.host: 127.0.0.1",
                "taskmanager.bind-host: 127.0.0.1",
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.memory.process.size: 2g",
                // A killed TaskManager is noticed within seconds, not the default 50 s.
                "heartbeat.interval: 2000",
                "heartbeat.timeout: 10000",
                // The TaskManager's classpath is attune.jar itself (Flink and Attune), so user code loads from it.
                "classloader.resolve-order: parent-first",
                "state.backend.type: rocksdb",
                "execution.checkpointing.incremental: true",
                "execution.checkpointing.dir: " + out.resolve("checkpoints").toUri(),
                // As the kafka profile and the shipped cluster configurations: a full checkpoint disk fails
                // checkpoints, not the job, for up to 6 in a row.
                "execution.checkpointing.tolerable-failed-checkpoints: 6",
                "io.tmp.dirs: " + out.resolve("tmp"),
                // High availability as on Kubernetes, with ZooKeeper: a new JobManager takes the leadership once
                // the killed one's session expires, and recovers the job from the latest checkpoint in the HA store.
                // The JobManager's RPC port is fixed, so its replacement is reachable at the same address.
                "high-availability.type: zookeeper",
                "high-availability.zookeeper.quorum: 127.0.0.1:" + zkPort,
                "high-availability.zookeeper.client.session-timeout: " + ZK_SESSION_TIMEOUT_MS,
                "high-availability.storageDir: " + out.resolve("ha").toUri(),
                "high-availability.cluster-id: attune-faults",
                "high-availability.jobmanager.port: " + rpcPort,
                "");
        Files.createDirectories(out.resolve("tmp"));
        Files.writeString(conf.resolve("config.yaml"), yaml);
        Files.writeString(conf.resolve("log4j2.properties"), FlinkCluster.LOG4J);
        return conf;
    }

    /** JVM flags and dynamic properties from Flink's own calculation, as its start scripts get them. */
    static List<List<String>> flinkResources(Path conf, String which) throws Exception {
        return FlinkCluster.resources("target/attune.jar", conf, which, Map.of());
    }

    List<String> flinkCommand(Path conf, String which, String mainClass) throws Exception {
        List<List<String>> res = flinkResources(conf, which);
        List<String> cmd = new ArrayList<>(res.get(0));
        cmd.addAll(Processes.OPENS);
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
        cmd.addAll(List.of("-cp", "target/attune.jar", mainClass, "--configDir", conf.toString()));
        cmd.addAll(res.get(1));
        return cmd;
    }

    void startJobManager(Path conf) throws Exception {
        Process jm = jobManager = processes.java(
                "jobmanager",
                flinkCommand(
                        conf,
                        "GET_JM_RESOURCE_PARAMS",
                        "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"),
                Map.of());
        Processes.awaitPort(restPort, 120_000, "the JobManager");
        say("JobManager up, REST on 127.0.0.1:" + restPort + " (pid " + jm.pid() + ")");
    }

    void startTaskManager(Path conf) throws Exception {
        // Any credentials do for the local model server; the SDK's default chain reads these.
        taskManager = processes.java(
                "taskmanager",
                flinkCommand(conf, "GET_TM_RESOURCE_PARAMS", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner"),
                Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local"));
        say("TaskManager started (pid " + taskManager.pid() + ")");
    }

    /** Submits Attune to the session cluster with Flink's own command-line client, detached; returns the job id. */
    String submit(Path conf) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        while (slotsAvailable() < 2) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the TaskManager did not register two slots within 2 min");
            }
            Thread.sleep(500);
        }
        List<String> cmd = new ArrayList<>(Processes.OPENS);
        cmd.addAll(List.of(
                "-cp",
                "target/attune.jar",
                "org.apache.flink.client.cli.CliFrontend",
                "run",
                "-d",
                "-c",
                "dev.attune.job.Main",
                "target/attune-cluster.jar"));
        cmd.addAll(jobArguments());
        String text = Processes.runJava(cmd, Map.of("FLINK_CONF_DIR", conf.toString()), 300);
        Files.writeString(out.resolve("logs").resolve("submit.log"), text);
        Matcher m = Pattern.compile("JobID ([0-9a-f]{32})").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no job id in the client's output:\n" + text);
        }
        say("job " + m.group(1) + " submitted: " + String.join(" ", jobArguments()));
        return m.group(1);
    }

    List<String> jobArguments() {
        return List.of(
                "--profile",
                "jobs/kafka.properties",
                "--kafka.bootstrap-servers",
                bootstrap,
                "--checkpoint.dir",
                out.resolve("checkpoints").toUri().toString(),
                "--flink.execution.checkpointing.incremental",
                "true",
                "--analysis.mode",
                "bedrock",
                "--bedrock.endpoint",
                "http://127.0.0.1:" + bedrockPort,
                "--bedrock.region",
                "us-east-1",
                "--analysis.journal.path",
                out.resolve("journal").toString(),
                // The feed compresses event time about 17,000-fold (3 days of history in 15 s at 400 events/s), so
                // the live 500 ms bound would be 30 us of wall clock: a partition that resumes after going idle,
                // or that a restart reads a moment after the others, would see its events dead-lettered as late
                // (the first runs did). 14 days of event time is about 70 s of quick feed: back-to-back outages (the
                // broker down 22 s, then a TaskManager paused 24 s) overran 7 days in a quick run (2,100 late events).
                "--watermark.out-of-orderness",
                "14 d",
                // watermark.idleness stays at its default, 5 s: quiet partitions (after a kill, while the broker is
                // down, at the end of the feed) stop holding the watermark back, and when all are quiet together
                // it moves on to the newest event read less the bound (CatchUpWatermarks).
                // The seeded history is dated from generator.start (2026-11-21) on, a day per 83 customers: past
                // the reader's clock, its records would be future_timestamp dead letters (input.max-clock-skew).
                "--input.max-clock-skew",
                "3650 d",
                // The budget counts wall-clock minutes; set out of reach so only the model's answers differ.
                "--analysis.budget.tokens-per-minute",
                "100000000");
    }

    int slotsAvailable() {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + "/overview"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(r.body()).path("slots-available").asInt();
        } catch (Exception e) {
            return 0;
        }
    }

    void awaitFirstCheckpoint() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!"RUNNING".equals(monitor.state()) || monitor.completed() == 0) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(
                        "the job did not complete a checkpoint within 3 min (state " + monitor.state() + ")");
            }
            Thread.sleep(500);
        }
        say("job RUNNING, first checkpoint completed");
    }

    // ---- faults ------------------------------------------------------------------------------------------

    /**
     * The schedule, as fractions of the feed: model slow, TaskManager killed, model throttling, broker stopped,
     * JobManager killed (SIGKILL) and a new one started (HA failover), TaskManager paused (SIGSTOP) until replaced
     * then resumed, the checkpoint disk full, model down, broker killed (SIGKILL), TaskManager killed again. Model
     * faults last 6% of the feed (at least 20 s), the broker 4% (at least 15 s), the full disk 40 s. A fault starts
     * when due or once the one before has recovered, whichever is later.
     */
    void injectFaults(double feedSeconds, Path conf) throws Exception {
        long modelFault = (long) (Math.max(20, 0.06 * feedSeconds) * 1000);
        long brokerDown = (long) (Math.max(15, 0.04 * feedSeconds) * 1000);
        at(0.03, feedSeconds);
        fault(
                "model slow (3 s per call)",
                () -> controlBedrock("slow?ms=3000"),
                modelFault,
                () -> controlBedrock("normal"),
                false);
        at(0.11, feedSeconds);
        fault("task manager killed", () -> killTaskManager(conf), 0, null, true);
        at(0.20, feedSeconds);
        fault(
                "model throttling (429)",
                () -> controlBedrock("throttle"),
                modelFault,
                () -> controlBedrock("normal"),
                false);
        at(0.29, feedSeconds);
        fault("broker stopped", this::stopBroker, brokerDown, this::startBroker, false);
        at(0.37, feedSeconds);
        fault(
                "job manager killed (SIGKILL), HA failover",
                () -> killJobManager(conf),
                0,
                this::awaitHaRestore,
                false,
                null);
        at(0.50, feedSeconds);
        fault("task manager paused (SIGSTOP), replaced, resumed", () -> pauseTaskManager(conf), 0, null, true);
        at(0.60, feedSeconds);
        if (checkpointDiskSkipped == null) {
            fault(
                    "checkpoint disk full",
                    this::fillCheckpointDisk,
                    DISK_FULL_MILLIS,
                    this::freeCheckpointDisk,
                    false,
                    () -> {
                        FaultEvidence.Verdict v =
                                FaultEvidence.checkpointsFailedWhileFull(monitor.checkpoints(), filledAt, freedAt, 2);
                        say((v.observed() ? "" : "NOT OBSERVED: ") + v.detail());
                        return v.observed() ? v.detail() : null;
                    });
        } else {
            say("FAULT checkpoint disk full: " + checkpointDiskSkipped);
        }
        at(0.72, feedSeconds);
        fault("model down (process killed)", this::killBedrock, modelFault, this::startBedrock, false);
        at(0.82, feedSeconds);
        fault("broker killed (SIGKILL)", this::killBroker, brokerDown, this::startBroker, false);
        at(0.90, feedSeconds);
        fault("task manager killed", () -> killTaskManager(conf), 0, null, true);
    }

    /** A step of a fault; returns what it saw happen (the evidence), or null when it did not happen. */
    interface Action {
        String run() throws Exception;
    }

    void at(double fraction, double feedSeconds) throws InterruptedException {
        long due = feedStart + (long) (fraction * feedSeconds * 1000);
        long wait = due - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    /**
     * Injects one fault, ends it, then waits until the job has recovered: a checkpoint triggered after the end.
     * Records the evidence that it happened: what its steps saw, and for a fault that must restart the job
     * ({@code restarts}), a restart the JobManager reported.
     */
    void fault(String kind, Action begin, long lastsMillis, Action end, boolean restarts) throws Exception {
        fault(kind, begin, lastsMillis, end, restarts, null);
    }

    /** As above; {@code afterRecovery}, if given, adds evidence that only the recovery shows (null: not seen). */
    void fault(String kind, Action begin, long lastsMillis, Action end, boolean restarts, Action afterRecovery)
            throws Exception {
        scheduled.add(kind);
        long start = System.currentTimeMillis();
        say("FAULT " + kind + ": begin");
        String seen = begin.run();
        if (lastsMillis > 0) {
            Thread.sleep(lastsMillis);
        }
        if (end != null) {
            String after = end.run();
            seen = seen == null || after == null ? null : seen + "; then " + after;
        }
        long finished = System.currentTimeMillis();
        say("FAULT " + kind + ": end after " + String.format("%.1f s", (finished - start) / 1000.0));
        long deadline = finished + 5 * 60_000;
        long recovered;
        while ((recovered = monitor.firstCheckpointAfter(finished)) < 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        monitor.poll();
        if (afterRecovery != null) {
            String after = afterRecovery.run();
            seen = seen == null || after == null ? null : seen + "; " + after;
        }
        long restartCount = monitor.restartsBetween(start, System.currentTimeMillis());
        long tasksUp = monitor.tasksRunningAgainAfter(start);
        faults.add(new Fault(
                kind,
                start,
                finished,
                recovered,
                restartCount,
                tasksUp > 0 ? tasksUp : monitor.runningAgainAfterOutage(start)));
        boolean observed = seen != null && (!restarts || restartCount > 0);
        String detail = (seen == null ? "not seen" : seen) + "; job restarts " + restartCount;
        evidence.add(new FaultRunChecker.Evidence(kind, observed, detail));
        say("evidence: " + (observed ? "" : "NOT OBSERVED: ") + detail);
        say(
                recovered < 0
                        ? "NOT RECOVERED within 5 min"
                        : String.format(
                                "recovered: checkpoint completed %.1f s after the fault's end; job restarts %d",
                                (recovered - finished) / 1000.0, restartCount));
    }

    /** SIGKILL; the evidence is the exit status 137 (128 + 9). */
    static String killed(Process p, String what) throws InterruptedException {
        long pid = p.pid();
        Processes.kill(p);
        return p.isAlive() || p.exitValue() != 137
                ? null
                : what + " pid " + pid + " killed (SIGKILL, exit " + p.exitValue() + ")";
    }

    String killTaskManager(Path conf) throws Exception {
        String seen = killed(taskManager, "TaskManager");
        say(seen + "; starting a new one");
        startTaskManager(conf);
        return seen;
    }

    /**
     * The JobManager killed with SIGKILL and a new one started at once, as a Kubernetes Deployment or a docker restart
     * would: the new one waits for the killed one's ZooKeeper session to expire, takes the leadership and recovers the
     * job from the HA store (job graph and latest completed checkpoint); the TaskManager registers with it.
     */
    String killJobManager(Path conf) throws Exception {
        try {
            restartsBeforeFailover += monitor.restarts();
        } catch (Exception e) {
            say("numRestarts not available before the JobManager's kill: " + e.getMessage());
        }
        monitor.poll();
        lastCompletedBeforeKill = monitor.lastCompletedId();
        String seen = killed(jobManager, "JobManager");
        say(seen + " (newest completed checkpoint seen: " + lastCompletedBeforeKill + "); starting a new one");
        startJobManager(conf);
        return seen;
    }

    /**
     * Waits until the new JobManager runs the job again, restored from a checkpoint; the evidence is that checkpoint
     * in its REST API and its log (see {@link FaultEvidence#restoredThroughHa}).
     */
    String awaitHaRestore() throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        JsonNode checkpoints = null;
        while (System.currentTimeMillis() < deadline) {
            try {
                JsonNode job = monitor.get("/jobs/" + jobId);
                checkpoints = monitor.get("/jobs/" + jobId + "/checkpoints");
                if ("RUNNING".equals(job.path("state").asText())
                        && checkpoints.path("latest").path("restored").has("id")) {
                    break;
                }
            } catch (Exception e) {
                // not up yet, or the job not recovered yet
            }
            Thread.sleep(500);
        }
        String log = Files.readString(processes.log(jobManager));
        FaultEvidence.Verdict v = FaultEvidence.restoredThroughHa(jobId, lastCompletedBeforeKill, checkpoints, log);
        say((v.observed() ? "" : "NOT OBSERVED: ") + v.detail());
        return v.observed() ? v.detail() : null;
    }

    /**
     * Fills the checkpoint tmpfs and keeps it full: a thread appends to a filler file until the disk says no space is
     * left, and tries again every 50 ms, so that space a failed checkpoint's clean-up frees is taken at once.
     */
    String fillCheckpointDisk() throws Exception {
        Path filler = out.resolve("checkpoints").resolve("filler");
        keepFull = true;
        fillerBytes = 0;
        java.util.concurrent.CountDownLatch full = new java.util.concurrent.CountDownLatch(1);
        diskFiller = new Thread(
                () -> {
                    byte[] big = new byte[1 << 20];
                    byte[] small = new byte[4096];
                    try (OutputStream o = Files.newOutputStream(filler)) {
                        while (keepFull) {
                            for (byte[] chunk : new byte[][] {big, small}) {
                                try {
                                    while (keepFull) {
                                        o.write(chunk);
                                        o.flush();
                                        fillerBytes += chunk.length;
                                    }
                                } catch (IOException noSpace) {
                                    // this chunk does not fit any more: try the smaller one, then wait
                                }
                            }
                            full.countDown();
                            Thread.sleep(50);
                        }
                    } catch (IOException | InterruptedException e) {
                        say("disk filler stopped: " + e);
                    }
                },
                "disk-filler");
        diskFiller.setDaemon(true);
        diskFiller.start();
        boolean filled = full.await(60, TimeUnit.SECONDS);
        filledAt = System.currentTimeMillis();
        long usable = Files.getFileStore(out.resolve("checkpoints")).getUsableSpace();
        String seen = String.format("checkpoint tmpfs filled: %,d bytes written, %,d bytes free", fillerBytes, usable);
        say(seen);
        return filled && usable < (1 << 20) ? seen : null;
    }

    /** Stops the filler and deletes its file: the space comes back. */
    String freeCheckpointDisk() throws Exception {
        keepFull = false;
        diskFiller.join(10_000);
        Files.deleteIfExists(out.resolve("checkpoints").resolve("filler"));
        freedAt = System.currentTimeMillis();
        long usable = Files.getFileStore(out.resolve("checkpoints")).getUsableSpace();
        String seen = String.format("filler deleted, %,d bytes free", usable);
        say(seen);
        return usable > (1 << 20) ? seen : null;
    }

    String killBroker() throws Exception {
        return killed(broker, "broker");
    }

    String killBedrock() throws Exception {
        return killed(bedrock, "model server");
    }

    String stopBroker() throws Exception {
        long pid = broker.pid();
        Processes.stop(broker);
        return broker.isAlive() ? null : "broker pid " + pid + " stopped (SIGTERM, exit " + broker.exitValue() + ")";
    }

    /**
     * The TaskManager frozen with SIGSTOP (a long GC pause, a stalled VM): its heartbeats stop, the JobManager declares
     * it lost after {@code heartbeat.timeout} and restarts the job on a new TaskManager. Once every task runs again
     * the frozen one gets SIGCONT: a zombie whose tasks were cancelled while it slept. Its Kafka producers' transactions
     * belong to transactional ids the new attempt re-initialised (a higher producer epoch), so whatever the zombie still
     * tries to write or commit is fenced; the comparison then shows nothing doubled. Evidence: the process state
     * {@code T} (stopped) while paused, a job restart, the process running again after SIGCONT.
     */
    String pauseTaskManager(Path conf) throws Exception {
        Process zombie = taskManager;
        long pid = zombie.pid();
        java.util.Set<String> before = taskManagerIds();
        long paused = System.currentTimeMillis();
        signal("STOP", pid);
        String state = processState(pid);
        say("TaskManager pid " + pid + " paused (SIGSTOP, state " + state + "); starting a new one");
        startTaskManager(conf);
        // SIGCONT only once the restarted job holds the new TaskManager's slots and the frozen one is gone from the
        // ResourceManager: a zombie resumed earlier registers again and can be given the job's tasks itself.
        long deadline = System.currentTimeMillis() + 180_000;
        while ((monitor.tasksRunningAgainAfter(paused) < 0 || !newTaskManagerHoldsTheJob(before))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        long replaced = newTaskManagerHoldsTheJob(before) ? monitor.tasksRunningAgainAfter(paused) : -1;
        signal("CONT", pid);
        Thread.sleep(2000);
        String resumed = processState(pid);
        say(String.format(
                "TaskManager pid %d resumed (SIGCONT, state %s) %.1f s after the pause; the job ran again on the new "
                        + "TaskManager %s",
                pid,
                resumed,
                (System.currentTimeMillis() - paused) / 1000.0,
                replaced < 0 ? "NEVER" : String.format("after %.1f s", (replaced - paused) / 1000.0)));
        boolean observed = state.startsWith("T") && replaced > 0 && zombie.isAlive() && !resumed.startsWith("T");
        return observed
                ? String.format(
                        "TaskManager pid %d state %s while paused, replaced after %.1f s, resumed (state %s)",
                        pid, state, (replaced - paused) / 1000.0, resumed)
                : null;
    }

    /** The ids of the TaskManagers the ResourceManager has registered (REST {@code /taskmanagers}). */
    java.util.Set<String> taskManagerIds() {
        java.util.Set<String> ids = new java.util.TreeSet<>();
        try {
            monitor.get("/taskmanagers")
                    .path("taskmanagers")
                    .forEach(t -> ids.add(t.path("id").asText()));
        } catch (Exception e) {
            say("/taskmanagers not available: " + e.getMessage());
        }
        return ids;
    }

    boolean newTaskManagerHoldsTheJob(java.util.Set<String> before) {
        try {
            return FaultEvidence.onlyANewTaskManagerHoldsTheJob(monitor.get("/taskmanagers"), before);
        } catch (Exception e) {
            return false;
        }
    }

    static void signal(String signal, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectErrorStream(true)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": "
                    + new String(p.getInputStream().readAllBytes()));
        }
    }

    /** The process's state letter and name from /proc (T: stopped), or "gone". */
    static String processState(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("State:")) {
                    return line.substring("State:".length()).trim();
                }
            }
        } catch (IOException e) {
            return "gone";
        }
        return "unknown";
    }

    // ---- the end -----------------------------------------------------------------------------------------

    /**
     * Waits until the job has committed offsets at the end of every input partition, then until the committed
     * outputs stop growing across checkpoints (the end-of-feed records released the last decisions).
     */
    void awaitSettled() throws Exception {
        long deadline = System.currentTimeMillis() + 15 * 60_000;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            while (behind(admin) > 0) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(
                            "the job did not consume its input within 15 min: " + behind(admin) + " records behind");
                }
                Thread.sleep(2000);
            }
            say("job has committed offsets at the end of every input partition");
            long previous = -1;
            int stableCheckpoints = 0;
            long seen = monitor.completed();
            while (stableCheckpoints < 3) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("outputs did not settle within 15 min");
                }
                Thread.sleep(1000);
                if (monitor.completed() == seen) {
                    continue;
                }
                seen = monitor.completed();
                long committed = committedOutputs(admin);
                stableCheckpoints = committed == previous ? stableCheckpoints + 1 : 0;
                previous = committed;
            }
            say(String.format("outputs settled at %,d committed offsets", previous));
        }
    }

    long behind(Admin admin) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (String t : Streams.INPUTS) {
            for (int p = 0; p < INPUT_PARTITIONS; p++) {
                latest.put(new TopicPartition(t, p), OffsetSpec.latest());
            }
        }
        long behind = 0;
        for (var e : admin.listOffsets(latest).all().get().entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            behind += e.getValue().offset() - (c == null ? 0 : c.offset());
        }
        return behind;
    }

    long committedOutputs(Admin admin) throws Exception {
        return KafkaJobs.committedOutputs(admin, "", OUTPUT_PARTITIONS);
    }

    long restarts() {
        try {
            return restartsBeforeFailover + monitor.restarts();
        } catch (Exception e) {
            say("numRestarts not available: " + e.getMessage());
            return -1;
        }
    }

    /**
     * Every output topic read with isolation.level=read_committed, one folder per stream; and, to show what the
     * transactions kept out, counted with read_uncommitted too (records of aborted transactions included).
     */
    void readOutputs(Path dir) throws IOException {
        long committed = 0;
        long everything = 0;
        long repeated = 0;
        for (String stream : Streams.OUTPUTS) {
            List<ConsumerRecord<String, String>> records = KafkaBroker.readCommitted(bootstrap, stream);
            Files.createDirectories(dir.resolve(stream));
            Files.write(
                    dir.resolve(stream).resolve("committed.jsonl"),
                    records.stream().map(ConsumerRecord::value).toList());
            committed += records.size();
            List<ConsumerRecord<String, String>> all = KafkaBroker.read(bootstrap, stream, "read_uncommitted");
            everything += all.size();
            repeated += all.size()
                    - all.stream().map(ConsumerRecord::value).distinct().count();
        }
        uncommitted = String.format(
                "%,d read_committed; %,d read_uncommitted, of which %,d repeats of a record "
                        + "(written by transactions that were then aborted)",
                committed, everything, repeated);
        say("read every output topic with read_committed into " + dir + ": " + uncommitted);
    }

    /** The fault-free reference: the same input files through the replay profile, answers from the journal. */
    void replay(Path reference) throws Exception {
        say("fault-free replay of the same input (jobs/replay.properties, analysis.mode=replay from the journal)");
        List<String> cmd = new ArrayList<>(List.of("-Xmx3g"));
        cmd.addAll(Processes.OPENS);
        cmd.addAll(List.of(
                "-jar",
                "target/attune.jar",
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                out.resolve("history").toString(),
                "--output.path",
                reference.toString(),
                "--analysis.mode",
                "replay",
                "--analysis.journal.path",
                out.resolve("journal").toString(),
                "--summary.examples",
                "0"));
        String text = Processes.runJava(cmd, Map.of(), 1800);
        Files.writeString(out.resolve("logs").resolve("replay.log"), text);
        say("replay done");
    }

    String figures(
            int customers, Feeder feeder, long restarts, FaultRunChecker.Result result, Path faultOut, long started)
            throws IOException {
        StringBuilder b = new StringBuilder();
        java.util.Formatter f = new java.util.Formatter(b);
        f.format(
                "%n== Faults under load: %s ==%n",
                Instant.ofEpochMilli(started).toString().substring(0, 19) + "Z");
        f.format(
                "%-34s %s%n",
                "feed",
                String.format(
                        "%.1f min at %.0f events/s, %,d customers, seed %d", s.minutes, s.rate, customers, s.seed));
        f.format("%-34s %s%n", "job", "jobs/kafka.properties: exactly-once Kafka in and out, RocksDB incremental");
        f.format("%-34s %s%n", "", "checkpoints every 10 s, watermark.out-of-orderness 14 d, parallelism 1 (the");
        f.format("%-34s %s%n", "", "cluster's default; the profile's 2 is for embedded runs),");
        f.format("%-34s %s%n", "", "analysis.mode bedrock (LocalBedrock, real AWS SDK client, deadline 800 ms)");
        f.format(
                "%-34s %s%n",
                "cluster", "Flink 1.20 standalone session: 1 JobManager, 1 TaskManager (2 slots), ZooKeeper HA");
        f.format(
                "%-34s %s%n",
                "",
                "(ZooKeeperServerMain on loopback, session timeout " + ZK_SESSION_TIMEOUT_MS / 1000
                        + " s, HA storage on local disk);");
        f.format("%-34s %s%n", "", "watermark.idleness 5 s (default); the feed ends with one end-of-feed record per");
        f.format("%-34s %s%n", "", "input partition, 20 days of event time after the history (feed only)");
        f.format(
                "%-34s %s%n",
                "checkpoint disk",
                checkpointDiskSkipped == null
                        ? "tmpfs of " + CHECKPOINT_DISK_MB + " MB (filled for " + DISK_FULL_MILLIS / 1000
                                + " s by the disk-full fault)"
                        : "disk full " + checkpointDiskSkipped);
        f.format(
                "%-34s %,d (%s)%n",
                "events fed",
                feeder.sent.get(),
                feeder.perTopic.toString().replace("{", "").replace("}", "").replace("=", " "));
        f.format(
                "%-34s %,d acknowledged, %s%n",
                "feeder",
                feeder.acknowledged.get(),
                feeder.failure.get() == null ? "no send failed" : "FAILED: " + feeder.failure.get());
        Map<String, Integer> kinds = new LinkedHashMap<>();
        faults.forEach(x -> kinds.merge(x.kind(), 1, Integer::sum));
        f.format(
                "%-34s %d (%s)%n",
                "faults injected",
                faults.size(),
                kinds.toString().replace("{", "").replace("}", "").replace("=", " x"));
        f.format(
                "%-34s %8s %8s %9s %13s %14s%n",
                "fault", "at (s)", "lasted", "restarts", "tasks up (s)", "recovered (s)");
        for (Fault x : faults) {
            f.format(
                    "%-34s %8.1f %7.1fs %9d %13s %14s%n",
                    x.kind(),
                    (x.start() - feedStart) / 1000.0,
                    (x.end() - x.start()) / 1000.0,
                    x.restarts(),
                    x.tasksRunning() > 0 ? String.format("%.1f", (x.tasksRunning() - x.start()) / 1000.0) : "-",
                    x.recovered() < 0 ? "never" : String.format("%.1f", (x.recovered() - x.end()) / 1000.0));
        }
        f.format(
                "%-34s %s%n",
                "", "(tasks up: from the fault's start until every task of the restarted or recovered job ran;");
        f.format("%-34s %s%n", "", " recovered: from the fault's end, i.e. the kill, the broker's restart, the model");
        f.format("%-34s %s%n", "", " back to normal, the job restored by the new JobManager or the disk freed, until");
        f.format("%-34s %s%n", "", " the first checkpoint triggered after it completed)");
        f.format(
                "%-34s %d of %d seen to happen (SIGKILL exit 137, SIGSTOP state T, restarts the JobManager reported,"
                        + " the model server's answers, the checkpoint the new JobManager restored, checkpoints"
                        + " failed while the disk was full; faults.log)%n",
                "fault evidence",
                evidence.stream().filter(FaultRunChecker.Evidence::observed).count(),
                scheduled.size());
        List<JobMonitor.Checkpoint> cps = monitor.checkpoints();
        long completed = monitor.completed();
        long last = cps.stream()
                .filter(c -> "COMPLETED".equals(c.status()))
                .mapToLong(JobMonitor.Checkpoint::checkpointedBytes)
                .reduce((a, c) -> c)
                .orElse(0);
        long state = cps.stream()
                .filter(c -> "COMPLETED".equals(c.status()))
                .mapToLong(JobMonitor.Checkpoint::stateBytes)
                .reduce((a, c) -> c)
                .orElse(0);
        f.format(
                "%-34s %d completed, %d failed; job restarts %d%n",
                "checkpoints", completed, monitor.failed(), restarts);
        f.format(
                "%-34s %,d bytes uploaded of %,d bytes of state (incremental RocksDB)%n",
                "last checkpoint", last, state);
        f.format("%-34s %s%n", "model fallbacks (fault run)", fallbacks(faultOut));
        f.format("%-34s %s%n", "output topics", uncommitted);
        f.format("%n");
        java.io.ByteArrayOutputStream comparison = new java.io.ByteArrayOutputStream();
        result.print(new PrintStream(comparison, true, StandardCharsets.UTF_8));
        b.append(comparison.toString(StandardCharsets.UTF_8));
        f.format(
                "%-34s %.1f min (feed %.1f min)%n",
                "duration",
                (System.currentTimeMillis() - started) / 60000.0,
                (feeder.finishedAt - feedStart) / 60000.0);
        boolean feedOk = feeder.failure.get() == null && feeder.acknowledged.get() == feeder.sent.get();
        f.format(
                "%-34s %s%n",
                "result",
                result.failed() || !feedOk
                        ? "FAIL (lost, duplicated or other differences, or the feed failed)"
                        : "PASS: zero lost, zero duplicated, differences only where the model's answer differed");
        return b.toString();
    }

    /** The fault run's dead letters of model calls, by code. */
    static String fallbacks(Path faultOut) throws IOException {
        Map<String, Integer> byCode = new TreeMap<>();
        for (String line : RunSummary.records(faultOut, Streams.DEAD_LETTER)) {
            JsonNode n = Json.MAPPER.readTree(line);
            if ("analysis".equals(n.path("stage").asText())) {
                byCode.merge(n.path("error").path("code").asText(), 1, Integer::sum);
            }
        }
        return byCode.isEmpty()
                ? "none"
                : byCode.toString().replace("{", "").replace("}", "").replace("=", " ");
    }
}
