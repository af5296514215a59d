package dev.attune.deploy;

import static dev.attune.deploy.DeployFiles.*;
import static dev.attune.testing.Commands.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/kinesis-analytics/template.yaml is a valid CloudFormation template: cfn-lint (npm, pinned) run with
 * the current CloudFormation resource specification (npm @aws-cdk/cfnspec, pinned), an independent check of
 * every resource and property against that specification here, and the dashboard body is JSON. Both npm
 * packages come from {@code npm ci --prefix deploy/kinesis-analytics}, which the build runs.
 */
class TemplateLintTest {
    static final Path SPEC = NODE_MODULES.resolve("@aws-cdk/cfnspec/spec/specification.json");

    static void requireNodeModules() {
        if (!Files.isDirectory(NODE_MODULES.resolve("cfn-lint")) || !Files.isRegularFile(SPEC)) {
            fail(ROOT.relativize(NODE_MODULES)
                    + " lacks cfn-lint or @aws-cdk/cfnspec: run `mvn generate-test-resources` "
                    + "(it runs `npm ci --prefix deploy/kinesis-analytics`) with Node.js and npm installed.");
        }
    }

    @Test
    void cfnLintFindsNoProblem() {
        requireNodeModules();
        Path node = onPath("node");
        assertThat(node).as("node on the PATH (cfn-lint runs on Node.js)").isNotNull();
        Result r =
                run(MSF, Map.of(), 60, List.of(node.toString(), "lint.js", TEMPLATE.toString(), PARAMETERS.toString()));
        System.out.println(r.all().strip());
        if (r.exit() != 0) {
            fail("cfn-lint rejects " + ROOT.relativize(TEMPLATE) + ":\n" + r.all());
        }
        assertThat(r.stdout()).contains("templateValid: true; 0 crit");
    }

    @Test
    void theTemplateUsesLongFormIntrinsicsOnly() throws IOException {
        // Short-form tags (!Ref, !Sub, ...) would be read as plain strings by a YAML parser without
        // CloudFormation's schema, so every other test here would check something else than AWS reads.
        List<String> tagged = new ArrayList<>();
        List<String> lines = Files.readAllLines(TEMPLATE);
        Pattern tag = Pattern.compile("(^|[\\s\\[{,:-])!(Ref|Sub|GetAtt|If|Join|Select|Split|Equals|Not|And|Or"
                + "|FindInMap|ImportValue|Base64|Cidr|GetAZs|Condition|Transform)\\b");
        for (int i = 0; i < lines.size(); i++) {
            if (tag.matcher(lines.get(i).replaceAll("\\s#.*$", "")).find()) {
                tagged.add((i + 1) + ": " + lines.get(i).strip());
            }
        }
        assertThat(tagged).as("lines with short-form intrinsic tags").isEmpty();
    }

    @Test
    void everyResourceAndPropertyIsInTheResourceSpecification() throws IOException {
        requireNodeModules();
        JsonNode spec = JSON.readTree(SPEC.toFile());
        JsonNode template = template();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it =
                        template.get("Resources").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> r = it.next();
            String type = r.getValue().path("Type").asText();
            JsonNode typeSpec = spec.path("ResourceTypes").path(type);
            if (typeSpec.isMissingNode()) {
                problems.add(r.getKey() + ": no resource type " + type);
                continue;
            }
            checkProperties(spec, type, typeSpec, r.getValue().path("Properties"), r.getKey(), problems);
        }
        System.out.println("Resource specification "
                + spec.path("ResourceSpecificationVersion").asText() + ": "
                + template.get("Resources").size() + " resources checked, " + problems.size() + " problems");
        assertThat(problems)
                .as("template resources against the CloudFormation resource specification")
                .isEmpty();
    }

    /** Known properties, required ones present, literal values of the right kind; intrinsics are trusted here. */
    static void checkProperties(
            JsonNode spec, String type, JsonNode typeSpec, JsonNode props, String where, List<String> problems) {
        JsonNode known = typeSpec.path("Properties");
        if (isIntrinsic(props)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = known.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> k = it.next();
            if (k.getValue().path("Required").asBoolean() && !props.has(k.getKey())) {
                problems.add(where + ": required property " + k.getKey() + " of " + type + " missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode ps = known.path(p.getKey());
            String at = where + "." + p.getKey();
            if (ps.isMissingNode()) {
                problems.add(at + ": " + p.getKey() + " is not a property of " + type);
                continue;
            }
            checkValue(spec, type, ps, p.getValue(), at, problems);
        }
    }

    static void checkValue(JsonNode spec, String ownerType, JsonNode ps, JsonNode v, String at, List<String> problems) {
        if (isIntrinsic(v)) {
            return;
        }
        String resource = ownerType.contains(".") ? ownerType.substring(0, ownerType.indexOf('.')) : ownerType;
        if (ps.has("PrimitiveType")) {
            checkPrimitive(ps.get("PrimitiveType").asText(), v, at, problems);
        } else if ("List".equals(ps.path("Type").asText())) {
            if (!v.isArray()) {
                problems.add(at + ": expected a list");
                return;
            }
            int i = 0;
            for (JsonNode item : v) {
                String itemAt = at + "[" + i++ + "]";
                if (ps.has("PrimitiveItemType")) {
                    if (!isIntrinsic(item)) {
                        checkPrimitive(ps.get("PrimitiveItemType").asText(), item, itemAt, problems);
                    }
                } else {
                    checkStruct(spec, resource, ps.get("ItemType").asText(), item, itemAt, problems);
                }
            }
        } else if ("Map".equals(ps.path("Type").asText())) {
            if (!v.isObject()) {
                problems.add(at + ": expected a map");
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (ps.has("PrimitiveItemType")) {
                    if (!isIntrinsic(e.getValue())) {
                        checkPrimitive(
                                ps.get("PrimitiveItemType").asText(), e.getValue(), at + "." + e.getKey(), problems);
                    }
                } else {
                    checkStruct(
                            spec, resource, ps.get("ItemType").asText(), e.getValue(), at + "." + e.getKey(), problems);
                }
            }
        } else {
            checkStruct(spec, resource, ps.path("Type").asText(), v, at, problems);
        }
    }

    static void checkStruct(
            JsonNode spec, String resource, String typeName, JsonNode v, String at, List<String> problems) {
        if (isIntrinsic(v)) {
            return;
        }
        String full = "Tag".equals(typeName) ? "Tag" : resource + "." + typeName;
        JsonNode typeSpec = spec.path("PropertyTypes").path(full);
        if (typeSpec.isMissingNode()) {
            problems.add(at + ": no property type " + full + " in the specification");
            return;
        }
        if (!v.isObject()) {
            problems.add(at + ": expected a " + full + " object");
            return;
        }
        checkProperties(spec, full, typeSpec, v, at, problems);
    }

    static void checkPrimitive(String primitive, JsonNode v, String at, List<String> problems) {
        boolean ok = switch (primitive) {
            case "String" -> v.isValueNode();
            case "Integer", "Long" ->
                v.isIntegralNumber() || (v.isTextual() && v.asText().matches("-?\\d+"));
            case "Double" -> v.isNumber() || (v.isTextual() && v.asText().matches("-?\\d+(\\.\\d+)?"));
            case "Boolean" -> v.isBoolean() || (v.isTextual() && v.asText().matches("true|false"));
            case "Json" -> v.isObject() || v.isTextual();
            case "Timestamp" -> v.isTextual();
            default -> true;
        };
        if (!ok) {
            problems.add(at + ": " + v + " is not a " + primitive);
        }
    }

    static boolean isIntrinsic(JsonNode v) {
        if (v == null || !v.isObject() || v.size() != 1) {
            return false;
        }
        String k = v.fieldNames().next();
        return "Ref".equals(k) || k.startsWith("Fn::");
    }

    /** Enumerated values from the service APIs; neither specification nor cfn-lint 1.9.7 checks them. */
    static final Map<String, Set<String>> ENUMS = Map.of(
            "RuntimeEnvironment", Set.of("FLINK-1_20"),
            "CodeContentType", Set.of("ZIPFILE", "PLAINTEXT"),
            "ConfigurationType", Set.of("DEFAULT", "CUSTOM"),
            "MetricsLevel", Set.of("APPLICATION", "TASK", "OPERATOR", "PARALLELISM"),
            "LogLevel", Set.of("DEBUG", "INFO", "WARN", "ERROR"),
            "ApplicationRestoreType",
                    Set.of(
                            "SKIP_RESTORE_FROM_SNAPSHOT",
                            "RESTORE_FROM_LATEST_SNAPSHOT",
                            "RESTORE_FROM_CUSTOM_SNAPSHOT"),
            "ComparisonOperator",
                    Set.of(
                            "GreaterThanOrEqualToThreshold",
                            "GreaterThanThreshold",
                            "LessThanThreshold",
                            "LessThanOrEqualToThreshold",
                            "LessThanLowerOrGreaterThanUpperThreshold",
                            "LessThanLowerThreshold",
                            "GreaterThanUpperThreshold"),
            "TreatMissingData", Set.of("breaching", "notBreaching", "ignore", "missing"),
            "Statistic", Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum"),
            "Stat", Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum"));

    @Test
    void enumeratedValuesAreOnesTheServicesAccept() {
        JsonNode template = template();
        List<String> problems = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        walk(template.get("Resources"), "Resources", (path, field, value) -> {
            Set<String> allowed = ENUMS.get(field);
            if (allowed == null) {
                return;
            }
            List<String> values = new ArrayList<>();
            if (value.isTextual()) {
                values.add(value.asText());
            } else if (value.has("Ref")
                    && template.get("Parameters").has(value.get("Ref").asText())) {
                JsonNode p = template.get("Parameters").get(value.get("Ref").asText());
                assertThat(p.has("AllowedValues"))
                        .as(path + ": parameter " + value.get("Ref") + " needs AllowedValues")
                        .isTrue();
                p.get("AllowedValues").forEach(a -> values.add(a.asText()));
            } else {
                problems.add(path + ": " + value + " cannot be checked");
            }
            for (String v : values) {
                seen.add(field);
                if (!allowed.contains(v)) {
                    problems.add(path + ": '" + v + "' is not one of " + new TreeSet<>(allowed));
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(seen).contains("RuntimeEnvironment", "MetricsLevel", "ComparisonOperator", "TreatMissingData");
    }

    interface Visitor {
        void field(String path, String name, JsonNode value);
    }

    static void walk(JsonNode node, String path, Visitor visitor) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                visitor.field(path + "." + e.getKey(), e.getKey(), e.getValue());
                walk(e.getValue(), path + "." + e.getKey(), visitor);
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), path + "[" + i + "]", visitor);
            }
        }
    }

    @Test
    void theDashboardBodyIsJsonAndShowsEveryAlarm() throws IOException {
        JsonNode template = template();
        Map<String, JsonNode> dashboards = resources(template, "AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        JsonNode sub = dashboards
                .values()
                .iterator()
                .next()
                .path("Properties")
                .path("DashboardBody")
                .path("Fn::Sub");
        String body = sub.isArray() ? sub.get(0).asText() : sub.asText();
        Set<String> variables = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([^}!]+)}").matcher(body);
        while (m.find()) {
            variables.add(m.group(1));
        }
        JsonNode dashboard = JSON.readTree(body.replaceAll("\\$\\{[^}]+}", "x"));
        assertThat(dashboard.path("widgets")).isNotEmpty();
        Set<String> alarms = resources(template, "AWS::CloudWatch::Alarm").keySet();
        for (String alarm : alarms) {
            assertThat(variables)
                    .as("the dashboard's alarm widget lists " + alarm)
                    .contains(alarm + ".Arn");
        }
        for (String v : variables) {
            String name = v.contains(".") ? v.substring(0, v.indexOf('.')) : v;
            boolean known = v.startsWith("AWS::")
                    || template.get("Resources").has(name)
                    || template.get("Parameters").has(name)
                    || (sub.isArray() && sub.get(1).has(name));
            assertThat(known)
                    .as("dashboard variable ${" + v + "} names a parameter, resource or Fn::Sub variable")
                    .isTrue();
        }
    }
}
