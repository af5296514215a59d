package dev.attune.signals;

import dev.attune.text.ChurnReading;
import dev.attune.text.Texts;

/**
 * Why a customer left, from the (redacted) text of their cancellation in English, German, French or
 * Spanish ({@link Texts#churn}): a category with a confidence and the number of cues behind it.
 */
public final class ChurnReasons {
    private ChurnReasons() {}

    /** Churn category and confidence of a (redacted) cancellation reason. */
    public static ChurnCategory classify(String reason) {
        ChurnReading r = Texts.churn(reason);
        return new ChurnCategory(r.category(), r.confidence(), r.evidence());
    }

    public record ChurnCategory(String category, double confidence, int evidence) {}
}
