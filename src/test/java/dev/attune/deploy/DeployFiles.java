package dev.attune.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The deployment files under test, a YAML reader, and a way to run a command with a time limit. */
final class DeployFiles {
    static final Path ROOT = Path.of("").toAbsolutePath();
    static final Path MSF = ROOT.resolve("deploy/kinesis-analytics");
    static final Path TEMPLATE = MSF.resolve("template.yaml");
    static final Path PARAMETERS = MSF.resolve("parameters.json");
    static final Path DEPLOY_SCRIPT = MSF.resolve("deploy.sh");
    static final Path NODE_MODULES = MSF.resolve("node_modules");
    static final Path COMPOSE = ROOT.resolve("docker-compose.yml");

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    private DeployFiles() {}

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + ROOT.relativize(file), e);
        }
    }

    /** docker-compose.yml with its anchors and aliases resolved (SnakeYAML; Jackson's tree leaves aliases empty). */
    static JsonNode compose() {
        try {
            Object doc = new org.yaml.snakeyaml.Yaml().load(Files.readString(COMPOSE, StandardCharsets.UTF_8));
            return JSON.valueToTree(doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Flink configuration docker-compose.yml gives its JobManager ({@code FLINK_PROPERTIES}), key by key. */
    static Map<String, String> composeFlinkProperties() {
        Map<String, String> flink = new LinkedHashMap<>();
        for (String line : compose()
                .path("services")
                .path("jobmanager")
                .path("environment")
                .path("FLINK_PROPERTIES")
                .asText()
                .split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                flink.put(
                        line.substring(0, colon).strip(),
                        line.substring(colon + 1).strip());
            }
        }
        return flink;
    }

    /** The {@code flinkConfiguration} of deploy/kubernetes/flinkdeployment.yaml. */
    static Map<String, String> kubernetesFlinkConfiguration() {
        Map<String, String> flink = new LinkedHashMap<>();
        yaml(ROOT.resolve("deploy/kubernetes/flinkdeployment.yaml"))
                .path("spec")
                .path("flinkConfiguration")
                .fields()
                .forEachRemaining(e -> flink.put(e.getKey(), e.getValue().asText()));
        return flink;
    }

    static JsonNode template() {
        return yaml(TEMPLATE);
    }

    /** The template's resources of one type, by logical id. */
    static Map<String, JsonNode> resources(JsonNode template, String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        template.get("Resources").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (type.equals(e.getValue().path("Type").asText())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** parameters.json as a map, then the template's defaults for the parameters it leaves out. */
    static Map<String, String> parameterValues(JsonNode template) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (JsonNode p : JSON.readTree(PARAMETERS.toFile())) {
                values.put(
                        p.get("ParameterKey").asText(), p.get("ParameterValue").asText());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        template.get("Parameters").fields().forEachRemaining(e -> {
            if (!values.containsKey(e.getKey()) && e.getValue().has("Default")) {
                values.put(e.getKey(), e.getValue().get("Default").asText());
            }
        });
        return values;
    }

    /**
     * The text of a value with intrinsic functions written out, for comparison: {@code Ref X} is
     * {@code ${X}}, {@code Fn::GetAtt [A, B]} is {@code ${A.B}}, {@code Fn::Sub} is its string (its own
     * variables stay as written), {@code Fn::If} is {@code IF(cond,then,else)}.
     */
    static String render(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        if (v.isValueNode()) {
            return v.asText();
        }
        if (v.isObject() && v.size() == 1) {
            if (v.has("Ref")) {
                return "${" + v.get("Ref").asText() + "}";
            }
            if (v.has("Fn::GetAtt")) {
                JsonNode a = v.get("Fn::GetAtt");
                return a.isArray() ? "${" + a.get(0).asText() + "." + a.get(1).asText() + "}" : "${" + a.asText() + "}";
            }
            if (v.has("Fn::Sub")) {
                JsonNode s = v.get("Fn::Sub");
                return s.isArray() ? s.get(0).asText() : s.asText();
            }
            if (v.has("Fn::If")) {
                JsonNode a = v.get("Fn::If");
                return "IF(" + a.get(0).asText() + "," + render(a.get(1)) + "," + render(a.get(2)) + ")";
            }
        }
        return v.toString();
    }

    /** A value or a list of values as a list of nodes. */
    static List<JsonNode> list(JsonNode v) {
        List<JsonNode> out = new ArrayList<>();
        if (v == null || v.isMissingNode() || v.isNull()) {
            return out;
        }
        if (v.isArray()) {
            v.forEach(out::add);
        } else {
            out.add(v);
        }
        return out;
    }
}
