package dev.attune.signals;

import dev.attune.text.Texts;

/**
 * Sentiment in [-1, 1] from customer text (in English, German, French or Spanish: {@link Texts}) and
 * from survey scores, and its exponential decay toward neutral over event time.
 */
public final class SentimentScorer {
    private SentimentScorer() {}

    /** Sentiment in [-1, 1] of a (redacted) text ({@link Texts#read}), 0 for empty text. */
    public static double text(String text) {
        return Texts.read(text).sentiment();
    }

    /** A survey score on its scale mapped to [-1, 1]: NPS 0-10 around 5 (7-8 passive ≈ +0.5), CSAT 1-5 around 3. */
    public static double survey(double score, String scale) {
        if (Double.isNaN(score)) {
            return Double.NaN;
        }
        if ("csat".equalsIgnoreCase(scale)) {
            return clamp((score - 3) / 2);
        }
        return clamp((score - 5) / 5);
    }

    /** The score decayed from {@code since} to {@code now} with the given half-life. */
    public static double decayed(double score, long since, long now, long halfLifeMillis) {
        if (score == 0 || now <= since) {
            return score;
        }
        return score * Math.pow(0.5, (double) (now - since) / halfLifeMillis);
    }

    /** The new score: the decayed one moved halfway toward the observation. */
    public static double observe(double decayed, double observation) {
        return clamp(decayed + 0.5 * (observation - decayed));
    }

    static double clamp(double v) {
        return Math.max(-1, Math.min(1, v));
    }
}
