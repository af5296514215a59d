package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import dev.attune.reliability.FlinkCluster;
import dev.attune.reliability.Processes;
import dev.attune.testing.KafkaBroker;
import dev.attune.testing.LocalBedrock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * Attune on real Flink clusters, started from Flink's Maven artifacts with the packaged
 * {@code target/attune-cluster.jar}, as docker-compose.yml describes the local stack (no Docker
 * engine runs here, so its services' commands and environment are read from the file and run on
 * loopback: a change to the file is what this test runs):
 * <ul>
 *   <li>application mode, as the compose jobmanager ({@code standalone-job}), the Kubernetes
 *       Operator and Managed Flink start a job: {@code main} runs inside the JobManager, which must
 *       stay up; the job decides, survives a TaskManager killed and replaced, and keeps deciding;
 *   <li>a session cluster, with the job submitted by Flink's own {@code flink run -d}.
 * </ul>
 */
class ClusterModesIT {
    static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    KafkaBroker broker;
    LocalBedrock bedrock;
    FlinkCluster cluster;
    Map<String, Object> services;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void startTheStack() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        services = (Map<String, Object>) compose.get("services");
        broker = new KafkaBroker();
        broker.createTopics(2, kafkaInitTopics());
        bedrock = LocalBedrock.startWithTestCredentials();
    }

    @AfterEach
    void stopTheStack() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (bedrock != null) {
            bedrock.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void applicationModeKeepsItsJobManagerDecidesAndSurvivesATaskManagerLoss() throws Exception {
        load();
        cluster = cluster("jobmanager");
        Map<String, Object> tm = service("taskmanager");
        assertThat(tm.get("command")).as("the compose taskmanager's command").isEqualTo("taskmanager");
        cluster.startTaskManager();
        List<String> command = strings(service("jobmanager").get("command"));
        assertThat(command.get(0))
                .as("the compose jobmanager runs application mode")
                .isEqualTo("standalone-job");
        Process jm = cluster.startApplicationJobManager(local(command.subList(1, command.size())));

        String job = awaitRunning();
        // The defect this guards against: main returned at once (detached), then System.exit ended the JobManager.
        Thread.sleep(10_000);
        assertThat(jm.isAlive())
                .as("the application-mode JobManager is still up 10 s after start\n%s", logs())
                .isTrue();
        Map<String, List<String>> before = awaitOutputs(
                o -> o.get("interventions").size() > 0
                        && o.get("campaign-sends").size() > 0
                        && o.get("dead-letter").size() > 0,
                "the loaded history's decisions");

        // A TaskManager killed hard and replaced: the job restarts from its checkpoint, exactly once.
        Processes.kill(firstTaskManager());
        cluster.startTaskManager();
        awaitRestartedAndRunning(job);
        produceStruggle("cluster-app-user");
        Map<String, List<String>> after = awaitOutputs(
                o -> o.get("interventions").stream().anyMatch(i -> i.contains("\"userId\":\"cluster-app-user\"")),
                "an intervention for a struggle sent after the restart");
        for (String stream : Streams.OUTPUTS) {
            assertThat(after.get(stream)).as(stream + " keeps what it had").containsAll(before.get(stream));
        }
        assertThat(jm.isAlive()).as("the JobManager outlives the TaskManager").isTrue();
        assertThat(cluster.rest("/jobs/overview"))
                .contains("\"jid\":\"" + job + "\"")
                .contains("\"state\":\"RUNNING\"");
    }

    @Test
    void aSessionClusterTakesTheJobFromFlinkRunWhichReturnsOnSubmission() throws Exception {
        cluster = cluster("jobmanager");
        cluster.startSessionJobManager();
        cluster.startTaskManager();
        await(() -> cluster.freeSlots() >= 2, 120, "two free slots");
        List<String> command = strings(service("jobmanager").get("command"));
        List<String> run = new ArrayList<>(List.of(
                "run",
                "-d",
                "-c",
                jobClass(command),
                cluster.usrlib().resolve("attune.jar").toString()));
        run.addAll(local(programArguments(command)));
        FlinkCluster.Result submitted = cluster.flink(run, 180);
        assertThat(submitted.exit()).as("flink run -d:\n%s", submitted.output()).isZero();
        assertThat(submitted.output())
                .contains("on a Flink cluster")
                .containsPattern("Attune: job [0-9a-f]{32} submitted")
                .doesNotContain("Finished in")
                .doesNotContain("Outputs under")
                .doesNotContain("Report:");
        awaitRunning();
        produceStruggle("cluster-session-user");
        awaitOutputs(
                o -> o.get("interventions").stream().anyMatch(i -> i.contains("\"userId\":\"cluster-session-user\"")),
                "an intervention for the struggle");
    }

    // ---- the compose file, run on loopback

    @SuppressWarnings("unchecked")
    Map<String, Object> service(String name) {
        return (Map<String, Object>) services.get(name);
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object list) {
        List<String> out = new ArrayList<>();
        ((List<Object>) list).forEach(o -> out.add(String.valueOf(o)));
        return out;
    }

    /** The topics the compose kafka-init service creates. */
    List<String> kafkaInitTopics() {
        String script = String.join("\n", strings(service("kafka-init").get("command")));
        Matcher m = Pattern.compile("for t in ([a-z\\- ]+); do").matcher(script);
        assertThat(m.find()).as("kafka-init's topic loop").isTrue();
        List<String> topics = List.of(m.group(1).trim().split(" +"));
        assertThat(topics).containsAll(Streams.OUTPUTS);
        return topics;
    }

    static String jobClass(List<String> command) {
        return command.get(command.indexOf("--job-classname") + 1);
    }

    static List<String> programArguments(List<String> command) {
        return command.subList(command.indexOf("--job-classname") + 2, command.size());
    }

    /** A cluster with the service's FLINK_PROPERTIES and environment, and its usrlib mount filled. */
    @SuppressWarnings("unchecked")
    FlinkCluster cluster(String serviceName) throws Exception {
        Map<String, Object> svc = service(serviceName);
        Map<String, Object> environment = (Map<String, Object>) svc.get("environment");
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : String.valueOf(environment.get("FLINK_PROPERTIES")).split("\n")) {
            int colon = line.indexOf(':');
            if (!line.isBlank() && colon > 0) {
                properties.put(
                        line.substring(0, colon).trim(),
                        localValue(line.substring(colon + 1).trim()));
            }
        }
        properties.put("metrics.reporter.prom.port", Integer.toString(FlinkCluster.freePort()));
        Map<String, String> env = new HashMap<>();
        environment.forEach((k, v) -> {
            if (!k.equals("FLINK_PROPERTIES")) {
                env.put(k, String.valueOf(v));
            }
        });
        FlinkCluster c = new FlinkCluster(dir.resolve("flink"), properties, env);
        boolean mounted = false;
        for (String volume : strings(svc.get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[1].startsWith("/opt/flink/usrlib/")) {
                Files.copy(
                        ROOT.resolve(parts[0]),
                        c.usrlib().resolve(Path.of(parts[1]).getFileName()),
                        StandardCopyOption.REPLACE_EXISTING);
                mounted = true;
            }
        }
        assertThat(mounted)
                .as(serviceName + " mounts the cluster jar into /opt/flink/usrlib")
                .isTrue();
        assertThat(Files.size(c.usrlib().resolve("attune.jar"))).isLessThan(100L << 20);
        return c;
    }

    /** Compose's host names, ports and volumes, as they are on loopback here. */
    String localValue(String v) {
        return v.replace("kafka:9092", broker.bootstrapServers())
                .replace("http://127.0.0.1:8099", bedrock.endpoint())
                .replace("/flink-data", dir.resolve("flink-data").toString());
    }

    List<String> local(List<String> args) {
        return args.stream().map(this::localValue).toList();
    }

    /** The compose loader: archived history into the input topics, with the runnable jar. */
    void load() throws Exception {
        Map<String, Object> loader = service("loader");
        assertThat(strings(loader.get("entrypoint"))).containsExactly("java");
        List<String> command = new ArrayList<>();
        for (String arg : strings(loader.get("command"))) {
            String a = localValue(arg);
            for (String volume : strings(loader.get("volumes"))) {
                String[] parts = volume.split(":");
                if (a.equals(parts[1])) {
                    a = ROOT.resolve(parts[0]).normalize().toString();
                }
            }
            command.add(a);
        }
        String out = Processes.runJava(command, Map.of(), 300);
        assertThat(out).contains("Loaded");
    }

    // ---- watching the job and its outputs

    String awaitRunning() throws Exception {
        String[] job = new String[1];
        await(
                () -> {
                    Process jm = cluster.jobManager();
                    if (jm != null && !jm.isAlive()) {
                        throw new AssertionError(
                                "the JobManager exited (code " + jm.exitValue() + ") before its job ran\n" + logs());
                    }
                    try {
                        Matcher m = Pattern.compile(
                                        "\"jid\":\"([0-9a-f]{32})\".*?\"state\":\"RUNNING\".*?\"tasks\":\\{([^}]*)\\}")
                                .matcher(cluster.rest("/jobs/overview"));
                        if (m.find()) {
                            Map<String, Integer> tasks = counts(m.group(2));
                            job[0] = m.group(1);
                            return tasks.getOrDefault("running", 0).equals(tasks.get("total"));
                        }
                    } catch (Exception e) {
                        // not up yet
                    }
                    return false;
                },
                180,
                "a job with every task running");
        return job[0];
    }

    void awaitRestartedAndRunning(String job) throws Exception {
        await(
                () -> {
                    try {
                        return !cluster.rest("/jobs/" + job + "/exceptions")
                                .contains("\"exceptionHistory\":{\"entries\":[]");
                    } catch (Exception e) {
                        return false;
                    }
                },
                180,
                "the job noticing the lost TaskManager");
        assertThat(awaitRunning()).isEqualTo(job);
    }

    static Map<String, Integer> counts(String json) {
        Map<String, Integer> out = new HashMap<>();
        Matcher m = Pattern.compile("\"([a-z_]+)\":(\\d+)").matcher(json);
        while (m.find()) {
            out.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return out;
    }

    interface OutputCondition {
        boolean test(Map<String, List<String>> outputs);
    }

    /** Every output topic read as a subscriber reads it (read_committed), until the condition holds; no id twice. */
    Map<String, List<String>> awaitOutputs(OutputCondition condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (true) {
            Map<String, List<String>> outputs = new LinkedHashMap<>();
            for (String stream : Streams.OUTPUTS) {
                List<String> values = broker.readCommitted(stream).stream()
                        .map(ConsumerRecord::value)
                        .toList();
                Map<String, String> ids = new HashMap<>();
                List<String> distinct = new ArrayList<>();
                for (String v : values) {
                    Matcher m = Pattern.compile("^\\{\"schemaVersion\":\\d+,\"([a-zA-Z]+Id)\":\"([^\"]+)\"")
                            .matcher(v);
                    assertThat(m.find())
                            .as("an output record with its id first: %s", v)
                            .isTrue();
                    String earlier = ids.putIfAbsent(m.group(2), v);
                    if (earlier == null) {
                        distinct.add(v);
                    } else if (stream.equals(Streams.INTERVENTIONS)) {
                        // The kafka profile writes interventions the moment they are decided, at least once: one
                        // decided after the last checkpoint comes again after a restart, the same record, and
                        // subscribers drop the repeat. Every other stream is transactional: exactly once.
                        assertThat(v)
                                .as("a repeated intervention is the same record")
                                .isEqualTo(earlier);
                    } else {
                        throw new AssertionError(stream + " holds " + m.group(2) + " twice");
                    }
                }
                outputs.put(stream, distinct);
            }
            if (condition.test(outputs)) {
                return outputs;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within 3 min; outputs " + outputs + "\n" + logs());
            }
            Thread.sleep(2_000);
        }
    }

    Process firstTaskManager() {
        return cluster.taskManagers().get(0);
    }

    /** A customer who starts checkout and hits the same form error four times, timestamped now. */
    void produceStruggle(String user) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        Instant t = Instant.now();
        List<String> events = new ArrayList<>();
        events.add(event(user, 0, t, "Checkout Started", "{\"revenue\":120}"));
        for (int i = 1; i <= 4; i++) {
            events.add(event(
                    user,
                    i,
                    t.plusSeconds(3L * i),
                    "Struggle Signal",
                    "{\"kind\":\"form_error\",\"attempts\":" + i + "}"));
        }
        events.add(event(user, 5, t.plusSeconds(14), "Error Shown", "{\"code\":\"E_PAYMENT_DECLINED\"}"));
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (String e : events) {
                producer.send(new ProducerRecord<>("user-events", user, e)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    static String event(String user, int n, Instant at, String name, String properties) {
        return "{\"messageId\":\"" + user + "-" + n + "\",\"userId\":\"" + user + "\",\"type\":\"track\",\"event\":\""
                + name + "\",\"timestamp\":\"" + at + "\",\"properties\":" + properties + "}";
    }

    static void await(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + seconds + " s");
            }
            Thread.sleep(500);
        }
    }

    String logs() {
        try {
            return cluster == null ? "" : cluster.logs();
        } catch (Exception e) {
            return "(logs unreadable: " + e + ")";
        }
    }
}
