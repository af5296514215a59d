package dev.attune.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decision targets on the TUNE half of the labelled evaluation (246 journeys, about a thousand records; the
 * held-out half is never run in the default suite: `bench/eval heldout` or `bench/run --only eval` score it). A sample
 * would leave three cancellations per language, where one miss moves the accuracy by a third. Recall >= 0.95 per at-risk kind, false alarms <= 2 % of calm
 * customers, churn category >= 0.9 in English and >= 0.8 in German, French and Spanish, help within 5 s of event
 * time of the first strong sign, and no message to a refused channel. All failures are reported together.
 */
class EvaluationITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    @SuppressWarnings("unchecked")
    void tuneHalfMeetsTheDecisionTargets(@TempDir Path work) throws Exception {
        Map<String, Object> f = Evaluation.run("tune", 1, work, System.out).figures();
        assertThat((Integer) f.get("journeys")).isGreaterThan(40);
        SoftAssertions soft = new SoftAssertions();
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) f.get("perKind");
        int atRiskKinds = 0;
        for (var e : kinds.entrySet()) {
            Object recall = e.getValue().get("recall");
            if (recall != null) {
                atRiskKinds++;
                soft.assertThat((Double) recall).as("recall of %s", e.getKey()).isGreaterThanOrEqualTo(0.95);
                soft.assertThat((Integer) e.getValue().get("falseAlarms"))
                        .as("wrong interventions for %s", e.getKey())
                        .isZero();
            }
        }
        assertThat(atRiskKinds).as("at-risk kinds in the sample").isGreaterThanOrEqualTo(8);
        soft.assertThat((Double) f.get("falseAlarmRate"))
                .as("false-alarm rate on calm customers")
                .isLessThanOrEqualTo(0.02);
        Map<String, Map<String, Object>> churn = (Map<String, Map<String, Object>>) f.get("churnCategory");
        assertThat(churn).containsKeys("en", "de", "fr", "es");
        for (var e : churn.entrySet()) {
            soft.assertThat((Double) e.getValue().get("accuracy"))
                    .as("churn category accuracy, %s", e.getKey())
                    .isGreaterThanOrEqualTo(e.getKey().equals("en") ? 0.9 : 0.8);
        }
        Map<String, Object> delay = (Map<String, Object>) f.get("delay");
        soft.assertThat((Integer) delay.get("late"))
                .as("helps later than 5 s after the first strong sign")
                .isZero();
        soft.assertThat((Integer) f.get("invariantViolations"))
                .as("messages to refused channels")
                .isZero();
        soft.assertThat((Integer) f.get("deadLetters"))
                .as("dead letters from the set")
                .isZero();
        soft.assertThat(f.get("details")).as("the journeys behind the figures").isNotNull();
        if (!soft.errorsCollected().isEmpty()) {
            System.out.println("evaluation details: " + f.get("details"));
        }
        soft.assertAll();
    }
}
