package dev.attune.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.File;
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
import java.util.concurrent.TimeUnit;

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

    static JsonNode template() {
        return yaml(TEMPLATE);
    }

    /** The template's resources of one type, by logical id. */
    static Map<String, JsonNode> resources(JsonNode template, String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = template.get("Resources").fields(); it.hasNext(); ) {
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
                values.put(p.get("ParameterKey").asText(), p.get("ParameterValue").asText());
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

    /** A finished command: exit code and everything it printed. */
    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + (stderr.isEmpty() ? "" : "\n" + stderr);
        }
    }

    /** Runs a command in {@code dir} with {@code env} changes; fails the test when it takes longer than {@code seconds}. */
    static Result run(Path dir, Map<String, String> env, long seconds, List<String> command) {
        try {
            File out = File.createTempFile("attune-deploy-test", ".out");
            File err = File.createTempFile("attune-deploy-test", ".err");
            out.deleteOnExit();
            err.deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile())
                    .redirectOutput(out).redirectError(err).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            env.forEach((k, v) -> { // a null value removes the variable
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An executable on the PATH, or null. */
    static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
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
