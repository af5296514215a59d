package dev.attune.analysis;

import dev.attune.catalogue.TextCatalogue;
import dev.attune.contract.Analysis;
import dev.attune.contract.Reason;
import dev.attune.signals.ChurnReasons;
import dev.attune.signals.ChurnReasons.ChurnCategory;
import dev.attune.signals.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic analyser: churn reasons by cues in English, German, French or Spanish ({@link
 * ChurnReasons}), insights (for agents, in English) from the risk's reasons, and the customer's
 * messages from the {@link TextCatalogue} in the customer's locale; it never copies customer text
 * into its output. It is the answer when no model is configured and the fallback when a model
 * call fails.
 */
public final class HeuristicAnalyser {
    public static final String SOURCE = "heuristic";
    /** The churn categories of the win-back sequences, as {@link ChurnReasons} names them. */
    public static final List<String> CATEGORIES =
            List.of("pricing", "features", "onboarding", "competition", "business_closure", "unclear");
    /** The intervention types with a message of their own; any other gets {@code intervention.other.message}. */
    public static final List<String> TYPES =
            List.of("help_tip", "live_chat_offer", "retention_offer", "service_recovery", "win_back");

    private final TextCatalogue texts;

    public HeuristicAnalyser(TextCatalogue texts) {
        this.texts = texts;
    }

    /** With the bundled texts. */
    public HeuristicAnalyser() {
        this(TextCatalogue.defaults());
    }

    /** Churn category and confidence of a (redacted) cancellation reason ({@link ChurnReasons}). */
    public ChurnCategory classify(String reason) {
        return ChurnReasons.classify(reason);
    }

    /** Analysis for an intervention other than win-back: insights from the risk's reasons. */
    public Analysis journey(String interventionType, Risk risk, String engagementLevel, String locale) {
        List<String> insights = new ArrayList<>();
        for (Reason r : risk.reasons()) {
            insights.add(insight(r));
        }
        if (insights.isEmpty()) {
            insights.add("No strong risk signal; acting on the triggering event alone.");
        }
        return new Analysis(
                SOURCE,
                null,
                null,
                null,
                engagementLevel,
                List.copyOf(insights),
                actions(interventionType),
                texts.text(locale, messageKey(interventionType)),
                null);
    }

    /** Analysis for a cancellation: category, insights, actions and a three-message win-back. */
    public Analysis winBack(ChurnCategory churn, String engagementLevel, String tier, String locale) {
        List<String> insights = List.of(
                "Cancellation reason classified as " + churn.category().replace('_', ' ')
                        + (churn.evidence() > 0 ? " from " + churn.evidence() + " matching cue(s)" : " (no clear cue)"),
                "Engagement before cancelling was " + engagementLevel,
                tier == null ? "Plan tier unknown" : "Plan tier: " + tier);
        List<String> actions = switch (churn.category()) {
            case "pricing" -> List.of("offer_discount", "suggest_cheaper_plan");
            case "features" -> List.of("share_roadmap", "offer_feature_walkthrough");
            case "onboarding" -> List.of("offer_guided_setup", "assign_success_manager");
            case "competition" -> List.of("send_comparison", "offer_loyalty_discount");
            case "business_closure" -> List.of("offer_pause_instead", "export_data_help");
            default -> List.of("ask_for_feedback", "offer_call");
        };
        return new Analysis(
                SOURCE,
                null,
                churn.category(),
                churn.confidence(),
                engagementLevel,
                insights,
                actions,
                texts.text(locale, "intervention.win_back.message"),
                winBackSequence(churn.category(), locale));
    }

    /** Three messages: at once, after a week, after three weeks; the texts are the category's in the catalogue. */
    private List<Analysis.WinBackMessage> winBackSequence(String category, String locale) {
        String c = CATEGORIES.contains(category) ? category : "unclear";
        int[] days = {1, 7, 21};
        List<Analysis.WinBackMessage> out = new ArrayList<>(3);
        for (int step = 1; step <= 3; step++) {
            String key = "winback." + c + "." + step;
            out.add(new Analysis.WinBackMessage(
                    step, days[step - 1], texts.text(locale, key + ".subject"), texts.text(locale, key + ".body")));
        }
        return out;
    }

    private static String insight(Reason r) {
        return switch (r.code()) {
            case "struggle_burst" -> "Repeated struggle signals: " + r.value();
            case "errors_shown" -> "Errors shown: " + r.value();
            case "checkout_not_completed" -> "Checkout started but not completed (" + r.value() + ")";
            case "cancel_intent" -> "Looking at billing or cancellation: " + r.value();
            case "negative_sentiment" -> "Recent sentiment is negative (" + r.value() + ")";
            case "urgent_support_ticket" -> "Urgent support ticket " + r.value();
            case "subscription_cancelled" -> "Subscription cancelled (" + r.value() + ")";
            default -> r.code() + ": " + r.value();
        };
    }

    private static List<String> actions(String type) {
        return switch (type) {
            case "live_chat_offer" -> List.of("show_live_chat_popup", "route_to_payments_specialist");
            case "help_tip" -> List.of("show_contextual_help");
            case "retention_offer" -> List.of("show_retention_offer", "offer_plan_downgrade");
            case "service_recovery" -> List.of("agent_callback_within_1h", "apologise_and_credit");
            default -> List.of("review_customer");
        };
    }

    private static String messageKey(String type) {
        return "intervention." + (TYPES.contains(type) ? type : "other") + ".message";
    }
}
