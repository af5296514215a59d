package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.contract.Uplift;
import dev.attune.policy.CampaignPolicyTest.Customer;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What followed a send, counted per campaign in event time, and the holdout group that shows what
 * the campaign changed: deterministic membership, nothing sent to it, its orders measured the same
 * way, and an uplift that says when there are too few customers to tell.
 */
public class OutcomesAndHoldoutsTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long HOUR = 3_600_000L;
    static final long DAY = 24 * HOUR;

    static Customer consenting(String user, PolicySettings p) {
        Customer c = new Customer(p);
        c.feed(In.identify(user, user + "-id", T0 - DAY, "Europe/London", In.allConsent(), true, true));
        return c;
    }

    static PolicySettings holdout(double share) {
        return Defaults.policy()
                .withHoldouts(new Holdouts(share, Map.of(), Map.of(), 7 * DAY, Map.of(), Set.of("Order Completed")));
    }

    @Nested
    class Outcomes {
        @Test
        void receiptsAndAnOrderWithinTheWindowAreCountedOnceForTheCampaign() {
            Customer c = consenting(In.USER, Defaults.policy());
            JsonNode send = c.decide(In.request("r1", T0).channels("email"));
            String sendId = send.get("sendId").asText();
            c.feed(
                    In.engagement(In.USER, "d1", T0 + HOUR, "Message Delivered", "channel", "email", "sendId", sendId),
                    In.engagement(In.USER, "o1", T0 + 2 * HOUR, "Message Opened", "channel", "email", "sendId", sendId),
                    In.engagement(In.USER, "o2", T0 + 3 * HOUR, "Message Opened", "channel", "email", "sendId", sendId),
                    In.engagement(In.USER, "k1", T0 + 3 * HOUR, "Message Clicked", "campaignId", "winter-sale"),
                    In.behaviour(In.USER, "buy-1", T0 + 2 * DAY, "Order Completed", "revenue", 40.5),
                    In.behaviour(In.USER, "buy-2", T0 + 3 * DAY, "Order Completed", "revenue", 99));
            List<CampaignFact> outcomes =
                    c.facts.stream().filter(f -> f.outcome != null).toList();
            assertThat(outcomes)
                    .extracting(f -> f.outcome)
                    .containsExactly("delivered", "opened", "clicked", "converted");
            assertThat(outcomes).allSatisfy(f -> assertThat(f.campaignId).isEqualTo("winter-sale"));
            assertThat(outcomes.get(3).revenue).isEqualTo(40.5);
            assertThat(outcomes).noneMatch(f -> f.holdout);
        }

        @Test
        void anOrderAfterTheWindowOrBeforeTheSendIsNotTheCampaigns() {
            Customer c = consenting(In.USER, Defaults.policy());
            c.feed(In.behaviour(In.USER, "early", T0 - HOUR, "Order Completed", "revenue", 10));
            c.decide(In.request("r1", T0).channels("email"));
            c.feed(In.behaviour(In.USER, "late", T0 + 8 * DAY, "Order Completed", "revenue", 10));
            assertThat(c.facts).noneMatch(f -> f.outcome != null);
        }

        @Test
        void revenueInAnotherCurrencyCountsTheConversionNotTheAmount() {
            Customer c = consenting(In.USER, Defaults.policy());
            c.decide(In.request("r1", T0).channels("email"));
            c.feed(In.behaviour(In.USER, "buy", T0 + HOUR, "Order Completed", "revenue", 10, "currency", "JPY"));
            CampaignFact f = c.facts.get(c.facts.size() - 1);
            assertThat(f.outcome).isEqualTo("converted");
            assertThat(f.revenue).isZero();
        }
    }

    @Nested
    class HoldoutGroup {
        @Test
        void aHeldOutCustomerGetsAHoldoutSuppressionAndTheirOrderIsMeasured() {
            String user = heldOutUser("winter-sale", 0.3);
            Customer c = consenting(user, holdout(0.3));
            JsonNode out = c.decide(new In.Req(user, "r1", T0).channels("email"));
            assertThat(out.get("reason").asText()).isEqualTo("holdout");
            assertThat(out.at("/details/share").asDouble()).isEqualTo(0.3);
            assertThat(c.outputs).noneMatch(o -> o.stream.equals(Streams.CAMPAIGN_SENDS));
            c.feed(In.behaviour(user, "buy", T0 + DAY, "Order Completed", "revenue", 25));
            CampaignFact f = c.facts.get(c.facts.size() - 1);
            assertThat(f.outcome).isEqualTo("converted");
            assertThat(f.holdout).isTrue();
            assertThat(f.revenue).isEqualTo(25);
        }

        @Test
        void aCustomerWhoCouldNotBeSentToIsNotInTheHoldout() {
            // Holdout measures what a send changes, so only the eligible are held out.
            String user = heldOutUser("winter-sale", 0.3);
            Customer c = new Customer(holdout(0.3));
            c.feed(In.identify(user, "id", T0 - DAY, "Europe/London", In.object("email", false), true, true));
            JsonNode out = c.decide(new In.Req(user, "r1", T0).channels("email"));
            assertThat(out.get("reason").asText()).isEqualTo("no_consent");
        }

        @Property(tries = 30)
        void membershipIsFixedNestedAndNearTheShare(@ForAll @DoubleRange(min = 0.05, max = 0.5) double share) {
            Holdouts h = new Holdouts(share, Map.of(), Map.of(), DAY, Map.of(), Set.of("Order Completed"));
            Holdouts smaller = new Holdouts(share / 2, Map.of(), Map.of(), DAY, Map.of(), Set.of("Order Completed"));
            int held = 0;
            for (int i = 0; i < 4_000; i++) {
                String u = "user-" + i;
                boolean in = h.heldOut("spring", u);
                assertThat(h.heldOut("spring", u)).isEqualTo(in);
                if (smaller.heldOut("spring", u)) {
                    assertThat(in)
                            .as("held out at half the share, so at the share")
                            .isTrue();
                }
                held += in ? 1 : 0;
            }
            // Binomial(4000, share): within 5 standard deviations.
            double sd = Math.sqrt(4_000 * share * (1 - share));
            assertThat((double) held).isBetween(4_000 * share - 5 * sd, 4_000 * share + 5 * sd);
        }

        @Test
        void aCampaignsOwnShareOverridesTheDefaultAndBadSharesAreRefused() {
            Holdouts h = new Holdouts(
                    0.1,
                    Holdouts.perCampaign("renewal=0, winter-sale=0.5"),
                    Map.of(),
                    DAY,
                    Map.of(),
                    Set.of("Order Completed"));
            assertThat(h.shareOf("renewal")).isZero();
            assertThat(h.shareOf("winter-sale")).isEqualTo(0.5);
            assertThat(h.shareOf("other")).isEqualTo(0.1);
            assertThatThrownBy(() -> Holdouts.perCampaign("a=0.7")).hasMessageContaining("'a=0.7'");
            assertThatThrownBy(() -> Holdouts.perCampaign("nonsense")).hasMessageContaining("campaignId=share");
        }
    }

    @Nested
    class Summaries {
        @Test
        void aSummaryCarriesOutcomesRevenueAndTheUpliftAgainstTheHoldout() {
            CampaignTally t = new CampaignTally();
            // 200 sent, 40 of them ordered for 10 each; 200 held out, 20 ordered for 10 each.
            for (int i = 0; i < 200; i++) {
                t.add(fact("s" + i, "email", null, null, false, 0));
                t.add(fact("h" + i, null, "holdout", null, false, 0));
            }
            for (int i = 0; i < 40; i++) {
                t.add(fact("o" + i, null, null, "converted", false, 10));
            }
            for (int i = 0; i < 20; i++) {
                t.add(fact("p" + i, null, null, "converted", true, 10));
            }
            t.add(fact("x", null, null, "opened", false, 0));
            JsonNode n = In.json(t.toOutput("GBP"));
            assertThat(Schemas.validate(Streams.CAMPAIGN_SUMMARIES, n))
                    .as(n.toString())
                    .isEmpty();
            assertThat(n.get("requests").asInt()).isEqualTo(400);
            assertThat(n.get("converted").asInt()).isEqualTo(40);
            assertThat(n.get("opened").asInt()).isEqualTo(1);
            assertThat(n.at("/revenue/amount").asDouble()).isEqualTo(400);
            assertThat(n.at("/holdout/customers").asInt()).isEqualTo(200);
            assertThat(n.at("/holdout/converted").asInt()).isEqualTo(20);
            assertThat(n.at("/uplift/conversionRateSent").asDouble()).isEqualTo(0.2);
            assertThat(n.at("/uplift/conversionRateHeldOut").asDouble()).isEqualTo(0.1);
            assertThat(n.at("/uplift/difference").asDouble()).isEqualTo(0.1);
            assertThat(n.at("/uplift/ci95/0").asDouble()).isBetween(0.02, 0.05);
            assertThat(n.at("/uplift/ci95/1").asDouble()).isBetween(0.15, 0.18);
            assertThat(n.at("/uplift/verdict").asText()).isEqualTo("more_conversions_when_sent");
            // Revenue per customer 2.00 against 1.00; variances 16 and 9, so 1.00 ± 1.96 × √(25/200).
            assertThat(n.at("/uplift/revenueDifference").asDouble()).isEqualTo(1.0);
            assertThat(n.at("/uplift/revenueCi95/0").asDouble())
                    .isCloseTo(0.307, org.assertj.core.data.Offset.offset(0.001));
            assertThat(n.at("/uplift/revenueCi95/1").asDouble())
                    .isCloseTo(1.693, org.assertj.core.data.Offset.offset(0.001));
        }

        @Test
        void tooFewCustomersGiveNoVerdict() {
            Uplift u = Uplift.of(12, 6, 60, 11, 1, 10);
            assertThat(u.verdict()).isEqualTo("too_few_customers");
            assertThat(Uplift.of(500, 50, 0, 500, 48, 0).verdict()).isEqualTo("no_clear_difference");
        }

        @Test
        void aCampaignWithoutHoldoutHasNoUplift() {
            CampaignTally t = new CampaignTally();
            t.add(fact("s", "email", null, null, false, 0));
            JsonNode n = In.json(t.toOutput("GBP"));
            assertThat(n.has("uplift")).isFalse();
            assertThat(n.has("holdout")).isFalse();
            assertThat(n.get("converted").asInt()).isZero();
        }
    }

    public static CampaignFact fact(
            String id, String channel, String reason, String outcome, boolean holdout, double revenue) {
        CampaignFact f = new CampaignFact();
        f.campaignId = "winter-sale";
        f.requestId = id;
        f.eventTime = T0;
        f.channel = channel;
        f.reason = reason;
        f.outcome = outcome;
        f.holdout = holdout;
        f.revenue = revenue;
        return f;
    }

    /** The first user id that the share holds out of the campaign. */
    static String heldOutUser(String campaign, double share) {
        Holdouts h = new Holdouts(share, Map.of(), Map.of(), DAY, Map.of(), Set.of("Order Completed"));
        for (int i = 0; ; i++) {
            if (h.heldOut(campaign, "u-" + i)) {
                return "u-" + i;
            }
        }
    }
}
