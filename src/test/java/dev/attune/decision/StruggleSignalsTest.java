package dev.attune.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.policy.CampaignPolicyTest.Customer;
import dev.attune.policy.CampaignPolicyTest.In;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a struggle, an error and a page say beyond being there: the attempts and time stuck of one
 * struggle, its kind, payment errors at checkout, and which pages are cancel pages, through the
 * engine as the job drives it.
 */
class StruggleSignalsTest {
    static final long T0 = Instant.parse("2026-11-21T09:00:00Z").toEpochMilli();
    static final long SECOND = 1000;

    static InputRecord page(String id, long t, String name) {
        ObjectNode o = In.envelope(In.USER, id, t, "page");
        o.put("name", name);
        return In.parse(Streams.USER_EVENTS, o);
    }

    static InputRecord struggle(String id, long t, Object... props) {
        return In.behaviour(In.USER, id, t, "Struggle Signal", props);
    }

    static List<JsonNode> interventions(List<OutputRecord> out) {
        for (OutputRecord o : out) {
            assertThat(Schemas.validate(o.stream, In.json(o))).as(o.json).isEmpty();
        }
        return out.stream()
                .filter(o -> o.stream.equals(Streams.INTERVENTIONS))
                .map(In::json)
                .toList();
    }

    /** The reasons of an output add up to its score. */
    static void explained(JsonNode i) {
        int sum = 0;
        for (JsonNode r : i.get("reasons")) {
            sum += r.get("contribution").asInt();
        }
        assertThat(sum).as("reasons of %s", i).isEqualTo(i.get("riskScore").asInt());
    }

    @Test
    void theSeedsHeadlineStruggleGetsLiveChatInThatEvent() {
        // S4: the loan calculator, used, then one struggle with three attempts; the seed scored it 75.
        Customer c = new Customer();
        c.feed(page("p-1", T0, "Loan Calculator"));
        c.feed(In.behaviour(In.USER, "f-1", T0 + 20 * SECOND, "Feature Used", "feature", "loan_calculator"));
        List<JsonNode> out =
                interventions(c.feed(struggle("s-1", T0 + 45 * SECOND, "kind", "repeated_attempt", "attempts", 3)));
        assertThat(out).hasSize(1);
        JsonNode i = out.get(0);
        assertThat(i.get("type").asText()).isEqualTo("live_chat_offer");
        assertThat(i.get("action").asText()).isEqualTo("show_live_chat_popup");
        assertThat(i.get("riskScore").asInt()).isGreaterThanOrEqualTo(75);
        assertThat(i.get("triggerMessageIds").get(0).asText()).isEqualTo("s-1");
        assertThat(i.get("reasons").get(0).get("code").asText()).isEqualTo("decisive_struggle");
        assertThat(i.get("reasons").get(0).get("value").asText()).isEqualTo("3 attempts (repeated_attempt)");
        explained(i);
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 10, 250})
    void manyAttemptsInOneSignalAreDecisive(int attempts) {
        Customer c = new Customer();
        List<JsonNode> out = interventions(c.feed(struggle("s-1", T0, "kind", "form_error", "attempts", attempts)));
        assertThat(out).extracting(n -> n.get("type").asText()).containsExactly("live_chat_offer");
    }

    @Test
    void beingStuckAMinuteIsDecisive() {
        Customer c = new Customer();
        List<JsonNode> out = interventions(c.feed(struggle("s-1", T0, "kind", "dead_click", "durationMs", 95_000)));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).get("reasons").get(0).get("value").asText()).isEqualTo("stuck 95 s (dead_click)");
    }

    @Test
    void oneMildStruggleOrASlowPageIsNoTrouble() {
        Customer c = new Customer();
        assertThat(interventions(c.feed(struggle("s-1", T0, "kind", "form_error", "attempts", 1))))
                .isEmpty();
        assertThat(interventions(c.feed(struggle("s-2", T0 + 40 * SECOND, "kind", "slow_page", "durationMs", 4_000))))
                .isEmpty();
    }

    @Test
    void aSecondRageClickSecondsAfterTheFirstGetsHelp() {
        Customer c = new Customer();
        assertThat(interventions(c.feed(struggle("s-1", T0, "kind", "rage_click"))))
                .isEmpty();
        List<JsonNode> out = interventions(c.feed(struggle("s-2", T0 + 3 * SECOND, "kind", "rage_click")));
        assertThat(out).extracting(n -> n.get("type").asText()).containsExactly("help_tip");
        explained(out.get(0));
    }

    @Test
    void aDeclinedCardAtCheckoutGetsHelpAtOnceAndASecondOneAHuman() {
        Customer c = new Customer();
        c.feed(In.behaviour(In.USER, "co-1", T0, "Checkout Started"));
        List<JsonNode> first = interventions(
                c.feed(In.behaviour(In.USER, "e-1", T0 + 30 * SECOND, "Error Shown", "code", "card_declined")));
        assertThat(first).extracting(n -> n.get("type").asText()).containsExactly("help_tip");
        assertThat(first.get(0).get("reasons"))
                .extracting(r -> r.get("code").asText())
                .contains("errors_shown", "checkout_not_completed");
        List<JsonNode> second = interventions(
                c.feed(In.behaviour(In.USER, "e-2", T0 + 60 * SECOND, "Error Shown", "code", "PAYMENT_FAILED")));
        assertThat(second).extracting(n -> n.get("type").asText()).containsExactly("live_chat_offer");
        explained(second.get(0));
    }

    @Test
    void anyErrorDuringAnOpenCheckoutIsAPaymentError() {
        Customer c = new Customer();
        c.feed(In.behaviour(In.USER, "co-1", T0, "Checkout Started"));
        List<JsonNode> out = interventions(c.feed(
                In.behaviour(In.USER, "e-1", T0 + 30 * SECOND, "Error Shown", "code", "authentication_required")));
        assertThat(out).extracting(n -> n.get("type").asText()).containsExactly("help_tip");
    }

    @Test
    void aSecondStruggleOfAnyKindSecondsLaterGetsHelp() {
        Customer c = new Customer();
        assertThat(interventions(c.feed(struggle("s-1", T0, "kind", "dead_click"))))
                .isEmpty();
        assertThat(interventions(c.feed(struggle("s-2", T0 + 12 * SECOND, "kind", "form_error"))))
                .extracting(n -> n.get("type").asText())
                .containsExactly("help_tip");
    }

    @Test
    void aPageNotFoundIsNotAPaymentFailure() {
        Customer c = new Customer();
        assertThat(interventions(c.feed(In.behaviour(In.USER, "e-1", T0, "Error Shown", "code", "404"))))
                .isEmpty();
        assertThat(interventions(
                        c.feed(In.behaviour(In.USER, "e-2", T0 + SECOND, "Error Shown", "code", "payload_too_large"))))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Cancel Subscription",
                "/account/close-account",
                "/account/close",
                "/settings/subscription/delete",
                "Close my account",
                "Abo kündigen",
                "Konto löschen",
                "Résilier mon abonnement",
                "Cancelar suscripción",
                "Darse de baja"
            })
    void aCancelPageGetsARetentionOffer(String name) {
        Customer c = new Customer();
        List<JsonNode> out = interventions(c.feed(page("p-1", T0, name)));
        assertThat(out).extracting(n -> n.get("type").asText()).containsExactly("retention_offer");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Billing – Invoices",
                "Download receipt",
                "Rechnungen",
                "Mes factures",
                "Pricing",
                "Home",
                "/account/endpoints",
                "Closed captions"
            })
    void invoicesAndOrdinaryPagesAreNotCancelIntent(String name) {
        Customer c = new Customer();
        c.feed(page("p-1", T0, name));
        assertThat(c.state.cancelVisitTimes).isNull();
        assertThat(interventions(c.outputs)).isEmpty();
    }

    @Property(tries = 200)
    void everyStruggleDecisionIsExplainedByItsReasons(
            @ForAll @IntRange(min = 0, max = 12) int attempts,
            @ForAll @IntRange(min = 0, max = 120) int stuckSeconds,
            @ForAll @StringLength(max = 12) String kind,
            @ForAll @IntRange(min = 1, max = 4) int signals) {
        Customer c = new Customer();
        for (int i = 0; i < signals; i++) {
            c.feed(struggle(
                    "s-" + i,
                    T0 + i * 2 * SECOND,
                    "kind",
                    kind,
                    "attempts",
                    attempts,
                    "durationMs",
                    stuckSeconds * 1000L));
        }
        List<JsonNode> out = interventions(c.outputs);
        out.forEach(StruggleSignalsTest::explained);
        if (attempts >= 3 || stuckSeconds >= 60) {
            assertThat(out).extracting(n -> n.get("type").asText()).first().isEqualTo("live_chat_offer");
            assertThat(out.get(0).get("triggerMessageIds").get(0).asText()).isEqualTo("s-0");
        }
    }
}
