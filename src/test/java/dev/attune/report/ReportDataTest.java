package dev.attune.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Json;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReportDataTest {
    Path out;

    @BeforeEach
    void setUp() throws IOException {
        out = Files.createTempDirectory("report-data");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteQuietly(out);
    }

    @Test
    void instantsAreReadAsInstantParseReadsThem() {
        java.util.Random rnd = new java.util.Random(18);
        for (int i = 0; i < 20_000; i++) {
            java.time.Instant t = java.time.Instant.ofEpochMilli(rnd.nextLong() % 8_000_000_000_000L);
            String text = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
                    .withZone(java.time.ZoneOffset.UTC)
                    .format(t);
            assertThat(ReportData.instant(text)).as(text).isEqualTo(java.time.Instant.parse(text));
        }
        for (String other : List.of(
                "2026-11-03T04:16:40Z",
                "2026-11-03T04:16:40.286123Z",
                "2028-02-29T23:59:59.999Z",
                "2026-11-03T04:16:40.2Z")) {
            assertThat(ReportData.instant(other)).isEqualTo(java.time.Instant.parse(other));
        }
        for (String bad : List.of(
                "2026-02-29T04:16:40.286Z",
                "2026-13-03T04:16:40.286Z",
                "2026-11-03T24:16:40.286Z",
                "2026-11-03T04:16:4x.286Z")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportData.instant(bad))
                    .isInstanceOf(java.time.DateTimeException.class);
        }
    }

    @Test
    void sendHoursAreTheCustomersLocalHours() throws IOException {
        // 07:30 UTC is 08:30 in Paris in winter and 02:30 in New York; a zone that is not a zone counts as UTC.
        assertThat(ReportData.localHour(Json.MAPPER.readTree(
                        "{\"scheduledAt\":\"2026-11-21T07:30:00Z\",\"timezone\":\"Europe/Paris\"}")))
                .isEqualTo(8);
        assertThat(ReportData.localHour(Json.MAPPER.readTree(
                        "{\"scheduledAt\":\"2026-11-21T07:30:00Z\",\"timezone\":\"America/New_York\"}")))
                .isEqualTo(2);
        assertThat(ReportData.localHour(Json.MAPPER.readTree(
                        "{\"scheduledAt\":\"2026-11-21T07:30:00Z\",\"timezone\":\"Mars/Olympus\"}")))
                .isEqualTo(7);
    }

    @Test
    void timeBucketsKeepTheChartReadable() {
        assertThat(ReportData.bucketFor(Duration.ofHours(10))).isEqualTo(Duration.ofHours(1));
        assertThat(ReportData.bucketFor(Duration.ofDays(3))).isEqualTo(Duration.ofHours(3));
        assertThat(ReportData.bucketFor(Duration.ofDays(30))).isEqualTo(Duration.ofDays(1));
        assertThat(ReportData.bucketFor(Duration.ofDays(400))).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void riskLevelsInTheirOwnOrder() {
        Map<String, Integer> m = new TreeMap<>(ReportData::byLevel);
        List.of("critical", "low", "weird", "high", "medium").forEach(l -> m.put(l, 1));
        assertThat(m.keySet()).containsExactly("low", "medium", "high", "critical", "weird");
    }

    @Test
    void thePriorityListPutsTheRiskiestFirstAndThePageEscapesWhatCustomersSent() throws IOException {
        Files.createDirectories(out.resolve("interventions"));
        Files.write(
                out.resolve("interventions/part-0.jsonl"),
                List.of(
                        intervention("u-calm", 20, "low", "2026-11-21T10:00:00Z"),
                        intervention("<script>alert(1)</script>", 91, "critical", "2026-11-21T11:00:00Z"),
                        intervention("u-calm", 45, "medium", "2026-11-21T12:00:00Z"),
                        intervention("u-later", 91, "critical", "2026-11-21T13:00:00Z")));
        ReportData d = ReportData.read(out, 10);
        assertThat(d.priority)
                .extracting(ReportData.AtRisk::userId)
                .containsExactly("u-later", "<script>alert(1)</script>", "u-calm");
        assertThat(d.priority.get(2).riskScore()).isEqualTo(45);
        assertThat(d.priority.get(2).interventions()).isEqualTo(2);
        Path page = ReportPage.write(out, d, new ModelUse("heuristic", "m", "j", 0, Map.of(), 0, 0, 0));
        String html = Files.readString(page);
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).doesNotContain("http://").doesNotContain("https://");
    }

    static String intervention(String user, int score, String level, String at) {
        return Json.MAPPER
                .createObjectNode()
                .put("interventionId", user + at)
                .put("userId", user)
                .put("eventTime", at)
                .put("type", "help_tip")
                .put("riskScore", score)
                .put("riskLevel", level)
                .set(
                        "reasons",
                        Json.MAPPER
                                .createArrayNode()
                                .add(Json.MAPPER
                                        .createObjectNode()
                                        .put("code", "struggle_burst")
                                        .put("value", "3 in 20 s")))
                .toString();
    }
}
