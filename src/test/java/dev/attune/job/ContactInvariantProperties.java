package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Channel;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.policy.FatigueCap;
import dev.attune.policy.PolicySettings;
import dev.attune.testing.Defaults;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;

/**
 * The promises to customers as invariants of the two keyed stages (visitors, customers) wired as
 * the job wires them, over generated histories of one person: a visitor who may be linked to the
 * customer (by an identify with both ids or an alias), consents given and refused, unsubscribes,
 * complaints and hard bounces, cancellations (win-backs), angry tickets (agent callbacks),
 * campaign requests, Forget Me and silences longer than the state TTL; both consent modes; any
 * arrival order within the watermark's bound. Over every message (campaign sends, win-backs, agent
 * callbacks): none on a channel refused before it, none without consent under opt-in when
 * promotional, none inside quiet hours, none over a fatigue cap; in-product help is never a
 * message. And the same history gives the same outputs whatever the arrival order.
 *
 * <p>The checks read the inputs, not the engine: a refusal is any event the contract says closes
 * a channel; what the engine may have forgotten (a consent after Forget Me) only makes it stricter.
 */
class ContactInvariantProperties {
    static final long T0 = Instant.parse("2026-03-02T06:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;
    static final long DAY = 86_400_000L;
    static final long TTL = 30 * DAY;
    static final String USER = "u-1";
    static final String ANON = "a-1";
    static final List<Channel> MESSAGE_CHANNELS =
            List.of(Channel.EMAIL, Channel.SMS, Channel.WHATSAPP, Channel.VOICE, Channel.PUSH);
    static final List<String> ZONES = List.of("Europe/London", "America/New_York", "Asia/Tokyo", "Australia/Sydney");

    enum Who {
        VISITOR,
        CUSTOMER
    }

    enum Act {
        CONSENT_TRUE,
        CONSENT_FALSE,
        UNSUBSCRIBE_ALL,
        UNSUBSCRIBE,
        COMPLAIN,
        BOUNCE,
        CANCEL,
        ANGRY_TICKET,
        STRUGGLE,
        PROMOTION,
        TRANSACTIONAL,
        FORGET_ME
    }

    /** One step: how long after the previous one (a long silence or minutes), who, what, on which channel. */
    record Step(boolean silence, int minutes, Who who, Act act, int channel) {}

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.integers().between(0, 24).map(i -> i == 0),
                        Arbitraries.integers().between(1, 600),
                        Arbitraries.of(Who.class),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(4, Arbitraries.just(Act.CONSENT_TRUE)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Act.CONSENT_FALSE)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Act.UNSUBSCRIBE_ALL)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Act.UNSUBSCRIBE)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Act.COMPLAIN)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Act.BOUNCE)),
                                net.jqwik.api.Tuple.of(3, Arbitraries.just(Act.CANCEL)),
                                net.jqwik.api.Tuple.of(3, Arbitraries.just(Act.ANGRY_TICKET)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Act.STRUGGLE)),
                                net.jqwik.api.Tuple.of(6, Arbitraries.just(Act.PROMOTION)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Act.TRANSACTIONAL)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Act.FORGET_ME))),
                        Arbitraries.integers().between(0, MESSAGE_CHANNELS.size() - 1))
                .as(Step::new);
        return step.list().ofMinSize(4).ofMaxSize(40);
    }

    /** A generated history as records, and what the checks need to know of it. */
    static final class History {
        final List<InputRecord> records = new ArrayList<>();
        /** Every record by who sent it, for the checks: the customer's and the visitor's events. */
        final List<InputRecord> customerEvents = new ArrayList<>();

        final List<InputRecord> visitorEvents = new ArrayList<>();
        long linkAt = Long.MAX_VALUE;
        final String zone;

        History(List<Step> steps, int linkStep, boolean alias, int zoneIndex) {
            zone = ZONES.get(zoneIndex);
            long t = T0;
            int n = 0;
            for (int i = 0; i < steps.size(); i++) {
                Step s = steps.get(i);
                t += s.silence() ? TTL + DAY + s.minutes() * MINUTE : s.minutes() * MINUTE;
                if (i == linkStep) {
                    linkAt = t;
                    add(
                            alias
                                    ? "{\"messageId\":\"link\",\"userId\":\"" + USER + "\",\"previousId\":\"" + ANON
                                            + "\",\"type\":\"alias\",\"timestamp\":" + t + "}"
                                    : "{\"messageId\":\"link\",\"userId\":\"" + USER + "\",\"anonymousId\":\"" + ANON
                                            + "\",\"type\":\"identify\",\"timestamp\":" + t + "}",
                            Streams.USER_EVENTS,
                            null);
                    t += MINUTE;
                }
                // Visitors only browse, consent, refuse and complain; cancellations and requests name the customer.
                Who who = s.act() == Act.CANCEL
                                || s.act() == Act.PROMOTION
                                || s.act() == Act.TRANSACTIONAL
                                || s.act() == Act.FORGET_ME
                        ? Who.CUSTOMER
                        : s.who();
                String ids = who == Who.CUSTOMER ? "\"userId\":\"" + USER + "\"" : "\"anonymousId\":\"" + ANON + "\"";
                String c = MESSAGE_CHANNELS.get(s.channel()).wire();
                String id = "m" + n++;
                String head = "{\"messageId\":\"" + id + "\"," + ids + ",\"timestamp\":" + t + ",";
                List<InputRecord> by = who == Who.CUSTOMER ? customerEvents : visitorEvents;
                switch (s.act()) {
                    case CONSENT_TRUE, CONSENT_FALSE ->
                        add(
                                head + "\"type\":\"identify\",\"traits\":{\"timezone\":\"" + zone + "\",\"consent\":{\""
                                        + c + "\":" + (s.act() == Act.CONSENT_TRUE) + "}}}",
                                Streams.USER_EVENTS,
                                by);
                    case UNSUBSCRIBE_ALL ->
                        add(head + "\"type\":\"track\",\"event\":\"Unsubscribed\"}", Streams.ENGAGEMENT_EVENTS, by);
                    case UNSUBSCRIBE ->
                        add(
                                head + "\"type\":\"track\",\"event\":\"Unsubscribed\",\"properties\":{\"channel\":\""
                                        + c + "\"}}",
                                Streams.ENGAGEMENT_EVENTS,
                                by);
                    case COMPLAIN ->
                        add(
                                head + "\"type\":\"track\",\"event\":\"Message Complained\","
                                        + "\"properties\":{\"channel\":\"" + c + "\"}}",
                                Streams.ENGAGEMENT_EVENTS,
                                by);
                    case BOUNCE ->
                        add(
                                head + "\"type\":\"track\",\"event\":\"Message Bounced\","
                                        + "\"properties\":{\"channel\":\"" + c + "\",\"bounceType\":\"hard\"}}",
                                Streams.ENGAGEMENT_EVENTS,
                                by);
                    case CANCEL ->
                        add(
                                head + "\"type\":\"track\",\"event\":\"Subscription Cancelled\","
                                        + "\"properties\":{\"reason\":\"Too expensive\"}}",
                                Streams.USER_EVENTS,
                                by);
                    case ANGRY_TICKET ->
                        add(
                                head + "\"type\":\"track\",\"event\":\"Support Ticket Created\","
                                        + "\"properties\":{\"priority\":\"urgent\",\"text\":\"Charged twice, this is "
                                        + "unacceptable and I am furious\"}}",
                                Streams.USER_EVENTS,
                                by);
                    case STRUGGLE -> {
                        for (int k = 0; k < 4; k++) {
                            add(
                                    "{\"messageId\":\"" + id + "-" + k + "\"," + ids + ",\"timestamp\":"
                                            + (t + k * 2_000L)
                                            + ",\"type\":\"track\",\"event\":\"Struggle Signal\","
                                            + "\"properties\":{\"kind\":\"rage_click\",\"attempts\":3}}",
                                    Streams.USER_EVENTS,
                                    by);
                        }
                        t += 8_000L;
                    }
                    case PROMOTION, TRANSACTIONAL -> {
                        String second = MESSAGE_CHANNELS
                                .get((s.channel() + 1) % MESSAGE_CHANNELS.size())
                                .wire();
                        add(
                                "{\"requestId\":\"" + id + "\",\"campaignId\":\"c\",\"userId\":\"" + USER
                                        + "\",\"timestamp\":" + t + ",\"category\":\""
                                        + (s.act() == Act.PROMOTION ? "promotional" : "transactional")
                                        + "\",\"channels\":[\"" + c + "\",\"" + second + "\"]}",
                                Streams.CAMPAIGN_REQUESTS,
                                by);
                    }
                    case FORGET_ME ->
                        add(head + "\"type\":\"track\",\"event\":\"Forget Me\"}", Streams.USER_EVENTS, by);
                }
            }
        }

        private void add(String json, String stream, List<InputRecord> by) {
            InputRecord r = RecordParser.parse(stream, "gen", json.getBytes(StandardCharsets.UTF_8)).record;
            assertThat(r).as("fixture parses: %s", json).isNotNull();
            records.add(r);
            if (by != null) {
                by.add(r);
            }
        }

        /** The events that had reached the person a message at {@code t} went to, before {@code t}. */
        List<InputRecord> known(boolean toVisitor, long t) {
            List<InputRecord> out = new ArrayList<>();
            if (!toVisitor) {
                customerEvents.stream().filter(e -> e.timestamp < t).forEach(out::add);
            }
            if (toVisitor || linkAt <= t) {
                visitorEvents.stream().filter(e -> e.timestamp < t).forEach(out::add);
            }
            return out;
        }
    }

    /** Runs the history through both stages as the job wires them, one record per watermark in event-time order. */
    static List<OutputRecord> run(History h, PolicySettings policy) throws Exception {
        return run(h, policy, null, false, false);
    }

    /**
     * Runs the history through both stages as the job wires them: in batches of random size between
     * watermarks when {@code arrival} is given (each batch in any order when {@code shuffle}), with
     * in-product events decided on arrival when {@code onArrival}.
     */
    static List<OutputRecord> run(History h, PolicySettings policy, Random arrival, boolean shuffle, boolean onArrival)
            throws Exception {
        CustomerEngine engine = new CustomerEngine(Defaults.signals(), policy, Defaults.heuristic());
        // The job's operators: they track which customers hold events and keep state on the heap between
        // snapshots (CustomerFunction#keepOnHeap).
        var visitors = new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(CustomerFunction.forVisitors(engine, TTL)
                        .decidingOnArrival(onArrival, java.time.Duration.ofSeconds(10))),
                VisitorRecords::key,
                Types.STRING);
        var customers = new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(new CustomerFunction(engine, TTL)
                        .decidingOnArrival(onArrival, java.time.Duration.ofSeconds(10))),
                (InputRecord r) -> r.userId,
                Types.STRING);
        var notices = new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(new VisitorNoticeFunction()));
        visitors.open();
        customers.open();
        notices.open();
        List<InputRecord> all = new ArrayList<>(h.records);
        all.sort(java.util.Comparator.comparingLong(r -> r.timestamp));
        int forwarded = 0;
        int noticed = 0;
        int i = 0;
        while (i < all.size()) {
            int size = arrival == null ? 1 : 1 + arrival.nextInt(6);
            List<InputRecord> batch = new ArrayList<>(all.subList(i, Math.min(all.size(), i + size)));
            i += batch.size();
            if (shuffle) {
                Collections.shuffle(batch, arrival);
            }
            // Each record through both stages as it arrives: what the visitor stage hands on at once
            // reaches the customers before the next record.
            for (InputRecord r : batch) {
                notices.processElement(new StreamRecord<>(r, r.timestamp));
                for (InputRecord v : notices.extractOutputValues()
                        .subList(noticed, notices.extractOutputValues().size())) {
                    visitors.processElement(new StreamRecord<>(v, v.timestamp));
                }
                noticed = notices.extractOutputValues().size();
                List<StreamRecord<InputRecord>> now = handed(visitors);
                for (StreamRecord<InputRecord> f : now.subList(forwarded, now.size())) {
                    customers.processElement(new StreamRecord<>(f.getValue(), f.getValue().timestamp));
                }
                forwarded = now.size();
                if (VisitorRecords.forCustomers(r)) {
                    customers.processElement(new StreamRecord<>(r, r.timestamp));
                }
            }
            long watermark = batch.stream().mapToLong(r -> r.timestamp).max().orElseThrow();
            visitors.processWatermark(watermark);
            List<StreamRecord<InputRecord>> handed = handed(visitors);
            for (StreamRecord<InputRecord> r : handed.subList(forwarded, handed.size())) {
                customers.processElement(new StreamRecord<>(r.getValue(), r.getValue().timestamp));
            }
            forwarded = handed.size();
            customers.processWatermark(watermark);
        }
        visitors.processWatermark(Long.MAX_VALUE);
        List<StreamRecord<InputRecord>> handed = handed(visitors);
        for (StreamRecord<InputRecord> r : handed.subList(forwarded, handed.size())) {
            customers.processElement(new StreamRecord<>(r.getValue(), r.getValue().timestamp));
        }
        customers.processWatermark(Long.MAX_VALUE);
        List<OutputRecord> out = new ArrayList<>(visitors.extractOutputValues());
        out.addAll(customers.extractOutputValues());
        assertThat(visitors.getSideOutput(CustomerFunction.LATE))
                .as("late events")
                .isNull();
        assertThat(customers.getSideOutput(CustomerFunction.LATE))
                .as("late events")
                .isNull();
        visitors.close();
        customers.close();
        notices.close();
        return out;
    }

    /** What the visitor stage has handed to the customers so far. */
    static List<StreamRecord<InputRecord>> handed(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> h) {
        var out = h.getSideOutput(CustomerFunction.FOR_CUSTOMERS);
        return out == null ? List.of() : new ArrayList<>(out);
    }

    /** {@link VisitorRecords} as a process function, so a harness can run it. */
    static final class VisitorNoticeFunction
            extends org.apache.flink.streaming.api.functions.ProcessFunction<InputRecord, InputRecord> {
        private final VisitorRecords records = new VisitorRecords();

        @Override
        public void processElement(InputRecord r, Context ctx, org.apache.flink.util.Collector<InputRecord> out) {
            records.flatMap(r, out);
        }
    }

    /**
     * A visitor who complained links to a customer, who struggles at once: decided on arrival, the
     * link's handover must reach the customer before the struggle does, so the live-chat offer weighs
     * the ticket as the event-time run does (a sample the property once found).
     */
    @net.jqwik.api.Example
    void aLinkHandsTheVisitorOverBeforeTheCustomersNextEventIsDecidedOnArrival() throws Exception {
        everyMessageKeepsThePromisesAndArrivalOrderChangesNothing(
                List.of(
                        new Step(true, 1, Who.VISITOR, Act.CONSENT_TRUE, 0),
                        new Step(true, 1, Who.VISITOR, Act.ANGRY_TICKET, 0),
                        new Step(false, 1, Who.CUSTOMER, Act.STRUGGLE, 0),
                        new Step(false, 2, Who.VISITOR, Act.UNSUBSCRIBE, 3)),
                2,
                true,
                false,
                2,
                1027465597L);
    }

    @Property(tries = 150)
    void everyMessageKeepsThePromisesAndArrivalOrderChangesNothing(
            @ForAll("histories") List<Step> steps,
            @ForAll @IntRange(min = -1, max = 39) int linkStep,
            @ForAll boolean alias,
            @ForAll boolean optIn,
            @ForAll @IntRange(min = 0, max = 3) int zone,
            @ForAll long seed)
            throws Exception {
        History h = new History(steps, linkStep, alias, zone);
        PolicySettings policy = Defaults.policy(Map.of("consent.mode", optIn ? "opt-in" : "opt-out"));
        List<OutputRecord> ordered = run(h, policy);
        List<OutputRecord> shuffled = run(h, policy, new Random(seed), true, false);
        assertThat(sorted(shuffled)).as("same history, any arrival order").isEqualTo(sorted(ordered));
        // Deciding in-product events on arrival: the same records when events come in event-time order
        // (the watermark lagging by up to six records), and every promise kept in any arrival order.
        List<OutputRecord> onArrival = run(h, policy, new Random(seed), false, true);
        assertThat(sorted(onArrival))
                .as("decided on arrival, in order, with the watermark lagging")
                .isEqualTo(sorted(ordered));
        keepsThePromises(h, policy, ordered);
        keepsThePromises(h, policy, run(h, policy, new Random(seed), true, true));
    }

    /** Every message of {@code outputs} keeps the promises to the customer of history {@code h}. */
    static void keepsThePromises(History h, PolicySettings policy, List<OutputRecord> outputs) throws Exception {
        boolean optIn = policy.explicitOptIn();
        List<JsonNode> messages = new ArrayList<>();
        for (OutputRecord o : outputs) {
            JsonNode n = Json.MAPPER.readTree(o.json);
            boolean send = Streams.CAMPAIGN_SENDS.equals(o.stream);
            boolean intervention = Streams.INTERVENTIONS.equals(o.stream);
            if (intervention && "in_app".equals(n.get("channel").asText())) {
                assertThat(n.has("scheduledAt"))
                        .as("in-product help is not scheduled: %s", n)
                        .isFalse();
                Statistics.label("outputs").collect("in-product help");
            } else if (send || intervention) {
                messages.add(n);
                Statistics.label("outputs")
                        .collect(send ? "campaign send" : n.get("type").asText());
            } else if (Streams.SUPPRESSIONS.equals(o.stream)) {
                Statistics.label("outputs")
                        .collect("suppressed: " + n.get("reason").asText());
            }
        }
        List<long[]> promotional = new ArrayList<>();
        for (JsonNode m : messages) {
            long t = Instant.parse(m.get("eventTime").asText()).toEpochMilli();
            boolean toVisitor = m.has("anonymous");
            Channel c = Channel.fromWire(m.get("channel").asText());
            boolean isPromotional = m.has("sendId")
                    ? "promotional".equals(m.get("category").asText())
                    : "win_back".equals(m.get("type").asText());
            List<InputRecord> known = h.known(toVisitor, t);
            if (!h.zone.equals("Europe/London") && m.get("timezone").asText().equals(h.zone)) {
                assertThat(known.stream().anyMatch(e -> h.zone.equals(e.timezone)))
                        .as("a zone never given: %s", m)
                        .isTrue();
            }
            assertThat(refused(known, c))
                    .as("a message on a refused channel: %s", m)
                    .isNull();
            if (optIn && isPromotional) {
                assertThat(known.stream().anyMatch(e -> (e.consentGranted & c.bit()) != 0))
                        .as("a promotional message without consent under opt-in: %s", m)
                        .isTrue();
            }
            long at = Instant.parse(m.get("scheduledAt").asText()).toEpochMilli();
            assertThat(at).as("not before it was decided: %s", m).isGreaterThanOrEqualTo(t);
            // The zone the message was placed in is the person's (from their traits) or, where the engine no
            // longer knows it (erased, expired), the default.
            assertThat(m.get("timezone").asText()).isIn(h.zone, "Europe/London");
            ZoneId placedIn = ZoneId.of(m.get("timezone").asText());
            LocalTime local = Instant.ofEpochMilli(at).atZone(placedIn).toLocalTime();
            assertThat(local.isBefore(LocalTime.of(8, 0)) || !local.isBefore(LocalTime.of(21, 0)))
                    .as("inside quiet hours in %s: %s", placedIn, m)
                    .isFalse();
            if (isPromotional) {
                promotional.add(new long[] {at, c.ordinal()});
            }
        }
        for (FatigueCap cap : policy.caps()) {
            for (long[] p : promotional) {
                long count = promotional.stream()
                        .filter(q -> q[0] <= p[0] && q[0] > p[0] - cap.windowMillis())
                        .filter(q ->
                                cap.channel() == null || q[1] == cap.channel().ordinal())
                        .count();
                assertThat(count).as("%s over %s", cap.describe(), promotional).isLessThanOrEqualTo(cap.max());
            }
        }
    }

    /** Why the contract closes channel {@code c} given these events (the latest word on it counts), or null. */
    static String refused(List<InputRecord> known, Channel c) {
        List<InputRecord> inOrder = new ArrayList<>(known);
        inOrder.sort(java.util.Comparator.comparingLong(e -> e.timestamp));
        String refusal = null;
        for (InputRecord e : inOrder) {
            String event = e.event == null ? "" : e.event;
            boolean onC = c.wire().equals(e.channel);
            if (event.equals("Unsubscribed") && e.channel == null) {
                return "unsubscribed from everything";
            }
            if ((event.equals("Message Complained") || event.equals("Message Bounced")) && onC) {
                return event;
            }
            if ((e.consentDenied & c.bit()) != 0 || (event.equals("Unsubscribed") && onC)) {
                refusal = event.equals("Unsubscribed") ? "unsubscribed" : "consent false";
            } else if ((e.consentGranted & c.bit()) != 0) {
                refusal = null; // a fresh consent lifts an earlier refusal of the channel
            }
        }
        return refusal;
    }

    static List<String> sorted(List<OutputRecord> out) {
        List<String> s = new ArrayList<>();
        for (OutputRecord o : out) {
            s.add(o.stream + " " + o.json);
        }
        Collections.sort(s);
        return s;
    }
}
