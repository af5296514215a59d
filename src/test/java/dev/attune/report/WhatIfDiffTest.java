package dev.attune.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WhatIfDiffTest {
    Path tmp;
    Path baseline;
    Path variant;

    @BeforeEach
    void setUp() throws IOException {
        tmp = Files.createTempDirectory("whatif-diff");
        baseline = tmp.resolve("baseline");
        variant = tmp.resolve("variant");
    }

    @AfterEach
    void tearDown() {
        TestFiles.deleteQuietly(tmp);
    }

    static String send(String request, String channel, double cost) {
        return "{\"sendId\":\"s-" + request + "-" + channel + "\",\"campaignId\":\"c\",\"requestId\":\"" + request
                + "\",\"userId\":\"u-" + request + "\",\"eventTime\":\"2026-11-21T10:00:00Z\",\"channel\":\"" + channel
                + "\",\"scheduledAt\":\"2026-11-21T10:00:00Z\",\"timezone\":\"UTC\",\"estimatedCost\":{\"amount\":"
                + cost
                + ",\"currency\":\"USD\"}}";
    }

    static String held(String request, String reason) {
        return "{\"suppressionId\":\"h-" + request + "-" + reason + "\",\"campaignId\":\"c\",\"requestId\":\"" + request
                + "\",\"userId\":\"u-" + request + "\",\"eventTime\":\"2026-11-21T10:00:00Z\",\"reason\":\"" + reason
                + "\"}";
    }

    static String intervention(String id, String type, String level) {
        return "{\"interventionId\":\"" + id + "\",\"userId\":\"u\",\"eventTime\":\"2026-11-21T10:00:00Z\",\"type\":\""
                + type + "\",\"riskScore\":50,\"riskLevel\":\"" + level + "\",\"reasons\":[]}";
    }

    static void write(Path out, String stream, String... lines) throws IOException {
        Files.createDirectories(out.resolve(stream));
        Files.write(out.resolve(stream).resolve("part-0.jsonl"), List.of(lines));
    }

    @Test
    void matchesOutcomesPerRequestAndInterventionsPerId() throws IOException {
        write(baseline, "campaign-sends", send("r1", "sms", 0.00645), send("r3", "whatsapp", 0.0042));
        write(variant, "campaign-sends", send("r1", "whatsapp", 0.0042), send("r4", "email", 0.0001));
        write(
                baseline,
                "suppressions",
                held("r2", "fatigue_cap"),
                held("r3", "duplicate"),
                "{\"suppressionId\":\"x1\",\"userId\":\"u\",\"eventTime\":\"2026-11-21T10:00:00Z\",\"interventionType\":"
                        + "\"help_tip\",\"reason\":\"cooldown\"}");
        write(variant, "suppressions", held("r2", "fatigue_cap"), held("r3", "duplicate"), held("r3", "fatigue_cap"));
        write(
                baseline,
                "interventions",
                intervention("i1", "help_tip", "low"),
                intervention("i2", "help_tip", "low"),
                intervention("i4", "live_chat_offer", "medium"));
        write(
                variant,
                "interventions",
                intervention("i1", "help_tip", "low"),
                intervention("i3", "win_back", "high"),
                intervention("i4", "live_chat_offer", "high"));

        JsonNode d = WhatIfDiff.diff(baseline, variant, Map.of("fatigue.caps", "all:1/1d"));

        JsonNode c = d.at("/campaigns/c");
        assertThat(c.at("/sends/gained").toString()).isEqualTo("{\"email\":1,\"whatsapp\":1}");
        assertThat(c.at("/sends/lost").toString()).isEqualTo("{\"sms\":1,\"whatsapp\":1}");
        assertThat(c.at("/suppressions/gained").toString()).isEqualTo("{\"fatigue_cap\":1}");
        assertThat(c.at("/suppressions/lost").toString()).isEqualTo("{}");
        assertThat(c.at("/suppressions/baseline").toString()).isEqualTo("{\"duplicate\":1,\"fatigue_cap\":1}");
        assertThat(c.at("/suppressions/variant").toString()).isEqualTo("{\"duplicate\":1,\"fatigue_cap\":2}");
        assertThat(c.path("shifts").toString())
                .isEqualTo("["
                        + "{\"from\":\"none\",\"to\":\"sent:email\",\"count\":1},"
                        + "{\"from\":\"sent:sms\",\"to\":\"sent:whatsapp\",\"count\":1},"
                        + "{\"from\":\"sent:whatsapp\",\"to\":\"held:fatigue_cap\",\"count\":1}]");
        assertThat(c.path("changedRequests").asLong()).isEqualTo(3);
        assertThat(c.at("/requests/0").toString())
                .isEqualTo(
                        "{\"requestId\":\"r1\",\"userId\":\"u-r1\",\"baseline\":[\"sent:sms\"],\"variant\":[\"sent:whatsapp\"]}");
        assertThat(c.at("/cost/delta").decimalValue()).isEqualByComparingTo("-0.00635");
        assertThat(d.at("/totals/cost/delta").decimalValue()).isEqualByComparingTo("-0.00635");
        assertThat(d.at("/totals/sends").toString()).isEqualTo("{\"baseline\":2,\"variant\":2,\"delta\":0}");

        assertThat(d.at("/interventions/gained").toString()).isEqualTo("{\"win_back\":1}");
        assertThat(d.at("/interventions/lost").toString()).isEqualTo("{\"help_tip\":1}");
        assertThat(d.at("/interventions/changed").toString()).isEqualTo("{\"live_chat_offer\":1}");
        assertThat(d.at("/interventions/gainedIds").toString()).isEqualTo("{\"win_back\":[\"i3\"]}");
        assertThat(d.at("/interventions/lostIds").toString()).isEqualTo("{\"help_tip\":[\"i2\"]}");
        assertThat(d.at("/interventionSuppressions/lost").toString()).isEqualTo("{\"cooldown\":1}");
        assertThat(d.at("/changes").toString()).isEqualTo("{\"fatigue.caps\":\"all:1/1d\"}");
    }

    @Test
    void aRunAgainstItselfIsEmptyAndTheBytesRepeat() throws IOException {
        write(baseline, "campaign-sends", send("r1", "sms", 0.00645), send("r1", "sms", 0.00645));
        write(baseline, "suppressions", held("r2", "expired"));
        write(baseline, "interventions", intervention("i1", "help_tip", "low"));
        JsonNode d = WhatIfDiff.diff(baseline, baseline, Map.of());
        assertThat(d.at("/campaigns/c/shifts")).isEmpty();
        assertThat(d.at("/campaigns/c/changedRequests").asLong()).isZero();
        assertThat(d.at("/interventions/gained")).isEmpty();
        assertThat(d.at("/interventions/changed")).isEmpty();
        assertThat(WhatIfDiff.diff(baseline, baseline, Map.of()).toString()).isEqualTo(d.toString());
    }

    @Test
    void aSendThatGoesOutAtAnotherTimeIsReportedAsRescheduled() throws IOException {
        write(baseline, "campaign-sends", send("r1", "sms", 0.00645), send("r2", "sms", 0.00645));
        write(
                variant,
                "campaign-sends",
                send("r1", "sms", 0.00645)
                        .replace("2026-11-21T10:00:00Z\",\"timezone", "2026-11-21T12:00:00Z\",\"timezone"),
                send("r2", "sms", 0.00645));
        JsonNode c = WhatIfDiff.diff(baseline, variant, Map.of("quiet-hours", "21:00-10:00"))
                .at("/campaigns/c");
        assertThat(c.path("changedRequests").asLong()).as("same outcome").isZero();
        assertThat(c.path("rescheduled").asLong()).isEqualTo(1);
        assertThat(c.at("/rescheduledRequests/0").toString())
                .isEqualTo("{\"requestId\":\"r1\",\"userId\":\"u-r1\",\"baseline\":\"2026-11-21T10:00:00Z\","
                        + "\"variant\":\"2026-11-21T12:00:00Z\"}");
        assertThat(WhatIfDiff.diff(baseline, baseline, Map.of())
                        .at("/campaigns/c/rescheduled")
                        .asLong())
                .isZero();
    }

    @Test
    void multisetDifference() {
        assertThat(WhatIfDiff.minus(List.of("b", "a", "a"), List.of("a"))).containsExactly("a", "b");
        assertThat(WhatIfDiff.minus(List.of("a"), List.of("a", "a"))).isEmpty();
    }
}
