package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {
    @TempDir
    Path out;

    @Test
    void interventionsAndSendsAreCountedPerLocale() throws Exception {
        Files.createDirectories(out.resolve(Streams.INTERVENTIONS));
        Files.createDirectories(out.resolve(Streams.CAMPAIGN_SENDS));
        Files.writeString(
                out.resolve(Streams.INTERVENTIONS).resolve("part-0.jsonl"),
                "{\"type\":\"win_back\",\"locale\":\"de-DE\"}\n{\"type\":\"help_tip\",\"locale\":\"en-GB\"}\n"
                        + "{\"type\":\"win_back\",\"locale\":\"en-GB\"}\n");
        Files.writeString(
                out.resolve(Streams.CAMPAIGN_SENDS).resolve("part-0.jsonl"),
                "{\"channel\":\"email\",\"locale\":\"fr-FR\"}\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), out, 0);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("by locale: en-GB 2, de-DE 1").contains("by locale: fr-FR 1");
    }

    @Test
    void aCampaignsOutcomesAndUpliftArePrinted() throws Exception {
        dev.attune.policy.CampaignTally t = new dev.attune.policy.CampaignTally();
        for (int i = 0; i < 100; i++) {
            t.add(dev.attune.policy.OutcomesAndHoldoutsTest.fact("s" + i, "email", null, null, false, 0));
            t.add(dev.attune.policy.OutcomesAndHoldoutsTest.fact("h" + i, null, "holdout", null, false, 0));
        }
        for (int i = 0; i < 30; i++) {
            t.add(dev.attune.policy.OutcomesAndHoldoutsTest.fact("o" + i, null, null, "converted", false, 20));
        }
        for (int i = 0; i < 10; i++) {
            t.add(dev.attune.policy.OutcomesAndHoldoutsTest.fact("p" + i, null, null, "converted", true, 20));
        }
        Files.createDirectories(out.resolve(Streams.CAMPAIGN_SUMMARIES));
        Files.writeString(
                out.resolve(Streams.CAMPAIGN_SUMMARIES).resolve("part-0.jsonl"), t.toOutput("USD").json + "\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), out, 0);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("converted 30 (600.00 USD)")
                .contains("held out 100: conversion 30.0% sent vs 10.0% held out, difference +20.0 points")
                .contains("more conversions when sent");
    }

    @Test
    void anInterventionTypesGoalIsPrintedAndTheLatestSummaryIsTheOneWithTheMostOutcomes() throws Exception {
        dev.attune.policy.CampaignTally t = new dev.attune.policy.CampaignTally();
        for (int i = 0; i < 50; i++) {
            t.add(fact("g" + i, "in_app", null, null, false));
            t.add(fact("h" + i, null, "holdout", null, false));
        }
        for (int i = 0; i < 30; i++) {
            t.add(fact("c" + i, null, null, "converted", false));
        }
        String earlier = t.toOutput("USD").json;
        for (int i = 0; i < 10; i++) {
            t.add(fact("p" + i, null, null, "converted", true));
        }
        String later = t.toOutput("USD").json; // same decisions and eventTime, more outcomes
        Files.createDirectories(out.resolve(Streams.CAMPAIGN_SUMMARIES));
        Files.writeString(
                out.resolve(Streams.CAMPAIGN_SUMMARIES).resolve("part-0.jsonl"), later + "\n" + earlier + "\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), out, 0);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("Interventions (called for")
                .contains("live_chat_offer: 100 called for -> suppressed holdout 50 -> given in_app 50")
                .contains("completed 30 of 50 given")
                .contains("held out 50: completed 60.0% given vs 20.0% held out")
                .contains("reached more often when given")
                .doesNotContain("Campaigns (requests");
    }

    private static dev.attune.policy.CampaignFact fact(
            String id, String channel, String reason, String outcome, boolean holdout) {
        dev.attune.policy.CampaignFact f =
                dev.attune.policy.OutcomesAndHoldoutsTest.fact(id, channel, reason, outcome, holdout, 0);
        f.campaignId = "intervention:live_chat_offer";
        return f;
    }
}
