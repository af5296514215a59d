package dev.attune.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SentimentScorerTest {
    private static final long WEEK = 7 * 24 * 3_600_000L;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "This is absolutely unacceptable, I am furious and want a refund now!",
                "Your service is terrible and I hate it.",
                "You people are useless idiots, I will destroy your reputation everywhere!!!"
            })
    void furiousTextIsClearlyNegative(String text) {
        assertThat(SentimentScorer.text(text)).isLessThan(-0.6).isGreaterThanOrEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Thanks so much, the team was wonderful and really helpful!",
                "Great product, love it",
                "I'm so grateful, you saved my day. Brilliant support!"
            })
    void gratefulTextIsClearlyPositive(String text) {
        assertThat(SentimentScorer.text(text)).isGreaterThan(0.6).isLessThanOrEqualTo(1);
    }

    @Test
    void neutralAndMissingTextScoreZero() {
        assertThat(SentimentScorer.text(null)).isZero();
        assertThat(SentimentScorer.text("")).isZero();
        assertThat(SentimentScorer.text("   ")).isZero();
        assertThat(SentimentScorer.text("Where can I find the export button?")).isZero();
    }

    @Test
    void textScoringIsDeterministic() {
        String t = "The invoice looks wrong and support was slow";
        assertThat(SentimentScorer.text(t)).isEqualTo(SentimentScorer.text(t));
    }

    @ParameterizedTest
    @CsvSource({
        "0, nps, -1",
        "10, nps, 1",
        "5, nps, 0",
        "7, nps, 0.4",
        "9, NPS, 0.8",
        "1, csat, -1",
        "5, csat, 1",
        "3, csat, 0",
        "4, CSAT, 0.5",
        "-3, nps, -1",
        "11, nps, 1",
        "9, csat, 1"
    }) // out-of-scale scores are clamped
    void surveyScoresMapOntoMinusOneToOne(double score, String scale, double expected) {
        assertThat(SentimentScorer.survey(score, scale)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void surveyWithoutScaleIsReadAsNpsAndMissingScoreStaysMissing() {
        assertThat(SentimentScorer.survey(0, null)).isEqualTo(-1);
        assertThat(SentimentScorer.survey(Double.NaN, "nps")).isNaN();
    }

    @Test
    void decayHalvesEveryHalfLife() {
        assertThat(SentimentScorer.decayed(-0.8, 0, WEEK, WEEK)).isCloseTo(-0.4, within(1e-12));
        assertThat(SentimentScorer.decayed(-0.8, 0, 2 * WEEK, WEEK)).isCloseTo(-0.2, within(1e-12));
        assertThat(SentimentScorer.decayed(0.6, 1_000, 1_000 + WEEK / 2, WEEK))
                .isCloseTo(0.6 / Math.sqrt(2), within(1e-12));
        assertThat(SentimentScorer.decayed(-0.8, 5, 5, WEEK)).isEqualTo(-0.8);
        assertThat(SentimentScorer.decayed(-0.8, 10, 5, WEEK))
                .as("no growth backwards in time")
                .isEqualTo(-0.8);
        assertThat(SentimentScorer.decayed(0, 0, WEEK, WEEK)).isZero();
    }

    @Test
    void observeMovesHalfwayAndStaysInRange() {
        assertThat(SentimentScorer.observe(0, -1)).isEqualTo(-0.5);
        assertThat(SentimentScorer.observe(-0.5, -1)).isEqualTo(-0.75);
        assertThat(SentimentScorer.observe(0.2, 0.6)).isCloseTo(0.4, within(1e-12));
        assertThat(SentimentScorer.observe(1, 1)).isEqualTo(1);
        assertThat(SentimentScorer.observe(-1, -1)).isEqualTo(-1);
    }
}
