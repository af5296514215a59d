package dev.attune.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.policy.CampaignPolicyTest.Customer;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Interventions that reach the customer outside the product (a win-back sequence, an agent's
 * callback) pass the contact policy campaign sends pass, count toward the caps, and are arbitrated
 * against campaigns; in-product help is not a message.
 */
class MessageInterventionTest {
    static final long T0 = Instant.parse("2026-11-21T09:00:00Z").toEpochMilli(); // 09:00 in London
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static Customer customer(Object... consent) {
        Customer c = new Customer();
        c.feed(In.identify(In.USER, "id-0", T0 - DAY, "Europe/London", In.object(consent), false, false));
        return c;
    }

    static Customer consentingToAll() {
        Customer c = new Customer();
        c.feed(In.identify(In.USER, "id-0", T0 - DAY, "Europe/London", In.allConsent(), false, false));
        return c;
    }

    static List<JsonNode> outputs(List<OutputRecord> out, String stream) {
        for (OutputRecord o : out) {
            assertThat(Schemas.validate(o.stream, In.json(o))).as(o.json).isEmpty();
        }
        return out.stream().filter(o -> o.stream.equals(stream)).map(In::json).toList();
    }

    static List<OutputRecord> cancel(Customer c, String id, long t) {
        return c.feed(In.behaviour(
                In.USER, id, t, "Subscription Cancelled", "reason", "Too expensive for us", "plan", "pro"));
    }

    static List<OutputRecord> angryTicket(Customer c, String id, long t) {
        return c.feed(In.behaviour(
                In.USER,
                id,
                t,
                "Support Ticket Created",
                "priority",
                "urgent",
                "text",
                "Charged twice again, this is unacceptable and I am furious"));
    }

    static JsonNode only(List<JsonNode> nodes) {
        assertThat(nodes).hasSize(1);
        return nodes.get(0);
    }

    @Nested
    class Consent {
        @Test
        void aCustomerWhoUnsubscribedFromEverythingAndRefusedEmailGetsNoWinBack() {
            // The case a new user found: a three-email win-back to a customer who had said no twice.
            Customer c = customer("email", false);
            c.feed(In.engagement(In.USER, "u-all", T0, "Unsubscribed"));
            List<OutputRecord> out = cancel(c, "c-1", T0 + HOUR);
            assertThat(outputs(out, Streams.INTERVENTIONS)).isEmpty();
            JsonNode s = only(outputs(out, Streams.SUPPRESSIONS));
            assertThat(s.get("interventionType").asText()).isEqualTo("win_back");
            assertThat(s.get("reason").asText()).isEqualTo("unsubscribed");
            assertThat(s.at("/details/channels/email").asText()).isEqualTo("unsubscribed");
            assertThat(s.at("/triggerMessageIds/0").asText()).isEqualTo("c-1");
        }

        @Test
        void aWinBackWhoseChannelIsRefusedGoesOutOnAnAllowedOneAndSaysWhy() {
            Customer c = customer("email", false, "sms", true);
            JsonNode w = only(outputs(cancel(c, "c-1", T0 + HOUR), Streams.INTERVENTIONS));
            assertThat(w.get("type").asText()).isEqualTo("win_back");
            assertThat(w.get("channel").asText()).isEqualTo("sms");
            assertThat(w.at("/excludedChannels/email").asText()).isEqualTo("no_consent");
        }

        @Test
        void underOptInAWinBackNeedsConsentGivenButAServiceRecoveryOnlyNoRefusal() {
            Customer c = customer();
            List<OutputRecord> win = cancel(c, "c-1", T0 + HOUR);
            assertThat(outputs(win, Streams.INTERVENTIONS)).isEmpty();
            assertThat(only(outputs(win, Streams.SUPPRESSIONS)).get("reason").asText())
                    .isEqualTo("no_consent");

            Customer d = customer("voice", false);
            JsonNode r = only(outputs(angryTicket(d, "t-1", T0 + HOUR), Streams.INTERVENTIONS));
            assertThat(r.get("type").asText()).isEqualTo("service_recovery");
            assertThat(r.get("channel").asText()).isEqualTo("email");
            assertThat(r.at("/excludedChannels/voice").asText()).isEqualTo("no_consent");
        }

        @Test
        void underOptOutAWinBackGoesUnlessRefused() {
            Customer c = new Customer(Defaults.policy(Map.of("consent.mode", "opt-out")));
            c.feed(In.identify(In.USER, "id-0", T0 - DAY, "Europe/London", In.object("email", false), false, false));
            JsonNode w = only(outputs(cancel(c, "c-1", T0 + HOUR), Streams.INTERVENTIONS));
            assertThat(w.get("channel").asText()).isEqualTo("sms");
        }

        @Test
        void aHardBounceClosesAChannelForInterventionsToo() {
            Customer c = customer("email", true);
            c.feed(In.engagement(In.USER, "b-1", T0, "Message Bounced", "channel", "email", "bounceType", "hard"));
            JsonNode s = only(outputs(cancel(c, "c-1", T0 + HOUR), Streams.SUPPRESSIONS));
            assertThat(s.at("/details/channels/email").asText()).isEqualTo("unreachable");
            assertThat(s.at("/details/channels/sms").asText()).isEqualTo("no_consent");
        }
    }

    @Nested
    class CapsAndQuietHours {
        @Test
        void aWinBackCountsTowardTheCapsAndIsHeldByThem() {
            Customer c = consentingToAll();
            // Two promotional messages from other systems today: the all-channel daily cap (2/1d) is full.
            c.feed(
                    In.engagement(In.USER, "m-1", T0, "Message Sent", "channel", "email", "sendId", "crm-1"),
                    In.engagement(In.USER, "m-2", T0 + 1, "Message Sent", "channel", "sms", "sendId", "crm-2"));
            JsonNode s = only(outputs(cancel(c, "c-1", T0 + HOUR), Streams.SUPPRESSIONS));
            assertThat(s.get("reason").asText()).isEqualTo("fatigue_cap");
            assertThat(s.at("/details/cap").asText()).isEqualTo("all:2/1d");
        }

        @Test
        void theWinBacksOwnEchoIsNotCountedTwice() {
            Customer c = consentingToAll();
            JsonNode w = only(outputs(cancel(c, "c-1", T0), Streams.INTERVENTIONS));
            // The delivery service reports the first message of the sequence with the intervention's id.
            c.feed(In.engagement(
                    In.USER,
                    "m-1",
                    T0 + HOUR,
                    "Message Sent",
                    "channel",
                    "email",
                    "sendId",
                    w.get("interventionId").asText()));
            assertThat(c.state.sendTimes).hasSize(1);
        }

        @Test
        void aWinBackDecidedAtNightStartsAfterQuietHoursInTheCustomersZone() {
            Customer c = consentingToAll();
            long night = Instant.parse("2026-11-21T23:30:00Z").toEpochMilli();
            JsonNode w = only(outputs(cancel(c, "c-1", night), Streams.INTERVENTIONS));
            assertThat(w.get("scheduledAt").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
            assertThat(w.get("eventTime").asText()).isEqualTo("2026-11-21T23:30:00.000Z");
        }

        @Test
        void inProductHelpIsNotAMessageNeitherCappedNorHeldByQuietHours() {
            Customer c = customer(); // no consent at all
            long night = Instant.parse("2026-11-21T23:30:00Z").toEpochMilli();
            c.feed(
                    In.engagement(In.USER, "m-1", night - 2, "Message Sent", "channel", "in_app", "sendId", "x1"),
                    In.engagement(In.USER, "m-2", night - 1, "Message Sent", "channel", "push", "sendId", "x2"),
                    In.engagement(In.USER, "m-3", night, "Message Sent", "channel", "in_app", "sendId", "x3"));
            List<JsonNode> help = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                help.addAll(outputs(
                        c.feed(In.behaviour(
                                In.USER,
                                "s-" + i,
                                night + i * 2_000L,
                                "Struggle Signal",
                                "kind",
                                "rage_click",
                                "attempts",
                                1)),
                        Streams.INTERVENTIONS));
            }
            assertThat(help).extracting(n -> n.get("type").asText()).contains("help_tip");
            for (JsonNode n : help) {
                assertThat(n.get("channel").asText()).isEqualTo("in_app");
                assertThat(n.has("scheduledAt")).isFalse();
            }
        }
    }

    @Nested
    class Arbitration {
        @Test
        void promotionalSendsWaitWhileTheWinBackSequenceIsUnderWay() {
            Customer c = consentingToAll();
            assertThat(outputs(cancel(c, "c-1", T0), Streams.INTERVENTIONS)).hasSize(1);
            // The marketer's promotions at 10:00 and 11:00 (WhatsApp, SMS) do not reach the canceller.
            JsonNode at10 = c.decide(In.request("r1", T0 + HOUR).channels("whatsapp"));
            JsonNode at11 = c.decide(In.request("r2", T0 + 2 * HOUR).channels("sms"));
            for (JsonNode n : List.of(at10, at11)) {
                assertThat(n.get("reason").asText()).isEqualTo("win_back_in_progress");
                assertThat(n.at("/details/winBackStartedAt").asText()).isEqualTo("2026-11-21T09:00:00.000Z");
                assertThat(n.at("/details/holdsUntil").asText()).isEqualTo("2026-12-12T09:00:00.000Z");
            }
            // A transactional message (a receipt) is not held.
            assertThat(c.decide(In.request("r3", T0 + 3 * HOUR)
                                    .category("transactional")
                                    .channels("email"))
                            .has("sendId"))
                    .isTrue();
            // Once the window is over, promotions flow again.
            assertThat(c.decide(In.request("r4", T0 + 22 * DAY).channels("email"))
                            .has("sendId"))
                    .isTrue();
        }

        @Test
        void theWindowIsConfigurable() {
            Customer c = new Customer(Defaults.policy(Map.of("arbitration.win-back-window", "2 h")));
            c.feed(In.identify(In.USER, "id-0", T0 - DAY, "Europe/London", In.allConsent(), false, false));
            cancel(c, "c-1", T0);
            assertThat(c.decide(In.request("r1", T0 + HOUR).channels("email"))
                            .get("reason")
                            .asText())
                    .isEqualTo("win_back_in_progress");
            // Past the window; email stays closed today because the win-back's first email counts (email:1/1d).
            assertThat(c.decide(In.request("r2", T0 + 3 * HOUR).channels("email"))
                            .get("reason")
                            .asText())
                    .isEqualTo("fatigue_cap");
            assertThat(c.decide(In.request("r3", T0 + 4 * HOUR).channels("sms")).has("sendId"))
                    .isTrue();
        }

        @Test
        void aServiceRecoveryComesFirstItHoldsTheWinBackAndPromotions() {
            // Precedence: service recovery, then win-back, then campaigns.
            Customer c = consentingToAll();
            JsonNode r = only(outputs(angryTicket(c, "t-1", T0), Streams.INTERVENTIONS));
            assertThat(r.get("type").asText()).isEqualTo("service_recovery");
            assertThat(r.get("channel").asText()).isEqualTo("voice");
            List<OutputRecord> out = cancel(c, "c-1", T0 + HOUR);
            assertThat(outputs(out, Streams.INTERVENTIONS)).isEmpty();
            JsonNode held = only(outputs(out, Streams.SUPPRESSIONS));
            assertThat(held.get("interventionType").asText()).isEqualTo("win_back");
            assertThat(held.get("reason").asText()).isEqualTo("service_recovery_in_progress");
            assertThat(c.decide(In.request("r1", T0 + 2 * HOUR).channels("email"))
                            .get("reason")
                            .asText())
                    .isEqualTo("service_recovery_in_progress");
            // After the recovery window a later cancellation gets its win-back.
            assertThat(outputs(cancel(c, "c-2", T0 + 4 * DAY), Streams.INTERVENTIONS))
                    .extracting(n -> n.get("type").asText())
                    .containsExactly("win_back");
        }

        @Test
        void aWinBackThatDidNotGoOutHoldsNothing() {
            Customer d = customer("email", false, "sms", false, "whatsapp", false, "push", true);
            assertThat(outputs(cancel(d, "c-1", T0), Streams.SUPPRESSIONS)).hasSize(1);
            assertThat(d.decide(In.request("r1", T0 + HOUR).channels("push")).has("sendId"))
                    .isTrue();
        }
    }
}
