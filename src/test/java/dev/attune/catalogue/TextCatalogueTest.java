package dev.attune.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextCatalogueTest {
    static final TextCatalogue TEXTS = TextCatalogue.defaults();
    static final List<String> LANGUAGE_FILES = List.of("de", "fr", "es");

    private static Map<String, byte[]> file(String name, String content) {
        return Map.of(name, content.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyLanguageHasEveryKeyWithTheSamePlaceholders() {
        assertThat(TEXTS.keys()).hasSizeGreaterThanOrEqualTo(6 + 36 + 15);
        for (String lang : LANGUAGE_FILES) {
            assertThat(TEXTS.keys(lang)).as(lang).isEqualTo(TEXTS.keys());
        }
        assertThat(TEXTS.keys()).containsAll(TEXTS.keys("en_US"));
        for (String suffix : TextCatalogue.SUFFIXES) {
            for (String key : TEXTS.keys(suffix)) {
                String text = TEXTS.raw(suffix, key);
                assertThat(text).as("%s %s", suffix, key).isNotBlank();
                assertThat(TextCatalogue.placeholders(text))
                        .as("placeholders of %s in '%s'", key, suffix)
                        .isEqualTo(TextCatalogue.placeholders(TEXTS.raw("", key)));
                assertThat(text.replaceAll("\\{(title|discount)\\}", ""))
                        .as("no stray braces in %s %s", suffix, key)
                        .doesNotContain("{")
                        .doesNotContain("}");
            }
        }
    }

    @Test
    void everyInterventionCategoryAndTemplateHasItsKeys() {
        for (String type : List.of("help_tip", "live_chat_offer", "retention_offer", "service_recovery", "win_back")) {
            assertThat(TEXTS.keys()).contains("intervention." + type + ".message");
        }
        for (String c : List.of("pricing", "features", "onboarding", "competition", "business_closure", "unclear")) {
            for (int step = 1; step <= 3; step++) {
                assertThat(TEXTS.keys())
                        .contains("winback." + c + "." + step + ".subject", "winback." + c + "." + step + ".body");
            }
        }
        for (String t : List.of(
                "promotional_simple_v1",
                "promotional_discount_v1",
                "promotional_urgent_v1",
                "promotional_premium_v1",
                "promotional_personalized_v1",
                "transactional_update_v1",
                "service_notice_v1")) {
            assertThat(TEXTS.keys()).contains("campaign." + t + ".subject", "campaign." + t + ".body");
        }
    }

    @Test
    void languageFilesAreTranslatedNotCopied() {
        for (String lang : LANGUAGE_FILES) {
            assertThat(TEXTS.keys().stream()
                            .filter(k -> !TEXTS.raw("", k).equals("{title}"))
                            .filter(k -> TEXTS.raw("", k).equals(TEXTS.raw(lang, k))))
                    .as("%s texts identical to the British ones (other than the bare {title})", lang)
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @CsvSource(
            nullValues = "null",
            value = {
                // trait, detected language -> locale of the texts
                "de-DE, null, de-DE",
                "de-AT, null, de-AT",
                "de_DE, null, de-DE",
                "fr-CA, en, fr-CA",
                "es-MX, null, es-MX",
                "en-US, de, en-US",
                "en-GB, null, en-GB",
                "en, null, en",
                "en-AU, null, en-AU",
                "ja-JP, null, en-GB",
                "ja-JP, fr, fr",
                "null, de, de",
                "null, ES, es",
                "null, en, en-GB",
                "null, it, en-GB",
                "null, und, en-GB",
                "null, null, en-GB",
                "'  ', null, en-GB"
            })
    void theLocaleIsTheTraitThenTheDetectedLanguageThenBritish(String trait, String detected, String expected) {
        assertThat(TextCatalogue.localeFor(trait, detected)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "de-DE|Schade, dass Sie gehen",
                "de-AT|Schade, dass Sie gehen",
                "de|Schade, dass Sie gehen",
                "fr-FR|Nous regrettons de vous voir partir",
                "fr-CA|Nous regrettons de vous voir partir",
                "es-ES|Lamentamos que se vaya",
                "es-MX|Lamentamos que se vaya",
                "en-GB|We're sorry to see you go",
                "en-US|We're sorry to see you go",
                "en-AU|We're sorry to see you go",
                "ja-JP|We're sorry to see you go"
            })
    void theResourceBundleFallbackPicksTheLanguage(String locale, String subject) {
        assertThat(TEXTS.text(locale, "winback.pricing.1.subject")).isEqualTo(subject);
    }

    @Test
    void americanEnglishHasAmericanSpellingAndFallsBackToBritishTextsOtherwise() {
        List<String> british =
                List.of("personalised", "cancelled", "favourite", "apologis", "organis", "colour", "analys");
        Map<String, String> params = Map.of("title", "Winter sale", "discount", "20");
        for (String key : TEXTS.keys()) {
            String us = TEXTS.text("en-US", key, params).toLowerCase();
            for (String b : british) {
                assertThat(us).as("en-US %s", key).doesNotContain(b);
            }
        }
        assertThat(TEXTS.text("en-US", "winback.pricing.2.body")).contains("personalized");
        assertThat(TEXTS.text("en-GB", "winback.pricing.2.body")).contains("personalised");
        assertThat(TEXTS.text("en-US", "winback.unclear.3.body")).contains("canceled plan");
        assertThat(TEXTS.text("en-US", "intervention.help_tip.message"))
                .as("a key en_US leaves out is the British text")
                .isEqualTo(TEXTS.text("en-GB", "intervention.help_tip.message"));
    }

    @Test
    void apostrophesBracesAndDollarsArePlainText() {
        assertThat(TEXTS.text("en-GB", "intervention.win_back.message")).startsWith("We're sorry");
        assertThat(TEXTS.text("fr-FR", "intervention.help_tip.message")).contains("panneau d'aide");
        String hostile = "It's {discount} $1 \\ 'quoted' {title}";
        assertThat(TEXTS.text(
                        "en-GB",
                        "campaign.promotional_discount_v1.subject",
                        Map.of("title", hostile, "discount", "15")))
                .isEqualTo("15% off: " + hostile);
        TextCatalogue apostrophes = TEXTS.withOverrides(file(
                "attune.properties",
                "campaign.promotional_urgent_v1.body=Don't wait: '{title}' ends soon, it's {title}'s last day\n"));
        assertThat(apostrophes.text("en-GB", "campaign.promotional_urgent_v1.body", Map.of("title", "Winter sale")))
                .isEqualTo("Don't wait: 'Winter sale' ends soon, it's Winter sale's last day");
    }

    @Test
    void sameInputGivesTheSameTextAndTheCatalogueSurvivesSerialization() throws Exception {
        Map<String, String> p = Map.of("title", "Go Premium", "discount", "10");
        String once = TEXTS.text("de-DE", "campaign.promotional_discount_v1.body", p);
        assertThat(TEXTS.text("de-DE", "campaign.promotional_discount_v1.body", p))
                .isEqualTo(once);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(TEXTS);
        }
        assertThat(bytes.size()).as("serialized size").isLessThan(64 * 1024);
        TextCatalogue copy =
                (TextCatalogue) new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();
        assertThat(copy.text("de-DE", "campaign.promotional_discount_v1.body", p))
                .isEqualTo(once);
    }

    @Test
    void overridesReplaceTheirKeysInTheirLanguageOnly() {
        TextCatalogue t = TEXTS.withOverrides(Map.of(
                "attune_de.properties",
                "# ein Kommentar\nintervention.help_tip.message=Kleiner Tipp: Fortschritt speichern und später weitermachen.\n"
                        .getBytes(StandardCharsets.UTF_8),
                "attune.properties",
                "intervention.live_chat_offer.message=Stuck? Chat with us now.\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(t.text("de-DE", "intervention.help_tip.message"))
                .isEqualTo("Kleiner Tipp: Fortschritt speichern und später weitermachen.");
        assertThat(t.text("fr-FR", "intervention.help_tip.message"))
                .isEqualTo(TEXTS.text("fr-FR", "intervention.help_tip.message"));
        assertThat(t.text("en-GB", "intervention.help_tip.message"))
                .isEqualTo(TEXTS.text("en-GB", "intervention.help_tip.message"));
        assertThat(t.text("en-GB", "intervention.live_chat_offer.message")).isEqualTo("Stuck? Chat with us now.");
        assertThat(t.text("en-US", "intervention.live_chat_offer.message"))
                .as("en_US has no text of its own for this key: the British override")
                .isEqualTo("Stuck? Chat with us now.");
        assertThat(t.text("de-DE", "intervention.live_chat_offer.message"))
                .isEqualTo(TEXTS.text("de-DE", "intervention.live_chat_offer.message"));
        assertThat(TEXTS.text("de-DE", "intervention.help_tip.message")).startsWith("Tipp:");
    }

    @Test
    void theExampleOverrideFolderIsValid() throws IOException {
        Map<String, byte[]> files = new java.util.TreeMap<>();
        try (Stream<Path> list = Files.list(Path.of("docs/examples/texts"))) {
            for (Path f : list.toList()) {
                files.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        assertThat(files).containsOnlyKeys("attune.properties", "attune_de.properties");
        TextCatalogue t = TEXTS.withOverrides(files);
        assertThat(t.text(
                        "de-DE",
                        "campaign.promotional_discount_v1.subject",
                        Map.of("title", "Go Premium", "discount", "20")))
                .isEqualTo("Nur für Sie: 20 % auf Go Premium");
        assertThat(t.text("en-GB", "campaign.promotional_urgent_v1.body", Map.of("title", "Winter sale")))
                .isEqualTo("Only a few days left: Winter sale ends soon. Don't miss out.");
    }

    @Test
    void unknownKeyNamesFileAndKey() {
        assertThatThrownBy(() -> TEXTS.withOverrides(file("attune_de.properties", "winback.pricing.4.body=Hallo\n")))
                .isInstanceOfSatisfying(CatalogueException.class, e -> {
                    assertThat(e.file()).isEqualTo("attune_de.properties");
                    assertThat(e.key()).isEqualTo("winback.pricing.4.body");
                })
                .hasMessageContaining("unknown key");
    }

    @Test
    void aPlaceholderTheTextDoesNotHaveIsRefused() {
        assertThatThrownBy(() -> TEXTS.withOverrides(
                        file("attune_fr.properties", "campaign.promotional_urgent_v1.body={title} : -{discount} %\n")))
                .isInstanceOfSatisfying(CatalogueException.class, e -> {
                    assertThat(e.file()).isEqualTo("attune_fr.properties");
                    assertThat(e.key()).isEqualTo("campaign.promotional_urgent_v1.body");
                })
                .hasMessageContaining("{discount}")
                .hasMessageContaining("{title}");
        assertThatThrownBy(() ->
                        TEXTS.withOverrides(file("attune.properties", "intervention.help_tip.message=Hi {name}\n")))
                .hasMessageContaining("intervention.help_tip.message")
                .hasMessageContaining("(it has none)");
    }

    @Test
    void unknownLanguageSuffixOrFileIsRefused() {
        assertThatThrownBy(
                        () -> TEXTS.withOverrides(file("attune_it.properties", "intervention.help_tip.message=Ciao\n")))
                .isInstanceOfSatisfying(CatalogueException.class, e -> {
                    assertThat(e.file()).isEqualTo("attune_it.properties");
                    assertThat(e.key()).isNull();
                })
                .hasMessageContaining("unknown language suffix 'it'")
                .hasMessageContaining("en_US, de, fr, es");
        assertThatThrownBy(() -> TEXTS.withOverrides(file("texts_de.properties", "x=y\n")))
                .hasMessageStartingWith("texts_de.properties: not a catalogue file");
        assertThatThrownBy(() -> TEXTS.withOverrides(file("attune_de.txt", "x=y\n")))
                .hasMessageStartingWith("attune_de.txt: not a catalogue file");
    }

    @Test
    void unparseableFilesAreRefused() {
        assertThatThrownBy(() -> TEXTS.withOverrides(
                        file("attune_de.properties", "intervention.help_tip.message=Tipp \\u00zz\n")))
                .isInstanceOfSatisfying(
                        CatalogueException.class, e -> assertThat(e.file()).isEqualTo("attune_de.properties"))
                .hasMessageContaining("not a properties file");
        assertThatThrownBy(() -> TEXTS.withOverrides(Map.of(
                        "attune_de.properties",
                        "intervention.help_tip.message=Gr\u00fc\u00dfe\n".getBytes(StandardCharsets.ISO_8859_1))))
                .hasMessageContaining("attune_de.properties")
                .hasMessageContaining("not UTF-8");
        assertThatThrownBy(() -> TEXTS.withOverrides(file("attune_es.properties", "intervention.help_tip.message=\n")))
                .hasMessageContaining("intervention.help_tip.message")
                .hasMessageContaining("empty text");
    }

    /** Customer-facing texts live in the catalogue: none of them, in any language, is in the Java sources. */
    @Test
    void noCustomerFacingTextIsLeftInJavaCode() throws IOException {
        StringBuilder java = new StringBuilder();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                java.append(Files.readString(f));
            }
        }
        String code = java.toString();
        for (String suffix : TextCatalogue.SUFFIXES) {
            for (String key : TEXTS.keys(suffix)) {
                for (String sentence : TEXTS.raw(suffix, key).split("(?<=[.:?!])\\s+")) {
                    String fragment = sentence.replaceAll("\\{[a-z]+\\}", "").strip();
                    if (fragment.split("\\s+").length >= 3) {
                        assertThat(code)
                                .as("'%s' (%s %s) in Java code", fragment, suffix, key)
                                .doesNotContain(fragment);
                    }
                }
            }
        }
        // The classes that used to hold texts hold no prose: no string literal of three words or more.
        Pattern literal = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
        for (String source : List.of("policy/Templates.java", "analysis/HeuristicAnalyser.java")) {
            String text = Files.readString(Path.of("src/main/java/dev/attune", source));
            if (source.endsWith("HeuristicAnalyser.java")) {
                // insights and recommended actions are for agents, in English, and stay in code
                text = text.replaceAll("(?s)public Analysis winBack.*?List<String> actions = ", "")
                        .replaceAll("(?s)private static String insight.*?\n    }\n", "")
                        .replaceAll("(?s)public Analysis journey.*?List\\.copyOf\\(insights\\)", "");
            }
            Matcher m = literal.matcher(text);
            while (m.find()) {
                assertThat(m.group(1).strip().split("\\s+"))
                        .as("string literal \"%s\" in %s", m.group(1), source)
                        .hasSizeLessThan(3);
            }
        }
    }
}
