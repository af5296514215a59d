package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault-run checker on small hand-made outputs and folders: each kind of difference is counted where it belongs,
 * and it does not pass vacuously (empty sides, faults that did not happen, ids the oracle does not expect).
 */
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
    void anInterventionWrittenAgainWithAnotherModelOutcomeIsRepeatedAndAModelDifference() {
        var ref = outputs(List.of(I1, I2), List.of(S1), List.of());
        String fallback = intervention("i1", "heuristic", "We can help.");
        FaultRunChecker.Result r =
                FaultRunChecker.compare(ref, outputs(List.of(I1, I2, fallback), List.of(S1), List.of()));
        assertThat(r.repeated).isEqualTo(1);
        assertThat(r.differingModel).isEqualTo(1);
        assertThat(r.duplicated).isZero();
        assertThat(r.failed()).isFalse();
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

    static final Path FIXTURE = Path.of("src/test/resources/replay");

    /** Writes {@code dir/<stream>/part-0.jsonl} for each stream given. */
    static Path folder(Path dir, Map<String, List<String>> outputs) throws IOException {
        for (var e : outputs.entrySet()) {
            Files.createDirectories(dir.resolve(e.getKey()));
            Files.write(dir.resolve(e.getKey()).resolve("part-0.jsonl"), e.getValue());
        }
        Files.createDirectories(dir);
        return dir;
    }

    static Map<String, List<String>> expected() throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : Streams.OUTPUTS) {
            out.put(s, new ArrayList<>(Files.readAllLines(FIXTURE.resolve("expected/" + s + ".jsonl"))));
        }
        return out;
    }

    static Oracle.Expected fixtureOracle() {
        return Oracle.of(
                FIXTURE.resolve("input"),
                CommandLine.parse(new String[] {
                            "--profile",
                            "jobs/replay.properties",
                            "--input.path",
                            FIXTURE.resolve("input").toString()
                        })
                        .conf());
    }

    @Test
    void anEmptyReferenceOrAnEmptyFaultRunFails(@TempDir Path dir) throws IOException {
        Path full = folder(dir.resolve("full"), expected());
        Path empty = folder(dir.resolve("empty"), Map.of());
        FaultRunChecker.Result noReference = FaultRunChecker.compare(empty, full);
        assertThat(noReference.failed()).isTrue();
        assertThat(noReference.problems).anySatisfy(p -> assertThat(p).contains("reference is empty"));
        FaultRunChecker.Result noRun = FaultRunChecker.compare(full, empty);
        assertThat(noRun.failed()).isTrue();
        assertThat(noRun.problems).anySatisfy(p -> assertThat(p).contains("committed nothing"));
        assertThat(FaultRunChecker.compare(full, full).failed()).isFalse();
    }

    @Test
    void aReferenceWithoutInterventionsOrSendsProvesTooLittle(@TempDir Path dir) throws IOException {
        Map<String, List<String>> thin = expected();
        thin.put(Streams.INTERVENTIONS, List.of());
        thin.put(Streams.CAMPAIGN_SENDS, List.of());
        Path p = folder(dir, thin);
        FaultRunChecker.Result r = FaultRunChecker.compare(p, p);
        assertThat(r.lost + r.duplicated).isZero();
        assertThat(r.failed()).isTrue();
        assertThat(r.problems).hasSize(2);
    }

    @Test
    void aScheduledFaultWithoutEvidenceFails() {
        var ref = outputs(List.of(I1), List.of(S1), List.of());
        List<String> scheduled = List.of("task manager killed", "broker killed", "task manager killed");
        FaultRunChecker.Result all = FaultRunChecker.compare(ref, ref);
        FaultRunChecker.requireFaults(
                all,
                scheduled,
                List.of(
                        new FaultRunChecker.Evidence("task manager killed", true, "pid 1 exit 137, 1 restart"),
                        new FaultRunChecker.Evidence("broker killed", true, "pid 2 exit 137"),
                        new FaultRunChecker.Evidence("task manager killed", true, "pid 3 exit 137, 1 restart")));
        assertThat(all.failed()).isFalse();

        FaultRunChecker.Result missing = FaultRunChecker.compare(ref, ref);
        FaultRunChecker.requireFaults(
                missing,
                scheduled,
                List.of(
                        new FaultRunChecker.Evidence("task manager killed", true, "pid 1 exit 137, 1 restart"),
                        new FaultRunChecker.Evidence("broker killed", false, "pid 2 still alive"),
                        new FaultRunChecker.Evidence("task manager killed", false, "no job restart seen")));
        assertThat(missing.failed()).isTrue();
        assertThat(missing.problems)
                .containsExactly(
                        "fault \"task manager killed\" scheduled 2 times, seen to happen 1 times (no job restart seen)",
                        "fault \"broker killed\" scheduled 1 times, seen to happen 0 times (pid 2 still alive)");

        FaultRunChecker.Result none = FaultRunChecker.compare(ref, ref);
        FaultRunChecker.requireFaults(none, List.of(), List.of());
        assertThat(none.problems).containsExactly("no fault was scheduled");
    }

    @Test
    void theOracleExpectsWhatTheReplayJobDecidedOnTheFixture() throws IOException {
        Oracle.Expected want = fixtureOracle();
        assertThat(want.count(Streams.INTERVENTIONS)).isEqualTo(11);
        assertThat(want.count(Streams.CAMPAIGN_SENDS)).isEqualTo(5);
        assertThat(want.count(Streams.SUPPRESSIONS)).isEqualTo(11);
        assertThat(Oracle.problems("replay", want, expected())).isEmpty();
    }

    @Test
    void theOracleFindsLostExtraAndDuplicatedIdsInFolders(@TempDir Path dir) throws IOException {
        Oracle.Expected want = fixtureOracle();
        Map<String, List<String>> good = expected();
        Path reference = folder(dir.resolve("reference"), good);

        FaultRunChecker.Result clean = FaultRunChecker.compare(reference, reference);
        FaultRunChecker.requireOracle(clean, want, good, good);
        assertThat(clean.problems).isEmpty();
        assertThat(clean.failed()).isFalse();

        // A send lost and an intervention nobody decided, in the fault run.
        Map<String, List<String>> bad = expected();
        String lostSend = bad.get(Streams.CAMPAIGN_SENDS).remove(0);
        bad.get(Streams.INTERVENTIONS).add(I2);
        Path run = folder(dir.resolve("run"), bad);
        FaultRunChecker.Result r = FaultRunChecker.compare(reference, run);
        FaultRunChecker.requireOracle(r, want, FaultRunChecker.read(reference), FaultRunChecker.read(run));
        assertThat(r.lost).isEqualTo(1);
        assertThat(r.unexpectedOther).isEqualTo(1);
        assertThat(r.problems)
                .hasSize(2)
                .anySatisfy(p -> assertThat(p)
                        .startsWith("fault run vs oracle: 1 campaign-sends ids the oracle expects are missing")
                        .contains(lostSend.substring(lostSend.indexOf(":\"") + 2, lostSend.indexOf("\","))))
                .anySatisfy(p -> assertThat(p).contains("1 interventions ids the oracle does not expect, e.g. [i2]"));

        // The same wrong outputs in both runs: the comparison of the two alone would pass, the oracle does not.
        FaultRunChecker.Result both = FaultRunChecker.compare(run, run);
        assertThat(both.lost + both.unexpectedOther).isZero();
        FaultRunChecker.requireOracle(both, want, bad, bad);
        assertThat(both.problems).hasSize(4);
        assertThat(both.failed()).isTrue();

        // A suppression committed twice: exactly-once broken, the oracle's ids all there.
        Map<String, List<String>> twice = expected();
        twice.get(Streams.SUPPRESSIONS).add(twice.get(Streams.SUPPRESSIONS).get(0));
        FaultRunChecker.Result dup = FaultRunChecker.compare(reference, folder(dir.resolve("twice"), twice));
        FaultRunChecker.requireOracle(dup, want, good, twice);
        assertThat(dup.duplicated).isEqualTo(1);
        assertThat(dup.problems).isEmpty();
        assertThat(dup.failed()).isTrue();
    }
}
