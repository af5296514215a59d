package dev.attune.deploy;

import static dev.attune.config.AttuneOptions.*;
import static dev.attune.deploy.DeployFiles.*;
import static dev.attune.testing.Commands.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.config.CommandLine;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The local stack (docker-compose.yml). No Docker engine runs on the build machines, so the file is checked
 * by {@code docker-compose config} (Debian's docker-compose 1.29.2, installed with apt-get when missing
 * and running as root) and the Attune arguments in it are parsed by Attune's own command line.
 */
class DockerComposeTest {
    static final Set<String> SERVICES = Set.of(
            "jobmanager",
            "taskmanager",
            "kafka",
            "kafka-init",
            "kinesis",
            "bedrock",
            "loader",
            "volume-init",
            "prometheus",
            "grafana");
    static final Set<String> ONE_SHOT = Set.of("kafka-init", "loader", "volume-init");

    static Path dockerCompose() {
        return debianProgram("docker-compose", "docker-compose");
    }

    @Test
    void dockerComposeConfigAcceptsTheFile() throws IOException {
        Path dc = dockerCompose();
        Result r = run(ROOT, Map.of(), 60, List.of(dc.toString(), "-f", COMPOSE.toString(), "config"));
        if (r.exit() != 0) {
            fail("docker-compose -f docker-compose.yml config failed (exit " + r.exit() + "):\n" + r.all());
        }
        Result version = run(ROOT, Map.of(), 30, List.of(dc.toString(), "version", "--short"));
        System.out.println("docker-compose " + version.stdout().strip() + " config: exit 0");
        JsonNode config = YAML.readTree(r.stdout());
        JsonNode services = config.path("services");
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(new TreeSet<>(SERVICES));
        List<String> problems = new ArrayList<>();
        services.fields().forEachRemaining(s -> {
            String name = s.getKey();
            JsonNode svc = s.getValue();
            if (!ONE_SHOT.contains(name) && !svc.has("healthcheck")) {
                problems.add(name + ": a long-running service without a healthcheck");
            }
            svc.path("depends_on").fields().forEachRemaining(d -> {
                String condition = d.getValue().path("condition").asText();
                JsonNode dep = services.path(d.getKey());
                String expected = ONE_SHOT.contains(d.getKey())
                        ? "service_completed_successfully"
                        : dep.has("healthcheck") ? "service_healthy" : "service_started";
                // bedrock joins the taskmanager's network namespace, so it needs the container, not its health.
                if (!condition.equals(expected) && !(name.equals("bedrock") && condition.equals("service_started"))) {
                    problems.add(name + " depends on " + d.getKey() + " with " + condition + ", expected " + expected);
                }
            });
        });
        assertThat(problems).isEmpty();
        assertThat(services.path("jobmanager").path("depends_on").has("bedrock"))
                .isTrue();
        assertThat(services.path("loader").path("depends_on").has("kafka-init")).isTrue();
        assertThat(services.path("kafka-init").path("depends_on").has("kafka")).isTrue();
    }

    /** The service's command as a list, from the file as written. */
    static List<String> command(JsonNode service) {
        List<String> out = new ArrayList<>();
        service.path("command").forEach(c -> out.add(c.asText()));
        return out;
    }

    /** Container path to host path, from the service's bind mounts (relative to the project). */
    static Map<String, Path> mounts(JsonNode service) {
        Map<String, Path> out = new HashMap<>();
        for (JsonNode v : service.path("volumes")) {
            String[] parts = v.asText().split(":");
            if (parts[0].startsWith("./")) {
                out.put(parts[1], ROOT.resolve(parts[0]).normalize());
            }
        }
        return out;
    }

    @Test
    void theJobArgumentsAreValidAttuneConfiguration() {
        JsonNode services = compose().path("services");
        List<String> cmd = command(services.path("jobmanager"));
        int main = cmd.indexOf("dev.attune.job.Main");
        assertThat(cmd.subList(0, Math.max(main, 0))).containsExactly("standalone-job", "--job-classname");
        String[] args = cmd.subList(main + 1, cmd.size()).toArray(String[]::new);
        // Parse only: the Kafka broker check lives in Main and needs the broker.
        CommandLine cli = CommandLine.parse(args);
        assertThat(cli.command()).isEqualTo("run");
        assertThat(cli.profile()).isEqualTo("kafka");
        assertThat(cli.conf().get(SOURCE_KIND)).hasToString("kafka");
        assertThat(cli.conf().get(SINK_KIND)).hasToString("kafka");
        assertThat(cli.conf().get(KAFKA_BOOTSTRAP)).isEqualTo("kafka:9092");
        assertThat(cli.conf().get(ANALYSIS_MODE)).hasToString("bedrock");
        // LocalBedrock listens on loopback in the taskmanager's network namespace, where the model calls run.
        assertThat(services.path("bedrock").path("network_mode").asText()).isEqualTo("service:taskmanager");
        List<String> bedrock = command(services.path("bedrock"));
        assertThat(bedrock).containsExactly("dev.attune.testing.LocalBedrock", "8099");
        assertThat(cli.conf().get(BEDROCK_ENDPOINT)).isEqualTo("http://127.0.0.1:8099");
        // Checkpoints (the cluster's setting) and the journal on the volume both Flink containers share.
        String flinkProperties = services.path("jobmanager")
                .path("environment")
                .path("FLINK_PROPERTIES")
                .asText();
        assertThat(flinkProperties)
                .contains("execution.checkpointing.dir: file:///flink-data/", "execution.checkpointing.interval: ");
        assertThat(cli.conf().get(ANALYSIS_JOURNAL)).startsWith("/flink-data/");
        // The cluster runs the runtime: the job's arguments set none of Attune's runtime keys.
        assertThat(cli.given())
                .doesNotContain(
                        PARALLELISM.key(), CHECKPOINT_INTERVAL.key(), CHECKPOINT_DIR.key(), STATE_BACKEND.key());
        for (String flink : List.of("jobmanager", "taskmanager")) {
            assertThat(services.path(flink).path("volumes").toString())
                    .contains("flink-data:/flink-data", "./target/attune-cluster.jar:/opt/flink/usrlib/attune.jar:ro");
        }
        // The cluster's parallelism fits the taskmanager's slots.
        assertThat(flinkProperties).contains("taskmanager.numberOfTaskSlots: 2", "parallelism.default: 2");
        System.out.println(
                "jobmanager: attune " + String.join(" ", args) + " -> valid (profile " + cli.profile() + ")");
    }

    @Test
    void theLoaderArgumentsAreValidAttuneConfiguration() {
        JsonNode loader = compose().path("services").path("loader");
        assertThat(loader.path("entrypoint").get(0).asText()).isEqualTo("java");
        List<String> cmd = command(loader);
        assertThat(cmd.subList(0, 2)).containsExactly("-jar", "/opt/attune/attune.jar");
        assertThat(mounts(loader).get("/opt/attune/attune.jar")).isEqualTo(ROOT.resolve("target/attune.jar"));
        Map<String, Path> mounts = mounts(loader);
        List<String> args = new ArrayList<>();
        for (String a : cmd.subList(2, cmd.size())) {
            // Container paths as the host sees them, so input.path is checked against the real fixture.
            args.add(mounts.containsKey(a) ? mounts.get(a).toString() : a);
        }
        assertThat(mounts.get("/data")).isEqualTo(ROOT.resolve("src/test/resources/replay/input"));
        assertThat(Files.isDirectory(mounts.get("/data"))).isTrue();
        CommandLine cli = CommandLine.parse(args.toArray(String[]::new));
        assertThat(cli.command()).isEqualTo("load");
        assertThat(cli.profile()).isEqualTo("kafka");
        assertThat(cli.conf().get(KAFKA_BOOTSTRAP)).isEqualTo("kafka:9092");
        assertThat(cli.conf().get(INPUT_PATH)).isEqualTo(mounts.get("/data").toString());
        System.out.println("loader: attune " + String.join(" ", cmd.subList(2, cmd.size())) + " -> valid");
    }

    @Test
    void kafkaInitCreatesEveryTopicAndPrometheusScrapesBothFlinkProcesses() {
        JsonNode services = compose().path("services");
        String init = services.path("kafka-init").path("command").toString();
        for (String stream : concat(Streams.INPUTS, Streams.OUTPUTS)) {
            assertThat(init).as("kafka-init creates " + stream).containsPattern("\\b" + stream + "\\b");
        }
        String flinkProperties = services.path("jobmanager")
                .path("environment")
                .path("FLINK_PROPERTIES")
                .asText();
        assertThat(flinkProperties)
                .contains(
                        "metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory",
                        "metrics.reporter.prom.port: 9249");
        JsonNode prometheus = yaml(ROOT.resolve("deploy/local/prometheus.yml"));
        assertThat(prometheus.at("/scrape_configs/0/static_configs/0/targets").toString())
                .contains("jobmanager:9249", "taskmanager:9249");
        assertThat(mounts(services.path("prometheus"))).containsKey("/etc/prometheus/prometheus.yml");
        assertThat(Files.isRegularFile(ROOT.resolve("deploy/local/grafana/dashboards/attune.json")))
                .isTrue();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
