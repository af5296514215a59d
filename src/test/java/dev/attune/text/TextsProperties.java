package dev.attune.text;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever the text: a bounded reading, cues that are codes (never customer text), the same answer twice. */
class TextsProperties {
    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> words = Arbitraries.of(
                "not",
                "nicht",
                "pas",
                "no",
                "great",
                "super",
                "génial",
                "furious",
                "outage",
                "Ausfall",
                "panne",
                "caído",
                "again",
                "wieder",
                "encore",
                "otra",
                "vez",
                "thanks",
                "merci",
                "!!!",
                ",",
                ".",
                "price",
                "teuer",
                "cher",
                "caro",
                "HubSpot",
                "very",
                "sehr",
                "très",
                "muy",
                "bad",
                "schlecht",
                "mal");
        Arbitrary<String> sentence = words.list().ofMaxSize(40).map(l -> String.join(" ", l));
        return Arbitraries.oneOf(sentence, Arbitraries.strings().ofMaxLength(3_000));
    }

    @Property(tries = 500)
    void aCancellationReadsAsReadAndChurnReadIt(@ForAll("texts") String text) {
        assertThat(Texts.cancellation(text)).isEqualTo(new Texts.Cancellation(Texts.read(text), Texts.churn(text)));
    }

    @Property(tries = 500)
    void readingIsBoundedAndItsCuesAreCodes(@ForAll("texts") String text) {
        TextReading r = Texts.read(text);
        assertThat(r.sentiment()).isBetween(-1.0, 1.0);
        assertThat(r.language()).isIn("en", "de", "fr", "es", "und");
        assertThat(r.cues()).allSatisfy(c -> assertThat(c).matches("[a-z_]{2,24}"));
        assertThat(r).isEqualTo(Texts.read(text));
        ChurnReading c = Texts.churn(text);
        assertThat(c.category())
                .isIn("pricing", "features", "onboarding", "competition", "business_closure", "unclear");
        assertThat(c.confidence()).isBetween(0.0, 1.0);
    }
}
