package dev.attune.text;

import java.util.List;

/**
 * What a customer's (redacted) text says: its detected language ({@code en}, {@code de}, {@code fr},
 * {@code es}, or {@code und} when unsure or another language), sentiment in [-1, 1], whether it is angry
 * (anger words, sarcasm, or strongly negative), whether it is urgent (outage, cannot log in, charged twice,
 * data loss, legal threat...), and the cues found as short codes (never customer text).
 */
public record TextReading(String language, double sentiment, boolean anger, boolean urgency, List<String> cues) {
    public static final String UNDETERMINED = "und";

    public static final TextReading EMPTY = new TextReading(UNDETERMINED, 0, false, false, List.of());

    /** Whether the language was detected confidently (not {@code und}). */
    public boolean languageKnown() {
        return !UNDETERMINED.equals(language);
    }
}
