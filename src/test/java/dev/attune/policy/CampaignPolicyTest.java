package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.signals.CustomerState;
import dev.attune.testing.Defaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The campaign policy through the {@link CustomerEngine}, fed contract JSON parsed by the
 * {@link RecordParser} exactly as the job sees it: every suppression reason, the exemptions of
 * transactional requests, duplicates, and the campaign tally.
 */
public class CampaignPolicyTest {
    /** 2026-11-21T10:00:00Z: 10:00 in London (GMT), a Saturday morning. */
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();

    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    // ------------------------------------------------------------------ fixtures (shared by the policy tests)

    /** Contract JSON built with Jackson and parsed by {@link RecordParser}, as the job would see it. */
    public static final class In {
        public static final String USER = "u-1";

        private In() {}

        public static InputRecord parse(String stream, ObjectNode json) {
            Inbound in = RecordParser.parse(stream, "test:1", json.toString().getBytes(StandardCharsets.UTF_8));
            if (!in.isValid()) {
                throw new AssertionError("fixture was dead-lettered (" + in.deadLetter.code + ": "
                        + in.deadLetter.message + "): " + json);
            }
            return in.record;
        }

        public static ObjectNode envelope(String user, String messageId, long t, String type) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("messageId", messageId);
            o.put("userId", user);
            o.put("type", type);
            o.put("timestamp", Instant.ofEpochMilli(t).toString());
            return o;
        }

        /** Key, value pairs as an object; null values are left out. */
        public static ObjectNode object(Object... kv) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            for (int i = 0; i < kv.length; i += 2) {
                if (kv[i + 1] != null) {
                    o.set((String) kv[i], kv[i + 1] instanceof JsonNode n ? n : Json.MAPPER.valueToTree(kv[i + 1]));
                }
            }
            return o;
        }

        /** Consent on every channel. */
        public static ObjectNode allConsent() {
            return object("sms", true, "whatsapp", true, "email", true, "voice", true, "push", true, "in_app", true);
        }

        /** An identify with a time zone, consent (null: none given), and optionally an email address and phone. */
        public static InputRecord identify(
                String user, String id, long t, String tz, ObjectNode consent, boolean email, boolean phone) {
            ObjectNode o = envelope(user, id, t, "identify");
            ObjectNode traits = o.putObject("traits");
            if (tz != null) {
                traits.put("timezone", tz);
            }
            traits.put("locale", "en-GB");
            if (email) {
                traits.put("email", user + "@example.com");
            }
            if (phone) {
                traits.put("phone", "+44 7700 900456");
            }
            if (consent != null) {
                traits.set("consent", consent);
            }
            return parse(Streams.USER_EVENTS, o);
        }

        /** A track on engagement-events (Message Sent, Opened, Bounced, Complained, Unsubscribed). */
        public static InputRecord engagement(String user, String id, long t, String event, Object... props) {
            ObjectNode o = envelope(user, id, t, "track");
            o.put("event", event);
            o.set("properties", object(props));
            return parse(Streams.ENGAGEMENT_EVENTS, o);
        }

        /** A track on user-events (Survey Answered, Support Ticket Created, ...). */
        public static InputRecord behaviour(String user, String id, long t, String event, Object... props) {
            ObjectNode o = envelope(user, id, t, "track");
            o.put("event", event);
            o.set("properties", object(props));
            return parse(Streams.USER_EVENTS, o);
        }

        public static Req request(String requestId, long t) {
            return new Req(USER, requestId, t);
        }

        /** A campaign request as the marketer's export writes it. */
        public static final class Req {
            private final ObjectNode o = Json.MAPPER.createObjectNode();

            public Req(String user, String requestId, long t) {
                o.put("requestId", requestId);
                o.put("campaignId", "winter-sale");
                o.put("userId", user);
                o.put("timestamp", Instant.ofEpochMilli(t).toString());
            }

            public Req campaign(String c) {
                o.put("campaignId", c);
                return this;
            }

            public Req category(String c) {
                o.put("category", c);
                return this;
            }

            public Req channels(String... cs) {
                ArrayNode a = o.putArray("channels");
                for (String c : cs) {
                    a.add(c);
                }
                return this;
            }

            public Req offer(ObjectNode offer) {
                o.set("offer", offer);
                return this;
            }

            public Req notAfter(long t) {
                o.put("notAfter", Instant.ofEpochMilli(t).toString());
                return this;
            }

            public ObjectNode json() {
                return o;
            }

            public InputRecord build() {
                return parse(Streams.CAMPAIGN_REQUESTS, o);
            }
        }

        public static JsonNode json(OutputRecord r) {
            try {
                return Json.MAPPER.readTree(r.json);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One customer fed to one engine in event-time order; collects outputs and campaign facts. */
    public static final class Customer {
        public final CustomerEngine engine;
        public final CustomerState state = new CustomerState();
        public final List<OutputRecord> outputs = new ArrayList<>();
        public final List<CampaignFact> facts = new ArrayList<>();

        public Customer() {
            this(Defaults.policy());
        }

        public Customer(PolicySettings policy) {
            engine = Defaults.engine(Defaults.signals(), policy);
        }

        /** Feeds the records; returns what the last of them emitted. */
        public List<OutputRecord> feed(InputRecord... records) {
            List<OutputRecord> last = new ArrayList<>();
            for (InputRecord r : records) {
                last = new ArrayList<>();
                engine.decide(state, r, last::add, facts::add);
                outputs.addAll(last);
            }
            return last;
        }

        /** Feeds a campaign request and returns its one campaign output (send or suppression), schema-checked. */
        public JsonNode decide(InputRecord request) {
            List<OutputRecord> out = feed(request).stream()
                    .filter(o -> Streams.CAMPAIGN_SENDS.equals(o.stream) || o.json.contains("\"requestId\""))
                    .toList();
            assertThat(out).as("one campaign output for %s", request.messageId).hasSize(1);
            JsonNode n = In.json(out.get(0));
            assertThat(Schemas.validate(out.get(0).stream, n))
                    .as("%s valid: %s", out.get(0).stream, n)
                    .isEmpty();
            return n;
        }

        public JsonNode decide(In.Req request) {
            return decide(request.build());
        }
    }

    static Customer londoner(ObjectNode consent) {
        Customer c = new Customer();
        c.feed(In.identify(In.USER, "id-0", T0, "Europe/London", consent, true, true));
        return c;
    }

    static Customer londoner() {
        return londoner(In.allConsent());
    }

    static void assertSuppressed(JsonNode out, String reason) {
        assertThat(out.has("suppressionId"))
                .as("suppression expected, got %s", out)
                .isTrue();
        assertThat(out.get("reason").asText()).as("%s", out).isEqualTo(reason);
    }

    static void assertSent(JsonNode out, String channel) {
        assertThat(out.has("sendId")).as("send expected, got %s", out).isTrue();
        assertThat(out.get("channel").asText()).as("%s", out).isEqualTo(channel);
    }

    // ------------------------------------------------------------------ tests

    @Test
    void aConsentingReachableCustomerGetsASendWithEveryContractField() {
        Customer c = londoner();
        JsonNode send = c.decide(In.request("r1", T0 + 4 * HOUR)
                .channels("whatsapp", "sms", "email")
                .offer(In.object("title", "Winter sale", "discountPct", 20)));
        assertSent(send, "whatsapp");
        assertThat(send.get("requestId").asText()).isEqualTo("r1");
        assertThat(send.get("campaignId").asText()).isEqualTo("winter-sale");
        assertThat(send.get("templateId").asText()).isEqualTo(Templates.DISCOUNT);
        assertThat(send.get("scheduledAt").asText()).isEqualTo("2026-11-21T14:00:00.000Z");
        assertThat(send.at("/estimatedCost/amount").asDouble()).isEqualTo(0.0042);
        assertThat(send.at("/estimatedCost/currency").asText()).isEqualTo("USD");
        assertThat(send.get("timezone").asText()).isEqualTo("Europe/London");
        assertThat(c.facts).singleElement().satisfies(f -> {
            assertThat(f.channel).isEqualTo("whatsapp");
            assertThat(f.reason).isNull();
            assertThat(f.firstChoiceCost).isEqualTo(0.0042);
        });
    }

    @Nested
    class Expiry {
        @Test
        void aRequestPastItsNotAfterIsExpired() {
            Customer c = londoner();
            JsonNode out = c.decide(In.request("r1", T0 + 4 * HOUR).notAfter(T0 + 2 * HOUR));
            assertSuppressed(out, "expired");
            assertThat(out.at("/details/notAfter").asText()).isEqualTo("2026-11-21T12:00:00.000Z");
            assertThat(out.get("requestId").asText()).isEqualTo("r1");
        }

        @Test
        void aRequestThatCouldOnlyGoOutAfterQuietHoursEndsAfterItsNotAfterIsExpired() {
            Customer c = londoner();
            // 22:00 London: quiet until 08:00, but the offer ends at 23:00.
            JsonNode out = c.decide(In.request("r1", T0 + 12 * HOUR).notAfter(T0 + 13 * HOUR));
            assertSuppressed(out, "expired");
            assertThat(out.at("/details/earliestAllowed").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        }

        @Test
        void expiryIsCheckedEvenForTransactionalRequests() {
            Customer c = londoner();
            assertSuppressed(
                    c.decide(In.request("r1", T0 + 4 * HOUR)
                            .category("transactional")
                            .notAfter(T0 + HOUR)),
                    "expired");
        }
    }

    @Nested
    class Sentiment {
        Customer angry() {
            Customer c = londoner();
            c.feed(In.behaviour(
                    In.USER,
                    "sv-1",
                    T0 + 15 * MINUTE,
                    "Survey Answered",
                    "score",
                    0,
                    "scale",
                    "nps",
                    "comment",
                    "Terrible, slow and broken. I hate it."));
            return c;
        }

        @Test
        void promotionalRequestsWaitWhileTheCustomerIsUnhappy() {
            JsonNode out = angry().decide(In.request("r1", T0 + HOUR));
            assertSuppressed(out, "negative_sentiment");
            assertThat(out.at("/details/sentiment").asDouble()).isLessThan(-0.3);
            assertThat(out.at("/details/threshold").asDouble()).isEqualTo(-0.3);
        }

        @Test
        void transactionalAndServiceRequestsAreNotHeldBySentiment() {
            Customer c = angry();
            assertSent(
                    c.decide(In.request("r1", T0 + HOUR)
                            .category("transactional")
                            .channels("email")),
                    "email");
            assertSent(
                    c.decide(In.request("r2", T0 + 2 * HOUR).category("service").channels("email")), "email");
        }

        @Test
        void sentimentDecaysTowardNeutralSoPromotionsResumeLater() {
            Customer c = angry();
            assertSuppressed(c.decide(In.request("r1", T0 + HOUR)), "negative_sentiment");
            // Half-life 7 days: -0.46 decays above -0.3 within a week.
            assertSent(c.decide(In.request("r2", T0 + 7 * DAY).channels("whatsapp")), "whatsapp");
        }

        @Test
        void aHappyCustomerIsNotHeld() {
            Customer c = londoner();
            c.feed(In.behaviour(
                    In.USER,
                    "sv-1",
                    T0 + 15 * MINUTE,
                    "Survey Answered",
                    "score",
                    10,
                    "scale",
                    "nps",
                    "comment",
                    "Wonderful, fast and lovely. I love it."));
            assertSent(c.decide(In.request("r1", T0 + HOUR).channels("whatsapp")), "whatsapp");
        }
    }

    @Nested
    class Consent {
        @Test
        void optInNeedsConsentTrueForPromotionalSends() {
            Customer c = londoner(In.object("email", true));
            JsonNode out = c.decide(In.request("r1", T0 + HOUR).channels("sms", "whatsapp"));
            assertSuppressed(out, "no_consent");
            assertThat(out.at("/details/channels/sms").asText()).isEqualTo("no_consent");
            assertThat(out.at("/details/channels/whatsapp").asText()).isEqualTo("no_consent");
            assertSent(c.decide(In.request("r2", T0 + 2 * HOUR).channels("sms", "email")), "email");
        }

        @Test
        void optInWithNoConsentGivenAtAllSendsNoPromotionButTransactionalGoes() {
            Customer c = londoner(null);
            assertSuppressed(c.decide(In.request("r1", T0 + HOUR)), "no_consent");
            assertSent(
                    c.decide(In.request("r2", T0 + 2 * HOUR)
                            .category("transactional")
                            .channels("email")),
                    "email");
        }

        @Test
        void optOutSendsUnlessConsentIsFalse() {
            PolicySettings optOut = Defaults.policy(Map.of("consent.mode", "opt-out"));
            Customer c = new Customer(optOut);
            c.feed(In.identify(In.USER, "id-0", T0, "Europe/London", In.object("sms", false), true, true));
            assertSent(c.decide(In.request("r1", T0 + HOUR).channels("email")), "email");
            JsonNode out = c.decide(In.request("r2", T0 + 2 * HOUR).channels("sms"));
            assertSuppressed(out, "no_consent");
            assertThat(out.at("/details/channels/sms").asText()).isEqualTo("no_consent");
        }

        @Test
        void consentFalseBlocksTransactionalToo() {
            Customer c = londoner(In.object("email", false, "sms", true));
            assertSuppressed(
                    c.decide(In.request("r1", T0 + HOUR)
                            .category("transactional")
                            .channels("email")),
                    "no_consent");
            assertSent(
                    c.decide(In.request("r2", T0 + HOUR + MINUTE)
                            .category("transactional")
                            .channels("email", "sms")),
                    "sms");
        }

        @Test
        void consentWithdrawnLaterIsHonoured() {
            Customer c = londoner();
            c.feed(In.identify(In.USER, "id-1", T0 + HOUR, null, In.object("whatsapp", false), false, false));
            assertSuppressed(c.decide(In.request("r1", T0 + 2 * HOUR).channels("whatsapp")), "no_consent");
        }
    }

    @Nested
    class Unsubscribes {
        @Test
        void unsubscribedWithoutAChannelBlocksEveryChannelAndEveryCategory() {
            Customer c = londoner();
            c.feed(In.engagement(In.USER, "u-1", T0 + HOUR, "Unsubscribed", "sendId", "x9"));
            JsonNode out = c.decide(In.request("r1", T0 + 2 * HOUR).channels("whatsapp", "sms", "email"));
            assertSuppressed(out, "unsubscribed");
            assertThat(out.at("/details/channels")).hasSize(3);
            assertSuppressed(c.decide(In.request("r2", T0 + 3 * HOUR)), "unsubscribed");
            assertSuppressed(c.decide(In.request("r3", T0 + 4 * HOUR).category("transactional")), "unsubscribed");
        }

        @Test
        void unsubscribedFromOneChannelBlocksOnlyThatChannel() {
            Customer c = londoner();
            c.feed(In.engagement(In.USER, "u-1", T0 + HOUR, "Unsubscribed", "channel", "email"));
            JsonNode onlyEmail = c.decide(In.request("r1", T0 + 2 * HOUR).channels("email"));
            assertSuppressed(onlyEmail, "unsubscribed");
            assertThat(onlyEmail.at("/details/channels/email").asText()).isEqualTo("unsubscribed");
            JsonNode either = c.decide(In.request("r2", T0 + 3 * HOUR).channels("email", "sms"));
            assertSent(either, "sms");
            assertThat(either.get("reasons").toString()).contains("email: unsubscribed");
            assertSuppressed(
                    c.decide(In.request("r3", T0 + 4 * HOUR)
                            .category("transactional")
                            .channels("email")),
                    "unsubscribed");
        }

        @Test
        void aComplaintBlocksThatChannelAsAnUnsubscribe() {
            Customer c = londoner();
            c.feed(In.engagement(In.USER, "c-1", T0 + HOUR, "Message Complained", "channel", "email", "sendId", "x3"));
            assertSuppressed(c.decide(In.request("r1", T0 + 2 * HOUR).channels("email")), "unsubscribed");
            assertSent(c.decide(In.request("r2", T0 + 3 * HOUR).channels("email", "whatsapp")), "whatsapp");
        }

        @Test
        void unsubscribedOutranksNoConsentWhenEveryChannelIsClosed() {
            Customer c = londoner(In.object("email", true, "sms", false));
            c.feed(In.engagement(In.USER, "u-1", T0 + HOUR, "Unsubscribed", "channel", "email"));
            JsonNode out = c.decide(In.request("r1", T0 + 2 * HOUR).channels("sms", "email"));
            assertSuppressed(out, "unsubscribed");
            assertThat(out.at("/details/channels/sms").asText()).isEqualTo("no_consent");
            assertThat(out.at("/details/channels/email").asText()).isEqualTo("unsubscribed");
        }
    }

    @Nested
    class Reachability {
        @Test
        void aHardBounceMakesTheChannelUnreachable() {
            Customer c = londoner();
            c.feed(In.engagement(
                    In.USER, "b-1", T0 + HOUR, "Message Bounced", "channel", "email", "bounceType", "hard"));
            assertSuppressed(c.decide(In.request("r1", T0 + 2 * HOUR).channels("email")), "unreachable");
            assertSuppressed(
                    c.decide(In.request("r2", T0 + 3 * HOUR)
                            .category("transactional")
                            .channels("email")),
                    "unreachable");
        }

        @Test
        void aBounceWithoutATypeCountsAsHardAndTheSegmentTypeFieldIsRead() {
            Customer c = londoner();
            c.feed(
                    In.engagement(In.USER, "b-1", T0 + HOUR, "Message Bounced", "channel", "email"),
                    In.engagement(In.USER, "b-2", T0 + HOUR + 1, "Message Bounced", "channel", "sms", "type", "hard"));
            assertSuppressed(c.decide(In.request("r1", T0 + 2 * HOUR).channels("email", "sms")), "unreachable");
        }

        @Test
        void aSoftBounceDoesNotBlock() {
            Customer c = londoner();
            c.feed(
                    In.engagement(
                            In.USER, "b-1", T0 + HOUR, "Message Bounced", "channel", "email", "bounceType", "soft"),
                    In.engagement(
                            In.USER, "b-2", T0 + HOUR + 1, "Message Bounced", "channel", "email", "type", "soft"));
            assertSent(c.decide(In.request("r1", T0 + 2 * HOUR).channels("email")), "email");
        }

        @Test
        void anAddressNeverSeenIsNotAClosedChannel() {
            // Privacy-minded producers keep addresses out of the event stream: the delivery service holds them.
            Customer c = new Customer();
            c.feed(In.identify(In.USER, "id-0", T0, "Europe/London", In.allConsent(), false, false));
            assertSent(c.decide(In.request("r1", T0 + HOUR).channels("email")), "email");
            assertSent(c.decide(In.request("r2", T0 + 2 * HOUR).channels("sms")), "sms");
        }

        @Test
        void whereTheOperatorSaysAddressesAreAlwaysSentOneNeverSeenClosesTheChannel() {
            Customer c = new Customer(Defaults.policy(Map.of("contact.require-known-address", "true")));
            c.feed(In.identify(In.USER, "id-0", T0, "Europe/London", In.allConsent(), false, true));
            JsonNode out = c.decide(In.request("r1", T0 + HOUR).channels("email"));
            assertSuppressed(out, "unreachable");
            assertThat(out.at("/details/channels/email").asText()).isEqualTo("unreachable");
            assertSent(c.decide(In.request("r2", T0 + 2 * HOUR).channels("email", "push")), "push");
            assertSent(c.decide(In.request("r3", T0 + 3 * HOUR).channels("sms")), "sms");
        }
    }

    @Nested
    class Fatigue {
        @Test
        void twoSendsFromOtherSystemsTodayHitTheAllChannelDailyCap() {
            Customer c = londoner();
            c.feed(
                    In.engagement(In.USER, "m-1", T0 + HOUR, "Message Sent", "channel", "email", "sendId", "crm1"),
                    In.engagement(In.USER, "m-2", T0 + 2 * HOUR, "Message Sent", "channel", "sms", "sendId", "crm2"));
            JsonNode out = c.decide(In.request("r1", T0 + 5 * HOUR).channels("whatsapp", "sms", "email"));
            assertSuppressed(out, "fatigue_cap");
            assertThat(out.at("/details/cap").asText()).isEqualTo("all:2/1d");
            assertThat(out.at("/details/count").asInt()).isEqualTo(2);
            assertThat(out.at("/details/channels/whatsapp").asText()).isEqualTo("fatigue_cap");
            // A day after the first send the window has one send left in it.
            assertSent(c.decide(In.request("r2", T0 + DAY + HOUR + 1).channels("whatsapp")), "whatsapp");
        }

        @Test
        void aChannelCapBlocksThatChannelOnlyAndReportsItsCap() {
            Customer c = londoner();
            c.feed(In.engagement(In.USER, "m-1", T0 + HOUR, "Message Sent", "channel", "email", "sendId", "crm1"));
            JsonNode out = c.decide(In.request("r1", T0 + 2 * HOUR).channels("email"));
            assertSuppressed(out, "fatigue_cap");
            assertThat(out.at("/details/cap").asText()).isEqualTo("email:1/1d");
            assertThat(out.at("/details/count").asInt()).isEqualTo(1);
            assertSent(c.decide(In.request("r2", T0 + 3 * HOUR).channels("email", "sms")), "sms");
        }

        @Test
        void attunesOwnSendsCountTowardTheCaps() {
            Customer c = londoner();
            assertSent(c.decide(In.request("r1", T0 + HOUR).channels("whatsapp")), "whatsapp");
            assertSent(c.decide(In.request("r2", T0 + 2 * HOUR).channels("email")), "email");
            JsonNode out = c.decide(In.request("r3", T0 + 3 * HOUR).channels("sms"));
            assertSuppressed(out, "fatigue_cap");
            assertThat(out.at("/details/cap").asText()).isEqualTo("all:2/1d");
            assertThat(out.at("/details/count").asInt()).isEqualTo(2);
        }

        @Test
        void theWeeklyCapCountsFiveSendsOverSevenDays() {
            Customer c = londoner();
            for (int d = 0; d < 5; d++) {
                assertSent(c.decide(In.request("r" + d, T0 + d * DAY + HOUR).channels("push")), "push");
            }
            JsonNode out = c.decide(In.request("r5", T0 + 5 * DAY + HOUR).channels("push", "in_app"));
            assertSuppressed(out, "fatigue_cap");
            assertThat(out.at("/details/cap").asText()).isEqualTo("all:5/7d");
            assertThat(out.at("/details/count").asInt()).isEqualTo(5);
        }

        @Test
        void fatigueCapOutranksOtherExclusions() {
            Customer c = londoner(In.object("whatsapp", true, "email", false));
            c.feed(In.engagement(In.USER, "m-1", T0 + HOUR, "Message Sent", "channel", "whatsapp", "sendId", "crm1"));
            JsonNode out = c.decide(In.request("r1", T0 + 2 * HOUR).channels("whatsapp", "email"));
            assertSuppressed(out, "fatigue_cap");
            assertThat(out.at("/details/cap").asText()).isEqualTo("whatsapp:1/1d");
            assertThat(out.at("/details/channels/email").asText()).isEqualTo("no_consent");
        }

        @Test
        void transactionalAndServiceRequestsAreExemptFromCapsAndDoNotCount() {
            Customer c = londoner();
            c.feed(
                    In.engagement(In.USER, "m-1", T0 + HOUR, "Message Sent", "channel", "email", "sendId", "crm1"),
                    In.engagement(In.USER, "m-2", T0 + 2 * HOUR, "Message Sent", "channel", "sms", "sendId", "crm2"));
            assertSent(
                    c.decide(In.request("t1", T0 + 3 * HOUR)
                            .category("transactional")
                            .channels("email")),
                    "email");
            assertSent(
                    c.decide(In.request("t2", T0 + 4 * HOUR).category("service").channels("email")), "email");
            assertThat(FatigueLedger.count(c.state, null, T0 + 4 * HOUR, DAY))
                    .as("only the two external sends")
                    .isEqualTo(2);
        }
    }

    @Nested
    class Duplicates {
        @Test
        void aRepeatedRequestIdIsADuplicateNotASecondSend() {
            Customer c = londoner();
            InputRecord r = In.request("r1", T0 + HOUR).channels("whatsapp").build();
            assertSent(c.decide(r), "whatsapp");
            JsonNode dup =
                    c.decide(In.request("r1", T0 + HOUR).channels("whatsapp").build());
            assertSuppressed(dup, "duplicate");
            assertThat(dup.at("/details/requestId").asText()).isEqualTo("r1");
            JsonNode again = c.decide(
                    In.request("r1", T0 + 2 * HOUR).channels("whatsapp").build());
            assertThat(again.get("suppressionId").asText())
                    .as("every repeat shares one id")
                    .isEqualTo(dup.get("suppressionId").asText());
            assertThat(c.facts).extracting(f -> f.duplicate).containsExactly(false, true, true);
            assertThat(FatigueLedger.count(c.state, null, T0 + 2 * HOUR, DAY)).isEqualTo(1);
        }

        @Test
        void aRepeatOfASuppressedRequestIsStillADuplicate() {
            Customer c = londoner();
            assertSuppressed(c.decide(In.request("r1", T0 + HOUR).notAfter(T0)), "expired");
            assertSuppressed(c.decide(In.request("r1", T0 + HOUR)), "duplicate");
        }
    }

    @Nested
    class Tally {
        CampaignFact fact(
                String request, long t, String channel, String reason, double cost, double first, boolean dup) {
            CampaignFact f = new CampaignFact();
            f.campaignId = "c1";
            f.requestId = request;
            f.eventTime = t;
            f.channel = channel;
            f.reason = reason;
            f.cost = cost;
            f.firstChoiceCost = first;
            f.duplicate = dup;
            return f;
        }

        @Test
        void sumsAreExactAndDuplicatesAreNotRequests() throws IOException {
            CampaignTally t = new CampaignTally();
            for (int i = 0; i < 3; i++) {
                t.add(fact("s" + i, T0 + i, "sms", null, 0.00645, 0.018, false));
            }
            t.add(fact("w", T0 + 10, "whatsapp", null, 0.0042, 0.00645, false));
            t.add(fact("x", T0 + 11, null, "fatigue_cap", 0, 0.0042, false));
            t.add(fact("w", T0 + 12, null, "duplicate", 0, 0.0042, true));
            t.add(fact("w", T0 + 5, null, "duplicate", 0, 0.0042, true));
            JsonNode s = Json.MAPPER.readTree(t.toOutput("USD").json);
            assertThat(Schemas.validate(Streams.CAMPAIGN_SUMMARIES, s)).isEmpty();
            assertThat(s.get("requests").asInt()).isEqualTo(5);
            assertThat(s.at("/sends/sms").asInt()).isEqualTo(3);
            assertThat(s.at("/sends/whatsapp").asInt()).isEqualTo(1);
            assertThat(s.at("/suppressions/fatigue_cap").asInt()).isEqualTo(1);
            assertThat(s.at("/suppressions/duplicate").asInt()).isEqualTo(2);
            // Micro-units: exactly 0.02355, not a sum of doubles.
            assertThat(s.at("/estimatedCost/amount").decimalValue()).isEqualByComparingTo("0.02355");
            assertThat(s.at("/costIfFirstChoice/amount").decimalValue()).isEqualByComparingTo("0.06045");
            assertThat(s.at("/estimatedCost/currency").asText()).isEqualTo("USD");
            assertThat(s.get("eventTime").asText()).isEqualTo("2026-11-21T10:00:00.012Z");
        }

        @Test
        void factsFromTheEngineAddUpToOnePerRequest() throws IOException {
            Customer c = londoner();
            c.feed(In.engagement(In.USER, "m-1", T0 + 10 * MINUTE, "Message Sent", "channel", "email", "sendId", "e"));
            c.decide(In.request("r1", T0 + HOUR).channels("whatsapp", "sms"));
            c.decide(In.request("r1", T0 + HOUR).channels("whatsapp", "sms"));
            c.decide(In.request("r2", T0 + 2 * HOUR).channels("sms"));
            c.decide(In.request("r3", T0 + 3 * HOUR).notAfter(T0));
            assertThat(c.facts).hasSize(4);
            CampaignTally t = new CampaignTally();
            c.facts.forEach(t::add);
            JsonNode s = Json.MAPPER.readTree(t.toOutput("USD").json);
            assertThat(s.get("requests").asInt()).isEqualTo(3);
            assertThat(s.at("/sends/whatsapp").asInt()).isEqualTo(1);
            assertThat(s.at("/suppressions").toString()).isEqualTo("{\"duplicate\":1,\"expired\":1,\"fatigue_cap\":1}");
            assertThat(s.at("/estimatedCost/amount").decimalValue()).isEqualByComparingTo("0.0042");
            // Had it gone on the first channel (whatsapp): the same.
            assertThat(s.at("/costIfFirstChoice/amount").decimalValue()).isEqualByComparingTo("0.0042");
        }

        @Test
        void sameFactsInAnyOrderGiveTheSameSummaryContent() throws IOException {
            List<CampaignFact> facts = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                facts.add(fact(
                        "r" + i,
                        T0 + i,
                        i % 2 == 0 ? "sms" : "email",
                        null,
                        i % 2 == 0 ? 0.00645 : 0.0001,
                        0.00645,
                        false));
            }
            facts.add(fact("x", T0 + 9, null, "no_consent", 0, 0.00645, false));
            CampaignTally a = new CampaignTally();
            facts.forEach(a::add);
            CampaignTally b = new CampaignTally();
            new java.util.ArrayDeque<>(facts).descendingIterator().forEachRemaining(b::add);
            JsonNode ja = Json.MAPPER.readTree(a.toOutput("USD").json);
            JsonNode jb = Json.MAPPER.readTree(b.toOutput("USD").json);
            ((ObjectNode) ja).remove("summaryId");
            ((ObjectNode) jb).remove("summaryId");
            assertThat(jb).isEqualTo(ja);
        }
    }

    @Test
    void everyOutputOfTheseHistoriesIsValid() throws IOException {
        Customer c = londoner();
        c.feed(
                In.engagement(In.USER, "m-1", T0 + 10 * MINUTE, "Message Sent", "channel", "email", "sendId", "e"),
                In.engagement(In.USER, "u-1", T0 + 20 * MINUTE, "Unsubscribed", "channel", "sms"));
        c.decide(In.request("r1", T0 + HOUR));
        c.decide(In.request("r2", T0 + 13 * HOUR).category("service"));
        c.decide(In.request("r2", T0 + 13 * HOUR).category("service"));
        for (OutputRecord o : c.outputs) {
            assertThat(Schemas.validate(o.stream, In.json(o))).as("%s", o).isEmpty();
        }
        assertThat(c.outputs).extracting(o -> o.stream).containsOnly(Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS);
        assertThat(c.outputs).hasSize(3);
    }
}
