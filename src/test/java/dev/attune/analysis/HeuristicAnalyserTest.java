package dev.attune.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Analysis;
import dev.attune.contract.Reason;
import dev.attune.signals.Risk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HeuristicAnalyserTest {
    private final HeuristicAnalyser analyser = new HeuristicAnalyser();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        It's too expensive for our budget                          | pricing
        The price went up and we can't afford it any more          | pricing
        Costs too much money                                       | pricing
        It's missing the reporting integration we need             | features
        Lacks the functionality we need                            | features
        Setup was confusing and hard to use                        | onboarding
        We never managed to get started, too complicated           | onboarding
        We are switching to a competitor                           | competition
        Moving to another provider with a better offer             | competition
        We are closing the business                                | business_closure
        The company went bankrupt and is shutting down             | business_closure
        Other                                                      | unclear
        no reason                                                  | unclear
        """)
    void typicalReasonsAreClassified(String reason, String category) {
        dev.attune.signals.ChurnReasons.ChurnCategory c = analyser.classify(reason);
        assertThat(c.category()).isEqualTo(category);
        assertThat(c.confidence()).isBetween(0.0, 1.0);
        if (category.equals("unclear")) {
            assertThat(c.evidence()).isZero();
            assertThat(c.confidence()).isEqualTo(0.3);
        } else {
            assertThat(c.evidence()).isPositive();
            assertThat(c.confidence()).isGreaterThanOrEqualTo(0.7);
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   "})
    void emptyReasonIsUnclear(String reason) {
        assertThat(analyser.classify(reason))
                .isEqualTo(new dev.attune.signals.ChurnReasons.ChurnCategory("unclear", 0.3, 0));
    }

    @Test
    void confidenceGrowsWithCuesAndIsCappedAt09() {
        assertThat(analyser.classify("expensive").confidence()).isEqualTo(0.7);
        assertThat(analyser.classify("expensive, over budget").confidence()).isEqualTo(0.85);
        assertThat(analyser.classify("expensive, over budget, can't afford the price")
                        .confidence())
                .isEqualTo(0.9);
    }

    @Test
    void moreCuesWinAndTiesGoToTheEarlierCategory() {
        // one competition cue, two pricing cues
        assertThat(analyser.classify("Switching because the price is too expensive")
                        .category())
                .isEqualTo("pricing");
        // one cue each: business closure is checked first
        assertThat(analyser.classify("We are closing and it's too expensive").category())
                .isEqualTo("business_closure");
    }

    @Test
    void winBackCarriesCategoryActionsAndThreeMessagesButNeverTheReason() {
        String reason = "Zorblax Ltd says your pricing is too expensive; reach Zed at the usual place";
        dev.attune.signals.ChurnReasons.ChurnCategory churn = analyser.classify(reason);
        Analysis a = analyser.winBack(churn, "medium", "gold", "en-GB");
        assertThat(a.source()).isEqualTo("heuristic");
        assertThat(a.modelId()).isNull();
        assertThat(a.churnCategory()).isEqualTo("pricing");
        assertThat(a.confidence()).isEqualTo(0.85);
        assertThat(a.engagementLevel()).isEqualTo("medium");
        assertThat(a.recommendedActions()).containsExactly("offer_discount", "suggest_cheaper_plan");
        assertThat(a.insights())
                .containsExactly(
                        "Cancellation reason classified as pricing from 2 matching cue(s)",
                        "Engagement before cancelling was medium",
                        "Plan tier: gold");
        assertThat(a.winBackSequence())
                .extracting(Analysis.WinBackMessage::step)
                .containsExactly(1, 2, 3);
        assertThat(a.winBackSequence())
                .extracting(Analysis.WinBackMessage::sendAfterDays)
                .containsExactly(1, 7, 21);
        assertThat(a.winBackSequence().get(0).body()).contains("30% off");
        for (String text : allText(a)) {
            assertThat(text).doesNotContain("Zorblax", "Zed", "usual place", reason);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "pricing, offer_discount", "features, share_roadmap", "onboarding, offer_guided_setup",
        "competition, send_comparison", "business_closure, offer_pause_instead", "unclear, ask_for_feedback"
    })
    void eachCategoryHasItsOwnActionsAndOffer(String category, String firstAction) {
        Analysis a = analyser.winBack(
                new dev.attune.signals.ChurnReasons.ChurnCategory(category, 0.7, 1), "low", null, null);
        assertThat(a.recommendedActions()).first().isEqualTo(firstAction);
        assertThat(a.insights()).contains("Plan tier unknown");
        assertThat(a.winBackSequence()).hasSize(3);
    }

    @Test
    void offersDifferByCategory() {
        List<String> secondMessages = new ArrayList<>();
        for (String c : List.of("pricing", "features", "onboarding", "competition", "business_closure", "unclear")) {
            secondMessages.add(
                    analyser.winBack(new dev.attune.signals.ChurnReasons.ChurnCategory(c, 0.7, 1), "low", null, "en-GB")
                            .winBackSequence()
                            .get(1)
                            .body());
        }
        assertThat(secondMessages).doesNotHaveDuplicates();
    }

    @Test
    void journeyInsightsComeFromTheRiskReasons() {
        Risk risk = new Risk(
                68,
                "high",
                List.of(
                        new Reason("struggle_burst", "4 in 6 s (rage_click)", 48),
                        new Reason("errors_shown", "2 in 5 min (E42)", 20)));
        Analysis a = analyser.journey("live_chat_offer", risk, "low", "en-US");
        assertThat(a.source()).isEqualTo("heuristic");
        assertThat(a.churnCategory()).isNull();
        assertThat(a.confidence()).isNull();
        assertThat(a.winBackSequence()).isNull();
        assertThat(a.insights())
                .containsExactly("Repeated struggle signals: 4 in 6 s (rage_click)", "Errors shown: 2 in 5 min (E42)");
        assertThat(a.recommendedActions()).containsExactly("show_live_chat_popup", "route_to_payments_specialist");
        assertThat(a.message()).contains("live chat");

        Analysis none = analyser.journey("retention_offer", new Risk(0, "low", List.of()), "low", null);
        assertThat(none.insights()).containsExactly("No strong risk signal; acting on the triggering event alone.");
        assertThat(none.recommendedActions()).containsExactly("show_retention_offer", "offer_plan_downgrade");
    }

    @Test
    void insightsAndActionsFollowTheType() {
        Risk risk = new Risk(22, "low", List.of(new Reason("urgent_support_ticket", "within 24 h", 15)));
        assertThat(analyser.journey("service_recovery", risk, "low", "en-GB").insights())
                .containsExactly("Urgent support ticket within 24 h");
        assertThat(analyser.journey("help_tip", risk, "low", "en-GB").recommendedActions())
                .containsExactly("show_contextual_help");
    }

    private static List<String> allText(Analysis a) {
        List<String> out = new ArrayList<>(a.insights());
        out.addAll(a.recommendedActions());
        out.add(a.message());
        for (Analysis.WinBackMessage m : a.winBackSequence()) {
            out.add(m.subject());
            out.add(m.body());
        }
        return out;
    }
}
