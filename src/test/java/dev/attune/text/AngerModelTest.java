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
    void questionsAndPraiseAreNeverAskedOfTheModel() {
        for (String text : List.of(
                "Customer since 2015, still happy with the service.",
                "Why was my account suspended again this week?",
                "Pourquoi ma commande apparaît comme livrée alors qu'elle est encore en transit ?")) {
            assertThat(Texts.read(text).cues()).as(text).doesNotContain("trained_anger");
        }
        assertThat(AngerModel.tokens("REFUND ME NOW!!")).contains("refund", "__shouted", "__exclaimed");
        assertThat(AngerModel.tokens("Rückerstattung für Straße")).containsExactly("ruckerstattung", "fur", "strasse");
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
