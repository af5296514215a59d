package dev.attune.analysis;

import dev.attune.contract.Analysis;
import dev.attune.contract.Reason;
import dev.attune.signals.ChurnReasons;
import dev.attune.signals.ChurnReasons.ChurnCategory;
import dev.attune.signals.Risk;
import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic analyser: churn reasons by cues in English, German, French or Spanish ({@link ChurnReasons}), insights and
 * messages from templates, and never copies customer text into its output. It is the answer
 * when no model is configured and the fallback when a model call fails.
 */
public final class HeuristicAnalyser {
    public static final String SOURCE = "heuristic";

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
                Wording.localise(message(interventionType), locale),
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
                Wording.localise(
                        "We're sorry to see you go. Your account stays ready if you change your mind.", locale),
                winBackSequence(churn.category(), locale));
    }

    private static List<Analysis.WinBackMessage> winBackSequence(String category, String locale) {
        String offer = switch (category) {
            case "pricing" -> "We'd like to offer you 30% off for the next three months.";
            case "features" -> "Here is what we've built since you left, and what's coming next.";
            case "onboarding" -> "Let one of our team set everything up with you, free of charge.";
            case "competition" -> "Here's an honest comparison, and a loyalty price if you come back.";
            case "business_closure" -> "If things change, you can pause rather than lose your data.";
            default -> "We'd value five minutes of your time to hear what we could do better.";
        };
        List<Analysis.WinBackMessage> out = new ArrayList<>(3);
        out.add(new Analysis.WinBackMessage(
                1,
                1,
                Wording.localise("We're sorry to see you go", locale),
                Wording.localise(
                        "Thank you for being with us. Your data is kept safe for 30 days if you " + "change your mind. "
                                + offer,
                        locale)));
        out.add(new Analysis.WinBackMessage(
                2,
                7,
                Wording.localise("Something we think you'll like", locale),
                Wording.localise(offer + " Your personalised settings are still here.", locale)));
        out.add(new Analysis.WinBackMessage(
                3,
                21,
                Wording.localise("A last word from us", locale),
                Wording.localise(
                        "This is the last message we'll send about your cancelled plan. "
                                + "Reply any time and we'll help you pick up where you left off.",
                        locale)));
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

    private static String message(String type) {
        return switch (type) {
            case "live_chat_offer" -> "Having trouble? One of our team can help you right now in live chat.";
            case "help_tip" ->
                "Tip: you can save your progress and come back, or open the help panel for a step-by-step guide.";
            case "retention_offer" ->
                "Before you go: we can move you to a plan that suits you better, with your settings kept.";
            case "service_recovery" ->
                "We're sorry for the trouble. A senior agent will call you back within the hour.";
            default -> "We're here to help.";
        };
    }
}
