package dev.attune.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The trained reading: deterministic, asked only where the lexicons are silent, and named. */
class AngerModelTest {
    @Test
    void trainingTheSameTextsGivesTheSameModel() {
        List<AngerModel.Example> all = AngerModel.bundledExamples();
        List<AngerModel.Example> examples = java.util.stream.IntStream.range(0, all.size())
                .filter(i -> i % 3 == 0)
                .mapToObj(all::get)
                .toList();
        AngerModel a = AngerModel.train(examples);
        AngerModel b = AngerModel.train(examples);
        for (AngerModel.Example e : all.subList(1, 200)) {
            assertThat(b.anger(e.text())).isEqualTo(a.anger(e.text()));
        }
    }

    @Test
    void theShippedModelIsTheOneTheTrainingTextsTrain() throws Exception {
        AngerModel trained = AngerModel.train(AngerModel.bundledExamples());
        if (Boolean.getBoolean("attune.regenerate")) {
            try (var out = java.nio.file.Files.newOutputStream(
                    java.nio.file.Path.of("src/main/resources" + AngerModel.SHIPPED))) {
                trained.write(out);
            }
            return;
        }
        AngerModel shipped = AngerModel.shipped();
        List<String> texts = new java.util.ArrayList<>();
        AngerModel.bundledExamples().forEach(e -> texts.add(e.text()));
        for (String lang : DevSentences.LANGUAGES) {
            texts.addAll(DevSentences.lines("angry13_" + lang + ".txt"));
            texts.addAll(DevSentences.lines("calm13_" + lang + ".txt"));
        }
        texts.add("Zzz qqq unseen words only");
        for (String t : texts) {
            assertThat(shipped.anger(t))
                    .as("the shipped model is stale: mvn test -Dtest=AngerModelTest -Dattune.regenerate=true (%s)", t)
                    .isEqualTo(trained.anger(t));
        }
    }

    @Test
    void readsTheTrainingTextsItWasGiven() {
        AngerModel m = AngerModel.bundled();
        long right = AngerModel.bundledExamples().stream()
                .filter(e -> (m.anger(e.text()) >= 0.5) == e.angry())
                .count();
        assertThat(right).isGreaterThan(AngerModel.bundledExamples().size() * 9L / 10);
    }

    @Test
    void aComplaintNoLexiconNamesReadsAngryWithItsCue() {
        // Batch 13 (never trained on) holds texts like this one that the lexicons pass.
        String text = "Ihr Techniker hat den Termin eine Stunde vorher per SMS abgesagt. Schon wieder.";
        TextReading r = Texts.read(text);
        assertThat(r.anger() || r.urgency()).isTrue();
        String plain = "Nach der Synchronisierung gestern Nacht ist die Hälfte meiner Kontakte weg und der Support"
                + " sagt, das sei normal";
        TextReading t = Texts.read(plain);
        if (t.anger() && !t.urgency()) {
            assertThat(t.cues()).contains("trained_anger");
        }
    }

    @Test
    void praiseIsNeverAskedOfTheModelAndQuestionsOnlyAtAHigherThreshold() {
        String praise = "Customer since 2015, still happy with the service.";
        assertThat(Texts.asksModel(Texts.read(praise))).isFalse();
        assertThat(Texts.read(praise).cues()).doesNotContain("trained_anger");
        assertThat(Texts.trainedThreshold("Why was my account suspended again this week? "))
                .isEqualTo(Texts.TRAINED_ANGER_QUESTION)
                .isGreaterThan(Texts.TRAINED_ANGER);
        assertThat(Texts.trainedThreshold("Why was my account suspended again this week."))
                .isEqualTo(Texts.TRAINED_ANGER);
        for (String calm : List.of(
                "Why was my account suspended again this week?",
                "Pourquoi ma commande apparaît comme livrée alors qu'elle est encore en transit ?",
                "Is it possible to redirect a parcel to a pickup point?",
                "Kann ich das Abo über den Sommer pausieren statt zu kündigen?")) {
            assertThat(Texts.read(calm).cues()).as(calm).doesNotContain("trained_anger");
        }
        assertThat(AngerModel.tokens("REFUND ME NOW!!")).contains("refund", "__shouted", "__exclaimed");
        assertThat(AngerModel.tokens("Rückerstattung für Straße")).containsExactly("ruckerstattung", "fur", "strasse");
    }

    @Test
    void aRhetoricalQuestionTheModelIsSureOfReadsAngry() {
        AngerModel m = AngerModel.bundled();
        List<String> questions = AngerModel.bundledExamples().stream()
                .filter(e -> e.angry() && e.text().strip().endsWith("?"))
                .map(AngerModel.Example::text)
                .filter(t -> Texts.asksModel(lexiconsOnly(t)))
                .filter(t -> m.anger(t) >= Texts.TRAINED_ANGER_QUESTION)
                .toList();
        assertThat(questions).isNotEmpty();
        for (String q : questions) {
            assertThat(Texts.read(q).cues()).as(q).contains("trained_anger");
        }
    }

    /** The lexicons' reading of {@code text}, before the model is asked. */
    private static TextReading lexiconsOnly(String text) {
        TextReading r = Texts.read(text);
        if (!r.cues().contains("trained_anger")) {
            return r;
        }
        return new TextReading(r.language(), r.sentiment(), false, r.urgency(), r.cues());
    }

    @Test
    void everyTrainingFileIsListed() throws Exception {
        var dir = java.nio.file.Path.of("src/main/resources/text/training");
        try (var files = java.nio.file.Files.list(dir)) {
            List<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.equals("files.txt"))
                    .sorted()
                    .toList();
            assertThat(AngerModel.lines(AngerModel.TRAINING + "files.txt"))
                    .containsExactlyInAnyOrderElementsOf(present);
        }
    }
}
