package dev.attune.signals;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Why a customer left, from the (redacted) text of their cancellation: a category by keywords, with a confidence. */
public final class ChurnReasons {
    private ChurnReasons() {}

    /** Keywords per churn category, checked in this order. */
    private static final Map<String, String[]> KEYWORDS = new LinkedHashMap<>();

    static {
        KEYWORDS.put("business_closure", new String[] {
            "closing", "shut down", "shutting", "out of business", "closed", "bankrupt", "winding down", "retiring"
        });
        KEYWORDS.put("competition", new String[] {
            "competitor",
            "switching",
            "switch to",
            "alternative",
            "moved to",
            "moving to",
            "better offer",
            "cheaper elsewhere",
            "another provider"
        });
        KEYWORDS.put("pricing", new String[] {
            "price", "expensive", "cost", "afford", "budget", "pricing", "too much", "cheaper", "money"
        });
        KEYWORDS.put("onboarding", new String[] {
            "set up",
            "setup",
            "onboarding",
            "confusing",
            "learn",
            "hard to use",
            "difficult",
            "complicated",
            "getting started",
            "never managed"
        });
        KEYWORDS.put("features", new String[] {
            "feature",
            "missing",
            "lack",
            "doesn't have",
            "does not have",
            "integration",
            "reporting",
            "functionality",
            "need more"
        });
    }

    /** Churn category and confidence of a (redacted) cancellation reason. */
    public static ChurnCategory classify(String reason) {
        if (reason == null || reason.isBlank()) {
            return new ChurnCategory("unclear", 0.3, 0);
        }
        String text = reason.toLowerCase(Locale.ROOT);
        String best = "unclear";
        int bestHits = 0;
        for (Map.Entry<String, String[]> e : KEYWORDS.entrySet()) {
            int hits = 0;
            for (String k : e.getValue()) {
                if (text.contains(k)) {
                    hits++;
                }
            }
            if (hits > bestHits) {
                best = e.getKey();
                bestHits = hits;
            }
        }
        double confidence = bestHits == 0 ? 0.3 : Math.min(0.9, 0.55 + 0.15 * bestHits);
        return new ChurnCategory(best, Math.round(confidence * 100) / 100.0, bestHits);
    }

    public record ChurnCategory(String category, double confidence, int evidence) {}
}
