package dev.attune.deploy;

import static dev.attune.config.AttuneOptions.*;
import static dev.attune.deploy.DeployFiles.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.config.ApplicationProperties;
import dev.attune.config.AttuneOptions;
import dev.attune.config.CommandLine;
import dev.attune.contract.Streams;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * Every key in the template's property groups is an Attune configuration key, and the groups, filled in with
 * the example parameters, pass the same validation Managed Flink start-up runs
 * ({@link ApplicationProperties#fromGroups}).
 */
class PropertyGroupKeysTest {
    static final String ACCOUNT = "123456789012";
    static final String REGION = "eu-west-1";

    /** Property group id to its PropertyMap, over every Managed Flink application in the template. */
    static Map<String, JsonNode> groups(JsonNode template) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode app :
                resources(template, "AWS::KinesisAnalyticsV2::Application").values()) {
            for (JsonNode g : app.path("Properties")
                    .path("ApplicationConfiguration")
                    .path("EnvironmentProperties")
                    .path("PropertyGroups")) {
                JsonNode previous = out.put(g.path("PropertyGroupId").asText(), g.path("PropertyMap"));
                assertThat(previous).as("property group ids are unique").isNull();
            }
        }
        return out;
    }

    static boolean known(String key, Set<String> keys) {
        return "profile".equals(key)
                || keys.contains(key)
                || key.startsWith(FLINK_PREFIX)
                || key.startsWith(KAFKA_CLIENT_PREFIX)
                || key.startsWith(KINESIS_CLIENT_PREFIX);
    }

    @Test
    void everyPropertyGroupKeyIsAnAttuneKey() {
        Set<String> keys = AttuneOptions.all().stream().map(ConfigOption::key).collect(Collectors.toSet());
        Map<String, JsonNode> groups = groups(template());
        assertThat(groups).containsKeys("AttuneJob", "AttuneKinesis", "AttuneAnalysis", "AttunePolicy");
        List<String> unknown = new ArrayList<>();
        Map<String, String> groupOf = new TreeMap<>();
        groups.forEach((group, map) -> map.fieldNames().forEachRemaining(k -> {
            if (!known(k, keys)) {
                unknown.add(group + "/" + k);
            }
            String other = groupOf.put(k, group);
            assertThat(other)
                    .as(k + " is set in one group only (also in " + other + ")")
                    .isNull();
        }));
        assertThat(unknown)
                .as("property keys that are no Attune configuration key")
                .isEmpty();
        System.out.println("Property groups: " + groupOf);
    }

    @Test
    void managedFlinkOwnsParallelismCheckpointsAndEndpoints() {
        // Managed Flink sets parallelism (ParallelismConfiguration) and checkpointing (CheckpointConfiguration);
        // endpoint overrides are for local servers only.
        Set<String> notInTheCloud = Set.of(
                PARALLELISM.key(),
                CHECKPOINT_INTERVAL.key(),
                CHECKPOINT_DIR.key(),
                KINESIS_ENDPOINT.key(),
                BEDROCK_ENDPOINT.key(),
                STATE_BACKEND.key());
        groups(template())
                .forEach((group, map) -> map.fieldNames()
                        .forEachRemaining(k ->
                                assertThat(notInTheCloud).as(group + "/" + k).doesNotContain(k)));
    }

    @Test
    void theExampleGroupsPassManagedFlinkStartUpValidation() {
        JsonNode template = template();
        Evaluator eval = new Evaluator(template, parameterValues(template));
        Map<String, Properties> groups = new TreeMap<>();
        groups(template).forEach((group, map) -> {
            Properties p = new Properties();
            map.fields().forEachRemaining(e -> p.setProperty(e.getKey(), eval.value(e.getValue())));
            groups.put(group, p);
        });
        CommandLine cli;
        try {
            cli = ApplicationProperties.fromGroups(groups);
        } catch (RuntimeException e) {
            fail(
                    "the template's property groups (example parameters) do not start: " + e.getMessage() + "\n"
                            + groups,
                    e);
            return;
        }
        assertThat(cli.profile()).isEqualTo("kinesis");
        assertThat(cli.conf().get(SOURCE_KIND)).hasToString("kinesis");
        assertThat(cli.conf().get(SINK_KIND)).hasToString("kinesis");
        assertThat(cli.conf().get(KINESIS_REGION)).isEqualTo(REGION);
        assertThat(cli.conf().get(ANALYSIS_MODE)).hasToString("bedrock");
        assertThat(cli.conf().get(ANALYSIS_JOURNAL)).startsWith("s3://").endsWith("/journal");
        for (String stream : Streams.INPUTS) {
            assertThat(cli.conf().get(kinesisStream(stream)))
                    .isEqualTo("arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/attune-" + stream);
        }
        for (String stream : Streams.OUTPUTS) {
            assertThat(cli.conf().get(kinesisStream(stream))).endsWith(":stream/attune-" + stream);
        }
        System.out.println("Example property groups validate: " + groups);
    }

    /** Intrinsic functions with example values: parameters, the stack's region and account, made-up names. */
    static final class Evaluator {
        final JsonNode template;
        final Map<String, String> parameters;

        Evaluator(JsonNode template, Map<String, String> parameters) {
            this.template = template;
            this.parameters = parameters;
        }

        String value(JsonNode v) {
            if (v.isValueNode()) {
                return v.asText();
            }
            if (v.has("Ref")) {
                return ref(v.get("Ref").asText());
            }
            if (v.has("Fn::GetAtt")) {
                return getAtt(
                        v.get("Fn::GetAtt").get(0).asText(),
                        v.get("Fn::GetAtt").get(1).asText());
            }
            if (v.has("Fn::Sub")) {
                JsonNode s = v.get("Fn::Sub");
                Map<String, String> vars = new LinkedHashMap<>();
                if (s.isArray()) {
                    s.get(1).fields().forEachRemaining(e -> vars.put(e.getKey(), value(e.getValue())));
                }
                String text = s.isArray() ? s.get(0).asText() : s.asText();
                Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(text);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1);
                    String r = vars.containsKey(name)
                            ? vars.get(name)
                            : name.contains(".") && !name.startsWith("AWS::")
                                    ? getAtt(
                                            name.substring(0, name.indexOf('.')), name.substring(name.indexOf('.') + 1))
                                    : ref(name);
                    m.appendReplacement(out, Matcher.quoteReplacement(r));
                }
                m.appendTail(out);
                return out.toString();
            }
            if (v.has("Fn::If")) {
                JsonNode a = v.get("Fn::If");
                return condition(a.get(0).asText()) ? value(a.get(1)) : value(a.get(2));
            }
            throw new AssertionError("no example value for " + v);
        }

        boolean condition(String name) {
            return truth(template.path("Conditions").path(name));
        }

        boolean truth(JsonNode c) {
            if (c.has("Fn::Not")) {
                return !truth(c.get("Fn::Not").get(0));
            }
            if (c.has("Fn::Equals")) {
                return value(c.get("Fn::Equals").get(0))
                        .equals(value(c.get("Fn::Equals").get(1)));
            }
            if (c.has("Condition")) {
                return condition(c.get("Condition").asText());
            }
            throw new AssertionError("no example value for condition " + c);
        }

        String ref(String name) {
            switch (name) {
                case "AWS::Region":
                    return REGION;
                case "AWS::AccountId":
                    return ACCOUNT;
                case "AWS::Partition":
                    return "aws";
                default:
                    break;
            }
            if (parameters.containsKey(name)) {
                return parameters.get(name);
            }
            if (name.equals("CodeKey")) {
                return "attune/attune-cluster-0123456789ab.jar";
            }
            JsonNode r = template.path("Resources").path(name);
            if (r.isMissingNode()) {
                throw new AssertionError("Ref to nothing: " + name);
            }
            JsonNode props = r.path("Properties");
            for (String named : List.of("Name", "ApplicationName", "LogGroupName", "LogStreamName", "BucketName")) {
                if (props.has(named)) {
                    return value(props.get(named));
                }
            }
            return ("attune-" + name + "-example").toLowerCase();
        }

        String getAtt(String resource, String attribute) {
            JsonNode r = template.path("Resources").path(resource);
            String type = r.path("Type").asText();
            if (type.equals("AWS::Kinesis::Stream") && attribute.equals("Arn")) {
                return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + ref(resource);
            }
            if (type.equals("AWS::S3::Bucket") && attribute.equals("Arn")) {
                return "arn:aws:s3:::" + ref(resource);
            }
            return "arn:aws:example:" + REGION + ":" + ACCOUNT + ":" + resource + "/" + attribute;
        }
    }

    @Test
    void theEvaluatorKnowsEveryIntrinsicInThePropertyGroups() {
        // A guard for the test above: every value is a plain string or one of the functions it evaluates.
        JsonNode template = template();
        List<String> others = new ArrayList<>();
        groups(template).forEach((group, map) -> {
            for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (!v.isValueNode()
                        && !(v.isObject()
                                && v.size() == 1
                                && Set.of("Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If")
                                        .contains(v.fieldNames().next()))) {
                    others.add(group + "/" + e.getKey() + " = " + v);
                }
            }
        });
        assertThat(others).isEmpty();
    }
}
