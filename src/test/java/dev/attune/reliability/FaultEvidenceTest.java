package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence of a JobManager failover and of a full checkpoint disk: seen only when it really happened. */
class FaultEvidenceTest {
    static final String JOB = "0123456789abcdef0123456789abcdef";

    static JsonNode restored(String restored) throws Exception {
        return Json.MAPPER.readTree("{\"counts\":{},\"latest\":{\"completed\":null,\"restored\":" + restored + "}}");
    }

    static String log(long id) {
        return "10:01:02.345 INFO  CheckpointCoordinator - Restoring job " + JOB + " from Checkpoint " + id
                + " @ 1764842400000 for " + JOB + " located at file:/out/checkpoints/" + JOB + "/chk-" + id + ".\n";
    }

    @Test
    void aRestoreFromTheLatestCheckpointInRestAndLogIsAFailover() throws Exception {
        var v = FaultEvidence.restoredThroughHa(
                JOB, 12, restored("{\"id\":12,\"restore_timestamp\":1,\"is_savepoint\":false}"), log(12));
        assertThat(v.observed()).isTrue();
        assertThat(v.detail()).contains("checkpoint 12");
        // A checkpoint completed between the monitor's last look and the kill: newer is fine.
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, restored("{\"id\":13,\"is_savepoint\":false}"), log(13))
                        .observed())
                .isTrue();
    }

    @Test
    void noRestoreAnOlderCheckpointASavepointOrNoLogLineIsNoFailover() throws Exception {
        // From scratch: the new JobManager restored nothing (no HA: it would not know the job at all).
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, restored("null"), "")
                        .observed())
                .isFalse();
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, null, log(12)).observed())
                .isFalse();
        // From an older checkpoint than the newest completed before the kill.
        var older = FaultEvidence.restoredThroughHa(JOB, 12, restored("{\"id\":11,\"is_savepoint\":false}"), log(11));
        assertThat(older.observed()).isFalse();
        assertThat(older.detail()).contains("older");
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, restored("{\"id\":12,\"is_savepoint\":true}"), log(12))
                        .observed())
                .isFalse();
        // REST and log disagree, or the log lacks the line.
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, restored("{\"id\":12,\"is_savepoint\":false}"), log(9))
                        .observed())
                .isFalse();
        assertThat(FaultEvidence.restoredThroughHa(JOB, 12, restored("{\"id\":12,\"is_savepoint\":false}"), "")
                        .observed())
                .isFalse();
        // Nothing had completed before the kill: proves nothing.
        assertThat(FaultEvidence.restoredThroughHa(JOB, 0, restored("{\"id\":0,\"is_savepoint\":false}"), log(0))
                        .observed())
                .isFalse();
    }

    @Test
    void aFrozenTaskManagerIsReplacedOnlyWhenNoOldOneIsRegisteredAndTheNewOnesSlotsAreTaken() throws Exception {
        java.util.Set<String> before = java.util.Set.of("127.0.0.1:41799-e33de8");
        JsonNode replaced = Json.MAPPER.readTree(
                "{\"taskmanagers\":[{\"id\":\"127.0.0.1:40001-aaaaaa\",\"slotsNumber\":2,\"freeSlots\":0}]}");
        assertThat(FaultEvidence.onlyANewTaskManagerHoldsTheJob(replaced, before))
                .isTrue();
        // A job of parallelism 1 in one shared slot.
        assertThat(FaultEvidence.onlyANewTaskManagerHoldsTheJob(
                        Json.MAPPER.readTree("{\"taskmanagers\":[{\"id\":\"127.0.0.1:40001-aaaaaa\","
                                + "\"slotsNumber\":2,\"freeSlots\":1}]}"),
                        before))
                .isTrue();
        // The frozen one not yet timed out; the new one not yet given the job; nobody registered.
        JsonNode both = Json.MAPPER.readTree("{\"taskmanagers\":[{\"id\":\"127.0.0.1:41799-e33de8\",\"slotsNumber\":2,"
                + "\"freeSlots\":0},{\"id\":\"127.0.0.1:40001-aaaaaa\",\"slotsNumber\":2,\"freeSlots\":0}]}");
        assertThat(FaultEvidence.onlyANewTaskManagerHoldsTheJob(both, before)).isFalse();
        JsonNode idle = Json.MAPPER.readTree(
                "{\"taskmanagers\":[{\"id\":\"127.0.0.1:40001-aaaaaa\",\"slotsNumber\":2,\"freeSlots\":2}]}");
        assertThat(FaultEvidence.onlyANewTaskManagerHoldsTheJob(idle, before)).isFalse();
        assertThat(FaultEvidence.onlyANewTaskManagerHoldsTheJob(Json.MAPPER.readTree("{\"taskmanagers\":[]}"), before))
                .isFalse();
    }

    static JobMonitor.Checkpoint cp(long id, String status, long triggered) {
        return new JobMonitor.Checkpoint(id, status, triggered, triggered + 500, 0, 0);
    }

    @Test
    void failedCheckpointsWhileFullAndACompletedOneAfterAreEvidence() {
        List<JobMonitor.Checkpoint> cps = List.of(
                cp(1, "COMPLETED", 500),
                cp(2, "FAILED", 1_500),
                cp(3, "FAILED", 2_500),
                cp(4, "FAILED", 3_500),
                cp(5, "COMPLETED", 4_500));
        var v = FaultEvidence.checkpointsFailedWhileFull(cps, 1_000, 4_000, 2);
        assertThat(v.observed()).isTrue();
        assertThat(v.detail()).startsWith("3 checkpoints failed").contains("checkpoint 5 completed");
    }

    @Test
    void tooFewFailuresACompletionWhileFullOrNoneAfterIsNoEvidence() {
        assertThat(FaultEvidence.checkpointsFailedWhileFull(
                                List.of(cp(2, "FAILED", 1_500), cp(3, "COMPLETED", 4_500)), 1_000, 4_000, 2)
                        .observed())
                .isFalse();
        var completedWhileFull = FaultEvidence.checkpointsFailedWhileFull(
                List.of(
                        cp(2, "FAILED", 1_500),
                        cp(3, "COMPLETED", 2_500),
                        cp(4, "FAILED", 3_500),
                        cp(5, "COMPLETED", 4_500)),
                1_000,
                4_000,
                2);
        assertThat(completedWhileFull.observed()).isFalse();
        assertThat(completedWhileFull.detail()).contains("[3]");
        assertThat(FaultEvidence.checkpointsFailedWhileFull(
                                List.of(cp(2, "FAILED", 1_500), cp(3, "FAILED", 2_500), cp(4, "FAILED", 4_500)),
                                1_000,
                                4_000,
                                2)
                        .observed())
                .isFalse();
        assertThat(FaultEvidence.checkpointsFailedWhileFull(List.of(), 1_000, 4_000, 2)
                        .observed())
                .isFalse();
    }
}
