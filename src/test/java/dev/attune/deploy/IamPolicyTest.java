package dev.attune.deploy;

import static dev.attune.deploy.DeployFiles.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Streams;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The application's role is least privilege: no wildcard action, no wildcard resource beyond the two listed
 * below, read on the input streams only, write on the output streams only, the configured model only, the
 * journal's prefix only, its own log group only, and nothing else.
 */
class IamPolicyTest {
    /**
     * The only resources with a wildcard in them, and why. Nothing is granted on "*".
     */
    static final Map<String, String> ALLOWED_WILDCARD_RESOURCES = Map.of(
            "${JournalBucket.Arn}/${JournalPrefix}/*",
            "the journal writes one new object per parallel instance and reads all of them, under its prefix only",
            "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroup}:log-stream:*",
            "logs:DescribeLogStreams lists the streams of the application's own log group");

    static final Map<String, String> INPUT_STREAMS = Map.of(
            "UserEventsStream", Streams.USER_EVENTS,
            "EngagementEventsStream", Streams.ENGAGEMENT_EVENTS,
            "CampaignRequestsStream", Streams.CAMPAIGN_REQUESTS);
    static final Map<String, String> OUTPUT_STREAMS = Map.of(
            "InterventionsStream", Streams.INTERVENTIONS,
            "CampaignSendsStream", Streams.CAMPAIGN_SENDS,
            "SuppressionsStream", Streams.SUPPRESSIONS,
            "DeadLetterStream", Streams.DEAD_LETTER,
            "CampaignSummariesStream", Streams.CAMPAIGN_SUMMARIES);
    static final Set<String> KINESIS_READ = Set.of(
            "kinesis:DescribeStream",
            "kinesis:DescribeStreamSummary",
            "kinesis:GetRecords",
            "kinesis:GetShardIterator",
            "kinesis:ListShards",
            "kinesis:SubscribeToShard",
            "kinesis:DescribeStreamConsumer",
            "kinesis:RegisterStreamConsumer");
    static final Set<String> KINESIS_WRITE = Set.of("kinesis:PutRecord", "kinesis:PutRecords");

    static JsonNode template;
    /** Every Allow statement of the role's inline policies, by Sid. */
    static Map<String, JsonNode> statements;

    @BeforeAll
    static void read() {
        template = template();
        Map<String, JsonNode> roles = resources(template, "AWS::IAM::Role");
        assertThat(roles).as("the template's roles").containsOnlyKeys("ApplicationRole");
        assertThat(resources(template, "AWS::IAM::Policy")).isEmpty();
        assertThat(resources(template, "AWS::IAM::ManagedPolicy")).isEmpty();
        JsonNode role = roles.get("ApplicationRole").path("Properties");
        assertThat(role.has("ManagedPolicyArns"))
                .as("no managed policies on the role")
                .isFalse();
        statements = new LinkedHashMap<>();
        for (JsonNode policy : role.path("Policies")) {
            for (JsonNode s : list(policy.path("PolicyDocument").path("Statement"))) {
                assertThat(s.path("Effect").asText()).isEqualTo("Allow");
                assertThat(s.path("Sid").asText())
                        .as("every statement has a Sid")
                        .isNotEmpty();
                statements.put(s.path("Sid").asText(), s);
            }
        }
        assertThat(statements).isNotEmpty();
    }

    static List<String> actions(JsonNode s) {
        return list(s.path("Action")).stream().map(JsonNode::asText).toList();
    }

    static List<String> resourcesOf(JsonNode s) {
        return list(s.path("Resource")).stream().map(DeployFiles::render).toList();
    }

    @Test
    void noWildcardActionAndNoWildcardResourceBeyondTheListedOnes() {
        List<String> problems = new ArrayList<>();
        // Allow statements of every policy in the template (the bucket policy's Deny of s3:* is a guard).
        List<JsonNode> allows = new ArrayList<>(statements.values());
        resources(template, "AWS::S3::BucketPolicy")
                .values()
                .forEach(bp -> list(bp.path("Properties").path("PolicyDocument").path("Statement")).stream()
                        .filter(s -> !"Deny".equals(s.path("Effect").asText()))
                        .forEach(allows::add));
        for (JsonNode s : allows) {
            String sid = s.path("Sid").asText();
            if (s.has("NotAction") || s.has("NotResource") || s.has("NotPrincipal")) {
                problems.add(sid + ": NotAction, NotResource or NotPrincipal");
            }
            for (String a : actions(s)) {
                if (a.contains("*") || a.contains("?")) {
                    problems.add(sid + ": wildcard action " + a);
                }
            }
            for (String r : resourcesOf(s)) {
                if (r.equals("*")) {
                    problems.add(sid + ": Resource \"*\"");
                } else if (r.contains("*") && !ALLOWED_WILDCARD_RESOURCES.containsKey(r)) {
                    problems.add(sid + ": wildcard resource " + r + " (not in ALLOWED_WILDCARD_RESOURCES)");
                }
            }
            if (resourcesOf(s).isEmpty()) {
                problems.add(sid + ": no Resource");
            }
        }
        assertThat(problems).isEmpty();
        System.out.println("IAM: " + statements.size() + " Allow statements, no wildcard action; wildcard resources: "
                + ALLOWED_WILDCARD_RESOURCES);
    }

    @Test
    void onlyTheServicesAttuneUses() {
        Set<String> granted = new TreeSet<>();
        statements.values().forEach(s -> granted.addAll(actions(s)));
        assertThat(granted)
                .allMatch(a -> a.matches("(kinesis|bedrock|s3|logs):[A-Za-z]+"), "kinesis, bedrock, s3 and logs only");
        assertThat(granted)
                .as("no metrics, role passing or key use")
                .noneMatch(a -> a.startsWith("cloudwatch:")
                        || a.startsWith("iam:")
                        || a.startsWith("kms:")
                        || a.startsWith("sts:"));
        System.out.println("IAM actions granted: " + granted);
    }

    @Test
    void readsOnlyTheInputStreamsAndWritesOnlyTheOutputStreams() {
        Map<String, Set<String>> streamsByAction = new TreeMap<>();
        for (JsonNode s : statements.values()) {
            for (String a : actions(s)) {
                if (a.startsWith("kinesis:")) {
                    for (JsonNode r : list(s.path("Resource"))) {
                        assertThat(r.has("Fn::GetAtt"))
                                .as(a + " on a stream of this template (Fn::GetAtt Arn), got " + r)
                                .isTrue();
                        assertThat(r.get("Fn::GetAtt").get(1).asText()).isEqualTo("Arn");
                        streamsByAction
                                .computeIfAbsent(a, x -> new TreeSet<>())
                                .add(r.get("Fn::GetAtt").get(0).asText());
                    }
                }
            }
        }
        assertThat(streamsByAction.keySet())
                .allMatch(a -> KINESIS_READ.contains(a)
                        || KINESIS_WRITE.contains(a)
                        || a.equals("kinesis:DescribeStreamSummary")
                        || a.equals("kinesis:ListShards"));
        for (String read : List.of("kinesis:GetRecords", "kinesis:GetShardIterator")) {
            assertThat(streamsByAction.get(read)).as(read).isEqualTo(new TreeSet<>(INPUT_STREAMS.keySet()));
        }
        for (String write : KINESIS_WRITE) {
            assertThat(streamsByAction.get(write)).as(write).isEqualTo(new TreeSet<>(OUTPUT_STREAMS.keySet()));
        }
        streamsByAction.forEach((action, streams) -> {
            if (KINESIS_READ.contains(action)
                    && !action.equals("kinesis:DescribeStreamSummary")
                    && !action.equals("kinesis:ListShards")) {
                assertThat(streams).as(action + " only on input streams").isSubsetOf(INPUT_STREAMS.keySet());
            }
        });
        // The logical ids are the CONTRACT.md streams.
        Map<String, JsonNode> kinesis = resources(template, "AWS::Kinesis::Stream");
        Map<String, String> names = new TreeMap<>();
        kinesis.forEach((id, r) -> names.put(id, render(r.path("Properties").path("Name"))));
        Map<String, String> expected = new TreeMap<>();
        INPUT_STREAMS.forEach((id, stream) -> expected.put(id, "${StreamNamePrefix}" + stream));
        OUTPUT_STREAMS.forEach((id, stream) -> expected.put(id, "${StreamNamePrefix}" + stream));
        assertThat(names).isEqualTo(expected);
    }

    @Test
    void invokesOnlyTheConfiguredModel() {
        List<JsonNode> bedrock = statements.values().stream()
                .filter(s -> actions(s).stream().anyMatch(a -> a.startsWith("bedrock:")))
                .toList();
        assertThat(bedrock).hasSize(1);
        assertThat(actions(bedrock.get(0))).containsExactly("bedrock:InvokeModel");
        assertThat(resourcesOf(bedrock.get(0)))
                .containsExactly("arn:${AWS::Partition}:bedrock:${ModelRegion}::foundation-model/${BedrockModelId}");
        JsonNode vars =
                list(bedrock.get(0).path("Resource")).get(0).get("Fn::Sub").get(1);
        assertThat(render(vars.get("ModelRegion"))).isEqualTo("IF(HasBedrockRegion,${BedrockRegion},${AWS::Region})");
        // The same region and model as the application's bedrock.* properties.
        JsonNode analysis = PropertyGroupKeysTest.groups(template).get("AttuneAnalysis");
        assertThat(render(analysis.get("bedrock.region"))).isEqualTo(render(vars.get("ModelRegion")));
        assertThat(render(analysis.get("bedrock.model-id"))).isEqualTo("${BedrockModelId}");
    }

    @Test
    void s3OnlyOnTheJournalPrefixAndTheCodeObject() {
        Map<String, List<String>> s3 = new TreeMap<>();
        for (JsonNode s : statements.values()) {
            for (String a : actions(s)) {
                if (a.startsWith("s3:")) {
                    s3.computeIfAbsent(a, x -> new ArrayList<>()).addAll(resourcesOf(s));
                }
            }
        }
        String journal = "${JournalBucket.Arn}/${JournalPrefix}/*";
        String code = "arn:${AWS::Partition}:s3:::${CodeBucket}/${CodeKey}";
        assertThat(s3.get("s3:PutObject")).containsExactly(journal);
        assertThat(s3.get("s3:AbortMultipartUpload")).containsExactly(journal);
        assertThat(s3.get("s3:GetObject")).containsExactlyInAnyOrder(journal, code);
        assertThat(s3.get("s3:GetObjectVersion")).containsExactly(code);
        assertThat(s3.get("s3:ListBucket")).containsExactly("${JournalBucket.Arn}");
        assertThat(s3.keySet())
                .containsExactlyInAnyOrder(
                        "s3:PutObject",
                        "s3:AbortMultipartUpload",
                        "s3:GetObject",
                        "s3:GetObjectVersion",
                        "s3:ListBucket");
        JsonNode list = statements.values().stream()
                .filter(s -> actions(s).contains("s3:ListBucket"))
                .findFirst()
                .orElseThrow();
        List<String> prefixes = list(list.path("Condition").path("StringLike").path("s3:prefix")).stream()
                .map(DeployFiles::render)
                .toList();
        assertThat(prefixes)
                .as("listing limited to the journal prefix")
                .containsExactlyInAnyOrder("${JournalPrefix}", "${JournalPrefix}/*");
        // The journal the job writes is exactly that prefix.
        JsonNode analysis = PropertyGroupKeysTest.groups(template).get("AttuneAnalysis");
        assertThat(render(analysis.get("analysis.journal.path"))).isEqualTo("s3://${JournalBucket}/${JournalPrefix}");
    }

    @Test
    void logsOnlyToItsOwnLogGroup() {
        String group = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroup}";
        Map<String, List<String>> logs = new TreeMap<>();
        for (JsonNode s : statements.values()) {
            for (String a : actions(s)) {
                if (a.startsWith("logs:")) {
                    logs.computeIfAbsent(a, x -> new ArrayList<>()).addAll(resourcesOf(s));
                }
            }
        }
        assertThat(logs.get("logs:PutLogEvents")).containsExactly(group + ":log-stream:${LogStream}");
        assertThat(logs.get("logs:DescribeLogStreams")).containsExactly(group + ":log-stream:*");
        assertThat(logs.keySet()).isSubsetOf("logs:PutLogEvents", "logs:DescribeLogStreams", "logs:DescribeLogGroups");
        logs.values().forEach(rs -> assertThat(rs).allMatch(r -> r.startsWith(group)));
        // The logging option writes to that stream.
        JsonNode option = resources(template, "AWS::KinesisAnalyticsV2::ApplicationCloudWatchLoggingOption")
                .values()
                .iterator()
                .next();
        assertThat(render(option.path("Properties")
                        .path("CloudWatchLoggingOption")
                        .path("LogStreamARN")))
                .isEqualTo(group + ":log-stream:${LogStream}");
    }

    @Test
    void onlyManagedFlinkOfThisAccountAssumesTheRole() {
        JsonNode trust = resources(template, "AWS::IAM::Role")
                .get("ApplicationRole")
                .path("Properties")
                .path("AssumeRolePolicyDocument");
        List<JsonNode> s = list(trust.path("Statement"));
        assertThat(s).hasSize(1);
        assertThat(s.get(0).path("Principal").path("Service").asText()).isEqualTo("kinesisanalytics.amazonaws.com");
        assertThat(s.get(0).path("Principal").size()).isEqualTo(1);
        assertThat(render(s.get(0).path("Action"))).isEqualTo("sts:AssumeRole");
        assertThat(render(s.get(0).path("Condition").path("StringEquals").path("aws:SourceAccount")))
                .isEqualTo("${AWS::AccountId}");
    }
}
