package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.policy.CampaignFact;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The campaign-summary operator: the facts of a minute of event time are folded in once the
 * watermark passes that minute, one summary per campaign per minute at most, cumulative, and the
 * same whatever the arrival order; nothing is written before the watermark says a minute is done.
 */
class CampaignSummaryHarnessTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;

    static CampaignFact fact(String request, long t, String channel, String reason, boolean duplicate) {
        CampaignFact f = new CampaignFact();
        f.campaignId = "spring";
        f.requestId = request;
        f.eventTime = t;
        f.channel = channel;
        f.reason = reason;
        f.cost = channel == null ? 0 : 0.0042;
        f.firstChoiceCost = 0.00645;
        f.duplicate = duplicate;
        return f;
    }

    static List<CampaignFact> facts() {
        return List.of(
                fact("r1", T0 + 1_000, "whatsapp", null, false),
                fact("r2", T0 + 2_000, "whatsapp", null, false),
                fact("r3", T0 + 3_000, null, "fatigue_cap", false),
                fact("r3", T0 + 4_000, null, "duplicate", true),
                fact("r4", T0 + 2 * MINUTE + 5_000, null, "win_back_in_progress", false));
    }

    static List<JsonNode> run(List<CampaignFact> arrival) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CampaignSummaryFunction.Operator(new CampaignSummaryFunction("USD"), false),
                (CampaignFact f) -> f.campaignId,
                Types.STRING);
        h.open();
        for (CampaignFact f : arrival) {
            h.processElement(new StreamRecord<>(f, f.eventTime));
        }
        assertThat(h.extractOutputValues()).as("nothing before the watermark").isEmpty();
        h.processWatermark(T0 + MINUTE - 1);
        assertThat(h.extractOutputValues()).hasSize(1);
        h.processWatermark(T0 + 10 * MINUTE);
        List<JsonNode> out = new ArrayList<>();
        for (OutputRecord o : h.extractOutputValues()) {
            JsonNode n = Json.MAPPER.readTree(o.json);
            assertThat(Schemas.validate(Streams.CAMPAIGN_SUMMARIES, n))
                    .as(o.json)
                    .isEmpty();
            out.add(n);
        }
        h.close();
        return out;
    }

    @Test
    void oneCumulativeSummaryPerMinuteOnceTheWatermarkPassesIt() throws Exception {
        List<JsonNode> out = run(facts());
        assertThat(out).hasSize(2);
        JsonNode first = out.get(0);
        assertThat(first.get("requests").asInt())
                .as("a duplicate is not a request")
                .isEqualTo(3);
        assertThat(first.at("/sends/whatsapp").asInt()).isEqualTo(2);
        assertThat(first.at("/suppressions/fatigue_cap").asInt()).isEqualTo(1);
        assertThat(first.at("/suppressions/duplicate").asInt()).isEqualTo(1);
        assertThat(first.at("/estimatedCost/amount").asDouble()).isEqualTo(0.0084);
        assertThat(first.at("/costIfFirstChoice/amount").asDouble()).isEqualTo(0.0129);
        JsonNode last = out.get(1);
        assertThat(last.get("requests").asInt()).isEqualTo(4);
        assertThat(last.at("/suppressions/win_back_in_progress").asInt()).isEqualTo(1);
        assertThat(last.get("eventTime").asText()).isEqualTo("2026-11-21T10:02:05.000Z");
    }

    @Test
    void theSameSummariesWhateverTheArrivalOrder() throws Exception {
        List<JsonNode> reference = run(facts());
        for (long seed = 1; seed <= 5; seed++) {
            List<CampaignFact> shuffled = new ArrayList<>(facts());
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(run(shuffled)).isEqualTo(reference);
        }
    }

    /** Facts of three campaigns over a few minutes, several per minute. */
    static List<CampaignFact> manyFacts() {
        List<CampaignFact> all = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 300; i++) {
            boolean sent = r.nextBoolean();
            CampaignFact f = fact(
                    "r" + i,
                    T0 + r.nextInt(6 * (int) MINUTE),
                    sent ? "sms" : null,
                    sent ? null : r.nextBoolean() ? "fatigue_cap" : "no_consent",
                    false);
            f.campaignId = List.of("spring", "summer", "intervention:win_back").get(i % 3);
            all.add(f);
        }
        return all;
    }

    /** The shipped operator; in a batch run it is handed its facts unsorted and folds them at the end of input. */
    static List<String> runOperator(List<CampaignFact> arrival, boolean batch) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CampaignSummaryFunction.Operator(new CampaignSummaryFunction("USD"), batch),
                (CampaignFact f) -> f.campaignId,
                Types.STRING);
        h.open();
        for (CampaignFact f : arrival) {
            h.processElement(new StreamRecord<>(f, f.eventTime));
            if (batch) {
                h.processWatermark(Long.MAX_VALUE); // a sorted stage before it passes the end of time early
            }
        }
        if (batch) {
            assertThat(h.extractOutputValues())
                    .as("nothing before the end of input")
                    .isEmpty();
            h.endInput();
        } else {
            h.processWatermark(Long.MAX_VALUE);
        }
        List<String> out = new ArrayList<>();
        for (OutputRecord o : h.extractOutputValues()) {
            out.add(o.json);
        }
        h.close();
        return out;
    }

    @Test
    void aBatchRunHandedItsFactsUnsortedWritesTheSummariesOfAStreamingRun() throws Exception {
        List<String> streaming = runOperator(manyFacts(), false);
        assertThat(streaming).hasSizeGreaterThan(9);
        for (long seed = 1; seed <= 5; seed++) {
            List<CampaignFact> shuffled = new ArrayList<>(manyFacts());
            Collections.shuffle(shuffled, new Random(seed));
            List<String> batch = runOperator(shuffled, true);
            assertThat(batch).containsExactlyInAnyOrderElementsOf(streaming);
        }
    }

    /**
     * A campaign sent to 20,000 customers in one minute of event time, on RocksDB as the live profiles
     * run: each fact is appended to its minute's list, and the one summary counts every request.
     */
    @Test
    void aLargeCampaignInOneMinuteIsSummarisedOnceWithEveryRequest() throws Exception {
        CampaignSummaryFunction fn = new CampaignSummaryFunction("USD");
        var h = summaryOperator(fn);
        h.open();
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            CampaignFact f =
                    fact("r" + i, T0 + i % MINUTE, i % 4 == 0 ? null : "sms", i % 4 == 0 ? "no_consent" : null, false);
            h.processElement(new StreamRecord<>(f, f.eventTime));
        }
        h.getOperator().setCurrentKey("spring");
        assertThat(savedLists(h).isEmpty())
                .as("no fact waits in a list value read and written whole per fact")
                .isTrue();
        fn.minuteFacts.setCurrentNamespace(CampaignSummaryFunction.minuteEnd(T0));
        assertThat(fn.minuteFacts.get())
                .as("every fact appended to its minute's list")
                .hasSize(n);
        h.processWatermark(T0 + 10 * MINUTE);
        List<OutputRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        JsonNode summary = Json.MAPPER.readTree(out.get(0).json);
        assertThat(summary.get("requests").asInt()).isEqualTo(n);
        assertThat(summary.at("/sends/sms").asInt()).isEqualTo(n * 3 / 4);
        assertThat(summary.at("/suppressions/no_consent").asInt()).isEqualTo(n / 4);
        h.close();
    }

    /**
     * Facts a savepoint of an earlier version holds as one list per minute in the map state (with the
     * minute's timer) are moved into the minute's list on restore, folded at that timer with the facts
     * appended since, and written once; the map is left empty.
     */
    @Test
    void factsSavedAsOneListPerMinuteAreFoldedWithTheAppendedOnes() throws Exception {
        long minuteEnd = CampaignSummaryFunction.minuteEnd(T0);
        var before = summaryOperator(new CampaignSummaryFunction("USD"));
        before.open();
        before.getOperator().setCurrentKey("spring");
        savedLists(before)
                .put(
                        minuteEnd,
                        new ArrayList<>(List.of(
                                fact("r1", T0 + 1_000, "whatsapp", null, false),
                                fact("r2", T0 + 2_000, null, "fatigue_cap", false))));
        var operator = (CampaignSummaryFunction.Operator) before.getOperator();
        operator.getInternalTimerService("user-timers", VoidNamespaceSerializer.INSTANCE, operator)
                .registerEventTimeTimer(VoidNamespace.INSTANCE, minuteEnd); // the minute's timer, saved with it
        OperatorSubtaskState snapshot = before.snapshot(1L, 1L);
        before.close();

        var h = summaryOperator(new CampaignSummaryFunction("USD"));
        h.initializeState(snapshot);
        h.open();
        h.processElement(new StreamRecord<>(fact("r3", T0 + 3_000, "sms", null, false), T0 + 3_000));
        h.processWatermark(T0 + 10 * MINUTE);
        List<OutputRecord> out = h.extractOutputValues();
        assertThat(out).hasSize(1);
        JsonNode summary = Json.MAPPER.readTree(out.get(0).json);
        assertThat(summary.get("requests").asInt()).isEqualTo(3);
        assertThat(summary.at("/sends/whatsapp").asInt()).isEqualTo(1);
        assertThat(summary.at("/sends/sms").asInt()).isEqualTo(1);
        assertThat(summary.at("/suppressions/fatigue_cap").asInt()).isEqualTo(1);
        h.getOperator().setCurrentKey("spring");
        assertThat(savedLists(h).isEmpty()).as("the saved lists were moved").isTrue();
        h.close();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, CampaignFact, OutputRecord> summaryOperator(
            CampaignSummaryFunction fn) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CampaignSummaryFunction.Operator(fn, false), (CampaignFact f) -> f.campaignId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** The map state of earlier versions, for the operator's current key. */
    static MapState<Long, List<CampaignFact>> savedLists(
            KeyedOneInputStreamOperatorTestHarness<String, CampaignFact, OutputRecord> h) throws Exception {
        return h.getOperator()
                .getKeyedStateBackend()
                .getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, CampaignSummaryFunction.SAVED_LISTS);
    }
}
