package dev.attune.text;

/**
 * Why a customer left, read from their cancellation text: {@code pricing}, {@code features},
 * {@code onboarding}, {@code competition}, {@code business_closure} or {@code unclear}; a confidence in
 * [0, 1]; and how many cues supported it.
 */
public record ChurnReading(String category, double confidence, int evidence) {
    public static final String UNCLEAR = "unclear";
}
