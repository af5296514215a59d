package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Dedup;
import dev.attune.testing.Defaults;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The keyed operator in a test harness: event-time order, late events, timers, TTL, Forget Me, restore. */
class CustomerFunctionTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long TTL = 30L * 24 * 3_600_000;

    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)),
                r -> r.userId,
                Types.STRING);
    }

    static InputRecord event(String id, String user, long t, String event, String props) {
        String json = "{\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"type\":\"track\",\"event\":\""
                + event + "\",\"timestamp\":" + t + ",\"properties\":" + props + "}";
        return RecordParser.parse(Streams.USER_EVENTS, "test", json.getBytes(StandardCharsets.UTF_8)).record;
    }

    static List<InputRecord> burst(String user) {
        List<InputRecord> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(event(user + "-s" + i, user, T0 + i * 3_000, "Struggle Signal", "{\"kind\":\"rage_click\"}"));
        }
        events.add(event(user + "-e", user, T0 + 13_000, "Error Shown", "{\"code\":\"E1\"}"));
        events.add(event(user + "-e2", user, T0 + 14_000, "Error Shown", "{\"code\":\"E1\"}"));
        return events;
    }

    static void feed(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h, List<InputRecord> events)
            throws Exception {
        for (InputRecord e : events) {
            h.processElement(new StreamRecord<>(e, e.timestamp));
        }
    }

    static List<String> outputs(KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h) {
        List<String> out = new ArrayList<>();
        for (Object o : new ConcurrentLinkedQueue<>(h.getOutput())) {
            if (o instanceof StreamRecord<?> r) {
                out.add(((OutputRecord) r.getValue()).json);
            }
        }
        return out;
    }

    /** What {@code key} has in {@code held}, in the order it came (empty when nothing). */
    static List<InputRecord> held(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h, String key) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        List<InputRecord> out = new ArrayList<>();
        Iterable<InputRecord> all = backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, CustomerFunction.HELD)
                .get();
        if (all != null) {
            all.forEach(out::add);
        }
        return out;
    }

    static CustomerState customer(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h, String key) throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        return backend.getPartitionedState(
                        VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, CustomerFunction.CUSTOMER)
                .value();
    }

    /** A customer's busy minute: struggles, errors and features, one a second. */
    static List<InputRecord> busy(String user, int n) {
        List<InputRecord> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long t = T0 + i * 1_000L;
            events.add(
                    switch (i % 3) {
                        case 0 -> event(user + "-s" + i, user, t, "Struggle Signal", "{\"kind\":\"rage_click\"}");
                        case 1 -> event(user + "-e" + i, user, t, "Error Shown", "{\"code\":\"E" + (i % 4) + "\"}");
                        default -> event(user + "-f" + i, user, t, "Feature Used", "{\"feature\":\"export\"}");
                    });
        }
        return events;
    }

    /**
     * With a watermark that always leaves some of a customer's events waiting, the decided ones stay in
     * {@code held} (no rewrite per watermark) until they outnumber the waiting ones; the records are those
     * of one watermark after everything, and nothing is left held at the end.
     */
    @Test
    void heldKeepsDecidedEventsUntilTheyOutnumberTheWaitingOnesAndTheRecordsAreUnchanged() throws Exception {
        List<InputRecord> events = busy("u1", 90);
        var once = harness();
        once.open();
        feed(once, events);
        once.processWatermark(Long.MAX_VALUE);

        var h = harness();
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        int keptDecided = 0;
        for (int i = 0; i < events.size(); i += 6) {
            feed(h, events.subList(i, Math.min(events.size(), i + 6)));
            long watermark = events.get(Math.min(events.size(), i + 6) - 1).timestamp - 4_500; // 4-5 wait
            h.processWatermark(watermark);
            List<InputRecord> held = held(h, "u1");
            long waiting = held.stream().filter(e -> e.timestamp > watermark).count();
            assertThat(waiting).as("what the watermark has not passed waits").isBetween(4L, 5L);
            keptDecided = Math.max(keptDecided, (int) (held.size() - waiting));
            assertThat(held.size() - waiting)
                    .as("decided events kept are bounded")
                    .isLessThanOrEqualTo(CustomerFunction.REWRITE_DECIDED + 6);
        }
        assertThat(keptDecided)
                .as("decided events stayed in held between rewrites")
                .isGreaterThan(6);
        h.processWatermark(Long.MAX_VALUE);
        assertThat(held(h, "u1")).as("nothing held at the end").isEmpty();
        assertThat(outputs(h))
                .as("the records one watermark gives")
                .isEqualTo(outputs(once))
                .isNotEmpty();
    }

    /**
     * An event that comes after a restore (event time starts again) dated before a watermark that decided
     * some of what the customer holds is decided, not taken for one of them: which held events are decided
     * counts those that came before, not event time alone.
     */
    @Test
    void anOldEventAfterARestoreIsNotTakenForADecidedOne() throws Exception {
        var before = harness();
        before.setStateBackend(new EmbeddedRocksDBStateBackend());
        before.open();
        feed(
                before,
                List.of(
                        event("m1", "u1", T0, "Feature Used", "{}"),
                        event("m2", "u1", T0 + 1_000, "Feature Used", "{}"),
                        event("m3", "u1", T0 + 10_000, "Feature Used", "{}")));
        before.processWatermark(T0 + 5_000);
        assertThat(held(before, "u1")).as("m1 and m2 decided, kept; m3 waits").hasSize(3);
        OperatorSubtaskState snapshot = before.snapshot(1L, 1L);
        before.close();

        var after = harness();
        after.setStateBackend(new EmbeddedRocksDBStateBackend());
        after.initializeState(snapshot);
        after.open();
        feed(after, List.of(event("m0", "u1", T0 + 500, "Feature Used", "{}")));
        assertThat(Dedup.seen(customer(after, "u1"), "m0"))
                .as("not decided yet")
                .isFalse();
        after.processWatermark(T0 + 20_000);
        assertThat(Dedup.seen(customer(after, "u1"), "m0")).as("decided").isTrue();
        assertThat(Dedup.seen(customer(after, "u1"), "m3")).isTrue();
        assertThat(held(after, "u1")).isEmpty();
        after.close();
    }

    @Test
    void oneTimerPerWaitingCustomerMovesToTheEarliestEventLeft() throws Exception {
        var h = harness(); // heap state: the harness counts timers only there
        h.open();
        feed(
                h,
                List.of(
                        event("m1", "u1", T0 + 1_000, "Feature Used", "{}"),
                        event("m2", "u1", T0 + 3_000, "Feature Used", "{}"),
                        event("m3", "u1", T0 + 10_000, "Feature Used", "{}")));
        assertThat(h.numEventTimeTimers()).as("at m1's time").isEqualTo(1);
        h.processWatermark(T0 + 5_000);
        assertThat(Dedup.seen(customer(h, "u1"), "m2")).isTrue();
        assertThat(Dedup.seen(customer(h, "u1"), "m3")).isFalse();
        assertThat(h.numEventTimeTimers()).as("housekeeping, and m3's time").isEqualTo(2);
        feed(h, List.of(event("m4", "u1", T0 + 7_000, "Feature Used", "{}")));
        assertThat(h.numEventTimeTimers())
                .as("m4 is now the earliest: a timer at its time too")
                .isEqualTo(3);
        h.processWatermark(T0 + 8_000);
        assertThat(Dedup.seen(customer(h, "u1"), "m4")).isTrue();
        assertThat(Dedup.seen(customer(h, "u1"), "m3")).isFalse();
        assertThat(h.numEventTimeTimers())
                .as("housekeeping, and m3's time still")
                .isEqualTo(2);
        h.processWatermark(T0 + 20_000);
        assertThat(Dedup.seen(customer(h, "u1"), "m3")).isTrue();
        assertThat(held(h, "u1")).isEmpty();
        assertThat(h.numEventTimeTimers()).as("only the housekeeping timer").isEqualTo(1);
    }

    @Test
    void decidesOnlyWhenTheWatermarkPassesAndInEventTimeOrder() throws Exception {
        var h = harness();
        h.open();
        feed(h, burst("u1"));
        assertThat(outputs(h)).as("nothing before the watermark").isEmpty();
        assertThat(h.numEventTimeTimers())
                .as("one timer for the customer's six waiting events, at the earliest")
                .isEqualTo(1);
        h.processWatermark(T0 + 20_000);
        List<String> out = outputs(h);
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).contains("\"type\":\"help_tip\"");
        assertThat(out.get(1)).contains("\"type\":\"live_chat_offer\"", "\"action\":\"show_live_chat_popup\"");

        var shuffled = harness();
        shuffled.open();
        List<InputRecord> events = burst("u1");
        Collections.reverse(events);
        feed(shuffled, events);
        shuffled.processWatermark(T0 + 20_000);
        assertThat(outputs(shuffled))
                .as("arrival order within the bound changes nothing")
                .isEqualTo(out);
    }

    /** Deciding on arrival in the job's operator, which tells the function which customers hold events. */
    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> onArrival() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)
                        .decidingOnArrival(true, java.time.Duration.ofSeconds(10))),
                r -> r.userId,
                Types.STRING);
    }

    /** The same function in a plain operator: it reads {@code held} to see whether the customer holds events. */
    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> onArrivalReadingHeld()
            throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)
                        .decidingOnArrival(true, java.time.Duration.ofSeconds(10))),
                r -> r.userId,
                Types.STRING);
    }

    /**
     * What a customer holds when a snapshot is taken still makes their next in-product event wait after a
     * restore (the operator learns it from the state), in RocksDB; the same in a plain operator reading
     * {@code held}.
     */
    @Test
    void onArrivalWhatARestoredCustomerHoldsMakesTheirNextEventWait() throws Exception {
        InputRecord ticket = furiousTicket("u1");
        List<InputRecord> struggles = strugglesAfterTheTicket("u1");
        List<InputRecord> other = burst("u2").subList(0, 3); // three struggles: help
        List<List<String>> runs = new ArrayList<>();
        for (boolean tracked : new boolean[] {true, false}) {
            var before = tracked ? onArrival() : onArrivalReadingHeld();
            before.setStateBackend(new EmbeddedRocksDBStateBackend());
            before.open();
            feed(before, List.of(ticket)); // waits for the watermark: it could lead to a message
            OperatorSubtaskState snapshot = before.snapshot(1L, 1L);
            before.close();

            var after = tracked ? onArrival() : onArrivalReadingHeld();
            after.setStateBackend(new EmbeddedRocksDBStateBackend());
            after.initializeState(snapshot);
            after.open();
            feed(after, struggles);
            feed(after, other);
            assertThat(outputs(after))
                    .as("u1's struggles wait behind the restored ticket; u2 holds nothing and is decided")
                    .singleElement()
                    .asString()
                    .contains("\"userId\":\"u2\"");
            after.processWatermark(T0 + 20_000);
            assertThat(outputs(after)).anySatisfy(o -> assertThat(o).contains("\"type\":\"service_recovery\""));
            assertThat(outputs(after)).anySatisfy(o -> assertThat(o).contains("\"type\":\"help_tip\""));
            // Once decided, u1 holds nothing: an in-order in-product event is decided on arrival again.
            int decided = outputs(after).size();
            feed(after, List.of(event("s9", "u1", T0 + 30_000, "Error Shown", "{\"code\":\"E1\"}")));
            assertThat(after.numEventTimeTimers())
                    .as("no timer for it: decided on arrival")
                    .isEqualTo(2); // the two customers' housekeeping timers
            runs.add(outputs(after).subList(0, decided));
            after.close();
        }
        assertThat(runs.get(0)).as("tracked or read, the same records").isEqualTo(runs.get(1));
    }

    @Test
    void onArrivalAStruggleBurstIsAnsweredBeforeAnyWatermarkWithTheSameRecords() throws Exception {
        var watermarked = harness();
        watermarked.open();
        feed(watermarked, burst("u1"));
        watermarked.processWatermark(T0 + 20_000);

        var h = onArrival();
        h.open();
        List<InputRecord> events = burst("u1");
        feed(h, events.subList(0, 3));
        assertThat(outputs(h)).as("the third struggle already asks for help").hasSize(1);
        assertThat(outputs(h).get(0)).contains("\"type\":\"help_tip\"");
        feed(h, events.subList(3, events.size()));
        assertThat(h.numEventTimeTimers())
                .as("only the customer's housekeeping timer")
                .isEqualTo(1);
        h.processWatermark(T0 + 20_000);
        assertThat(outputs(h)).as("the records a watermark would have given").isEqualTo(outputs(watermarked));
    }

    @Test
    void onArrivalHistoryBeingCaughtUpOnWaitsForTheWatermark() throws Exception {
        var h = onArrival();
        h.open();
        h.setProcessingTime(T0 + 3_600_000); // the burst is an hour old when read: a backlog
        feed(h, burst("u1"));
        assertThat(outputs(h))
                .as("older than decide.arrival-max-age: decided in event-time order")
                .isEmpty();
        h.processWatermark(T0 + 20_000);
        assertThat(outputs(h)).hasSize(2);
        var live = onArrival();
        live.open();
        live.setProcessingTime(T0 + 5_000); // read a few seconds after they happened
        feed(live, burst("u1"));
        assertThat(outputs(live)).as("recent: decided on arrival").hasSize(2);
    }

    @Test
    void onArrivalWhatCouldLeadToAMessageWaitsAndSoDoesWhatComesAfterIt() throws Exception {
        var h = onArrival();
        h.open();
        InputRecord ticket = furiousTicket("u1");
        List<InputRecord> struggles = strugglesAfterTheTicket("u1");
        feed(h, List.of(ticket));
        feed(h, struggles);
        assertThat(outputs(h))
                .as("the ticket waits for the watermark, and the struggles after it wait with it")
                .isEmpty();
        h.processWatermark(T0 + 20_000);
        assertThat(outputs(h)).anySatisfy(o -> assertThat(o).contains("\"type\":\"service_recovery\""));
        assertThat(outputs(h)).anySatisfy(o -> assertThat(o).contains("\"type\":\"help_tip\""));
    }

    @Test
    void onArrivalAnEventOlderThanOneDecidedWaitsAndIsDecidedAfterIt() throws Exception {
        var h = onArrival();
        h.open();
        List<InputRecord> events = burst("u1");
        feed(h, List.of(events.get(1)));
        assertThat(h.numEventTimeTimers())
                .as("decided: no timer but housekeeping")
                .isEqualTo(1);
        feed(h, List.of(events.get(0)));
        assertThat(h.numEventTimeTimers())
                .as("the older one waits for the watermark")
                .isEqualTo(2);
        feed(h, List.of(events.get(2)));
        assertThat(outputs(h))
                .as("the newest waits too: one of the customer's events waits")
                .isEmpty();
        h.processWatermark(T0 + 7_000);
        assertThat(outputs(h)).as("three struggles: help").hasSize(1);
    }

    /**
     * The job's operator keeps its output ACTIVE whatever its input says (it passes no status on),
     * passes watermarks on, and at the end of its input decides what it holds even when no final
     * watermark came.
     */
    @Test
    void theOperatorNeverAnnouncesIdleAndDecidesEverythingAtTheEndOfItsInput() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)),
                (InputRecord r) -> r.userId,
                Types.STRING);
        h.open();
        feed(h, burst("u1"));
        h.processWatermarkStatus(WatermarkStatus.IDLE);
        h.processWatermarkStatus(WatermarkStatus.ACTIVE);
        h.processWatermark(T0 + 2_000); // passes the first struggle only: no help yet
        assertThat(h.getOutput()).as("no status passed on").noneMatch(e -> e instanceof WatermarkStatus);
        assertThat(h.getOutput()).filteredOn(e -> e instanceof Watermark).containsExactly(new Watermark(T0 + 2_000));
        assertThat(outputs(h)).as("only what the watermark passed").isEmpty();
        h.endInput();
        assertThat(outputs(h)).as("the burst decided at the end of input").isNotEmpty();
        assertThat(h.getOutput()).filteredOn(e -> e instanceof Watermark).last().isEqualTo(Watermark.MAX_WATERMARK);
    }

    @Test
    void lateEventsAreDeadLettersAndLateRetriesAreDuplicates() throws Exception {
        var h = harness();
        h.open();
        InputRecord first = event("m1", "u1", T0, "Feature Used", "{}");
        feed(h, List.of(first));
        h.processWatermark(T0 + 60_000);
        feed(
                h,
                List.of(
                        event("m1", "u1", T0, "Feature Used", "{}"),
                        event("m2", "u1", T0 + 1_000, "Feature Used", "{}")));
        assertThat(outputs(h))
                .as("nothing on the main output: the retry is a duplicate, m2 is late")
                .isEmpty();
        var late = h.getSideOutput(CustomerFunction.LATE);
        assertThat(late).hasSize(1);
        OutputRecord deadLetter = late.peek().getValue();
        assertThat(deadLetter.stream).isEqualTo(Streams.DEAD_LETTER);
        assertThat(deadLetter.json).contains("\"stage\":\"validate\"", "\"code\":\"late_event\"", "\"userId\":\"u1\"");
    }

    @Test
    void aLateRepeatOfACampaignRequestIsStillAnsweredAsDuplicate() throws Exception {
        var h = harness();
        h.open();
        String json = "{\"requestId\":\"r1\",\"campaignId\":\"c\",\"userId\":\"u1\",\"timestamp\":" + T0
                + ",\"category\":\"transactional\",\"channels\":[\"email\"]}";
        InputRecord request =
                RecordParser.parse(Streams.CAMPAIGN_REQUESTS, "t", json.getBytes(StandardCharsets.UTF_8)).record;
        feed(h, List.of(request));
        h.processWatermark(T0 + 60_000);
        feed(
                h,
                List.of(RecordParser.parse(Streams.CAMPAIGN_REQUESTS, "t2", json.getBytes(StandardCharsets.UTF_8))
                        .record));
        List<String> out = outputs(h);
        assertThat(out).hasSize(2);
        assertThat(out.get(1)).contains("\"reason\":\"duplicate\"", "\"requestId\":\"r1\"");
        assertThat(h.getSideOutput(CustomerFunction.FACTS)).hasSize(2);
    }

    @Test
    void aQuietCustomerCostsNothingAfterTheTtl() throws Exception {
        var h = harness(); // heap state: the harness counts timers only there
        h.open();
        feed(h, burst("u1"));
        h.processWatermark(T0 + 20_000);
        assertThat(h.numKeyedStateEntries()).isPositive();
        assertThat(h.numEventTimeTimers()).as("only the housekeeping timer").isEqualTo(1);
        h.processWatermark(T0 + 14_000 + TTL + 3_600_000); // expiry is checked on the hour after the TTL
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        h.close();
    }

    private static InputRecord unsubscribe(String user, long t) {
        String json = "{\"messageId\":\"unsub-" + t + "\",\"userId\":\"" + user
                + "\",\"type\":\"track\",\"event\":\"Unsubscribed\",\"timestamp\":" + t
                + "}";
        return RecordParser.parse(Streams.ENGAGEMENT_EVENTS, "t", json.getBytes(StandardCharsets.UTF_8)).record;
    }

    private static InputRecord promotion(String request, String user, long t) {
        String json = "{\"requestId\":\"" + request + "\",\"campaignId\":\"c\",\"userId\":\"" + user
                + "\",\"timestamp\":" + t + ",\"category\":\"promotional\",\"channels\":[\"email\"]}";
        return RecordParser.parse(Streams.CAMPAIGN_REQUESTS, "t", json.getBytes(StandardCharsets.UTF_8)).record;
    }

    @Test
    void anUnsubscribeOutlivesTheTtl() throws Exception {
        var h = harness();
        h.open();
        feed(h, List.of(RefusalProperties.identify("hello", T0 - 1_000), unsubscribe("u1", T0)));
        h.processWatermark(T0 + TTL + 2 * 3_600_000); // the customer's state expires
        assertThat(h.numKeyedStateEntries()).as("the bare refusal is kept").isPositive();
        long later = T0 + 3 * TTL;
        // Back after months, sending their traits (contacts, consent) again, and asked for a promotion.
        feed(h, List.of(RefusalProperties.identify("back", later - 1_000), promotion("r1", "u1", later)));
        h.processWatermark(later + 1);
        assertThat(outputs(h)).singleElement().asString().contains("\"reason\":\"unsubscribed\"");
        assertThat(outputs(h).get(0)).doesNotContain("campaign-send");
    }

    @Test
    void anUnsubscribeOutlivesForgetMe() throws Exception {
        var h = harness();
        h.open();
        feed(
                h,
                List.of(
                        RefusalProperties.identify("hello", T0 - 1_000),
                        unsubscribe("u1", T0),
                        event("f", "u1", T0 + 1_000, "Forget Me", "{}")));
        h.processWatermark(T0 + 2_000);
        int before = outputs(h).size();
        // The customer comes back and is asked for a promotion: still unsubscribed.
        feed(h, List.of(RefusalProperties.identify("back", T0 + 5_000), promotion("r1", "u1", T0 + 6_000)));
        h.processWatermark(T0 + 7_000);
        List<String> out = outputs(h);
        assertThat(out).hasSize(before + 1);
        assertThat(out.get(before)).contains("\"reason\":\"unsubscribed\"");
    }

    @Test
    void forgetMeErasesTheCustomerAndLateHistoryDoesNotBringThemBack() throws Exception {
        var h = harness();
        h.open();
        List<InputRecord> events = new ArrayList<>(burst("u1").subList(0, 2));
        events.add(event("f", "u1", T0 + 7_000, "Forget Me", "{}"));
        feed(h, events);
        h.processWatermark(T0 + 8_000);
        int before = outputs(h).size();
        // The rest of the burst is erased history arriving late: dropped, no output names u1.
        feed(h, List.of(event("u1-s2", "u1", T0 + 6_999, "Struggle Signal", "{\"kind\":\"rage_click\"}")));
        assertThat(outputs(h)).hasSize(before);
        // A new visit after Forget Me starts from nothing: two struggles alone stay below the cut-off.
        feed(
                h,
                List.of(
                        event("n1", "u1", T0 + 9_000, "Struggle Signal", "{}"),
                        event("n2", "u1", T0 + 10_000, "Struggle Signal", "{}")));
        h.processWatermark(T0 + 11_000);
        assertThat(outputs(h)).hasSize(before);
    }

    @Test
    void stateAndTimersSurviveSnapshotAndRestore() throws Exception {
        var h = harness();
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        h.open();
        List<InputRecord> events = burst("u1");
        feed(h, events.subList(0, 3));
        h.processWatermark(T0 + 7_000);
        feed(h, events.subList(3, 6)); // pending, not yet decided
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        h.close();

        var restored = harness();
        restored.setStateBackend(new EmbeddedRocksDBStateBackend());
        restored.initializeState(snapshot);
        restored.open();
        restored.processWatermark(T0 + 20_000);
        assertThat(outputs(restored)).singleElement().asString().contains("\"type\":\"live_chat_offer\"");
        restored.close();
    }

    @Test
    void customersDoNotSeeEachOthersState() throws Exception {
        var alone = harness();
        alone.open();
        feed(alone, burst("b").subList(3, 6));
        alone.processWatermark(T0 + 20_000);

        var mixed = harness();
        mixed.open();
        feed(mixed, burst("a").subList(0, 3));
        feed(mixed, burst("b").subList(3, 6));
        mixed.processWatermark(T0 + 20_000);
        // a's three struggles must not add to b's risk: b decides exactly as when alone.
        assertThat(outputs(mixed).stream()
                        .filter(o -> o.contains("\"userId\":\"b\""))
                        .toList())
                .isEqualTo(outputs(alone));
        assertThat(outputs(mixed)).anySatisfy(o -> assertThat(o).contains("\"userId\":\"a\""));
    }

    /** An urgent, furious ticket of {@code user} at {@code T0}: it can lead to a message, so it waits. */
    private static InputRecord furiousTicket(String user) {
        return event(
                "t1",
                user,
                T0,
                "Support Ticket Created",
                "{\"priority\":\"urgent\",\"text\":\"Charged twice, this is unacceptable and I am furious\"}");
    }

    /** Three struggles of {@code user}, each a second after its place in {@link #burst}: after the ticket. */
    private static List<InputRecord> strugglesAfterTheTicket(String user) {
        return burst(user).subList(0, 3).stream()
                .map(e -> event(e.messageId, user, e.timestamp + 1_000, "Struggle Signal", "{\"kind\":\"rage_click\"}"))
                .toList();
    }
}
