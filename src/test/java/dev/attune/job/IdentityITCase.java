package dev.attune.job;

import static dev.attune.OutputAssertions.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One customer per person, through the whole job: a visitor who consents and struggles while
 * anonymous, then identifies (a record with both ids) or is aliased ({@code previousId} →
 * {@code userId}), is one customer from then on: the consent given as a visitor lets the win-back
 * go out, and later records with only the {@code anonymousId} are decided for the customer. The
 * same history gives the same outputs in batch and streaming, at parallelism 1 and 2, whatever the
 * order of the lines.
 */
class IdentityITCase {
    static final long T0 = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static String line(String id, long t, String userId, String anonymousId, String rest) {
        StringBuilder b =
                new StringBuilder("{\"messageId\":\"" + id + "\",\"timestamp\":\"" + Instant.ofEpochMilli(t) + "\"");
        if (userId != null) {
            b.append(",\"userId\":\"").append(userId).append('"');
        }
        if (anonymousId != null) {
            b.append(",\"anonymousId\":\"").append(anonymousId).append('"');
        }
        return b.append(',').append(rest).append('}').toString();
    }

    static String consent(String id, long t, String anonymousId) {
        return line(
                id,
                t,
                null,
                anonymousId,
                "\"type\":\"identify\",\"traits\":{\"timezone\":\"Europe/Berlin\",\"consent\":{\"email\":true}}");
    }

    static String struggle(String id, long t, String userId, String anonymousId) {
        return line(
                id,
                t,
                userId,
                anonymousId,
                "\"type\":\"track\",\"event\":\"Struggle Signal\",\"properties\":{\"kind\":\"rage_click\",\"attempts\":3}");
    }

    static String cancel(String id, long t, String userId) {
        return line(
                id,
                t,
                userId,
                null,
                "\"type\":\"track\",\"event\":\"Subscription Cancelled\",\"properties\":{\"reason\":\"Too expensive\"}");
    }

    /** Three people: one identifies, one is aliased, one is never linked to the visitor who consented. */
    static List<String> history() {
        List<String> lines = new ArrayList<>();
        // anon-7 consents as a visitor, then logs in as u-42 (a record with both ids), then struggles
        // with only the anonymousId on its records (a tracker that has not picked up the userId).
        lines.add(consent("a7-consent", T0, "anon-7"));
        lines.add(line("a7-view", T0 + MINUTE, null, "anon-7", "\"type\":\"page\",\"name\":\"pricing\""));
        lines.add(line(
                "u42-login",
                T0 + 10 * MINUTE,
                "u-42",
                "anon-7",
                "\"type\":\"identify\",\"traits\":{\"tier\":\"gold\"}"));
        for (int i = 0; i < 4; i++) {
            lines.add(struggle("a7-s" + i, T0 + 11 * MINUTE + i * 2_000, null, "anon-7"));
        }
        lines.add(cancel("u42-cancel", T0 + 20 * MINUTE, "u-42"));
        // anon-8 consents, then an alias names them u-43.
        lines.add(consent("a8-consent", T0, "anon-8"));
        lines.add(line("u43-alias", T0 + 5 * MINUTE, "u-43", null, "\"type\":\"alias\",\"previousId\":\"anon-8\""));
        lines.add(cancel("u43-cancel", T0 + 20 * MINUTE, "u-43"));
        // anon-9 consents but is never linked to u-44: u-44 gave no consent.
        lines.add(consent("a9-consent", T0, "anon-9"));
        lines.add(cancel("u44-cancel", T0 + 20 * MINUTE, "u-44"));
        return lines;
    }

    static Map<String, List<String>> run(Path dir, List<String> lines, long seed, String... extra) throws IOException {
        List<String> arrival = new ArrayList<>(lines);
        if (seed != 0) {
            Collections.shuffle(arrival, new Random(seed));
        }
        Path in = dir.resolve("input/user-events");
        Files.createDirectories(in);
        int half = arrival.size() / 2;
        Files.write(in.resolve("a.jsonl"), arrival.subList(0, half), StandardCharsets.UTF_8);
        Files.write(in.resolve("b.jsonl"), arrival.subList(half, arrival.size()), StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        List<String> args = new ArrayList<>(List.of(
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                dir.resolve("input").toString(),
                "--output.path",
                out.toString(),
                "--checkpoint.interval",
                "1 s"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(
                args.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertThat(code)
                .as("exit code; stderr: %s", stderr.toString(StandardCharsets.UTF_8))
                .isZero();
        assertNoUnfinishedFiles(out);
        return sortedOutputs(out);
    }

    static List<JsonNode> json(List<String> records) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String r : records) {
            out.add(Json.MAPPER.readTree(r));
        }
        return out;
    }

    @Test
    void aVisitorLinkedByAnIdentifyOrAnAliasIsOneCustomer(@TempDir Path dir) throws IOException {
        Map<String, List<String>> out = run(dir.resolve("batch-p2"), history(), 0);
        assertThat(out.get(Streams.DEAD_LETTER)).isEmpty();
        List<JsonNode> interventions = json(out.get(Streams.INTERVENTIONS));
        List<JsonNode> suppressions = json(out.get(Streams.SUPPRESSIONS));

        // The visitor's email consent became u-42's and u-43's: their win-backs go out by email.
        for (String user : List.of("u-42", "u-43")) {
            assertThat(interventions)
                    .filteredOn(n -> n.get("userId").asText().equals(user))
                    .filteredOn(n -> n.get("type").asText().equals("win_back"))
                    .singleElement()
                    .satisfies(n -> assertThat(n.get("channel").asText()).isEqualTo("email"));
        }
        // u-44 was never linked to the visitor who consented: no consent, no win-back.
        assertThat(interventions).noneMatch(n -> n.get("userId").asText().equals("u-44"));
        assertThat(suppressions)
                .filteredOn(n -> n.get("userId").asText().equals("u-44"))
                .singleElement()
                .satisfies(n -> assertThat(n.get("reason").asText()).isEqualTo("no_consent"));

        // The struggles after the login carry only the anonymousId, and count for u-42.
        assertThat(interventions)
                .filteredOn(n -> n.get("type").asText().equals("help_tip")
                        || n.get("type").asText().equals("live_chat_offer"))
                .isNotEmpty()
                .allSatisfy(n -> {
                    assertThat(n.get("userId").asText()).isEqualTo("u-42");
                    assertThat(n.has("anonymous")).isFalse();
                });
        // Nothing is decided for the visitors after their link; their time zone went with them.
        assertThat(interventions).noneMatch(n -> n.has("anonymous"));
        for (JsonNode n : interventions) {
            if (n.get("type").asText().equals("win_back")) {
                assertThat(n.get("scheduledAt").asText()).isEqualTo("2026-11-02T10:20:00.000Z");
            }
        }
    }

    @Test
    void sameHistorySameOutputsWhateverTheOrderModeAndParallelism(@TempDir Path dir) throws IOException {
        List<String> lines = history();
        Map<String, List<String>> reference = run(dir.resolve("batch-p2"), lines, 0);
        assertThat(reference.get(Streams.INTERVENTIONS)).isNotEmpty();
        assertThat(run(
                        dir.resolve("streaming-p1"),
                        lines,
                        11,
                        "--parallelism",
                        "1",
                        "--flink.execution.runtime-mode",
                        "STREAMING"))
                .isEqualTo(reference);
        assertThat(run(dir.resolve("streaming-p2"), lines, 12, "--flink.execution.runtime-mode", "STREAMING"))
                .isEqualTo(reference);
        assertThat(run(dir.resolve("batch-p1"), lines, 13, "--parallelism", "1"))
                .isEqualTo(reference);
    }
}
