package dev.attune.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What proves that a JobManager failover or a full checkpoint disk happened as scheduled, from what the fault run saw
 * (Flink's REST answers, the new JobManager's log, the checkpoints the monitor collected). Each check returns the
 * evidence as one line, or {@code null} when the fault did not happen as it should, with the reason in
 * {@link Verdict#detail()}.
 */
final class FaultEvidence {
    /** Whether the fault was seen, and what was seen or missing. */
    record Verdict(boolean observed, String detail) {}

    private FaultEvidence() {}

    /**
     * A JobManager failover through high availability: the new JobManager restored the job from a checkpoint (REST
     * {@code /jobs/<id>/checkpoints}, {@code latest.restored}), no older than the newest one completed before the
     * kill (a restore from scratch, or from an older checkpoint, is no proof), and its log says so.
     *
     * @param lastCompletedBeforeKill the highest checkpoint id seen completed before the kill (0 if none)
     * @param checkpoints the new JobManager's answer to {@code /jobs/<id>/checkpoints}
     * @param newJobManagerLog the new JobManager's log
     */
    static Verdict restoredThroughHa(
            String jobId, long lastCompletedBeforeKill, JsonNode checkpoints, String newJobManagerLog) {
        JsonNode restored =
                checkpoints == null ? null : checkpoints.path("latest").path("restored");
        if (restored == null || restored.isMissingNode() || restored.isNull() || !restored.has("id")) {
            return new Verdict(false, "the new JobManager reports no restored checkpoint for job " + jobId);
        }
        long id = restored.path("id").asLong();
        if (lastCompletedBeforeKill <= 0) {
            return new Verdict(false, "no checkpoint had completed before the kill, so a restore proves nothing");
        }
        if (id < lastCompletedBeforeKill) {
            return new Verdict(
                    false,
                    "restored checkpoint " + id + " is older than checkpoint " + lastCompletedBeforeKill
                            + ", completed before the kill");
        }
        if (restored.path("is_savepoint").asBoolean(false)) {
            return new Verdict(false, "restored from savepoint " + id + ", not from the latest checkpoint");
        }
        Matcher m = Pattern.compile("Restoring job " + Pattern.quote(jobId) + " from Checkpoint (\\d+) ")
                .matcher(newJobManagerLog == null ? "" : newJobManagerLog);
        Long logged = null;
        while (m.find()) {
            logged = Long.parseLong(m.group(1));
        }
        if (logged == null || logged != id) {
            return new Verdict(
                    false,
                    "REST reports checkpoint " + id + " restored, but the new JobManager's log "
                            + (logged == null
                                    ? "has no \"Restoring job " + jobId + " from Checkpoint\" line"
                                    : "says checkpoint " + logged));
        }
        return new Verdict(
                true,
                "new JobManager restored job " + jobId + " from checkpoint " + id + " (REST latest.restored, log"
                        + " \"Restoring job ... from Checkpoint " + id + "\"); newest completed before the kill: "
                        + lastCompletedBeforeKill);
    }

    /**
     * While a TaskManager is frozen: the ResourceManager has only TaskManagers registered since the freeze (the frozen
     * one's heartbeat timed out), and slots of theirs are taken (the restarted job's). Before that, a frozen
     * TaskManager resumed would register again and could be given the job's tasks, as happened once on a loaded
     * machine; then it is no zombie.
     *
     * @param taskManagers the answer to {@code /taskmanagers}
     * @param before the TaskManager ids registered before the freeze
     */
    static boolean onlyANewTaskManagerHoldsTheJob(JsonNode taskManagers, java.util.Set<String> before) {
        JsonNode list = taskManagers.path("taskmanagers");
        if (list.size() == 0) {
            return false;
        }
        int taken = 0;
        for (JsonNode t : list) {
            if (before.contains(t.path("id").asText())) {
                return false;
            }
            taken += t.path("slotsNumber").asInt() - t.path("freeSlots").asInt();
        }
        return taken > 0;
    }

    /**
     * The checkpoint disk full: at least {@code minFailed} checkpoints triggered while it was full failed, none
     * triggered then completed, and one triggered after the space came back completed.
     */
    static Verdict checkpointsFailedWhileFull(
            List<JobMonitor.Checkpoint> checkpoints, long filled, long freed, int minFailed) {
        long failed = checkpoints.stream()
                .filter(c -> "FAILED".equals(c.status()) && c.triggered() >= filled && c.triggered() <= freed)
                .count();
        List<Long> completedWhileFull = checkpoints.stream()
                .filter(c -> "COMPLETED".equals(c.status()) && c.triggered() >= filled && c.triggered() <= freed)
                .map(JobMonitor.Checkpoint::id)
                .toList();
        java.util.Optional<JobMonitor.Checkpoint> after = checkpoints.stream()
                .filter(c -> "COMPLETED".equals(c.status()) && c.triggered() > freed)
                .findFirst();
        if (failed < minFailed) {
            return new Verdict(false, failed + " checkpoints failed while the disk was full, fewer than " + minFailed);
        }
        if (!completedWhileFull.isEmpty()) {
            return new Verdict(
                    false, "checkpoints " + completedWhileFull + " completed while the disk was supposedly full");
        }
        if (after.isEmpty()) {
            return new Verdict(false, failed + " checkpoints failed while full, but none completed after");
        }
        return new Verdict(
                true,
                failed + " checkpoints failed while the disk was full (REST checkpoint history), checkpoint "
                        + after.get().id() + " completed after the space came back");
    }
}
