package dev.attune.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Analysis;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WordingTest {
    private static final String BRITISH =
            "Your personalised settings are kept. Personalised offers for your cancelled plan, "
                    + "and we apologise: cancelling is easy. Your favourite colour.";

    @ParameterizedTest
    @ValueSource(strings = {"en-US", "en_US", "EN-us"})
    void americanEnglishGetsAmericanSpelling(String locale) {
        String us = Wording.localise(BRITISH, locale);
        assertThat(us)
                .isEqualTo("Your personalized settings are kept. Personalized offers for your canceled plan, "
                        + "and we apologize: canceling is easy. Your favorite color.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"en-GB", "en", "fr-FR", "en-AU", ""})
    void otherLocalesKeepBritishEnglish(String locale) {
        assertThat(Wording.localise(BRITISH, locale)).isEqualTo(BRITISH);
    }

    @Test
    void noLocaleIsBritishEnglish() {
        assertThat(Wording.localise(BRITISH, null)).isEqualTo(BRITISH);
        assertThat(Wording.effectiveLocale(null)).isEqualTo("en-GB");
        assertThat(Wording.effectiveLocale("  ")).isEqualTo("en-GB");
        assertThat(Wording.effectiveLocale("en_US")).isEqualTo("en-US");
        assertThat(Wording.effectiveLocale("de-DE")).isEqualTo("de-DE");
    }

    @Test
    void winBackMessagesAreLocalised() {
        HeuristicAnalyser analyser = new HeuristicAnalyser();
        dev.attune.signals.ChurnReasons.ChurnCategory pricing = analyser.classify("too expensive");
        String us = bodies(analyser.winBack(pricing, "low", null, "en-US"));
        String gb = bodies(analyser.winBack(pricing, "low", null, "en-GB"));
        String none = bodies(analyser.winBack(pricing, "low", null, Wording.effectiveLocale(null)));
        assertThat(us).contains("personalized", "canceled plan").doesNotContain("personalised", "cancelled");
        assertThat(gb).contains("personalised", "cancelled plan").doesNotContain("personalized", "canceled ");
        assertThat(none).isEqualTo(gb);
    }

    private static String bodies(Analysis a) {
        StringBuilder sb = new StringBuilder(a.message());
        List<Analysis.WinBackMessage> seq = a.winBackSequence();
        for (Analysis.WinBackMessage m : seq) {
            sb.append('\n').append(m.subject()).append('\n').append(m.body());
        }
        return sb.toString();
    }
}
