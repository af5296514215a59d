package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Channel;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.signals.CustomerState;
import dev.attune.signals.SentimentScorer;
import dev.attune.signals.SignalSettings;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;

/**
 * Random customer histories (consent, time zones, unsubscribes, complaints, bounces, sends by other
 * systems and their echoes, surveys and tickets, opens) interleaved with campaign requests, all fed
 * in event-time order through one {@link CustomerEngine}. A model kept beside the engine, built from
 * the inputs alone, says what each request may become; the outputs must agree with it and with
 * the contract.
 */
class CampaignPolicyProperties {
    static final List<String> ZONES =
            List.of("Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham");
    /** Starts a few days before a daylight-saving change in one of the zones, and an ordinary week. */
    static final List<Instant> STARTS = List.of(
            Instant.parse("2026-03-06T12:00:00Z"), // New York springs forward 8 March
            Instant.parse("2026-03-27T12:00:00Z"), // London springs forward 29 March
            Instant.parse("2026-04-03T12:00:00Z"), // Sydney and Chatham fall back 5 April
            Instant.parse("2026-09-25T12:00:00Z"), // Chatham springs forward 27 September
            Instant.parse("2026-10-02T12:00:00Z"), // Sydney springs forward 4 October
            Instant.parse("2026-10-23T12:00:00Z"), // London falls back 25 October
            Instant.parse("2026-10-30T12:00:00Z"), // New York falls back 1 November
            Instant.parse("2026-11-20T12:00:00Z"));

    static final int SPAN_MINUTES = 9 * 24 * 60;
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final PolicySettings POLICY = Defaults.policy();
    static final SignalSettings SIGNALS = Defaults.signals();
    static final List<FatigueCap> CAPS = FatigueCap.parseAll(PolicySettings.DEFAULT_CAPS);
    static final long LONGEST_WINDOW =
            CAPS.stream().mapToLong(FatigueCap::windowMillis).max().orElseThrow();

    /** One of Attune's sends as the model knows it. */
    record OwnSend(Channel channel, long time) {}

    static final List<String> NEGATIVE = List.of(
            "Terrible, slow and broken. I hate it.",
            "I am furious, this is the worst service ever.",
            "Awful experience, nothing works and support is useless.");
    static final List<String> POSITIVE = List.of(
            "Wonderful, fast and lovely. I love it.",
            "Great service, thank you so much!",
            "Excellent app, really happy with it.");

    enum Kind {
        IDENTIFY,
        UNSUBSCRIBED,
        COMPLAINED,
        BOUNCED,
        SENT,
        ECHO,
        SURVEY,
        TICKET,
        OPENED
    }

    /** A history event; {@code a} and {@code b} pick its details. */
    record Ev(int minute, Kind kind, int a, int b) {}

    /** A campaign request; {@code repeat} 0-1 resends an earlier request later, 2 resends it at once. */
    record Rq(int minute, int category, int channels, int rotate, int notAfter, int offer, int repeat) {}

    /** {@code span} 0-2: the history lasts a day, three days or nine days. */
    record History(int start, int span, int zone, int consent, int contacts, List<Ev> events, List<Rq> requests) {}

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<History> histories() {
        Arbitrary<Ev> ev = Combinators.combine(
                        Arbitraries.integers().between(0, SPAN_MINUTES),
                        Arbitraries.frequencyOf(
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.IDENTIFY)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.UNSUBSCRIBED)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.COMPLAINED)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.BOUNCED)),
                                net.jqwik.api.Tuple.of(3, Arbitraries.just(Kind.SENT)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.ECHO)),
                                net.jqwik.api.Tuple.of(2, Arbitraries.just(Kind.SURVEY)),
                                net.jqwik.api.Tuple.of(1, Arbitraries.just(Kind.TICKET)),
                                net.jqwik.api.Tuple.of(4, Arbitraries.just(Kind.OPENED))),
                        Arbitraries.integers().between(0, 4095),
                        Arbitraries.integers().between(0, 1023))
                .as(Ev::new);
        Arbitrary<Rq> rq = Combinators.combine(
                        Arbitraries.integers().between(0, SPAN_MINUTES),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 14))
                .as(Rq::new);
        return Combinators.combine(
                        Arbitraries.integers().between(0, STARTS.size() - 1),
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, ZONES.size()),
                        Arbitraries.integers().between(0, 4095),
                        Arbitraries.integers().between(0, 3),
                        ev.list().ofMinSize(0).ofMaxSize(25),
                        rq.list().ofMinSize(1).ofMaxSize(12))
                .as(History::new);
    }

    /** Only very negative customer text before the requests, all within a day. */
    @Provide
    Arbitrary<History> unhappyHistories() {
        Arbitrary<Ev> ev = Combinators.combine(
                        Arbitraries.integers().between(0, 6 * 60),
                        Arbitraries.of(Kind.SURVEY, Kind.TICKET),
                        Arbitraries.integers().between(0, 4095),
                        Arbitraries.integers().between(0, 341).map(b -> 3 * b))
                .as(Ev::new);
        Arbitrary<Rq> rq = Combinators.combine(
                        Arbitraries.integers().between(6 * 60 + 1, 30 * 60),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers().between(0, 9))
                .as(Rq::new);
        return Combinators.combine(
                        Arbitraries.integers().between(0, STARTS.size() - 1),
                        Arbitraries.just(2),
                        Arbitraries.integers().between(0, ZONES.size()),
                        Arbitraries.just(0b010101010101), // consent true on every channel
                        Arbitraries.just(3),
                        ev.list().ofMinSize(1).ofMaxSize(4),
                        rq.list().ofMinSize(1).ofMaxSize(12))
                .as(History::new);
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void everyRequestIsDecidedWithinTheRules(@ForAll("histories") History h) {
        Statistics.label("outcome").coverage(c -> {
            for (String o : List.of(
                    "sent promotional",
                    "sent promotional later",
                    "sent transactional later",
                    "sent service",
                    "fatigue_cap",
                    "negative_sentiment",
                    "no_consent",
                    "unsubscribed",
                    "unreachable",
                    "expired",
                    "duplicate")) {
                c.check(o).count(n -> n > 0);
            }
        });
        Run first = new Run(h, true);
        first.play();
        first.checkOutcomes();
        Run again = new Run(h, false);
        again.play();
        assertThat(again.outputs)
                .as("the same history on fresh state gives the same records")
                .extracting(o -> o.stream + " " + o.id + " " + o.json)
                .containsExactlyElementsOf(first.outputs.stream()
                        .map(o -> o.stream + " " + o.id + " " + o.json)
                        .toList());
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void anUnhappyCustomerGetsNoPromotion(@ForAll("unhappyHistories") History h) {
        Run run = new Run(h, true);
        run.play();
        run.checkOutcomes();
        for (Map.Entry<InputRecord, JsonNode> e : run.decisions.entrySet()) {
            if ("promotional".equals(e.getKey().category)
                    && !e.getValue().path("reason").asText().equals("duplicate")) {
                assertThat(e.getValue().path("reason").asText())
                        .as("%s", e.getValue())
                        .isIn("negative_sentiment", "expired");
            }
        }
    }

    // ------------------------------------------------------------------ the run and its model

    /** A promotional send as the caps see it: when it goes out (or was sent) and on which channel. */
    record Entry(long time, Channel channel) {}

    static final class Run {
        final History h;
        final boolean check;
        final long base;
        final CustomerEngine engine = Defaults.engine(SIGNALS, POLICY);
        final CustomerState state = new CustomerState();
        final List<OutputRecord> outputs = new ArrayList<>();
        final List<CampaignFact> facts = new ArrayList<>();
        final Map<InputRecord, JsonNode> decisions = new LinkedHashMap<>();
        int requestRecords;
        int duplicatesFed;

        // The model, from the inputs alone.
        final Map<Channel, Boolean> consent = new EnumMap<>(Channel.class);
        boolean unsubscribedAll;
        final boolean[] unsubscribed = new boolean[6];
        final boolean[] complained = new boolean[6];
        final boolean[] hardBounced = new boolean[6];
        String zone = null;
        final List<Entry> entries = new ArrayList<>();
        /** Attune's sends by sendId, with their channel. */
        /** Attune's sends by sendId: the channel, and when the ledger has it going out. */
        final Map<String, OwnSend> ownSends = new LinkedHashMap<>();

        final Map<String, Long> requestFirstSeen = new HashMap<>();
        long winBackAt;
        long recoveryAt;

        Run(History h, boolean check) {
            this.h = h;
            this.check = check;
            this.base = STARTS.get(h.start()).toEpochMilli();
        }

        void play() {
            identify("id-0", base - MINUTE, h.consent(), h.contacts(), h.zone());
            record Item(int minute, int order, Object step) {}
            int span = new int[] {24 * 60, 3 * 24 * 60, SPAN_MINUTES + 1}[h.span()];
            List<Item> items = new ArrayList<>();
            for (int i = 0; i < h.events().size(); i++) {
                items.add(new Item(
                        h.events().get(i).minute() % span, i, h.events().get(i)));
            }
            for (int i = 0; i < h.requests().size(); i++) {
                items.add(new Item(
                        h.requests().get(i).minute() % span,
                        1000 + i,
                        h.requests().get(i)));
            }
            items.sort((x, y) -> x.minute() != y.minute()
                    ? Integer.compare(x.minute(), y.minute())
                    : Integer.compare(x.order(), y.order()));
            List<ObjectNode> requestJson = new ArrayList<>();
            Map<String, Long> firstSent = new HashMap<>();
            for (int pos = 0; pos < items.size(); pos++) {
                Item it = items.get(pos);
                long t = base + it.minute() * MINUTE + pos * 1_000L;
                if (it.step() instanceof Ev e) {
                    event("e" + it.order(), t, e);
                } else {
                    Rq r = (Rq) it.step();
                    ObjectNode json;
                    int earlier = requestJson.size() - 1;
                    // Resends stay within the deduplication window (24 h) of the request's first sending.
                    if (r.repeat() <= 1
                            && earlier >= 0
                            && t
                                            - firstSent.get(requestJson
                                                    .get(earlier)
                                                    .get("requestId")
                                                    .asText())
                                    < 23 * HOUR) {
                        json = requestJson.get(earlier).deepCopy(); // a resend of the last request, later
                        json.put("timestamp", Instant.ofEpochMilli(t).toString());
                    } else {
                        json = request("r" + (it.order() - 1000), t, r).json();
                    }
                    requestJson.add(json);
                    firstSent.putIfAbsent(json.get("requestId").asText(), t);
                    InputRecord rec = In.parse(Streams.CAMPAIGN_REQUESTS, json);
                    decide(rec);
                    if (r.repeat() == 2) {
                        decide(In.parse(Streams.CAMPAIGN_REQUESTS, json)); // a producer retry
                    }
                }
            }
        }

        In.Req request(String id, long t, Rq r) {
            In.Req req = In.request(id, t).campaign("c" + (r.offer() % 2));
            if (r.category() >= 1 && r.category() <= 5) {
                req.category("promotional");
            } else if (r.category() == 6) {
                req.category("transactional");
            } else if (r.category() == 7) {
                req.category("service");
            }
            if (r.channels() != 0) {
                List<String> cs = new ArrayList<>();
                for (Channel c : Channel.values()) {
                    if ((r.channels() & c.bit()) != 0) {
                        cs.add(c.wire());
                    }
                }
                java.util.Collections.rotate(cs, r.rotate());
                req.channels(cs.toArray(String[]::new));
            }
            switch (r.notAfter()) {
                case 2 -> req.notAfter(t - HOUR);
                case 3 -> req.notAfter(t + 30 * MINUTE);
                case 4 -> req.notAfter(t + 12 * HOUR);
                case 5 -> req.notAfter(t + 72 * HOUR);
                default -> {}
            }
            switch (r.offer()) {
                case 1 -> req.offer(In.object("title", "Winter sale", "discountPct", 20));
                case 2 -> req.offer(In.object("title", "Lounge access", "tier", "premium"));
                case 3 -> req.offer(In.object("title", "New arrivals"));
                default -> {}
            }
            return req;
        }

        void feed(InputRecord r) {
            int before = outputs.size();
            // The campaigns' facts; the intervention types' own (intervention:<type>) are another summary's.
            engine.decide(state, r, outputs::add, f -> {
                if (Attribution.interventionOf(f.campaignId) == null) {
                    facts.add(f);
                }
            });
            // Interventions that went out as messages: a win-back counts toward the caps and holds
            // promotional sends; a service recovery holds them too.
            for (OutputRecord o : List.copyOf(outputs.subList(before, outputs.size()))) {
                if (Streams.INTERVENTIONS.equals(o.stream)) {
                    JsonNode n = In.json(o);
                    long at = Instant.parse(n.get("eventTime").asText()).toEpochMilli();
                    if (n.get("type").asText().equals("win_back")) {
                        winBackAt = at;
                        entries.add(new Entry(
                                Instant.parse(n.get("scheduledAt").asText()).toEpochMilli(),
                                Channel.fromWire(n.get("channel").asText())));
                    } else if (n.get("type").asText().equals("service_recovery")) {
                        recoveryAt = at;
                    }
                }
            }
        }

        void identify(String id, long t, int consentBits, int contacts, int zoneIndex) {
            ObjectNode consentJson = In.object();
            for (Channel c : Channel.values()) {
                int v = (consentBits >> (2 * c.ordinal())) & 3; // 0: not given, 2: false, 1 or 3: true
                if (v != 0) {
                    consentJson.put(c.wire(), v != 2);
                }
            }
            String tz = zoneIndex < ZONES.size() ? ZONES.get(zoneIndex) : null;
            feed(In.identify(
                    In.USER,
                    id,
                    t,
                    tz,
                    consentJson.isEmpty() ? null : consentJson,
                    (contacts & 1) != 0,
                    (contacts & 2) != 0));
            for (Iterator<Map.Entry<String, JsonNode>> it = consentJson.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Channel c = Channel.fromWire(e.getKey());
                consent.put(c, e.getValue().asBoolean());
                if (e.getValue().asBoolean()) {
                    unsubscribed[c.ordinal()] = false; // a fresh opt-in lifts an unsubscribe from the channel
                }
            }
            if (tz != null) {
                zone = tz;
            }
        }

        void event(String id, long t, Ev e) {
            Channel ch = Channel.values()[e.a() % 6];
            switch (e.kind()) {
                case IDENTIFY -> identify(id, t, e.a(), e.b() % 4, (e.b() / 4) % (ZONES.size() + 1));
                case UNSUBSCRIBED -> {
                    if (e.a() % 7 == 6) {
                        feed(In.engagement(In.USER, id, t, "Unsubscribed", "sendId", "x"));
                        unsubscribedAll = true;
                    } else {
                        feed(In.engagement(In.USER, id, t, "Unsubscribed", "channel", ch.wire()));
                        unsubscribed[ch.ordinal()] = true;
                    }
                }
                case COMPLAINED -> {
                    feed(In.engagement(In.USER, id, t, "Message Complained", "channel", ch.wire()));
                    complained[ch.ordinal()] = true;
                }
                case BOUNCED -> {
                    switch (e.b() % 4) {
                        case 0 ->
                            feed(In.engagement(
                                    In.USER, id, t, "Message Bounced", "channel", ch.wire(), "bounceType", "hard"));
                        case 1 ->
                            feed(In.engagement(
                                    In.USER, id, t, "Message Bounced", "channel", ch.wire(), "bounceType", "soft"));
                        case 2 -> feed(In.engagement(In.USER, id, t, "Message Bounced", "channel", ch.wire()));
                        default ->
                            feed(In.engagement(
                                    In.USER, id, t, "Message Bounced", "channel", ch.wire(), "type", "soft"));
                    }
                    if (e.b() % 4 == 0 || e.b() % 4 == 2) {
                        hardBounced[ch.ordinal()] = true;
                    }
                }
                case SENT -> externalSend(id, t, e);
                case ECHO -> {
                    if (ownSends.isEmpty()) {
                        externalSend(id, t, e);
                    } else {
                        List<String> ids = new ArrayList<>(ownSends.keySet());
                        String sendId = ids.get(e.b() % ids.size());
                        OwnSend own = ownSends.get(sendId);
                        feed(In.engagement(
                                In.USER,
                                id,
                                t,
                                "Message Sent",
                                "channel",
                                own.channel().wire(),
                                "sendId",
                                sendId));
                        // Attune's own send: already counted where it goes out, or not promotional; an
                        // echo later than the longest cap window after it counts as a send then.
                        if (own.time() <= t - LONGEST_WINDOW) {
                            entries.add(new Entry(t, own.channel()));
                        }
                    }
                }
                case SURVEY -> {
                    boolean negative = e.b() % 3 == 0;
                    int score = negative ? e.a() % 3 : 8 + e.a() % 3;
                    feed(In.behaviour(
                            In.USER,
                            id,
                            t,
                            "Survey Answered",
                            "score",
                            score,
                            "scale",
                            "nps",
                            "comment",
                            (negative ? NEGATIVE : POSITIVE).get(e.a() % 3)));
                }
                case TICKET -> {
                    boolean negative = e.b() % 3 == 0;
                    feed(In.behaviour(
                            In.USER,
                            id,
                            t,
                            "Support Ticket Created",
                            "priority",
                            e.a() % 2 == 0 ? "high" : "low",
                            "text",
                            (negative ? NEGATIVE : POSITIVE).get(e.a() % 3)));
                }
                case OPENED -> feed(In.engagement(In.USER, id, t, "Message Opened", "channel", ch.wire()));
            }
        }

        void externalSend(String id, long t, Ev e) {
            if (e.a() % 7 == 6) {
                feed(In.engagement(In.USER, id, t, "Message Sent", "sendId", "ext-" + id));
                entries.add(new Entry(t, null));
            } else {
                Channel ch = Channel.values()[e.a() % 7];
                feed(In.engagement(In.USER, id, t, "Message Sent", "channel", ch.wire(), "sendId", "ext-" + id));
                entries.add(new Entry(t, ch));
            }
        }

        /** Why the model says a channel is closed (the policy's order of reasons), or null. */
        String exclusion(Channel c, boolean promotional) {
            int i = c.ordinal();
            if (unsubscribedAll || unsubscribed[i] || complained[i]) {
                return "unsubscribed";
            }
            Boolean given = consent.get(c);
            if (Boolean.FALSE.equals(given) || (promotional && !Boolean.TRUE.equals(given))) {
                return "no_consent";
            }
            // Unknown is not unreachable: an address never seen leaves the channel open (the default).
            if (hardBounced[i]) {
                return "unreachable";
            }
            return null;
        }

        int countIn(Channel capChannel, long end, long window) {
            int n = 0;
            for (Entry e : entries) {
                if (e.time() > end - window && e.time() <= end && (capChannel == null || capChannel == e.channel())) {
                    n++;
                }
            }
            return n;
        }

        /** The fullest window holding {@code at} for a cap: those ending at {@code at} or at a later send. */
        int fullest(FatigueCap cap, long at) {
            int worst = countIn(cap.channel(), at, cap.windowMillis());
            for (Entry e : entries) {
                if (e.time() > at && e.time() - at < cap.windowMillis()) {
                    worst = Math.max(worst, countIn(cap.channel(), e.time(), cap.windowMillis()));
                }
            }
            return worst;
        }

        FatigueLedger.Breach breach(Channel c, long at) {
            for (FatigueCap cap : CAPS) {
                if (cap.channel() == null || cap.channel() == c) {
                    int n = fullest(cap, at);
                    if (n >= cap.max()) {
                        return new FatigueLedger.Breach(cap, n);
                    }
                }
            }
            return null;
        }

        ZoneId zone() {
            return ZoneId.of(zone == null ? POLICY.defaultTimezone() : zone);
        }

        void decide(InputRecord req) {
            long t = req.timestamp;
            boolean promotional = "promotional".equals(req.category);
            double sentiment =
                    SentimentScorer.decayed(state.sentiment, state.sentimentTime, t, SIGNALS.sentimentHalfLife());
            int habit = promotional ? dev.attune.decision.ContactPolicy.habitualHour(state) : -1;
            int outputsBefore = outputs.size();
            int factsBefore = facts.size();
            requestRecords++;
            feed(req);
            List<OutputRecord> fresh = outputs.subList(outputsBefore, outputs.size());
            assertThat(facts).as("one fact per request").hasSize(factsBefore + 1);
            List<OutputRecord> campaign = fresh.stream()
                    .filter(o -> Streams.CAMPAIGN_SENDS.equals(o.stream)
                            || Streams.SUPPRESSIONS.equals(o.stream) && o.json.contains("\"requestId\""))
                    .toList();
            assertThat(campaign).as("one campaign output for %s", req.messageId).hasSize(1);
            JsonNode out = In.json(campaign.get(0));
            decisions.put(req, out);
            if (check) {
                Statistics.label("outcome")
                        .collect(
                                out.has("sendId")
                                        ? "sent " + out.get("category").asText()
                                                + (out.get("scheduledAt")
                                                                .asText()
                                                                .equals(out.get("eventTime")
                                                                        .asText())
                                                        ? ""
                                                        : " later")
                                        : out.get("reason").asText());
            }
            if (!check) {
                if (out.has("sendId") && promotional) {
                    entries.add(new Entry(
                            Instant.parse(out.get("scheduledAt").asText()).toEpochMilli(),
                            Channel.fromWire(out.get("channel").asText())));
                }
                if (out.has("sendId")) {
                    ownSends.put(
                            out.get("sendId").asText(),
                            new OwnSend(
                                    Channel.fromWire(out.get("channel").asText()),
                                    promotional
                                            ? Instant.parse(out.get("scheduledAt")
                                                            .asText())
                                                    .toEpochMilli()
                                            : t));
                }
                return;
            }
            for (OutputRecord o : fresh) {
                assertThat(Schemas.validate(o.stream, In.json(o)))
                        .as("%s valid: %s", o.stream, o.json)
                        .isEmpty();
            }
            assertThat(out.get("requestId").asText()).isEqualTo(req.messageId);
            assertThat(out.get("eventTime").asText()).isEqualTo(dev.attune.contract.Times.format(t));

            Long seen = requestFirstSeen.get(req.messageId);
            if (seen != null) {
                duplicatesFed++;
                assertThat(out.path("reason").asText())
                        .as("a repeat of %s", req.messageId)
                        .isEqualTo("duplicate");
                assertThat(facts.get(facts.size() - 1).duplicate).isTrue();
                return;
            }
            requestFirstSeen.put(req.messageId, t);
            assertThat(facts.get(facts.size() - 1).duplicate).isFalse();

            // What the model expects.
            List<Channel> order = new ArrayList<>();
            if (req.channels == null) {
                order.addAll(List.of(Channel.values()));
            } else {
                for (String c : req.channels.split(",")) {
                    order.add(Channel.fromWire(c));
                }
            }
            String reason = out.path("reason").asText(null);
            if (req.notAfter > 0 && req.notAfter < t) {
                assertThat(reason).as("%s", out).isEqualTo("expired");
                return;
            }
            if (promotional && sentiment < POLICY.negativeSentimentThreshold()) {
                assertThat(reason).as("sentiment %s: %s", sentiment, out).isEqualTo("negative_sentiment");
                return;
            }
            if (promotional && recoveryAt > 0 && t - recoveryAt < POLICY.serviceRecoveryWindow()) {
                assertThat(reason).as("%s", out).isEqualTo("service_recovery_in_progress");
                return;
            }
            if (promotional && winBackAt > 0 && t - winBackAt < POLICY.winBackWindow()) {
                assertThat(reason).as("%s", out).isEqualTo("win_back_in_progress");
                return;
            }
            long at = POLICY.quietHours()
                    .schedule(Instant.ofEpochMilli(t), zone(), habit)
                    .toEpochMilli();
            Map<Channel, String> closed = new LinkedHashMap<>();
            FatigueLedger.Breach firstBreach = null;
            for (Channel c : order) {
                String why = exclusion(c, promotional);
                if (why == null && promotional) {
                    FatigueLedger.Breach b = breach(c, at);
                    if (b != null) {
                        why = "fatigue_cap";
                        firstBreach = firstBreach == null ? b : firstBreach;
                    }
                }
                if (why != null) {
                    closed.put(c, why);
                }
            }
            if (closed.size() == order.size()) {
                String expected = closed.containsValue("fatigue_cap")
                        ? "fatigue_cap"
                        : closed.containsValue("unsubscribed")
                                ? "unsubscribed"
                                : closed.containsValue("no_consent") ? "no_consent" : "unreachable";
                assertThat(reason).as("channels %s: %s", closed, out).isEqualTo(expected);
                for (Map.Entry<Channel, String> e : closed.entrySet()) {
                    assertThat(out.at("/details/channels/" + e.getKey().wire()).asText())
                            .as("%s", out)
                            .isEqualTo(e.getValue());
                }
                if (firstBreach != null) {
                    assertThat(out.at("/details/cap").asText())
                            .isEqualTo(firstBreach.cap().describe());
                    assertThat(out.at("/details/count").asInt()).isEqualTo(firstBreach.count());
                    assertThat(firstBreach.count())
                            .isGreaterThanOrEqualTo(firstBreach.cap().max());
                }
                return;
            }
            if (req.notAfter > 0 && at > req.notAfter) {
                assertThat(reason).as("%s", out).isEqualTo("expired");
                assertThat(out.at("/details/earliestAllowed").asText()).isEqualTo(dev.attune.contract.Times.format(at));
                return;
            }
            assertThat(out.has("sendId"))
                    .as("the model sees open channels %s but: %s", order, out)
                    .isTrue();
            checkSend(req, out, order, closed, promotional, sentiment, at);
        }

        void checkSend(
                InputRecord req,
                JsonNode send,
                List<Channel> order,
                Map<Channel, String> closed,
                boolean promotional,
                double sentiment,
                long at) {
            long t = req.timestamp;
            Channel c = Channel.fromWire(send.get("channel").asText());
            int i = c.ordinal();
            // The invariants, stated on their own.
            assertThat(order).as("an allowed channel").contains(c);
            assertThat(unsubscribedAll).as("unsubscribed from all: %s", send).isFalse();
            assertThat(unsubscribed[i]).as("unsubscribed from %s: %s", c, send).isFalse();
            assertThat(complained[i]).as("complained on %s: %s", c, send).isFalse();
            assertThat(hardBounced[i]).as("hard bounce on %s: %s", c, send).isFalse();
            assertThat(consent.get(c)).as("consent false on %s: %s", c, send).isNotEqualTo(Boolean.FALSE);
            if (promotional) {
                assertThat(consent.get(c))
                        .as("opt-in: consent on %s: %s", c, send)
                        .isEqualTo(Boolean.TRUE);
                assertThat(sentiment)
                        .as("sentiment at a promotion")
                        .isGreaterThanOrEqualTo(POLICY.negativeSentimentThreshold());
            }
            assertThat(closed).as("the model's closed channels").doesNotContainKey(c);
            for (Map.Entry<Channel, String> e : closed.entrySet()) {
                assertThat(send.get("reasons").toString()).contains(e.getKey().wire() + ": " + e.getValue());
            }
            assertThat(send.get("category").asText()).isEqualTo(req.category);
            assertThat(send.get("timezone").asText()).isEqualTo(zone().getId());
            Instant scheduled = Instant.parse(send.get("scheduledAt").asText());
            ZoneId zone = ZoneId.of(send.get("timezone").asText());
            assertThat(POLICY.quietHours().isQuiet(scheduled, zone))
                    .as("quiet at %s in %s: %s", scheduled.atZone(zone), zone, send)
                    .isFalse();
            assertThat(scheduled.toEpochMilli()).isGreaterThanOrEqualTo(t).isEqualTo(at);
            if (req.notAfter > 0) {
                assertThat(scheduled.toEpochMilli()).isLessThanOrEqualTo(req.notAfter);
            }
            ownSends.put(
                    send.get("sendId").asText(),
                    new OwnSend(c, promotional ? scheduled.toEpochMilli() : req.timestamp));
            if (!promotional) {
                return;
            }
            entries.add(new Entry(scheduled.toEpochMilli(), c));
            // No cap is broken in any window holding the time it goes out, counting every promotional
            // send known when it was decided: Attune's own where they go out, other systems' as sent.
            for (FatigueCap cap : CAPS) {
                if (cap.channel() != null && cap.channel() != c) {
                    continue;
                }
                List<Long> ends = new ArrayList<>(List.of(scheduled.toEpochMilli()));
                entries.stream()
                        .map(Entry::time)
                        .filter(x -> x > scheduled.toEpochMilli() && x - scheduled.toEpochMilli() < cap.windowMillis())
                        .forEach(ends::add);
                for (long end : ends) {
                    assertThat(countIn(cap.channel(), end, cap.windowMillis()))
                            .as("%s in the window ending %s: %s", cap.describe(), Instant.ofEpochMilli(end), entries)
                            .isLessThanOrEqualTo(cap.max());
                }
            }
        }

        void checkOutcomes() {
            Map<String, Integer> decided = new HashMap<>();
            Map<String, Integer> duplicates = new HashMap<>();
            for (OutputRecord o : outputs) {
                JsonNode n = In.json(o);
                assertThat(Schemas.validate(o.stream, n))
                        .as("%s valid: %s", o.stream, o.json)
                        .isEmpty();
                if (Streams.CAMPAIGN_SENDS.equals(o.stream)
                        || Streams.SUPPRESSIONS.equals(o.stream) && n.has("requestId")) {
                    String id = n.get("requestId").asText();
                    if ("duplicate".equals(n.path("reason").asText())) {
                        duplicates.merge(id, 1, Integer::sum);
                    } else {
                        decided.merge(id, 1, Integer::sum);
                    }
                }
            }
            assertThat(decided)
                    .as("each request ends as exactly one send or suppression")
                    .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1));
            assertThat(decided.keySet()).containsAll(duplicates.keySet());
            assertThat(decided.keySet()).containsExactlyInAnyOrderElementsOf(requestFirstSeen.keySet());
            assertThat(duplicates.values().stream().mapToInt(Integer::intValue).sum())
                    .isEqualTo(duplicatesFed);
            // Outcome facts (receipts, unsubscribes, orders after a send) are counted apart from requests.
            List<CampaignFact> decisionFacts =
                    facts.stream().filter(f -> f.outcome == null).toList();
            assertThat(decisionFacts).hasSize(requestRecords);
            assertThat(decisionFacts.stream().filter(f -> f.duplicate).count()).isEqualTo(duplicatesFed);
            // The summary counts each request once.
            Map<String, CampaignTally> tallies = new HashMap<>();
            facts.forEach(f -> tallies.computeIfAbsent(f.campaignId, k -> new CampaignTally())
                    .add(f));
            int requests = 0;
            for (CampaignTally tally : tallies.values()) {
                JsonNode s = In.json(tally.toOutput(POLICY.currency()));
                assertThat(Schemas.validate(Streams.CAMPAIGN_SUMMARIES, s)).isEmpty();
                int sends = 0;
                for (JsonNode v : s.get("sends")) {
                    sends += v.asInt();
                }
                int suppressed = 0;
                for (Iterator<Map.Entry<String, JsonNode>> it =
                                s.get("suppressions").fields();
                        it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    suppressed +=
                            e.getKey().equals("duplicate") ? 0 : e.getValue().asInt();
                }
                assertThat(sends + suppressed).isEqualTo(s.get("requests").asInt());
                requests += s.get("requests").asInt();
            }
            assertThat(requests).isEqualTo(requestFirstSeen.size());
        }
    }
}
