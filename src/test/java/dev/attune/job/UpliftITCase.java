package dev.attune.job;

import static dev.attune.OutputAssertions.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Streams;
import dev.attune.io.RunSummary;
import dev.attune.io.SyntheticHistory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo profile's holdouts measured against what the generator's response model
 * ({@link SyntheticHistory.Response}) says the customers do: for each campaign and intervention
 * type, the customers Attune acted on and those it held out are read from the outputs, the model's
 * probability of reaching the goal is summed over each group, and what {@code campaign-summaries}
 * reports must agree within four standard deviations of that binomial sum. A broken attribution
 * (a wrong window, a goal counted for the wrong touch or group, a held-out customer counted as
 * treated) moves the measured counts far outside that band.
 */
class UpliftITCase {
    static final int CUSTOMERS = 3_000;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void summariesMeasureTheResponseModelsKnownEffect(@TempDir Path out) throws Exception {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = Main.run(
                new String[] {
                    "--profile", "jobs/local.properties",
                    "--generator.customers", Integer.toString(CUSTOMERS),
                    "--generator.malformed-ratio", "0",
                    "--generator.duplicate-ratio", "0",
                    "--output.path", out.toString()
                },
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        Map<String, List<String>> outputs = sortedOutputs(out);
        SyntheticHistory model = new SyntheticHistory(42, CUSTOMERS, "2026-11-21T00:00:00Z", 0, 0);
        Map<String, Set<String>> treated = new HashMap<>();
        Map<String, Set<String>> heldOut = new HashMap<>();
        for (JsonNode n : parsed(outputs.get(Streams.INTERVENTIONS))) {
            add(treated, "intervention:" + n.get("type").asText(), n);
        }
        for (JsonNode n : parsed(outputs.get(Streams.CAMPAIGN_SENDS))) {
            add(treated, n.get("campaignId").asText(), n);
        }
        for (JsonNode n : parsed(outputs.get(Streams.SUPPRESSIONS))) {
            if (n.get("reason").asText().equals("holdout")) {
                add(
                        heldOut,
                        n.has("campaignId")
                                ? n.get("campaignId").asText()
                                : "intervention:" + n.get("interventionType").asText(),
                        n);
            }
        }
        Map<String, JsonNode> summaries = RunSummary.currentSummaries(outputs.get(Streams.CAMPAIGN_SUMMARIES));
        List<String> keys = List.of(
                "winter-sale-2026",
                "premium-upgrade",
                "intervention:live_chat_offer",
                "intervention:retention_offer",
                "intervention:service_recovery",
                "intervention:win_back");
        for (String key : keys) {
            JsonNode s = summaries.get(key);
            assertThat(s).as(key).isNotNull();
            Set<String> given = treated.get(key);
            Set<String> held = heldOut.get(key);
            assertThat(given).as("%s: customers acted on", key).hasSizeGreaterThan(30);
            assertThat(held).as("%s: customers held out", key).hasSizeGreaterThan(10);
            int sent = RunSummary.sends(s);
            assertThat(sent)
                    .as("%s: one send or intervention per customer", key)
                    .isEqualTo(given.size());
            assertThat(s.at("/holdout/customers").asInt()).as(key).isEqualTo(held.size());
            boolean intervention = s.has("goal");
            int reached = intervention
                    ? s.at("/goal/reached").asInt()
                    : s.get("converted").asInt();
            int heldReached = intervention
                    ? s.at("/goal/heldOutReached").asInt()
                    : s.at("/holdout/converted").asInt();
            assertNear(key + " treated", reached, given, model, key, false);
            assertNear(key + " held out", heldReached, held, model, key, true);
        }
        JsonNode chat = summaries.get("intervention:live_chat_offer");
        assertThat(chat.at("/uplift/verdict").asText())
                .as("the live chat doubles completion (0.6 against 0.3): a clear effect at this size")
                .isEqualTo("more_conversions_when_sent");
        assertThat(chat.at("/uplift/ci95/0").asDouble()).isLessThan(0.3);
        assertThat(chat.at("/uplift/ci95/1").asDouble()).isGreaterThan(0.3);
    }

    private static void add(Map<String, Set<String>> groups, String key, JsonNode n) {
        groups.computeIfAbsent(key, k -> new LinkedHashSet<>())
                .add(n.get("userId").asText());
    }

    /** Measured within four standard deviations (plus one) of the model's expected count over the group. */
    private static void assertNear(
            String what, int measured, Set<String> users, SyntheticHistory model, String key, boolean held) {
        double expected = 0;
        double variance = 0;
        for (String user : users) {
            double p = model.goalRate(Integer.parseInt(user.substring("user-".length())), key, held);
            expected += p;
            variance += p * (1 - p);
        }
        double band = 4 * Math.sqrt(variance) + 1;
        assertThat((double) measured)
                .as(
                        "%s: measured %d of %d, the model expects %.1f ± %.1f",
                        what, measured, users.size(), expected, band)
                .isBetween(expected - band, expected + band);
    }
}
