package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fault-run checker on small hand-made outputs: each kind of difference is counted where it belongs. */
class FaultRunCheckerTest {
    static final String I1 = intervention("i1", "bedrock", "Need a hand?");
    static final String I2 = intervention("i2", "heuristic", "We can help.");
    static final String S1 = "{\"suppressionId\":\"s1\",\"userId\":\"u\",\"reason\":\"cooldown\"}";
    static final String SEND1 = "{\"sendId\":\"c1\",\"userId\":\"u\",\"channel\":\"sms\"}";
    static final String SUM1 = "{\"summaryId\":\"m1\",\"campaignId\":\"k\",\"requests\":3}";

    static String intervention(String id, String source, String message) {
        return "{\"interventionId\":\"" + id + "\",\"userId\":\"u\",\"type\":\"live_chat_offer\",\"riskScore\":70,"
                + "\"analysis\":{\"source\":\"" + source + "\",\"message\":\"" + message + "\"}}";
    }

    static String inputDeadLetter(String id, String position, String raw) {
        return "{\"deadLetterId\":\"" + id + "\",\"raw\":\"" + raw + "\",\"stage\":\"parse\","
                + "\"error\":{\"code\":\"not_json\",\"message\":\"m\"},"
                + "\"source\":{\"stream\":\"user-events\",\"position\":\"" + position + "\"}}";
    }

    static String modelDeadLetter(String id, String code) {
        return "{\"deadLetterId\":\"" + id + "\",\"raw\":\"{}\",\"stage\":\"analysis\"," + "\"error\":{\"code\":\""
                + code + "\",\"message\":\"m\"},\"source\":{\"stream\":\"interventions\"}}";
    }

    static Map<String, List<String>> outputs(
            List<String> interventions, List<String> suppressions, List<String> deadLetters) {
        return Map.of(
                Streams.INTERVENTIONS,
                interventions,
                Streams.SUPPRESSIONS,
                suppressions,
                Streams.DEAD_LETTER,
                deadLetters,
                Streams.CAMPAIGN_SENDS,
                List.of(SEND1),
                Streams.CAMPAIGN_SUMMARIES,
                List.of(SUM1));
    }

    @Test
    void identicalOutputsPassAndAJournalAnswerEqualsTheLiveAnswer() {
        var ref = outputs(
                List.of(intervention("i1", "replay-cache", "Need a hand?"), I2),
                List.of(S1),
                List.of(inputDeadLetter("d-file", "in/user-events/part-0.jsonl:7", "nope")));
        var run =
                outputs(List.of(I2, I1), List.of(S1), List.of(inputDeadLetter("d-kafka", "user-events-1@42", "nope")));
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.failed()).isFalse();
        assertThat(r.lost + r.duplicated + r.differingModel + r.differingOther + r.unexpectedModel + r.unexpectedOther)
                .isZero();
        assertThat(r.runRecords).containsEntry(Streams.INTERVENTIONS, 2).containsEntry(Streams.DEAD_LETTER, 1);
    }

    @Test
    void aMissingRecordIsLostAndARepeatedExactlyOnceIdIsDuplicated() {
        var ref = outputs(List.of(I1, I2), List.of(S1), List.of());
        var run = outputs(List.of(I1, I1), List.of(S1, S1), List.of());
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.lost).isEqualTo(1);
        assertThat(r.duplicated).as("the suppression, exactly-once").isEqualTo(1);
        assertThat(r.repeated).as("the intervention, at-least-once").isEqualTo(1);
        assertThat(r.failed()).isTrue();
        assertThat(r.examples.get("lost")).containsExactly("interventions i2");
    }

    @Test
    void anInterventionWrittenAgainAfterARestoreIsRepeatedButADifferentOneUnderItsIdIsDuplicated() {
        var ref = outputs(List.of(I1, I2), List.of(S1), List.of());
        FaultRunChecker.Result again =
                FaultRunChecker.compare(ref, outputs(List.of(I1, I2, I1), List.of(S1), List.of()));
        assertThat(again.repeated).isEqualTo(1);
        assertThat(again.duplicated).isZero();
        assertThat(again.failed()).isFalse();
        String other = I1.replace("\"riskScore\":70", "\"riskScore\":71");
        FaultRunChecker.Result changed =
                FaultRunChecker.compare(ref, outputs(List.of(I1, I2, other), List.of(S1), List.of()));
        assertThat(changed.duplicated).isEqualTo(1);
        assertThat(changed.failed()).isTrue();
    }

    @Test
    void inputDeadLettersMatchByWhatWasReadAsOftenAsItOccurs() {
        // The same malformed line sent twice (a producer retry) is two dead letters in both runs.
        var ref = outputs(
                List.of(), List.of(), List.of(inputDeadLetter("a", "f:1", "x"), inputDeadLetter("b", "f:2", "x")));
        var run = outputs(List.of(), List.of(), List.of(inputDeadLetter("c", "t-0@1", "x")));
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.lost).isEqualTo(1);
        assertThat(r.duplicated).isZero();
    }

    @Test
    void aDifferentAnalysisIsAModelDifferenceAndAnythingElseIsOther() {
        String riskChanged = I1.replace("\"riskScore\":70", "\"riskScore\":71");
        var ref = outputs(List.of(I1, I2), List.of(), List.of());
        var run = outputs(List.of(riskChanged, intervention("i2", "bedrock", "Need a hand?")), List.of(), List.of());
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.differingModel).isEqualTo(1);
        assertThat(r.differingOther).isEqualTo(1);
        assertThat(r.failed()).isTrue();
    }

    @Test
    void modelDeadLettersAndBudgetSuppressionsOnOneSideAreModelDifferences() {
        String budget = "{\"suppressionId\":\"b1\",\"userId\":\"u\",\"reason\":\"llm_budget\"}";
        var ref = outputs(List.of(I1), List.of(budget), List.of(modelDeadLetter("m1", "deadline_exceeded")));
        var run = outputs(
                List.of(intervention("i1", "heuristic", "We can help.")),
                List.of(),
                List.of(modelDeadLetter("m2", "throttled")));
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.lost).isZero();
        assertThat(r.differingModel).isEqualTo(3); // the analysis, the reference's dead letter and suppression
        assertThat(r.unexpectedModel).isEqualTo(1); // the run's own dead letter
        assertThat(r.failed()).isFalse();
    }

    @Test
    void aDecisionOnlyTheFaultRunMadeIsUnexpected() {
        var ref = outputs(List.of(I1), List.of(), List.of());
        var run = outputs(List.of(I1, I2), List.of(), List.of());
        FaultRunChecker.Result r = FaultRunChecker.compare(ref, run);
        assertThat(r.unexpectedOther).isEqualTo(1);
        assertThat(r.failed()).isTrue();
    }
}
