package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.config.FlinkKeys;
import dev.attune.job.Main;
import dev.attune.job.RuntimeSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes/flinkdeployment.yaml against the Flink Kubernetes Operator's own CRD (its
 * OpenAPI schema, from the operator's API artifact): every field known and of its type; every
 * Flink key one Flink knows; the job's arguments a valid Attune command line that leaves the
 * runtime to the operator; the Flink version the one Attune is built with.
 */
class KubernetesDeploymentTest {
    static final Path EXAMPLE = Path.of("deploy", "kubernetes", "flinkdeployment.yaml");
    static final Path CRD =
            Path.of("target", "flink-operator-crd", "META-INF", "fabric8", "flinkdeployments.flink.apache.org-v1.yml");

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    Map<String, Object> example() throws Exception {
        return map(new Yaml().load(Files.readString(EXAMPLE)));
    }

    @Test
    void everyFieldIsOneTheOperatorsSchemaKnowsWithItsType() throws Exception {
        Map<String, Object> crd = map(new Yaml().load(Files.readString(CRD)));
        Map<String, Object> deployment = example();
        assertThat(deployment.get("apiVersion")).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.get("kind")).isEqualTo("FlinkDeployment");
        Map<String, Object> version = ((List<Object>) map(crd.get("spec")).get("versions"))
                .stream()
                        .map(KubernetesDeploymentTest::map)
                        .filter(v -> "v1beta1".equals(v.get("name")))
                        .findFirst()
                        .orElseThrow();
        Map<String, Object> schema =
                map(map(map(version.get("schema")).get("openAPIV3Schema")).get("properties")).entrySet().stream()
                        .filter(e -> e.getKey().equals("spec"))
                        .map(e -> map(e.getValue()))
                        .findFirst()
                        .orElseThrow();
        List<String> problems = new ArrayList<>();
        check(deployment.get("spec"), schema, "spec", problems);
        assertThat(problems).isEmpty();
    }

    /** A schema walk as the API server's validation does it, strict about unknown fields (which it would prune). */
    static void check(Object value, Map<String, Object> schema, String path, List<String> problems) {
        String type = (String) schema.get("type");
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
                && !schema.containsKey("properties")) {
            return;
        }
        if (schema.containsKey("enum") && !((List<?>) schema.get("enum")).contains(value)) {
            problems.add(path + ": '" + value + "' is not one of " + schema.get("enum"));
        }
        switch (type == null ? "" : type) {
            case "object" -> {
                if (!(value instanceof Map<?, ?> m)) {
                    problems.add(path + ": an object expected");
                    return;
                }
                Map<String, Object> properties =
                        schema.containsKey("properties") ? map(schema.get("properties")) : Map.of();
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    if (properties.containsKey(key)) {
                        check(e.getValue(), map(properties.get(key)), path + "." + key, problems);
                    } else if (schema.get("additionalProperties") instanceof Map<?, ?> additional) {
                        check(e.getValue(), map(additional), path + "." + key, problems);
                    } else {
                        problems.add(path + "." + key + ": not a field of the operator's schema");
                    }
                }
                if (schema.get("required") instanceof List<?> required) {
                    required.stream()
                            .filter(r -> !m.containsKey(r))
                            .forEach(r -> problems.add(path + "." + r + ": required"));
                }
            }
            case "array" -> {
                if (!(value instanceof List<?> l)) {
                    problems.add(path + ": an array expected");
                    return;
                }
                for (int i = 0; i < l.size(); i++) {
                    check(l.get(i), map(schema.get("items")), path + "[" + i + "]", problems);
                }
            }
            case "string" -> {
                if (!(value instanceof String)) {
                    problems.add(path + ": a string expected (quote it), got " + value);
                }
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    problems.add(path + ": an integer expected, got " + value);
                }
            }
            case "number" -> {
                if (!(value instanceof Number)) {
                    problems.add(path + ": a number expected, got " + value);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    problems.add(path + ": true or false expected, got " + value);
                }
            }
            default -> {}
        }
    }

    @Test
    void theFlinkKeysAreFlinksAndTheVersionIsTheBuilds() throws Exception {
        Map<String, Object> spec = map(example().get("spec"));
        Map<String, Object> flinkConf = map(spec.get("flinkConfiguration"));
        assertThat(flinkConf.keySet()).allMatch(FlinkKeys::isFlinkKey, "a key Flink knows");
        Matcher m = Pattern.compile("<flink.version>1\\.(\\d+)\\.\\d+</flink.version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertThat(m.find()).isTrue();
        assertThat(spec.get("flinkVersion")).isEqualTo("v1_" + m.group(1));
        // savepoint upgrades need a savepoint folder, and a JobManager that can fail over needs HA.
        assertThat(flinkConf)
                .containsKeys(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.type",
                        "high-availability.storageDir");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theJobIsAttunesMainInUsrlibAndLeavesTheRuntimeToTheOperator() throws Exception {
        Map<String, Object> spec = map(example().get("spec"));
        Map<String, Object> job = map(spec.get("job"));
        assertThat(job.get("entryClass")).isEqualTo(Main.class.getName());
        assertThat(job.get("jarURI")).isEqualTo("local:///opt/flink/usrlib/attune.jar");
        assertThat(job.get("upgradeMode")).isEqualTo("savepoint");
        CommandLine cli = CommandLine.parse(
                ((List<Object>) job.get("args")).stream().map(String::valueOf).toArray(String[]::new));
        assertThat(cli.given()).doesNotContain("parallelism", "checkpoint.interval", "checkpoint.dir", "state.backend");
        Configuration cluster = new Configuration();
        map(spec.get("flinkConfiguration")).forEach((k, v) -> cluster.setString(k, String.valueOf(v)));
        RuntimeSettings settings = RuntimeSettings.plan(cli.conf(), cli.given(), true, cluster, null);
        assertThat(settings.parallelism()).isNull();
        assertThat(settings.flink().toMap()).isEmpty();
        assertThat(settings.notes()).containsExactly("parallelism: the cluster's");
    }
}
