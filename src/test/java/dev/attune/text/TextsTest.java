package dev.attune.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** How Attune reads customer text, on development sentences written for these tests in four languages. */
class TextsTest {
    static Stream<Arguments> angry() {
        return DevSentences.of("angry").stream();
    }

    static Stream<Arguments> calm() {
        return DevSentences.of("calm").stream();
    }

    static Stream<Arguments> polite() {
        return DevSentences.of("polite").stream();
    }

    static Stream<Arguments> churn() {
        return DevSentences.churn().stream();
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("angry")
    void angryOrUrgentTextIsCaught(String language, String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger() || r.urgency()).as("%s", r).isTrue();
        assertThat(r.sentiment()).as("%s", r).isNegative();
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("calm")
    void calmPositiveOrNeutralTextIsNotAngry(String language, String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isFalse();
        assertThat(r.sentiment()).as("%s", r).isGreaterThan(-0.5);
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("polite")
    void politeComplaintsAreNotAngry(String language, String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isFalse();
    }

    @ParameterizedTest(name = "[{0}] {2}")
    @MethodSource("churn")
    void churnReasonIsClassified(String language, String category, String text) {
        ChurnReading c = Texts.churn(text);
        assertThat(c.category()).as("%s", c).isEqualTo(category);
        if (category.equals(ChurnReading.UNCLEAR)) {
            assertThat(c.confidence()).isEqualTo(0.3);
            assertThat(c.evidence()).isZero();
        } else {
            assertThat(c.confidence()).isBetween(0.7, 0.9);
            assertThat(c.evidence()).isPositive();
        }
    }

    @Test
    void languageIsDetectedFromTheTextForAtLeast95PercentOfSentencesOfFiveWordsOrMore() {
        for (String language : DevSentences.LANGUAGES) {
            List<String> texts = Stream.of("angry", "calm")
                    .flatMap(k -> DevSentences.lines(k + "_" + language + ".txt").stream())
                    .filter(t -> t.split("\\s+").length >= 5)
                    .toList();
            long right = texts.stream()
                    .filter(t -> Texts.read(t).language().equals(language))
                    .count();
            assertThat((double) right / texts.size()).as(language).isGreaterThanOrEqualTo(0.95);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "il servizio non funziona da ieri, sono molto arrabbiato",
                "o sistema está fora do ar desde ontem à noite",
                "de app werkt niet meer sinds gisteren avond",
                "ok",
                "Danke!"
            })
    void otherLanguagesAndTooShortTextsAreUndetermined(String text) {
        assertThat(Texts.read(text).language()).isEqualTo(TextReading.UNDETERMINED);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        Not bad at all                                    | en
        It isn't bad, actually                            | en
        no problem at all                                 | en
        nicht schlecht                                    | de
        Kein Problem, danke                               | de
        das war gar nicht so schlecht                     | de
        pas mal du tout                                   | fr
        ce n'est pas mal                                  | fr
        pas de souci, merci                               | fr
        no está mal                                       | es
        no esta nada mal                                  | es
        sin problema, gracias                             | es
        """)
    void negatedNegativesReadPositive(String text, String language) {
        TextReading r = Texts.read(text);
        assertThat(r.sentiment()).as("%s", r).isPositive();
        assertThat(r.anger()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        Not good at all                                   | en
        I'm not happy with the support                    | en
        nicht gut, gar nicht zufrieden                    | de
        ce n'est pas bien du tout                         | fr
        je ne suis pas satisfait                          | fr
        no estoy contento con el servicio                 | es
        """)
    void negatedPositivesReadNegative(String text, String language) {
        assertThat(Texts.read(text).sentiment()).isNegative();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Great, another outage. Just great.",
                "Oh great, it's down again",
                "Thanks a lot for breaking the export",
                "Super, schon wieder ein Ausfall.",
                "Na toll, das geht schon wieder nicht",
                "Génial, encore une panne.",
                "Super, encore un bug dans l'export",
                "Genial, otra vez caído.",
                "Perfecto, otro fallo más",
                "Merci pour rien"
            })
    void sarcasmIsAnger(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isTrue();
        assertThat(r.sentiment()).as("%s", r).isNegative();
        assertThat(r.cues()).contains("sarcasm");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Great product, love it",
                "Super, danke für die schnelle Hilfe!",
                "Génial, merci beaucoup",
                "Genial, muchas gracias por todo",
                "Great, the outage is fixed now, thanks"
            })
    void sincerePraiseIsNotSarcasm(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isFalse();
        assertThat(r.sentiment()).as("%s", r).isPositive();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "the site is down since this morning",
                "Ich kann mich nicht mehr einloggen",
                "je ne peux plus me connecter",
                "me cobraron dos veces"
            })
    void problemsAreUrgentEvenWhenPolite(String text) {
        assertThat(Texts.read(text).urgency()).isTrue();
        assertThat(Texts.read(text).anger()).isFalse();
    }

    @Test
    void intensifiersScaleAndCapitalsAndExclamationsEmphasise() {
        assertThat(Texts.read("the app is very slow").sentiment())
                .isLessThan(Texts.read("the app is slow").sentiment());
        assertThat(Texts.read("the app is a bit slow").sentiment())
                .isGreaterThan(Texts.read("the app is slow").sentiment());
        assertThat(Texts.read("this is TERRIBLE!!!").sentiment())
                .isLessThan(Texts.read("this is terrible").sentiment());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n\t"})
    void emptyTextReadsAsNothing(String text) {
        assertThat(Texts.read(text)).isEqualTo(TextReading.EMPTY);
        assertThat(Texts.churn(text)).isEqualTo(new ChurnReading("unclear", 0.3, 0));
    }

    @Test
    void accentsAndCaseDoNotMatter() {
        assertThat(Texts.read("C'EST INADMISSIBLE").anger()).isTrue();
        assertThat(Texts.read("je suis tres decu, c est inadmissible").anger()).isTrue();
        assertThat(Texts.read("Das ist unverschaemt").anger()).isTrue();
        assertThat(Texts.churn("Die Einrichtung hat nie funktioniert").category())
                .isEqualTo(Texts.churn("die einrichtung hat nie funktioniert").category());
    }

    @Test
    void onlyTheFirst2000CharactersAreRead() {
        String calm = "thanks, all good. ".repeat(120);
        assertThat(calm.length()).isGreaterThan(Texts.MAX_CHARS);
        assertThat(Texts.read(calm + " this is unacceptable, I am furious").anger())
                .isFalse();
        assertThat(Texts.read(calm).sentiment())
                .isEqualTo(Texts.read(calm.substring(0, Texts.MAX_CHARS)).sentiment());
    }
}
