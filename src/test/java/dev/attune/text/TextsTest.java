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

    @Test
    void aCancellationIsReadOnceAsReadAndChurnReadItSeparately() {
        Stream.of(churn(), angry(), calm(), polite())
                .flatMap(s -> s)
                .map(a -> (String) a.get()[a.get().length - 1])
                .forEach(text -> assertThat(Texts.cancellation(text))
                        .as(text)
                        .isEqualTo(new Texts.Cancellation(Texts.read(text), Texts.churn(text))));
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
                "Merci pour rien",
                // inflected and less common problem words
                "Perfekt, wieder eine fehlgeschlagene Zahlung. Einfach perfekt.",
                "Bravo, encore une coupure. Bravo vraiment.",
                "Wonderful, my card was declined again. Wonderful."
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

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        Still no refund for the jacket I sent back | missing_money
        toujours pas remboursé                                           | missing_money
        wo bleibt mein Geld                                              | missing_money
        todavia no veo el dinero del reembolso | missing_money
        The export has been failing for 9 days                           | lasting_problem
        Die Synchronisierung klappt seit drei Wochen nicht               | lasting_problem
        la synchro ne marche pas depuis 15 jours                        | lasting_problem
        desde hace un mes espero una respuesta                           | lasting_problem
        You charged me again after I cancelled                           | charged_after_cancelling
        Trotz Kündigung wieder abgebucht                                 | charged_after_cancelling
        Rückruf versprochen, nie passiert. Schon wieder.                 | repeated_problem
        Encore une fois, toujours pas de réponse. | repeated_problem
        """)
    void partsReadTogetherAreUrgent(String text, String cue) {
        TextReading r = Texts.read(text);
        assertThat(r.urgency()).as("%s", r).isTrue();
        assertThat(r.cues()).as("%s", r).contains(cue);
        assertThat(r.sentiment()).as("%s", r).isNegative();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The payment failed at first but went through fine on the second try.",
                "We lost the connection for an hour, everything is back to normal now.",
                "Mir wurde doppelt abgebucht, der Betrag ist aber schon erstattet, alles gut.",
                "La connexion a coupé ce matin, mais tout est revenu, rien à faire de votre côté.",
                "Hubo un error en el cobro, pero ya me han devuelto el dinero, todo bien."
            })
    void aProblemTheWriterSaysIsOverIsNotUrgent(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.urgency()).as("%s", r).isFalse();
        assertThat(r.anger()).as("%s", r).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The refund has not dropped off my statement, it is still not refunded after three weeks.",
                "Votre page de statut dit que tout va bien. Ça ne va PAS bien.",
                "Ihr sagt alles gut, aber seit drei Tagen geht nichts!!"
            })
    void aResolutionDeniedOrClaimedByOthersStaysAProblem(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.urgency() || r.anger()).as("%s", r).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "What is your refund policy for annual plans?",
                "Wie lange dauert eine Erstattung normalerweise?",
                "Le remboursement se fera-t-il sur la même carte ?",
                "Is it possible to pause my subscription for two months?",
                "Seit Jahren zufriedener Kunde, weiter so!",
                "Cliente contento desde hace años, ¡sigan así!",
                "I cancelled yesterday, will I be charged for March?",
                "My refund has not arrived yet, no rush, just checking.",
                "Kein Problem, ich warte gern noch ein paar Tage.",
                "Danke für die schnelle Antwort, das Problem ist nicht wieder aufgetreten."
            })
    void aPartAloneOrAPatientWriterIsNotAProblem(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.urgency()).as("%s", r).isFalse();
        assertThat(r.anger()).as("%s", r).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"REFUND ME NOW", "GELD ZURÜCK, SOFORT", "REMBOURSEZ MOI", "DEVUELVANME MI DINERO"})
    void aShortShoutedTextAboutMoneyIsAngry(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isTrue();
        assertThat(r.cues()).contains("shouting");
        assertThat(Texts.read("THANK YOU SO MUCH").anger()).isFalse();
    }

    @Test
    void aRunOfExclamationMarksOnAProblemIsAngry() {
        assertThat(Texts.read("this is the 4th email i've sent about the missing refund!!!")
                        .cues())
                .contains("exclamations");
        assertThat(Texts.read("this is the 4th email i've sent about the missing refund.")
                        .cues())
                .doesNotContain("exclamations");
        assertThat(Texts.read("Everything arrived, thank you!!!").anger()).isFalse();
    }

    @Test
    void germanWithoutUmlautsReadsLikeGermanWithThem() {
        assertThat(Texts.read("Ich will mein Geld zuruck, das ist unverschamt").anger())
                .isTrue();
        assertThat(Texts.read("Ich will mein Geld zurück, das ist unverschämt").sentiment())
                .isEqualTo(Texts.read("Ich will mein Geld zuruck, das ist unverschamt")
                        .sentiment());
        // "schon" (already) is not "schön" (lovely): the lexicon marks "schoen" exact.
        assertThat(Texts.read("Ich habe die Rechnung schon bezahlt").sentiment())
                .isLessThanOrEqualTo(0);
    }

    @Test
    void spanishDiaeresisIsDroppedAsSpanishWritersDropIt() {
        assertThat(Texts.read("Es una vergüenza").anger()).isTrue();
        assertThat(Texts.read("Es una verguenza").anger()).isTrue();
    }

    @Test
    void ohneNegatesItsNounOnly() {
        TextReading blocked = Texts.read("Mein Konto wurde ohne Vorwarnung gesperrt");
        assertThat(blocked.urgency()).as("%s", blocked).isTrue();
        assertThat(blocked.sentiment()).isNegative();
        assertThat(Texts.read("Hat alles ohne Probleme geklappt").sentiment()).isPositive();
        assertThat(Texts.read("Neu installiert, aber ohne Erfolg").sentiment()).isNegative();
    }

    @Test
    void germanClauseFinalNichtAndSeparableVerbs() {
        assertThat(Texts.read("Leider klappt die Überweisung nicht").sentiment())
                .isNegative();
        assertThat(Texts.read("Das Internet fällt jeden Abend aus").urgency()).isTrue();
        assertThat(Texts.read("Die App stürzt bei jedem Start ab").urgency()).isTrue();
        assertThat(Texts.read("Das Internet fällt mir auf").urgency()).isFalse();
    }

    @Test
    void thanksIsCourtesyInATextAboutAnOpenProblem() {
        TextReading r = Texts.read("Hi, thanks for the reply, but the money is still missing from my account.");
        assertThat(r.urgency()).as("%s", r).isTrue();
        assertThat(r.sentiment()).as("%s", r).isNegative();
    }

    @Test
    void aQuestionAskingForInformationComplainsLessThanAStatement() {
        double asked = Texts.read("Combien de temps ma carte reste bloquée après un paiement refusé ?")
                .sentiment();
        double stated =
                Texts.read("Ma carte reste bloquée après un paiement refusé.").sentiment();
        assertThat(asked).isGreaterThan(-0.5).isGreaterThan(stated);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Your status page says everything is fine. It is NOT fine.",
                "Ihre Statusseite sagt, alles ist in Ordnung. Es ist NICHT in Ordnung.",
                "Votre page de statut dit que tout va bien. Ça ne va PAS bien.",
                "Su página de estado dice que todo va bien. NO va bien."
            })
    void aDenialInCapitalsIsAngry(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isTrue();
        assertThat(r.cues()).contains("insisted_denial");
        assertThat(Texts.read(text.toLowerCase(java.util.Locale.ROOT)).cues()).doesNotContain("insisted_denial");
    }

    @Test
    void aSeparableVerbsParticleMayStandBeforeAConjunction() {
        assertThat(Texts.read("Die Webhooks schlagen seit Dienstag fehl und niemand sagt etwas")
                        .urgency())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I was promised a technician between 8 and 12. It's 4pm. Nobody came.",
                "Mir wurde ein Techniker zwischen 8 und 12 versprochen. Es ist 16 Uhr. Niemand kam.",
                "The tracking says delivered but I never got anything",
                "El paquete figura como entregado pero nunca llegó a mi casa"
            })
    void aBrokenPromiseOrADeniedClaimIsUrgent(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.urgency()).as("%s", r).isTrue();
        assertThat(r.cues()).contains("broken_promise");
    }

    @Test
    void aPromiseKeptIsNoProblem() {
        TextReading r = Texts.read("You promised a callback on Monday and Sarah called right on time, thanks");
        assertThat(r.urgency()).as("%s", r).isFalse();
        assertThat(r.anger()).as("%s", r).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "I'm not paying a penny more until this is resolved",
                "Ich zahle keinen Cent mehr, bis das gelöst ist",
                "Je ne paierai plus un centime tant que ce n'est pas réglé",
                "No pienso pagar ni un céntimo más hasta que esto se solucione"
            })
    void untilItIsResolvedIsNotResolved(String text) {
        TextReading r = Texts.read(text);
        assertThat(r.anger()).as("%s", r).isTrue();
        assertThat(r.cues()).doesNotContain("resolved");
    }

    @Test
    void leavingForARivalIsAngryButARivalAloneIsNot() {
        TextReading leaving = Texts.read("Je résilie. Votre concurrent a répondu en cinq minutes.");
        assertThat(leaving.anger()).as("%s", leaving).isTrue();
        assertThat(leaving.cues()).contains("leaving_for_rival");
        assertThat(Texts.read("Does your competitor's export format work with your import?")
                        .anger())
                .isFalse();
    }
}
