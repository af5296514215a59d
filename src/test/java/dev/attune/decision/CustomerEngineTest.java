package dev.attune.decision;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Channel;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine.Outcome;
import dev.attune.signals.*;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The whole per-customer decision, fed contract JSON through the parser, with explicit event times. */
class CustomerEngineTest {

    /** Four struggles of a kind the weights do not name (12 each: 48, the struggle cap) then two errors (+20): crosses medium at the 3rd click, high at the 2nd error. */
    private static List<OutputRecord> burst(Run run, String prefix, long start) {
        List<OutputRecord> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.addAll(run.emits(struggle(prefix + "-s" + i, start + i * 2 * SECOND, "hesitation")));
        }
        out.addAll(run.emits(error(prefix + "-e0", start + 8 * SECOND, "E42")));
        out.addAll(run.emits(error(prefix + "-e1", start + 10 * SECOND, "E42")));
        return out;
    }

    private static List<JsonNode> ofType(List<JsonNode> nodes, String field, String type) {
        return nodes.stream().filter(n -> type.equals(n.path(field).asText())).toList();
    }

    private static int sumOfContributions(JsonNode intervention) {
        int sum = 0;
        for (JsonNode r : intervention.get("reasons")) {
            sum += r.path("contribution").asInt();
        }
        return sum;
    }

    private static JsonNode reason(JsonNode intervention, String code) {
        for (JsonNode r : intervention.get("reasons")) {
            if (code.equals(r.get("code").asText())) {
                return r;
            }
        }
        return null;
    }

    @Nested
    class RiskDriven {
        @Test
        void crossingMediumGivesExactlyOneHelpTip() {
            Run run = new Run();
            assertThat(run.emits(struggle("s1", T0, "hesitation"))).isEmpty(); // 12
            assertThat(run.emits(struggle("s2", T0 + 2 * SECOND, "hesitation"))).isEmpty(); // 24
            List<OutputRecord> third = run.emits(struggle("s3", T0 + 4 * SECOND, "hesitation")); // 36: medium
            assertThat(run.emits(struggle("s4", T0 + 6 * SECOND, "hesitation"))).isEmpty(); // 48: still medium

            assertThat(third).hasSize(1);
            assertThat(third.get(0).stream).isEqualTo(Streams.INTERVENTIONS);
            JsonNode tip = json(third.get(0));
            assertThat(tip.get("schemaVersion").asInt()).isEqualTo(1);
            assertThat(tip.get("userId").asText()).isEqualTo(USER);
            assertThat(tip.get("eventTime").asText()).isEqualTo("2026-11-21T10:00:04.000Z");
            assertThat(tip.get("type").asText()).isEqualTo("help_tip");
            assertThat(tip.get("action").asText()).isEqualTo("show_help_tip");
            assertThat(tip.get("channel").asText()).isEqualTo("in_app");
            assertThat(tip.get("riskScore").asInt()).isEqualTo(36);
            assertThat(tip.get("riskLevel").asText()).isEqualTo("medium");
            assertThat(tip.get("reasons")).hasSize(1);
            assertThat(tip.at("/reasons/0/code").asText()).isEqualTo("struggle_burst");
            assertThat(tip.at("/reasons/0/value").asText()).isEqualTo("3 in 4 s (other)");
            assertThat(tip.at("/reasons/0/contribution").asInt()).isEqualTo(36);
            assertThat(tip.at("/analysis/source").asText()).isEqualTo("heuristic");
            assertThat(tip.get("triggerMessageIds")).hasSize(1);
            assertThat(tip.at("/triggerMessageIds/0").asText()).isEqualTo("s3");
            assertThat(tip.get("interventionId").asText())
                    .matches("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }

        @Test
        void crossingHighGivesExactlyOneLiveChatOffer() {
            Run run = new Run();
            burst(run, "a", T0);
            run.emits(error("a-e2", T0 + 12 * SECOND, "E42")); // 78: high, already offered
            run.emits(error("a-e3", T0 + 14 * SECOND, "E42")); // errors capped at 30
            run.emits(struggle("a-s4", T0 + 16 * SECOND, "hesitation"));

            assertThat(run.interventionTypes()).containsExactly("help_tip", "live_chat_offer");
            assertThat(run.suppressions()).isEmpty();
            JsonNode chat = run.interventions().get(1);
            assertThat(chat.get("action").asText()).isEqualTo("show_live_chat_popup");
            assertThat(chat.get("channel").asText()).isEqualTo("in_app");
            assertThat(chat.get("riskScore").asInt()).isEqualTo(68);
            assertThat(chat.get("riskLevel").asText()).isEqualTo("high");
            assertThat(chat.at("/triggerMessageIds/0").asText()).isEqualTo("a-e1");
            assertThat(reason(chat, "struggle_burst").get("value").asText()).isEqualTo("4 in 6 s (other)");
            assertThat(reason(chat, "struggle_burst").get("contribution").asInt())
                    .isEqualTo(48);
            assertThat(reason(chat, "errors_shown").get("value").asText()).isEqualTo("2 in 5 min (E42)");
            assertThat(reason(chat, "errors_shown").get("contribution").asInt()).isEqualTo(20);
            assertThat(sumOfContributions(chat)).isEqualTo(68);
            assertThat(chat.at("/analysis/recommendedActions/0").asText()).isEqualTo("show_live_chat_popup");
            assertThat(chat.at("/analysis/insights/0").asText())
                    .isEqualTo("Repeated struggle signals: 4 in 6 s (other)");
        }

        @Test
        void stayingAboveTheHysteresisBandNeverReArmsEvenAfterTheCooldown() {
            Run run = new Run();
            burst(run, "a", T0);
            // A struggle a minute keeps five in the 5-minute window: 48, above 60 - 15 = 45.
            for (int m = 1; m <= 40; m++) {
                run.feed(struggle("k" + m, T0 + m * MINUTE, "hesitation"));
            }
            assertThat(run.state.lastRisk).isEqualTo(48);
            // 41 minutes on, past the 30-minute cooldown, errors lift it to 68 again: still disarmed.
            run.feed(error("b-e0", T0 + 41 * MINUTE, "E42"));
            run.feed(error("b-e1", T0 + 41 * MINUTE + 2 * SECOND, "E42"));
            assertThat(run.state.lastRisk).isEqualTo(68);
            assertThat(run.interventionTypes()).containsExactly("help_tip", "live_chat_offer");
            assertThat(run.suppressions()).isEmpty();

            // Falling below the band (nothing left in the windows) re-arms; a new episode offers again.
            run.feed(page("p1", T0 + 50 * MINUTE, "home"));
            assertThat(run.state.lastRisk).isZero();
            burst(run, "c", T0 + 60 * MINUTE);
            assertThat(run.interventionTypes())
                    .containsExactly("help_tip", "live_chat_offer", "help_tip", "live_chat_offer");
            List<JsonNode> chats = ofType(run.interventions(), "type", "live_chat_offer");
            assertThat(chats.get(1).get("eventTime").asText()).isEqualTo("2026-11-21T11:00:10.000Z");
        }

        @Test
        void risingAgainInsideTheCooldownGivesOneCooldownSuppressionPerEpisode() {
            Run run = new Run();
            burst(run, "a", T0); // live chat at T0+10s
            run.feed(page("p1", T0 + 6 * MINUTE, "home")); // risk 0: re-armed
            burst(run, "b", T0 + 10 * MINUTE); // inside 30 min: held
            run.feed(error("b-e2", T0 + 10 * MINUTE + 12 * SECOND, "E42")); // same episode: nothing more
            run.feed(error("b-e3", T0 + 10 * MINUTE + 14 * SECOND, "E42"));
            run.feed(page("p2", T0 + 16 * MINUTE, "home"));
            burst(run, "c", T0 + 20 * MINUTE); // a new episode, still inside the cooldown: held again
            run.feed(page("p3", T0 + 26 * MINUTE, "home"));
            burst(run, "d", T0 + 40 * MINUTE); // 39m50s after the offer: offered again

            List<JsonNode> chats = ofType(run.interventions(), "type", "live_chat_offer");
            assertThat(chats)
                    .extracting(n -> n.at("/triggerMessageIds/0").asText())
                    .containsExactly("a-e1", "d-e1");
            List<JsonNode> held = ofType(run.suppressions(), "interventionType", "live_chat_offer");
            assertThat(held)
                    .extracting(n -> n.at("/triggerMessageIds/0").asText())
                    .containsExactly("b-e1", "c-e1");
            JsonNode first = held.get(0);
            assertThat(first.get("reason").asText()).isEqualTo("cooldown");
            assertThat(first.get("eventTime").asText()).isEqualTo("2026-11-21T10:10:10.000Z");
            assertThat(first.at("/details/cooldownMinutes").asLong()).isEqualTo(30);
            assertThat(first.at("/details/lastInterventionAt").asText()).isEqualTo("2026-11-21T10:00:10.000Z");
            assertThat(first.at("/details/riskScore").asInt()).isEqualTo(68);
            // A held offer does not restart the cooldown: it still counts from the one given.
            assertThat(held.get(1).at("/details/lastInterventionAt").asText()).isEqualTo("2026-11-21T10:00:10.000Z");
            assertThat(run.all).allSatisfy(o -> assertThat(o.stream).isIn(Streams.INTERVENTIONS, Streams.SUPPRESSIONS));
        }

        @Test
        void helpTipHasItsOwnShorterCooldown() {
            Run run = new Run();
            for (int i = 0; i < 3; i++) {
                run.feed(struggle("a" + i, T0 + i * SECOND, "hesitation")); // tip at T0+2s
            }
            run.feed(page("p", T0 + 6 * MINUTE, "home"));
            for (int i = 0; i < 3; i++) {
                run.feed(struggle("b" + i, T0 + 8 * MINUTE + i * SECOND, "hesitation")); // 8 min: held
            }
            run.feed(page("q", T0 + 14 * MINUTE, "home"));
            for (int i = 0; i < 3; i++) {
                run.feed(struggle("c" + i, T0 + 15 * MINUTE + i * SECOND, "hesitation")); // 15 min: given
            }
            assertThat(run.interventionTypes()).containsExactly("help_tip", "help_tip");
            assertThat(run.suppressions()).singleElement().satisfies(s -> {
                assertThat(s.get("interventionType").asText()).isEqualTo("help_tip");
                assertThat(s.at("/details/cooldownMinutes").asLong()).isEqualTo(10);
            });
        }
    }

    @Nested
    class EventDriven {
        @Test
        void cancelPageVisitGivesRetentionOfferButBillingAloneDoesNot() {
            Run run = new Run();
            assertThat(run.emits(page("p1", T0, "billing"))).isEmpty();
            List<OutputRecord> out = run.emits(page("p2", T0 + MINUTE, "cancel-subscription"));
            assertThat(out).singleElement().satisfies(o -> {
                JsonNode n = json(o);
                assertThat(n.get("type").asText()).isEqualTo("retention_offer");
                assertThat(n.get("action").asText()).isEqualTo("show_retention_offer");
                assertThat(n.get("channel").asText()).isEqualTo("in_app");
                assertThat(n.get("riskScore").asInt()).isEqualTo(50);
                assertThat(n.at("/reasons/0/code").asText()).isEqualTo("cancel_intent");
                assertThat(n.at("/reasons/0/value").asText()).isEqualTo("2 billing/cancel page visits in 24 h");
            });
            // Another visit the same day is held by the 24 h cooldown, and said so.
            assertThat(run.emits(page("p3", T0 + 2 * HOUR, "cancel-subscription")))
                    .singleElement()
                    .satisfies(o -> assertThat(json(o).get("reason").asText()).isEqualTo("cooldown"));
        }

        @Test
        void subscriptionCancelledGivesWinBack() {
            Run run = Run.consenting();
            List<OutputRecord> out = run.emits(cancelled("c1", T0, "It's too expensive and we can't afford it"));
            assertThat(out).hasSize(1);
            JsonNode n = json(out.get(0));
            assertThat(n.get("type").asText()).isEqualTo("win_back");
            assertThat(n.get("action").asText()).isEqualTo("start_win_back_sequence");
            assertThat(n.get("channel").asText()).isEqualTo("email");
            assertThat(reason(n, "subscription_cancelled").get("value").asText())
                    .isEqualTo("pricing");
            assertThat(reason(n, "subscription_cancelled").get("contribution").asInt())
                    .isEqualTo(60);
            assertThat(n.get("riskScore").asInt())
                    .isEqualTo(sumOfContributions(n))
                    .isBetween(60, 100);
            JsonNode a = n.get("analysis");
            assertThat(a.get("churnCategory").asText()).isEqualTo("pricing");
            assertThat(a.get("confidence").asDouble()).isBetween(0.0, 1.0).isEqualTo(0.85);
            assertThat(a.get("recommendedActions"))
                    .extracting(JsonNode::asText)
                    .containsExactly("offer_discount", "suggest_cheaper_plan");
            JsonNode seq = a.get("winBackSequence");
            assertThat(seq).hasSize(3);
            assertThat(seq).extracting(m -> m.get("step").asInt()).containsExactly(1, 2, 3);
            assertThat(seq).extracting(m -> m.get("sendAfterDays").asInt()).containsExactly(1, 7, 21);
            assertThat(seq).allSatisfy(m -> {
                assertThat(m.get("subject").asText()).isNotBlank();
                assertThat(m.get("body").asText()).isNotBlank();
            });
            assertThat(n.toString()).doesNotContain("afford").doesNotContain("too expensive");
            assertThat(run.state.cancelCategory).isEqualTo("pricing");
        }

        @Test
        void winBackInTheCustomersLocale() {
            Run run = Run.consenting();
            run.feed(identify("i1", T0, "locale", "en-US"));
            JsonNode n = json(run.emits(cancelled("c1", T0 + MINUTE, "Other")).get(0));
            assertThat(n.get("locale").asText()).isEqualTo("en-US");
            assertThat(n.at("/analysis/churnCategory").asText()).isEqualTo("unclear");
            assertThat(n.at("/analysis/winBackSequence/1/body").asText()).contains("personalized");
            assertThat(n.at("/analysis/winBackSequence/2/body").asText()).contains("canceled plan");

            Run gb = Run.consenting();
            JsonNode g = json(gb.emits(cancelled("c1", T0 + MINUTE, "Other")).get(0));
            assertThat(g.get("locale").asText()).isEqualTo("en-GB");
            assertThat(g.at("/analysis/winBackSequence/1/body").asText()).contains("personalised");
        }

        @Test
        void urgentAngryTicketGivesServiceRecovery() {
            Run run = new Run();
            // -0.46: angry (<= -0.3) but not very angry (> -0.6), no anger or urgency cue: only the priority makes it a
            // case.
            List<OutputRecord> out = run.emits(ticket("t1", T0, "urgent", "The invoice looks wrong"));
            assertThat(out).singleElement().satisfies(o -> {
                JsonNode n = json(o);
                assertThat(n.get("type").asText()).isEqualTo("service_recovery");
                assertThat(n.get("action").asText()).isEqualTo("agent_callback");
                assertThat(n.get("channel").asText()).isEqualTo("voice");
                assertThat(reason(n, "urgent_support_ticket")
                                .get("contribution")
                                .asInt())
                        .isEqualTo(15);
                assertThat(reason(n, "negative_sentiment")).isNotNull();
                assertThat(n.get("riskScore").asInt()).isEqualTo(sumOfContributions(n));
                assertThat(n.toString()).doesNotContain("invoice");
            });
        }

        @Test
        void angryButNotUrgentTicketGivesNothingUnlessVeryAngry() {
            Run run = new Run();
            assertThat(run.emits(ticket("t1", T0, "low", "The invoice looks wrong")))
                    .isEmpty();
            // Furious (anger cues) is a case whatever the priority.
            assertThat(run.emits(ticket(
                            "t2",
                            T0 + HOUR,
                            "low",
                            "This is absolutely unacceptable, I am furious and want a refund now!")))
                    .singleElement()
                    .satisfies(o -> assertThat(json(o).get("type").asText()).isEqualTo("service_recovery"));
        }

        @Test
        void calmTicketsGiveNothing() {
            Run run = new Run();
            assertThat(run.emits(ticket("t1", T0, "low", "Where can I find the export button?")))
                    .isEmpty();
            assertThat(run.emits(ticket("t2", T0 + MINUTE, "urgent", "Where can I find the export button?")))
                    .isEmpty();
            assertThat(run.emits(ticket("t3", T0 + 2 * MINUTE, null, "Thanks, the team was wonderful!")))
                    .isEmpty();
            assertThat(run.all).isEmpty();
        }
    }

    /** Texts in the customer's language, from the catalogue, end to end through the engine. */
    @Nested
    class Languages {
        private JsonNode campaignSend(Run run, String requestId, long t) {
            com.fasterxml.jackson.databind.node.ObjectNode r = object(
                    "requestId",
                    requestId,
                    "campaignId",
                    "winter-sale",
                    "userId",
                    USER,
                    "timestamp",
                    Instant.ofEpochMilli(t).toString());
            r.putArray("channels").add("email");
            r.set("offer", object("title", "Winter sale", "discountPct", 20));
            List<OutputRecord> out = run.emits(parse(Streams.CAMPAIGN_REQUESTS, r.toString()));
            assertThat(out).singleElement().satisfies(o -> assertThat(o.stream).isEqualTo(Streams.CAMPAIGN_SENDS));
            return json(out.get(0));
        }

        @Test
        void aGermanCustomerGetsGermanWinBackAndCampaignTexts() {
            Run run = Run.consenting();
            run.feed(identify("i1", T0, "locale", "de-DE", "email", "kunde@example.com"));
            JsonNode send = campaignSend(run, "r1", T0 + MINUTE);
            assertThat(send.get("locale").asText()).isEqualTo("de-DE");
            assertThat(send.get("templateId").asText()).isEqualTo("promotional_discount_v1");
            assertThat(send.at("/content/subject").asText()).isEqualTo("20 % Rabatt: Winter sale");
            assertThat(send.at("/content/body").asText()).startsWith("Gute Nachrichten: Winter sale gibt es für Sie");

            JsonNode n = json(run.emits(cancelled("c1", T0 + DAY, "It's too expensive and we can't afford it"))
                    .get(0));
            assertThat(n.get("type").asText()).isEqualTo("win_back");
            assertThat(n.get("locale").asText()).isEqualTo("de-DE");
            assertThat(n.at("/analysis/churnCategory").asText()).isEqualTo("pricing");
            assertThat(n.at("/analysis/message").asText())
                    .isEqualTo("Schade, dass Sie gehen. Ihr Konto bleibt bereit, falls Sie es sich anders überlegen.");
            assertThat(n.at("/analysis/winBackSequence/0/subject").asText()).isEqualTo("Schade, dass Sie gehen");
            assertThat(n.at("/analysis/winBackSequence/0/body").asText()).endsWith("30 % Rabatt an.");
            assertThat(n.at("/analysis/winBackSequence/2/body").asText()).contains("gekündigten Tarif");
            assertThat(n.at("/analysis/insights/0").asText())
                    .as("insights are for agents, in English")
                    .startsWith("Cancellation reason classified as pricing");
        }

        @Test
        void frenchSpanishAndAustrianCustomersAndTheFallbackToBritish() {
            String[][] cases = {
                {"fr-FR", "Nous regrettons de vous voir partir", "fr-FR"},
                {"es-ES", "Lamentamos que se vaya", "es-ES"},
                {"de-AT", "Schade, dass Sie gehen", "de-AT"},
                {"ja-JP", "We're sorry to see you go", "en-GB"}
            };
            for (String[] c : cases) {
                Run run = Run.consenting();
                run.feed(identify("i1", T0, "locale", c[0]));
                JsonNode n =
                        json(run.emits(cancelled("c1", T0 + MINUTE, "Other")).get(0));
                assertThat(n.get("locale").asText()).as(c[0]).isEqualTo(c[2]);
                assertThat(n.at("/analysis/winBackSequence/0/subject").asText())
                        .as(c[0])
                        .isEqualTo(c[1]);
            }
        }

        @Test
        void inProductHelpIsInTheCustomersLanguageAndReasonsAreUnchanged() {
            Run de = new Run();
            de.feed(identify("i1", T0, "locale", "es-ES"));
            de.feed(page("p1", T0 + MINUTE, "billing"));
            JsonNode n = json(
                    de.emits(page("p2", T0 + 2 * MINUTE, "cancel-subscription")).get(0));
            assertThat(n.get("type").asText()).isEqualTo("retention_offer");
            assertThat(n.at("/analysis/message").asText()).startsWith("Antes de irse:");
            assertThat(n.at("/reasons/0/value").asText()).isEqualTo("2 billing/cancel page visits in 24 h");
        }

        @Test
        void anEngineWithAnOverrideCatalogueUsesTheOperatorsText() {
            dev.attune.catalogue.TextCatalogue texts = dev.attune.catalogue.TextCatalogue.defaults()
                    .withOverrides(java.util.Map.of(
                            "attune_de.properties",
                            "intervention.win_back.message=Auf Wiedersehen, und danke für Ihr Vertrauen.\n"
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            CustomerEngine engine = new CustomerEngine(
                    dev.attune.testing.Defaults.signals(),
                    dev.attune.testing.Defaults.policy(),
                    dev.attune.testing.Defaults.heuristic(),
                    texts);
            CustomerState s = new CustomerState();
            for (Channel c : Channel.values()) {
                s.consentGranted |= c.bit();
            }
            List<OutputRecord> out = new ArrayList<>();
            engine.decide(s, identify("i1", T0, "locale", "de-DE"), out::add);
            engine.decide(s, cancelled("c1", T0 + MINUTE, "Other"), out::add);
            assertThat(out)
                    .singleElement()
                    .satisfies(o -> assertThat(json(o).at("/analysis/message").asText())
                            .isEqualTo("Auf Wiedersehen, und danke für Ihr Vertrauen."));
        }
    }

    @Nested
    class Duplicates {
        @Test
        void duplicateOfATriggeringEventIsSuppressedNotRepeated() {
            Run run = new Run();
            run.feed(struggle("s1", T0, "hesitation"));
            run.feed(struggle("s2", T0 + SECOND, "hesitation"));
            InputRecord trigger = struggle("s3", T0 + 2 * SECOND, "hesitation");
            assertThat(run.emits(trigger)).hasSize(1);

            assertThat(run.feed(struggle("s3", T0 + 2 * SECOND, "hesitation"))).isEqualTo(Outcome.DUPLICATE);
            assertThat(run.interventions()).hasSize(1);
            assertThat(run.suppressions()).singleElement().satisfies(s -> {
                assertThat(s.get("reason").asText()).isEqualTo("duplicate");
                assertThat(s.get("interventionType").asText()).isEqualTo("help_tip");
                assertThat(s.at("/details/duplicateOf").asText()).isEqualTo("s3");
                assertThat(s.at("/triggerMessageIds/0").asText()).isEqualTo("s3");
            });
            // A retry arriving later (new timestamp, same id) is the same event.
            assertThat(run.feed(struggle("s3", T0 + 30 * SECOND, "hesitation"))).isEqualTo(Outcome.DUPLICATE);
            assertThat(run.interventions()).hasSize(1);
            assertThat(run.suppressions()).hasSize(2);
            // Duplicates fold nothing into the state: the risk window still holds three struggles.
            assertThat(run.state.struggleTimes).hasSize(3);
        }

        @Test
        void duplicateOfAnEventDrivenTriggerIsSuppressed() {
            Run run = Run.consenting();
            run.feed(cancelled("c1", T0, "Other"));
            List<OutputRecord> again = run.emits(cancelled("c1", T0, "Other"));
            assertThat(again).singleElement().satisfies(o -> {
                assertThat(o.stream).isEqualTo(Streams.SUPPRESSIONS);
                assertThat(json(o).get("interventionType").asText()).isEqualTo("win_back");
            });
            assertThat(run.interventions()).hasSize(1);
        }

        @Test
        void duplicateOfANonTriggeringEventGivesNothing() {
            Run run = new Run();
            run.feed(struggle("s1", T0, "hesitation"));
            assertThat(run.feed(struggle("s1", T0, "hesitation"))).isEqualTo(Outcome.DUPLICATE);
            assertThat(run.feed(page("p1", T0 + SECOND, "home"))).isEqualTo(Outcome.USED);
            assertThat(run.feed(page("p1", T0 + SECOND, "home"))).isEqualTo(Outcome.DUPLICATE);
            assertThat(run.all).isEmpty();
            assertThat(run.state.views).isEqualTo(1);
        }

        @Test
        void outputIdsAreDeterministicAndDistinct() {
            Run a = new Run();
            Run b = new Run();
            for (Run run : List.of(a, b)) {
                burst(run, "x", T0);
                run.feed(error("x-e1", T0 + 10 * SECOND, "E42"));
            }
            assertThat(a.all)
                    .extracting(o -> o.json)
                    .containsExactlyElementsOf(b.all.stream().map(o -> o.json).toList());
            assertThat(a.all).extracting(o -> o.id).doesNotHaveDuplicates().hasSize(3);
        }
    }

    @Nested
    class Forgetting {
        @Test
        void forgetMeIsReportedWithOneForgottenSuppressionAndNothingElse() {
            Run run = new Run();
            run.feed(struggle("s1", T0, "hesitation"));
            assertThat(run.feed(track("f1", T0 + MINUTE, "Forget Me"))).isEqualTo(Outcome.FORGET);
            assertThat(run.all).singleElement().satisfies(o -> {
                assertThat(o.stream).isEqualTo("suppressions");
                assertThat(o.json).contains("\"reason\":\"forgotten\"", "\"interventionType\":\"all\"");
            });
        }

        @Test
        void eventsAtOrBeforeTheTombstoneAreForgotten() {
            Run run = Run.consenting();
            run.state.forgottenAt = T0 + HOUR;
            assertThat(run.feed(cancelled("c1", T0 + 30 * MINUTE, "Too expensive")))
                    .isEqualTo(Outcome.FORGOTTEN);
            assertThat(run.feed(cancelled("c2", T0 + HOUR, "Too expensive"))).isEqualTo(Outcome.FORGOTTEN);
            assertThat(run.all).isEmpty();
            assertThat(run.state.cancelledAt).isZero();
            assertThat(run.state.seenHashes).isNull();
            assertThat(run.feed(cancelled("c3", T0 + HOUR + 1, "Too expensive")))
                    .isEqualTo(Outcome.USED);
            assertThat(run.interventionTypes()).containsExactly("win_back");
        }
    }

    @Nested
    class Profile {
        @Test
        void identifySetsProfileAndConsentGrantingAndDenyingReplaceEachOther() {
            Run run = new Run();
            run.feed(identify(
                    "i1",
                    T0,
                    "timezone",
                    "Europe/London",
                    "locale",
                    "en-US",
                    "tier",
                    "gold",
                    "email",
                    "jane.doe@example.com",
                    "phone",
                    "+44 7700 900123",
                    "consent",
                    object("email", true, "sms", false)));
            CustomerState s = run.state;
            assertThat(s.timezone).isEqualTo("Europe/London");
            assertThat(s.locale).isEqualTo("en-US");
            assertThat(s.tier).isEqualTo("gold");
            assertThat(s.consentGranted).isEqualTo(Channel.EMAIL.bit());
            assertThat(s.consentDenied).isEqualTo(Channel.SMS.bit());
            assertThat(s.reachable)
                    .isEqualTo(Channel.EMAIL.bit() | Channel.SMS.bit() | Channel.WHATSAPP.bit() | Channel.VOICE.bit());

            run.feed(identify("i2", T0 + MINUTE, "consent", object("email", false, "sms", true)));
            assertThat(s.consentGranted).isEqualTo(Channel.SMS.bit());
            assertThat(s.consentDenied).isEqualTo(Channel.EMAIL.bit());

            run.feed(identify("i3", T0 + 2 * MINUTE, "consent", object("push", true)));
            assertThat(s.consentGranted).isEqualTo(Channel.SMS.bit() | Channel.PUSH.bit());
            assertThat(s.consentDenied).isEqualTo(Channel.EMAIL.bit());
            // A later identify without a time zone keeps the one we have; an invalid one is ignored.
            run.feed(identify("i4", T0 + 3 * MINUTE, "timezone", "Mars/Olympus_Mons"));
            assertThat(s.timezone).isEqualTo("Europe/London");
            assertThat(run.all).isEmpty();
        }

        @Test
        void stateHoldsNoContactDetails() throws IllegalAccessException {
            Run run = new Run();
            run.feed(identify("i1", T0, "email", "jane.doe@example.com", "phone", "+44 7700 900123"));
            run.feed(ticket("t1", T0 + MINUTE, "low", "Call me on +44 7700 900123 or mail jane.doe@example.com"));
            for (Field f : CustomerState.class.getFields()) {
                if (!Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    Object v = f.get(run.state);
                    assertThat(String.valueOf(v)).as(f.getName()).doesNotContain("jane", "7700");
                }
            }
        }

        @Test
        void unsubscribedWithAndWithoutChannel() {
            Run run = new Run();
            run.feed(engagement("u1", T0, "Unsubscribed", "channel", "email"));
            assertThat(run.state.unsubscribed).isEqualTo(Channel.EMAIL.bit());
            assertThat(run.state.unsubscribedAll).isFalse();

            run.feed(engagement("u2", T0 + MINUTE, "Unsubscribed", "channel", "sms"));
            assertThat(run.state.unsubscribed).isEqualTo(Channel.EMAIL.bit() | Channel.SMS.bit());

            // A fresh opt-in lifts the unsubscribe from that channel only.
            run.feed(identify("i1", T0 + 2 * MINUTE, "consent", object("email", true)));
            assertThat(run.state.unsubscribed).isEqualTo(Channel.SMS.bit());

            run.feed(engagement("u3", T0 + 3 * MINUTE, "Unsubscribed"));
            assertThat(run.state.unsubscribedAll).isTrue();
            assertThat(run.all).isEmpty();
        }

        @Test
        void messageEventsCountPerChannel() {
            Run run = new Run();
            run.feed(engagement("m1", T0, "Message Sent", "channel", "email", "sendId", "x1"));
            run.feed(engagement("m2", T0 + MINUTE, "Message Opened", "channel", "email", "sendId", "x1"));
            run.feed(engagement("m3", T0 + 2 * MINUTE, "Message Opened", "channel", "email", "sendId", "x1"));
            run.feed(engagement("m4", T0 + 3 * MINUTE, "Message Opened", "channel", "sms", "sendId", "x2"));
            run.feed(engagement("m5", T0 + 4 * MINUTE, "Message Clicked", "channel", "sms", "sendId", "x2"));
            run.feed(engagement("m6", T0 + 5 * MINUTE, "Message Bounced", "channel", "whatsapp", "type", "hard"));
            run.feed(engagement("m7", T0 + 6 * MINUTE, "Message Complained", "channel", "sms"));
            CustomerState s = run.state;
            assertThat(Engagement.get(s, Engagement.Metric.SENT, Channel.EMAIL)).isEqualTo(1);
            assertThat(Engagement.get(s, Engagement.Metric.OPENED, Channel.EMAIL))
                    .isEqualTo(2);
            assertThat(Engagement.get(s, Engagement.Metric.OPENED, Channel.SMS)).isEqualTo(1);
            assertThat(Engagement.get(s, Engagement.Metric.OPENED, Channel.PUSH))
                    .isZero();
            assertThat(Engagement.get(s, Engagement.Metric.CLICKED, Channel.SMS))
                    .isEqualTo(1);
            assertThat(s.hardBounced).isEqualTo(Channel.WHATSAPP.bit());
            assertThat(s.complained).isEqualTo(Channel.SMS.bit());
            assertThat(Signals.engagementLevel(s)).isEqualTo("high"); // three opens
            assertThat(run.all).isEmpty();
        }

        @Test
        void openHourIsRecordedInTheCustomersTimeZone() {
            long summerNoonThirty = Instant.parse("2026-07-01T12:30:00Z").toEpochMilli();
            long winterNoonThirty = Instant.parse("2026-11-21T12:30:00Z").toEpochMilli();
            assertThat(openHours("Europe/London", summerNoonThirty, winterNoonThirty))
                    .containsExactly(12, 13);
            assertThat(openHours("America/New_York", summerNoonThirty, winterNoonThirty))
                    .containsExactly(7, 8);
            assertThat(openHours(null, summerNoonThirty, winterNoonThirty)).containsExactly(12);
        }

        private List<Integer> openHours(String timezone, long... opens) {
            Run run = new Run();
            if (timezone != null) {
                run.feed(identify("i1", opens[0] - DAY, "timezone", timezone));
            }
            for (int i = 0; i < opens.length; i++) {
                run.feed(engagement("o" + i, opens[i], "Message Opened", "channel", "push"));
            }
            List<Integer> hours = new ArrayList<>();
            int total = 0;
            for (int h = 0; h < 24; h++) {
                if (run.state.openHours[h] > 0) {
                    hours.add(h);
                    total += run.state.openHours[h];
                }
            }
            assertThat(total).isEqualTo(opens.length);
            return hours;
        }
    }

    @Nested
    class Sentiment {
        @Test
        void sentimentDecaysWithTheHalfLife() {
            Run run = new Run();
            run.feed(survey("n1", T0, 0, "nps")); // observation -1: moves halfway from 0
            assertThat(run.state.sentiment).isEqualTo(-0.5);
            assertThat(run.state.sentimentTime).isEqualTo(T0);
            // Seven days (the half-life) later it has decayed to -0.25, then moves halfway toward +1.
            run.feed(survey("n2", T0 + 7 * DAY, 10, "nps"));
            assertThat(run.state.sentiment).isCloseTo(0.375, within(1e-12));
            assertThat(run.state.sentimentTime).isEqualTo(T0 + 7 * DAY);
        }

        @Test
        void riskUsesTheDecayedSentiment() {
            Run run = new Run();
            run.feed(survey("n1", T0, 0, "nps")); // sentiment -0.5
            long later = T0 + 7 * DAY;
            run.feed(struggle("s0", later - SECOND, "hesitation")); // 12 + 8 = 20
            run.feed(struggle("s1", later, "hesitation")); // 24 + 8 = 32: medium, exactly one half-life on
            JsonNode tip = run.interventions().get(0);
            assertThat(tip.at("/triggerMessageIds/0").asText()).isEqualTo("s1");
            // One half-life on, -0.5 has decayed to -0.25: 0.25 * 30 = 7.5, rounded to 8 (undecayed it would be 15).
            assertThat(reason(tip, "negative_sentiment").get("value").asText()).isEqualTo("-0.25");
            assertThat(reason(tip, "negative_sentiment").get("contribution").asInt())
                    .isEqualTo(8);
            assertThat(tip.get("riskScore").asInt()).isEqualTo(24 + 8);
        }
    }
}
