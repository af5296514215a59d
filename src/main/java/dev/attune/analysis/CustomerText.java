package dev.attune.analysis;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a model's text before a customer reads it (the intervention message, a win-back's
 * subjects and bodies): no links and no requests for credentials or payment, which no template
 * puts there and which phishing would; and the actions a model may recommend, from the list the
 * product knows. Text that fails is not used: the heuristic's text goes out instead.
 */
public final class CustomerText {
    private CustomerText() {}

    private static final Pattern LINK = Pattern.compile(
            "(?i)(?:\\b(?:https?|ftp)://|\\bwww\\.|\\b[\\p{L}\\p{N}-]+\\.(?:com|net|org|io|co|info|biz|xyz|ru|cn|ly|me"
                    + "|app|link|click|top|site|online|shop|de|fr|es|uk)\\b|\\bbit\\.ly\\b|\\[[^\\]]*\\]\\([^)]*\\))");

    /** Asking for what a company never asks for by message, in English, German, French and Spanish. */
    private static final Pattern CREDENTIALS = Pattern.compile(
            "(?iu)\\b(?:password|passcode|pin code|one[- ]time (?:code|password)|verification code|security code"
                    + "|credit card|debit card|card number|card details|cvv|cvc|bank details|account number|iban"
                    + "|sort code|routing number|social security|ssn|login details|sign[- ]in details|log in details"
                    + "|wire transfer|gift card|bitcoin|crypto|passwort|kennwort|kreditkarte|bankdaten|tan-nummer"
                    + "|mot de passe|carte bancaire|coordonnées bancaires|contraseña|tarjeta de crédito"
                    + "|datos bancarios)\\b");

    /** Actions the product can carry out; a model's other recommendations are dropped. */
    public static final Set<String> ACTIONS = Set.of(
            "agent_callback",
            "agent_callback_within_1h",
            "escalate_to_agent",
            "offer_help",
            "offer_live_chat",
            "route_to_payments",
            "show_help_tip",
            "show_live_chat_popup",
            "show_retention_offer",
            "start_win_back_sequence",
            "apologise_and_credit",
            "ask_for_feedback",
            "assign_success_manager",
            "export_data_help",
            "offer_call",
            "offer_discount",
            "offer_feature_walkthrough",
            "offer_guided_setup",
            "offer_loyalty_discount",
            "offer_pause_instead",
            "offer_plan_downgrade",
            "review_customer",
            "route_to_payments_specialist",
            "send_comparison",
            "share_roadmap",
            "show_contextual_help",
            "suggest_cheaper_plan");

    /** Why this text must not reach a customer, or null. */
    public static String problem(String text) {
        if (text == null) {
            return null;
        }
        if (LINK.matcher(text).find()) {
            return "holds a link";
        }
        if (CREDENTIALS.matcher(text.toLowerCase(Locale.ROOT)).find()) {
            return "asks for credentials or payment details";
        }
        return null;
    }
}
