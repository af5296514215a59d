package dev.attune.text;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.i18n.LdLocale;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfile;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The language of a short text, by character n-grams (optimaize language-detector, Apache 2.0, its
 * built-in profiles). Profiles of neighbouring languages are loaded too, so Italian, Portuguese,
 * Dutch, Catalan and the like come out {@code und} instead of being forced into one of the four
 * languages Attune reads.
 */
final class LanguageDetection {
    static final Set<String> READ = Set.of("en", "de", "fr", "es");
    private static final List<String> PROFILES =
            List.of("en", "de", "fr", "es", "it", "pt", "nl", "ca", "da", "sv", "no", "pl", "ro");
    /** The most characters looked at: the language shows well before, and the cost stays bounded. */
    static final int MAX_CHARS = 300;
    /** Below this probability the text is {@code und}. */
    static final double MIN_PROBABILITY = 0.8;

    private static final LanguageDetector DETECTOR = detector();
    private static final TextObjectFactory TEXTS = CommonTextObjectFactories.forDetectingShortCleanText();

    private LanguageDetection() {}

    private static LanguageDetector detector() {
        LanguageProfileReader reader = new LanguageProfileReader();
        List<LanguageProfile> profiles = new ArrayList<>();
        try {
            for (String code : PROFILES) {
                profiles.add(reader.readBuiltIn(LdLocale.fromString(code)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("language profiles missing from the classpath", e);
        }
        return LanguageDetectorBuilder.create(NgramExtractors.standard())
                .shortTextAlgorithm(MAX_CHARS + 1) // one deterministic pass over the n-grams: all texts are short
                .withProfiles(profiles)
                .build();
    }

    /** {@code en}, {@code de}, {@code fr}, {@code es}, or {@code und}. */
    static String detect(String text) {
        List<DetectedLanguage> found;
        try {
            found = DETECTOR.getProbabilities(
                    TEXTS.forText(text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text));
        } catch (RuntimeException e) {
            return TextReading.UNDETERMINED;
        }
        if (found.isEmpty() || found.get(0).getProbability() < MIN_PROBABILITY) {
            return TextReading.UNDETERMINED;
        }
        String code = found.get(0).getLocale().getLanguage();
        return READ.contains(code) ? code : TextReading.UNDETERMINED;
    }
}
