package dev.attune.job;

import static dev.attune.testing.Cli.attune;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.io.RunSummary;
import dev.attune.testing.Cli.Run;
import dev.attune.testing.Commands;
import dev.attune.testing.Commands.Result;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The replay report and the what-if, as a user meets them: the local run ends by writing the report
 * and printing its path; the page opens in headless Chromium (Debian's, driven by playwright-core),
 * renders, shows exactly the counts in the output files and requests nothing but itself; a what-if
 * on the replay fixture gives exactly the diff worked out by hand.
 */
class ReportITCase {
    static final Path BROWSER = Path.of("src/test/browser");
    static final Path FIXTURE = Path.of("src/test/resources/replay/input");
    static Path tmp;
    static Path chromium;

    @BeforeAll
    static void setUp() throws IOException {
        tmp = Files.createTempDirectory("attune-report");
        chromium = Commands.debianProgram("chromium", "chromium");
        assertThat(BROWSER.resolve("node_modules/playwright-core"))
                .as("npm ci --prefix src/test/browser (pom.xml)")
                .isDirectory();
    }

    @AfterAll
    static void tearDown() {
        TestFiles.deleteQuietly(tmp);
    }

    /** What the page showed, as render.mjs saw it in Chromium. */
    static JsonNode render(Path page, Path screenshot) throws IOException {
        Result r = Commands.run(
                Path.of("").toAbsolutePath(),
                Map.of(),
                120,
                List.of(
                        "node",
                        BROWSER.resolve("render.mjs").toString(),
                        page.toUri().toString(),
                        screenshot.toString(),
                        chromium.toString()));
        assertThat(r.exit()).as("node render.mjs:\n" + r.all()).isZero();
        return Json.MAPPER.readTree(r.stdout());
    }

    static String percent(double rate) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * rate);
    }

    static String printedPath(String stdout, String label) {
        return stdout.lines()
                .filter(l -> l.startsWith(label + ": "))
                .map(l -> l.substring(label.length() + 2))
                .reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no '" + label + ":' line in\n" + stdout));
    }

    @Test
    void theLocalRunEndsWithAReportThatShowsTheOutputsCountsAndFetchesNothing() throws IOException {
        Path out = tmp.resolve("local");
        Run run = attune(
                "--generator.customers",
                "400",
                "--output.path",
                out.toString(),
                "--analysis.journal.path",
                tmp.resolve("journal").toString());
        assertThat(run.code()).as(run.err()).isZero();
        Path page = Path.of(printedPath(run.out(), "Report"));
        assertThat(page)
                .isEqualTo(out.resolve("report/index.html").toAbsolutePath().normalize())
                .isRegularFile();

        Path shot = tmp.resolve("report.png");
        JsonNode seen = render(page, shot);
        assertThat(seen.path("title").asText()).isEqualTo("Attune replay report");
        assertThat(seen.path("consoleErrors")).isEmpty();
        assertThat(seen.path("requests")).as("requests the page made").hasSize(1);
        assertThat(seen.path("requests").get(0).asText()).isEqualTo(page.toUri().toString());
        assertThat(seen.path("images").size()).isGreaterThanOrEqualTo(4);
        seen.path("images")
                .forEach(i -> assertThat(i.path("width").asInt())
                        .as("a decoded chart")
                        .isPositive());
        assertThat(Files.size(shot)).isGreaterThan(50_000);
        keepScreenshot(shot, "report.png");

        // The funnel figures in the page are the counts in the output files, counted here independently.
        Map<String, Long> expected = new TreeMap<>();
        for (JsonNode n : records(out, Streams.CAMPAIGN_SENDS)) {
            expected.merge(
                    n.path("campaignId").asText() + "|sent:" + n.path("channel").asText(), 1L, Long::sum);
            expected.merge(n.path("campaignId").asText() + "|sent", 1L, Long::sum);
        }
        for (JsonNode n : records(out, Streams.SUPPRESSIONS)) {
            if (n.hasNonNull("campaignId")) {
                expected.merge(
                        n.path("campaignId").asText() + "|suppressed:"
                                + n.path("reason").asText(),
                        1L,
                        Long::sum);
            }
        }
        Map<String, JsonNode> summaries =
                RunSummary.currentSummaries(RunSummary.records(out, Streams.CAMPAIGN_SUMMARIES));
        summaries.forEach((id, s) -> {
            if (!s.has("interventionType")) { // an intervention type's summary is in "Did it work?", not a funnel
                expected.put(id + "|requests", s.path("requests").asLong());
            }
        });
        Map<String, Long> shown = new TreeMap<>();
        for (JsonNode f : seen.path("funnel")) {
            if (!f.path("stage").asText().equals("cost")) {
                shown.put(
                        f.path("campaign").asText() + "|" + f.path("stage").asText(),
                        number(f.path("text").asText()));
            }
        }
        assertThat(expected).as("campaigns in this run").isNotEmpty();
        assertThat(shown).isEqualTo(expected);

        // "Did it work?": each campaign's and intervention type's rates against its holdout, as its summary has them.
        Map<String, String> rates = new TreeMap<>();
        summaries.values().stream().filter(s -> s.has("uplift")).forEach(s -> {
            String name = s.has("interventionType")
                    ? s.get("interventionType").asText()
                    : s.get("campaignId").asText();
            rates.put(
                    name + "|treated",
                    percent(s.at("/uplift/conversionRateSent").asDouble()));
            rates.put(
                    name + "|held-out",
                    percent(s.at("/uplift/conversionRateHeldOut").asDouble()));
        });
        Map<String, String> shownRates = new TreeMap<>();
        seen.path("effects")
                .forEach(e -> shownRates.put(
                        e.path("name").asText() + "|" + e.path("group").asText(),
                        e.path("text").asText()));
        assertThat(rates)
                .as("campaigns and interventions with a holdout in the local run")
                .containsKeys("winter-sale-2026|treated", "live_chat_offer|held-out");
        assertThat(shownRates).isEqualTo(rates);
        assertThat(seen.path("headings").toString()).contains("Did it work? Against the holdout");
        for (JsonNode s : seen.path("streams")) {
            assertThat(number(s.path("text").asText()))
                    .as(s.path("stream").asText())
                    .isEqualTo(records(out, s.path("stream").asText()).size());
        }
        // The priority list is led by the riskiest customer in the interventions.
        int top = records(out, Streams.INTERVENTIONS).stream()
                .mapToInt(n -> n.path("riskScore").asInt())
                .max()
                .orElseThrow();
        String first = seen.path("atRisk").get(0).asText();
        assertThat(records(out, Streams.INTERVENTIONS).stream()
                        .filter(n -> n.path("userId").asText().equals(first))
                        .mapToInt(n -> n.path("riskScore").asInt())
                        .max()
                        .orElseThrow())
                .isEqualTo(top);

        // And the report command writes the same page again from the outputs alone.
        String before = Files.readString(page);
        Run report = attune("report", "--output.path", out.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(Files.readString(page)).isEqualTo(before);
    }

    @Test
    void theCheckForRequestsSeesAnExternalOne() throws IOException {
        Path page = tmp.resolve("leaky.html");
        Files.writeString(
                page,
                "<!DOCTYPE html><html><head><title>leaky</title></head><body>"
                        + "<img src=\"http://127.0.0.1:9/pixel.png\"></body></html>");
        JsonNode seen = render(page, tmp.resolve("leaky.png"));
        assertThat(seen.path("requests").toString()).contains("http://127.0.0.1:9/pixel.png");
    }

    @Test
    void whatIfOnTheFixtureGivesTheDiffWorkedOutByHand() throws IOException {
        Path out = tmp.resolve("whatif");
        // Hand-worked: u-camp-fatigue had 2 messages that day, so a daily cap of 3 lets r-fatigue go on WhatsApp;
        // u-camp-negative's sentiment is -0.459, so a threshold of -0.5 no longer holds r-negative, but the agent's
        // callback after their detractor survey (10:15) still does: service_recovery_in_progress until 3 days later;
        // u-cooldown's second struggle burst came 12 minutes after the first, so a 5-minute cooldown turns its
        // cooldown suppression into a live_chat_offer. Nothing else changes, but that u-camp-fatigue's order at 18:30
        // (59 USD), 3.5 hours after the send it now gets, converts for winter-sale.
        Run run = attune(
                "whatif",
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                FIXTURE.toString(),
                "--output.path",
                out.toString(),
                "--parallelism",
                "1",
                "--set",
                "fatigue.caps=all:3/1d,all:5/7d,email:1/1d,email:3/7d,sms:1/1d,sms:2/7d,whatsapp:1/1d,whatsapp:2/7d",
                "--set",
                "policy.negative-sentiment-threshold=-0.5",
                "--set",
                "intervention.cooldown.live-chat-offer=5m");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode diff = Json.MAPPER.readTree(out.resolve("whatif/diff.json").toFile());
        JsonNode expected = Json.MAPPER.readTree(
                Path.of("src/test/resources/whatif/expected-diff.json").toFile());
        assertThat(diff).isEqualTo(expected);
        assertThat(diff.at("/campaigns/winter-sale/shifts").toString())
                .isEqualTo(
                        "[{\"from\":\"held:fatigue_cap\",\"to\":\"sent:whatsapp\",\"count\":1},"
                                + "{\"from\":\"held:negative_sentiment\",\"to\":\"held:service_recovery_in_progress\",\"count\":1}]");
        assertThat(diff.at("/totals/cost/delta").decimalValue()).isEqualByComparingTo("0.0042");
        assertThat(diff.at("/interventions/gained").toString()).isEqualTo("{\"live_chat_offer\":1}");
        assertThat(diff.at("/interventionSuppressions/lost").toString()).isEqualTo("{\"cooldown\":1}");
        // Both replays wrote their outputs and their own report.
        assertThat(records(out.resolve("baseline"), Streams.CAMPAIGN_SENDS)).hasSize(5);
        assertThat(records(out.resolve("variant"), Streams.CAMPAIGN_SENDS)).hasSize(6);
        assertThat(out.resolve("baseline/report/index.html")).isRegularFile();
        assertThat(out.resolve("variant/report/index.html")).isRegularFile();

        Path page = Path.of(printedPath(run.out(), "Report"));
        Path shot = tmp.resolve("whatif.png");
        JsonNode seen = render(page, shot);
        assertThat(seen.path("consoleErrors")).isEmpty();
        assertThat(seen.path("requests")).hasSize(1);
        Map<String, Long> shown = new HashMap<>();
        seen.path("funnel")
                .forEach(f -> shown.put(
                        f.path("campaign").asText() + "|" + f.path("stage").asText() + "|"
                                + f.path("side").asText(),
                        number(f.path("text").asText())));
        assertThat(shown)
                .containsEntry("winter-sale|sent:whatsapp|baseline", 4L)
                .containsEntry("winter-sale|sent:whatsapp|variant", 5L)
                .containsEntry("winter-sale|suppressed:fatigue_cap|baseline", 1L)
                .containsEntry("winter-sale|suppressed:fatigue_cap|variant", 0L)
                .containsEntry("winter-sale|requests|variant", 11L);
        keepScreenshot(shot, "whatif.png");
    }

    @Test
    void aWhatIfThatChangesNothingFindsNothing() throws IOException {
        Path out = tmp.resolve("same");
        Run run = attune(
                "whatif",
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                FIXTURE.toString(),
                "--output.path",
                out.toString(),
                "--set",
                "quiet-hours.start=21:00");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode diff = Json.MAPPER.readTree(out.resolve("whatif/diff.json").toFile());
        diff.path("campaigns").forEach(c -> {
            assertThat(c.path("changedRequests").asLong()).isZero();
            assertThat(c.at("/cost/delta").decimalValue()).isZero();
        });
        assertThat(diff.at("/interventions/gained")).isEmpty();
        assertThat(diff.at("/interventions/lost")).isEmpty();
        assertThat(diff.at("/interventions/changed")).isEmpty();
        assertThat(diff.at("/totals/sends/delta").asLong()).isZero();
    }

    static List<JsonNode> records(Path out, String stream) throws IOException {
        List<JsonNode> l = new java.util.ArrayList<>();
        for (String line : RunSummary.records(out, stream)) {
            l.add(Json.MAPPER.readTree(line));
        }
        return l;
    }

    static long number(String text) {
        return Long.parseLong(text.replace(",", "").strip());
    }

    /** {@code -Dattune.screenshots=true} refreshes the screenshots under docs/ that docs/replay.md shows. */
    static void keepScreenshot(Path shot, String name) throws IOException {
        if (Boolean.getBoolean("attune.screenshots")) {
            Files.copy(shot, Path.of("docs").resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
