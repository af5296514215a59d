package dev.attune.analysis;

import java.util.Map;

/**
 * Customer-facing wording in the customer's locale. Texts are written in British English (the
 * seed business is in the UK); en-US gets American spelling; other locales fall back to British
 * English until translations are added.
 */
public final class Wording {
    private static final Map<String, String> AMERICAN = Map.ofEntries(
            Map.entry("personalised", "personalized"), Map.entry("Personalised", "Personalized"),
            Map.entry("cancelled", "canceled"), Map.entry("cancelling", "canceling"),
            Map.entry("favourite", "favorite"), Map.entry("organise", "organize"),
            Map.entry("prioritise", "prioritize"), Map.entry("optimise", "optimize"),
            Map.entry("colour", "color"), Map.entry("apologise", "apologize"),
            Map.entry("recognise", "recognize"), Map.entry("analyse", "analyze"));

    private Wording() {}

    public static String localise(String britishText, String locale) {
        if (locale == null || !locale.replace('_', '-').equalsIgnoreCase("en-US")) {
            return britishText;
        }
        String out = britishText;
        for (Map.Entry<String, String> e : AMERICAN.entrySet()) {
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The locale a message is written in: the customer's, normalised, else en-GB. */
    public static String effectiveLocale(String locale) {
        return locale == null || locale.isBlank() ? "en-GB" : locale.replace('_', '-');
    }
}
