package dev.attune.signals;

import com.vader.sentiment.analyzer.SentimentAnalyzer;
import java.io.IOException;

/**
 * Sentiment in [-1, 1] from customer text (VADER's compound score, a maintained lexicon) and
 * from survey scores, and its exponential decay toward neutral over event time.
 */
public final class SentimentScorer {
    private SentimentScorer() {}

    /**
     * The most text scored: VADER's cost grows with the square of the words (a 240 KB text of
     * repeated words took minutes and held up its whole subtask), and its compound score has long
     * settled by then.
     */
    static final int MAX_CHARS = 2_000;

    /** VADER compound score of a text (its first {@link #MAX_CHARS} characters), 0 for empty text. */
    public static double text(String text) {
        if (text == null || text.isBlank()) {
            return 0;
        }
        if (text.length() > MAX_CHARS) {
            int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
            text = text.substring(0, end);
        }
        try {
            SentimentAnalyzer analyzer = new SentimentAnalyzer(text);
            analyzer.analyze();
            Float compound = analyzer.getPolarity().get("compound");
            return compound == null ? 0 : clamp(compound);
        } catch (IOException | RuntimeException e) {
            return 0; // text the tokenizer cannot read carries no sentiment
        }
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
