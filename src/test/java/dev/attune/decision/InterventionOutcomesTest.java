package dev.attune.decision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.policy.Attribution;
import dev.attune.policy.CampaignFact;
import dev.attune.policy.CampaignPolicyTest.Customer;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.policy.CampaignTally;
import dev.attune.policy.Holdouts;
import dev.attune.policy.OutcomesAndHoldoutsTest;
import dev.attune.policy.PolicySettings;
import dev.attune.signals.InterventionType;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * What followed an intervention, and the holdout that shows what it changed: each type's goal
 * (the struggler completed, the customer about to cancel stayed, the canceller came back) counted
 * in event time within the type's window, receipts of a message intervention by its id, and a
 * held-out customer shown and sent nothing while their goal is measured the same way.
 */
public class InterventionOutcomesTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    static PolicySettings holdingOut(String spec) {
        return Defaults.policy()
                .withHoldouts(new Holdouts(
                        0,
                        Map.of(),
                        Holdouts.perIntervention(spec),
                        7 * DAY,
                        Map.of(),
                        Set.of("Order Completed", "Application Submitted")));
    }

    static Customer customer(String user, PolicySettings p) {
        Customer c = new Customer(p);
        c.feed(In.identify(user, user + "-id", T0 - DAY, "Europe/London", In.allConsent(), true, true));
        return c;
    }

    static InputRecord decisiveStruggle(String user, String id, long t) {
        return In.behaviour(user, id, t, "Struggle Signal", "kind", "rage_click", "attempts", 4);
    }

    static InputRecord page(String user, String id, long t, String name) {
        ObjectNode o = In.envelope(user, id, t, "page");
        o.put("name", name);
        return In.parse(Streams.USER_EVENTS, o);
    }

    static List<CampaignFact> outcomes(Customer c, InterventionType t) {
        return c.facts.stream()
                .filter(f -> f.outcome != null && Attribution.key(t).equals(f.campaignId))
                .toList();
    }

    static List<JsonNode> of(Customer c, String stream) {
        return c.outputs.stream()
                .filter(o -> o.stream.equals(stream))
                .map(In::json)
                .toList();
    }

    /** The first user the spec holds out of the type, or (held = false) the first it does not. */
    static String user(String spec, InterventionType t, boolean held) {
        Holdouts h = holdingOut(spec).holdouts();
        for (int i = 0; ; i++) {
            if (h.heldOut(t, "u-" + i) == held) {
                return "u-" + i;
            }
        }
    }

    @Test
    void aStrugglerWhoCompletesWithinTheHourCountsForTheLiveChatOffer() {
        String u = "u-struggler";
        Customer c = customer(u, holdingOut(""));
        c.feed(decisiveStruggle(u, "s1", T0));
        assertThat(of(c, Streams.INTERVENTIONS))
                .singleElement()
                .satisfies(n -> assertThat(n.get("type").asText()).isEqualTo("live_chat_offer"));
        assertThat(c.facts).filteredOn(f -> f.outcome == null).singleElement().satisfies(f -> {
            assertThat(f.campaignId).isEqualTo("intervention:live_chat_offer");
            assertThat(f.channel).isEqualTo("in_app");
            assertThat(f.requestId).isEqualTo("s1");
        });
        c.feed(In.behaviour(u, "done", T0 + 20 * MINUTE, "Application Submitted"));
        c.feed(In.behaviour(u, "done-again", T0 + 30 * MINUTE, "Application Submitted"));
        assertThat(outcomes(c, InterventionType.LIVE_CHAT_OFFER))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.outcome).isEqualTo("converted");
                    assertThat(f.requestId).isEqualTo("done");
                    assertThat(f.holdout).isFalse();
                });
    }

    @Test
    void aGoalAfterTheTypesWindowIsNotTheInterventions() {
        String u = "u-late";
        Customer c = customer(u, Defaults.policy());
        c.feed(decisiveStruggle(u, "s1", T0));
        c.feed(In.behaviour(u, "buy", T0 + 2 * HOUR, "Order Completed", "revenue", 30));
        assertThat(outcomes(c, InterventionType.LIVE_CHAT_OFFER)).isEmpty();
    }

    @Test
    void aHeldOutStrugglerIsShownNothingAndTheirCompletionCountsForTheHoldout() {
        String spec = "live_chat_offer=0.5";
        String u = user(spec, InterventionType.LIVE_CHAT_OFFER, true);
        Customer c = customer(u, holdingOut(spec));
        c.feed(decisiveStruggle(u, "s1", T0));
        c.feed(decisiveStruggle(u, "s2", T0 + 30_000));
        assertThat(of(c, Streams.INTERVENTIONS)).isEmpty();
        List<JsonNode> held = of(c, Streams.SUPPRESSIONS);
        assertThat(held).singleElement().satisfies(n -> {
            assertThat(n.get("reason").asText()).isEqualTo("holdout");
            assertThat(n.get("interventionType").asText()).isEqualTo("live_chat_offer");
            assertThat(n.at("/details/share").asDouble()).isEqualTo(0.5);
            assertThat(Schemas.validate(Streams.SUPPRESSIONS, n)).isEmpty();
        });
        c.feed(In.behaviour(u, "buy", T0 + 10 * MINUTE, "Order Completed", "revenue", 12.5));
        assertThat(outcomes(c, InterventionType.LIVE_CHAT_OFFER))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.outcome).isEqualTo("converted");
                    assertThat(f.holdout).isTrue();
                    assertThat(f.revenue).isEqualTo(12.5);
                });
        assertThat(c.facts)
                .filteredOn(f -> f.outcome == null)
                .extracting(f -> f.reason)
                .as("held out once: the type disarms as if given, so the second struggle asks nothing")
                .containsExactly("holdout");
    }

    @Test
    void aCustomerWhoSawTheRetentionOfferAndCancelledAnywayDidNotStay() {
        String u = "u-leaving";
        Customer c = customer(u, Defaults.policy());
        c.feed(page(u, "p1", T0, "billing"));
        c.feed(page(u, "p2", T0 + MINUTE, "cancel-subscription"));
        assertThat(of(c, Streams.INTERVENTIONS))
                .extracting(n -> n.get("type").asText())
                .containsExactly("retention_offer");
        c.feed(In.behaviour(u, "bye", T0 + 3 * DAY, "Subscription Cancelled", "reason", "too expensive"));
        assertThat(outcomes(c, InterventionType.RETENTION_OFFER))
                .singleElement()
                .satisfies(f -> assertThat(f.outcome).isEqualTo("cancelled"));
    }

    @Test
    void aWinBackEmailsReceiptsNameItAndTheCustomersReturnCounts() {
        String u = "u-gone";
        Customer c = customer(u, Defaults.policy());
        c.feed(In.behaviour(u, "bye", T0, "Subscription Cancelled", "reason", "too expensive"));
        JsonNode winBack = of(c, Streams.INTERVENTIONS).get(0);
        assertThat(winBack.get("type").asText()).isEqualTo("win_back");
        String id = winBack.get("interventionId").asText();
        c.feed(In.engagement(u, "d1", T0 + DAY, "Message Delivered", "channel", "email", "sendId", id));
        c.feed(In.engagement(u, "o1", T0 + DAY + HOUR, "Message Opened", "channel", "email", "sendId", id));
        c.feed(In.behaviour(u, "back", T0 + 10 * DAY, "Order Completed", "revenue", 49));
        assertThat(outcomes(c, InterventionType.WIN_BACK))
                .extracting(f -> f.outcome)
                .containsExactly("delivered", "opened", "converted");
    }

    @Test
    void anInterventionSummaryCountsDecisionsAndMeasuresItsGoalAgainstTheHoldout() {
        CampaignTally t = new CampaignTally();
        // retention offers: 100 given, 30 of them cancelled; 100 held out, 50 cancelled.
        for (int i = 0; i < 100; i++) {
            t.add(fact("g" + i, "in_app", null, null, false));
            t.add(fact("h" + i, null, "holdout", null, false));
        }
        t.add(fact("c", null, "cooldown", null, false));
        for (int i = 0; i < 30; i++) {
            t.add(fact("x" + i, null, null, "cancelled", false));
        }
        for (int i = 0; i < 50; i++) {
            t.add(fact("y" + i, null, null, "cancelled", true));
        }
        JsonNode n = In.json(t.toOutput("GBP"));
        assertThat(Schemas.validate(Streams.CAMPAIGN_SUMMARIES, n))
                .as(n.toString())
                .isEmpty();
        assertThat(n.get("campaignId").asText()).isEqualTo("intervention:retention_offer");
        assertThat(n.get("interventionType").asText()).isEqualTo("retention_offer");
        assertThat(n.get("requests").asInt()).isEqualTo(201);
        assertThat(n.at("/sends/in_app").asInt()).isEqualTo(100);
        assertThat(n.at("/suppressions/holdout").asInt()).isEqualTo(100);
        assertThat(n.get("cancelled").asInt()).isEqualTo(30);
        assertThat(n.at("/goal/name").asText()).isEqualTo("stayed");
        assertThat(n.at("/goal/reached").asInt()).isEqualTo(70);
        assertThat(n.at("/goal/heldOutReached").asInt()).isEqualTo(50);
        assertThat(n.at("/holdout/cancelled").asInt()).isEqualTo(50);
        assertThat(n.at("/holdout/converted").asInt()).isZero();
        assertThat(n.at("/uplift/conversionRateSent").asDouble()).isEqualTo(0.7);
        assertThat(n.at("/uplift/conversionRateHeldOut").asDouble()).isEqualTo(0.5);
        assertThat(n.at("/uplift/verdict").asText()).isEqualTo("more_conversions_when_sent");
    }

    @Test
    void badInterventionHoldoutsAndWindowsAreRefusedNamingThePair() {
        assertThatThrownBy(() -> Holdouts.perIntervention("popup=0.1")).hasMessageContaining("'popup'");
        assertThatThrownBy(() -> Holdouts.perIntervention("help_tip=0.9")).hasMessageContaining("'help_tip=0.9'");
        assertThatThrownBy(() -> Holdouts.windows("help_tip=-1", Long::parseLong))
                .hasMessageContaining("'help_tip=-1'");
        Holdouts h = new Holdouts(
                0, Map.of(), Map.of(), 7 * DAY, Holdouts.windows("help_tip=5", Long::parseLong), Set.of("x"));
        assertThat(h.windowOf("intervention:help_tip")).isEqualTo(5);
        assertThat(h.windowOf("intervention:win_back")).isEqualTo(30 * DAY);
        assertThat(h.windowOf("winter-sale")).isEqualTo(7 * DAY);
    }

    /**
     * The invariant: a customer in a type's holdout is never shown or sent that type, whatever
     * the share and the customer, and one outside it gets exactly what they would without holdouts.
     */
    @Property(tries = 60)
    void heldOutCustomersNeverGetTheTypeAndOthersGetTheSame(
            @ForAll @DoubleRange(min = 0.01, max = 0.5) double share, @ForAll @IntRange(min = 0, max = 5000) int n) {
        String u = "user-" + n;
        String spec = "live_chat_offer=" + share + ",retention_offer=" + share + ",win_back=" + share;
        Holdouts h = holdingOut(spec).holdouts();
        Customer with = customer(u, holdingOut(spec));
        Customer without = customer(u, holdingOut(""));
        for (Customer c : List.of(with, without)) {
            c.feed(decisiveStruggle(u, "s1", T0));
            c.feed(page(u, "p1", T0 + HOUR, "billing"));
            c.feed(page(u, "p2", T0 + HOUR + MINUTE, "cancel-subscription"));
            c.feed(In.behaviour(u, "bye", T0 + 2 * HOUR, "Subscription Cancelled", "reason", "too expensive"));
        }
        List<String> given = of(with, Streams.INTERVENTIONS).stream()
                .map(x -> x.get("type").asText())
                .toList();
        for (InterventionType t : List.of(
                InterventionType.LIVE_CHAT_OFFER, InterventionType.RETENTION_OFFER, InterventionType.WIN_BACK)) {
            boolean heldOut = h.heldOut(t, u);
            assertThat(given.contains(t.wire))
                    .as("%s given though held out", t.wire)
                    .isEqualTo(!heldOut);
            assertThat(of(with, Streams.SUPPRESSIONS))
                    .filteredOn(x -> x.get("interventionType").asText().equals(t.wire)
                            && x.get("reason").asText().equals("holdout"))
                    .hasSize(heldOut ? 1 : 0);
        }
        List<String> reference = of(without, Streams.INTERVENTIONS).stream()
                .map(x -> x.get("interventionId").asText())
                .toList();
        assertThat(of(with, Streams.INTERVENTIONS))
                .extracting(x -> x.get("interventionId").asText())
                .isSubsetOf(reference);
        assertThat(with.outputs.stream().filter(o -> o.stream.equals(Streams.CAMPAIGN_SENDS)))
                .isEmpty();
    }

    static CampaignFact fact(String id, String channel, String reason, String outcome, boolean holdout) {
        CampaignFact f = OutcomesAndHoldoutsTest.fact(id, channel, reason, outcome, holdout, 0);
        f.campaignId = "intervention:retention_offer";
        return f;
    }
}
