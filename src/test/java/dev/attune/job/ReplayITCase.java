package dev.attune.job;

import static dev.attune.OutputAssertions.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the committed history in {@code src/test/resources/replay/input} through the real
 * command line, job and file sink on a MiniCluster, and compares the outputs with the expected
 * files beside it. Regenerate them (then read the diff!) with {@code -Dattune.regenerate=true}.
 */
class ReplayITCase {
    static final Path FIXTURE = Path.of("src/test/resources/replay");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static Map<String, List<String>> replay(Path out, String... extra) throws IOException {
        String[] base = {
            "--profile",
            "jobs/replay.properties",
            "--input.path",
            FIXTURE.resolve("input").toString(),
            "--output.path",
            out.toString(),
            "--checkpoint.interval",
            "1 s"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(code)
                .as("exit code; stderr: %s", stderr.toString(StandardCharsets.UTF_8))
                .isZero();
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("interventions", "dead-letter");
        assertNoUnfinishedFiles(out);
        return sortedOutputs(out);
    }

    @Test
    void replayMatchesExpectedOutputs(@TempDir Path out) throws IOException {
        Map<String, List<String>> actual = replay(out);
        assertValidAgainstSchemas(actual);
        Path expected = FIXTURE.resolve("expected");
        if (Boolean.getBoolean("attune.regenerate")) {
            Files.createDirectories(expected);
            for (Map.Entry<String, List<String>> e : actual.entrySet()) {
                Files.write(expected.resolve(e.getKey() + ".jsonl"), e.getValue(), StandardCharsets.UTF_8);
            }
        }
        for (String stream : Streams.OUTPUTS) {
            Path file = expected.resolve(stream + ".jsonl");
            List<String> want = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            assertThat(actual.get(stream)).as(stream).containsExactlyElementsOf(want);
        }
    }

    @Test
    void replayDecidesWhatEachCustomerNeeds(@TempDir Path out) throws IOException {
        Map<String, List<String>> actual = replay(out);
        Map<String, List<String>> interventions = parsed(actual.get(Streams.INTERVENTIONS)).stream()
                .collect(Collectors.groupingBy(
                        n -> n.get("userId").asText(),
                        java.util.TreeMap::new,
                        Collectors.mapping(n -> n.get("type").asText(), Collectors.toList())));
        // Its first rage click has three attempts: decisive, live chat in that event.
        assertThat(interventions.get("u-struggler")).containsExactly("live_chat_offer");
        assertThat(interventions.get("u-canceller")).containsExactlyInAnyOrder("retention_offer", "win_back");
        assertThat(interventions.get("u-briton")).containsExactly("win_back");
        assertThat(interventions.get("u-angry")).containsExactly("service_recovery");
        // Second episode 12 min later: help_tip's 10 min cooldown has passed, live chat's 30 min has not.
        assertThat(interventions.get("u-cooldown"))
                .containsExactlyInAnyOrder("help_tip", "help_tip", "live_chat_offer");
        assertThat(interventions).doesNotContainKey("u-calm");
        // Erased at Forget Me: one suppression records the erasure, and nothing else names them.
        assertThat(parsed(actual.get(Streams.INTERVENTIONS)))
                .filteredOn(n -> n.get("userId").asText().equals("u-forget"))
                .allSatisfy(n -> assertThat(n.get("eventTime").asText()).isLessThan("2026-11-21T10:51:40.000Z"));
        assertThat(parsed(actual.get(Streams.SUPPRESSIONS)).stream()
                        .filter(n -> n.get("userId").asText().equals("u-forget"))
                        .map(n -> n.get("reason").asText())
                        .toList())
                .containsExactlyInAnyOrder("forgotten", "forgotten");

        List<JsonNode> suppressions = parsed(actual.get(Streams.SUPPRESSIONS));
        assertThat(suppressions).anySatisfy(s -> {
            assertThat(s.get("userId").asText()).isEqualTo("u-cooldown");
            assertThat(s.get("reason").asText()).isEqualTo("cooldown");
            assertThat(s.get("interventionType").asText()).isEqualTo("live_chat_offer");
        });
        assertThat(suppressions)
                .filteredOn(s -> s.get("reason").asText().equals("duplicate"))
                .extracting(s -> s.get("userId").asText())
                .containsExactlyInAnyOrder("u-struggler", "u-camp-dup");

        for (JsonNode i : parsed(actual.get(Streams.INTERVENTIONS))) {
            int sum = 0;
            for (JsonNode r : i.get("reasons")) {
                sum += r.path("contribution").asInt();
            }
            assertThat(sum)
                    .as("reasons add up to the score in %s", i)
                    .isEqualTo(i.get("riskScore").asInt());
            if (i.get("userId").asText().equals("anon-7")) {
                assertThat(i.get("anonymous").asBoolean()).isTrue();
            }
        }
        JsonNode usWinBack = parsed(actual.get(Streams.INTERVENTIONS)).stream()
                .filter(n -> n.get("userId").asText().equals("u-canceller")
                        && n.get("type").asText().equals("win_back"))
                .findFirst()
                .orElseThrow();
        assertThat(usWinBack.at("/analysis/churnCategory").asText()).isEqualTo("pricing");
        assertThat(usWinBack.at("/analysis/winBackSequence")).hasSize(3);
        assertThat(usWinBack.toString()).contains("canceled").doesNotContain("cancelled plan");
        JsonNode ukWinBack = parsed(actual.get(Streams.INTERVENTIONS)).stream()
                .filter(n -> n.get("userId").asText().equals("u-briton"))
                .findFirst()
                .orElseThrow();
        assertThat(ukWinBack.at("/analysis/churnCategory").asText()).isEqualTo("features");
        assertThat(ukWinBack.toString()).contains("personalised", "cancelled");

        List<String> deadCodes = parsed(actual.get(Streams.DEAD_LETTER)).stream()
                .map(n -> n.at("/error/code").asText())
                .sorted()
                .toList();
        assertThat(deadCodes)
                .containsExactly(
                        "bad_timestamp",
                        "missing_field",
                        "not_json",
                        "not_object",
                        "not_utf8",
                        "too_long",
                        "unknown_type",
                        "wrong_type");
        assertThat(parsed(actual.get(Streams.DEAD_LETTER)))
                .allSatisfy(d ->
                        assertThat(d.at("/source/position").asText()).startsWith("user-events/2026-11-21-a.jsonl:"));

        String everything =
                String.join("\n", actual.values().stream().flatMap(List::stream).toList());
        assertThat(everything.replaceAll("\"raw\":\"(?:[^\"\\\\]|\\\\.)*\"", ""))
                .doesNotContain("@example.com", "@example.org", "7700 900", "Ignore previous instructions");
    }

    @Test
    void everyCampaignRequestEndsAsExactlyOneSendOrSuppression(@TempDir Path out) throws IOException {
        Map<String, List<String>> actual = replay(out);
        Map<String, String> outcome = new java.util.TreeMap<>();
        for (JsonNode send : parsed(actual.get(Streams.CAMPAIGN_SENDS))) {
            assertThat(outcome.put(
                            send.get("requestId").asText(),
                            "sent on " + send.get("channel").asText()))
                    .isNull();
        }
        for (JsonNode s : parsed(actual.get(Streams.SUPPRESSIONS))) {
            if (s.has("requestId") && !s.get("reason").asText().equals("duplicate")) {
                assertThat(outcome.put(
                                s.get("requestId").asText(), s.get("reason").asText()))
                        .isNull();
            }
        }
        assertThat(outcome)
                .containsOnlyKeys(
                        "r-send",
                        "r-quiet",
                        "r-noconsent",
                        "r-unsub",
                        "r-fatigue",
                        "r-negative",
                        "r-negative-tx",
                        "r-expired",
                        "r-dup",
                        "r-complained",
                        "r-dst",
                        "r-forget");
        assertThat(outcome).containsEntry("r-forget", "forgotten");
        assertThat(outcome)
                .containsEntry("r-noconsent", "no_consent")
                .containsEntry("r-unsub", "unsubscribed")
                .containsEntry("r-fatigue", "fatigue_cap")
                .containsEntry("r-negative", "negative_sentiment")
                .containsEntry("r-expired", "expired")
                .containsEntry("r-complained", "unsubscribed")
                .containsEntry("r-negative-tx", "sent on email");

        Map<String, JsonNode> sends = parsed(actual.get(Streams.CAMPAIGN_SENDS)).stream()
                .collect(Collectors.toMap(n -> n.get("requestId").asText(), n -> n));
        // Habitual open hour 19:00 in New York (opened twice at 19:xx), request at 09:00 local.
        assertThat(sends.get("r-send").get("scheduledAt").asText()).isEqualTo("2026-11-22T00:00:00.000Z");
        assertThat(sends.get("r-send").get("channel").asText()).isEqualTo("whatsapp");
        assertThat(sends.get("r-send").get("templateId").asText()).isEqualTo("promotional_discount_v1");
        // 23:30 in Tokyo is quiet: 08:00 the next morning.
        assertThat(sends.get("r-quiet").get("scheduledAt").asText()).isEqualTo("2026-11-21T23:00:00.000Z");
        // 01:30 BST on the night the clocks go back: 08:00 GMT.
        assertThat(sends.get("r-dst").get("scheduledAt").asText()).isEqualTo("2026-10-25T08:00:00.000Z");
        JsonNode fatigue = parsed(actual.get(Streams.SUPPRESSIONS)).stream()
                .filter(n -> n.path("requestId").asText().equals("r-fatigue"))
                .findFirst()
                .orElseThrow();
        assertThat(fatigue.at("/details/cap").asText()).isEqualTo("all:2/1d");
        assertThat(fatigue.at("/details/count").asInt()).isEqualTo(2);

        Map<String, JsonNode> summaries =
                dev.attune.io.RunSummary.currentSummaries(actual.get(Streams.CAMPAIGN_SUMMARIES));
        JsonNode sale = summaries.get("winter-sale");
        assertThat(sale.get("requests").asInt()).isEqualTo(11);
        int sent = 0;
        for (JsonNode v : sale.get("sends")) {
            sent += v.asInt();
        }
        int suppressed = 0;
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it =
                        sale.get("suppressions").fields();
                it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            suppressed += e.getKey().equals("duplicate") ? 0 : e.getValue().asInt();
        }
        assertThat(sent + suppressed).as("every request counted once").isEqualTo(11);
        assertThat(sale.at("/suppressions/duplicate").asInt()).isEqualTo(1);
    }

    @Test
    void twoReplaysGiveTheSameRecords(@TempDir Path first, @TempDir Path second) throws IOException {
        // A replay runs as a batch job; the same history streamed gives the same records.
        Map<String, List<String>> a = replay(first, "--parallelism", "1");
        Map<String, List<String>> b =
                replay(second, "--parallelism", "2", "--flink.execution.runtime-mode", "STREAMING");
        assertThat(a.get(Streams.INTERVENTIONS)).isNotEmpty();
        assertThat(b).isEqualTo(a);
    }
}
