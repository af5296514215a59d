package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.policy.CampaignFact;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The fatigue ledger lives in keyed RocksDB state: it survives a checkpoint and a restore into a new operator. */
class CampaignLedgerHarnessTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli(); // 10:00 in London
    static final long HOUR = 3_600_000L;
    static final long TTL = 30L * 24 * HOUR;

    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)),
                (InputRecord r) -> r.userId,
                Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    static void feed(KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h, InputRecord... rs)
            throws Exception {
        for (InputRecord r : rs) {
            h.processElement(new StreamRecord<>(r, r.timestamp));
        }
    }

    static List<JsonNode> campaignOutputs(KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h) {
        List<JsonNode> out = new ArrayList<>();
        for (OutputRecord o : h.extractOutputValues()) {
            JsonNode n = In.json(o);
            assertThat(Schemas.validate(o.stream, n))
                    .as("%s valid: %s", o.stream, o.json)
                    .isEmpty();
            if (Streams.CAMPAIGN_SENDS.equals(o.stream) || n.has("requestId")) {
                out.add(n);
            }
        }
        return out;
    }

    static List<CampaignFact> facts(KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h) {
        List<CampaignFact> out = new ArrayList<>();
        var side = h.getSideOutput(CustomerFunction.FACTS);
        if (side != null) {
            side.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }

    static InputRecord identify(String user) {
        return In.identify(user, user + "-id", T0 - HOUR, "Europe/London", In.allConsent(), true, true);
    }

    static InputRecord request(String user, String id, long t, String channel) {
        return new In.Req(user, id, t).channels(channel).build();
    }

    @Test
    void theDailyCapSurvivesACheckpointAndRestore() throws Exception {
        var h = harness();
        h.open();
        feed(
                h,
                identify("u-1"),
                request("u-1", "r1", T0 + HOUR, "whatsapp"),
                request("u-1", "r2", T0 + 2 * HOUR, "email"));
        h.processWatermark(T0 + 2 * HOUR);
        List<JsonNode> before = campaignOutputs(h);
        assertThat(before).extracting(n -> n.path("channel").asText()).containsExactly("whatsapp", "email");
        assertThat(before).allSatisfy(n -> assertThat(n.has("sendId")).isTrue());
        assertThat(facts(h))
                .as("one fact per request")
                .extracting(f -> f.requestId)
                .containsExactly("r1", "r2");
        assertThat(facts(h)).allSatisfy(f -> assertThat(f.reason).isNull());

        OperatorSubtaskState snapshot = h.snapshot(1L, T0 + 2 * HOUR);
        h.close();

        var restored = harness();
        restored.initializeState(snapshot);
        restored.open();
        // Same day, a channel with no cap of its own used yet: only the all-channel daily cap can stop it.
        feed(restored, request("u-1", "r3", T0 + 3 * HOUR, "sms"), request("u-1", "r1", T0 + 3 * HOUR + 1, "whatsapp"));
        restored.processWatermark(T0 + 4 * HOUR);
        List<JsonNode> after = campaignOutputs(restored);
        assertThat(after).hasSize(2);
        JsonNode capped = after.get(0);
        assertThat(capped.get("requestId").asText()).isEqualTo("r3");
        assertThat(capped.get("reason").asText()).as("%s", capped).isEqualTo("fatigue_cap");
        assertThat(capped.at("/details/cap").asText()).isEqualTo("all:2/1d");
        assertThat(capped.at("/details/count").asInt()).isEqualTo(2);
        assertThat(after.get(1).get("reason").asText())
                .as("the dedup ring survived too")
                .isEqualTo("duplicate");
        List<CampaignFact> restoredFacts = facts(restored);
        assertThat(restoredFacts).as("one fact per request").hasSize(2);
        assertThat(restoredFacts.get(0).reason).isEqualTo("fatigue_cap");
        assertThat(restoredFacts.get(0).campaignId).isEqualTo("winter-sale");
        assertThat(restoredFacts.get(1).duplicate).isTrue();
        restored.close();
    }

    @Test
    void withoutTheRestoredLedgerTheSameRequestWouldBeSent() throws Exception {
        // The control: a fresh operator that has seen the profile but not the two sends sends r3.
        var fresh = harness();
        fresh.open();
        feed(fresh, identify("u-1"), request("u-1", "r3", T0 + 3 * HOUR, "sms"));
        fresh.processWatermark(T0 + 4 * HOUR);
        assertThat(campaignOutputs(fresh)).singleElement().satisfies(n -> {
            assertThat(n.has("sendId")).as("%s", n).isTrue();
            assertThat(n.get("channel").asText()).isEqualTo("sms");
        });
        assertThat(facts(fresh))
                .singleElement()
                .satisfies(f -> assertThat(f.channel).isEqualTo("sms"));
        fresh.close();
    }

    @Test
    void eachCustomerHasTheirOwnLedgerAcrossTheRestore() throws Exception {
        var h = harness();
        h.open();
        feed(
                h,
                identify("u-1"),
                identify("u-2"),
                request("u-1", "a1", T0 + HOUR, "whatsapp"),
                request("u-1", "a2", T0 + 2 * HOUR, "email"),
                request("u-2", "b1", T0 + 2 * HOUR, "whatsapp"));
        h.processWatermark(T0 + 2 * HOUR);
        assertThat(facts(h)).hasSize(3);
        OperatorSubtaskState snapshot = h.snapshot(7L, T0 + 2 * HOUR);
        h.close();

        var restored = harness();
        restored.initializeState(snapshot);
        restored.open();
        feed(restored, request("u-1", "a3", T0 + 3 * HOUR, "push"), request("u-2", "b2", T0 + 3 * HOUR, "push"));
        restored.processWatermark(T0 + 4 * HOUR);
        List<JsonNode> after = campaignOutputs(restored);
        assertThat(after)
                .extracting(n -> n.get("requestId").asText() + ":"
                        + (n.has("sendId")
                                ? "sent " + n.get("channel").asText()
                                : n.get("reason").asText()))
                .containsExactlyInAnyOrder("a3:fatigue_cap", "b2:sent push");
        assertThat(facts(restored)).extracting(f -> f.requestId).containsExactlyInAnyOrder("a3", "b2");
        restored.close();
    }
}
