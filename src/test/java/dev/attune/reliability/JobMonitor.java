package dev.attune.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches the job through Flink's REST API once a second: its state, and every checkpoint (the API keeps only the
 * last few in its history, so they are collected as they come). Recovery times are read from what it saw.
 */
final class JobMonitor implements Runnable {
    /**
     * One look at the job: when, its state, whether every task was running, and when it last entered RESTARTING
     * (0 if never; from the job's own transition times, so a restart between two looks is not missed).
     */
    record Sample(long at, String state, boolean tasksRunning, long lastRestarting) {}

    /** One checkpoint: id, status, when it was triggered and when it completed or failed (epoch ms). */
    record Checkpoint(long id, String status, long triggered, long finished, long checkpointedBytes, long stateBytes) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String rest;
    private final String jobId;
    private final List<Sample> samples = new ArrayList<>();
    private final Map<Long, Checkpoint> checkpoints = new TreeMap<>();
    private volatile boolean stopped;

    JobMonitor(String rest, String jobId) {
        this.rest = rest;
        this.jobId = jobId;
    }

    JsonNode get(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(rest + path))
                        .timeout(Duration.ofSeconds(5))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return Json.MAPPER.readTree(r.body());
    }

    /** Flink's count of the job's restarts. */
    long restarts() throws Exception {
        for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
            return m.path("value").asLong();
        }
        return -1;
    }

    void cancel() throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "?mode=cancel"))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void run() {
        while (!stopped) {
            poll();
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void stop() {
        stopped = true;
    }

    synchronized void poll() {
        long now = System.currentTimeMillis();
        try {
            JsonNode job = get("/jobs/" + jobId);
            boolean tasksRunning = "RUNNING".equals(job.path("state").asText());
            for (var e : (Iterable<java.util.Map.Entry<String, JsonNode>>) job.path("status-counts")::fields) {
                tasksRunning &= "RUNNING".equals(e.getKey()) || e.getValue().asInt() == 0;
            }
            samples.add(new Sample(
                    now,
                    job.path("state").asText(),
                    tasksRunning,
                    job.path("timestamps").path("RESTARTING").asLong(0)));
            for (JsonNode c : get("/jobs/" + jobId + "/checkpoints").path("history")) {
                String status = c.path("status").asText();
                if ("IN_PROGRESS".equals(status)) {
                    continue;
                }
                long triggered = c.path("trigger_timestamp").asLong();
                long finished = "COMPLETED".equals(status)
                        ? c.path("latest_ack_timestamp").asLong()
                        : c.path("failure_timestamp").asLong(triggered);
                checkpoints.put(
                        c.path("id").asLong(),
                        new Checkpoint(
                                c.path("id").asLong(),
                                status,
                                triggered,
                                finished,
                                c.path("checkpointed_size").asLong(),
                                c.path("state_size").asLong()));
            }
        } catch (Exception e) {
            samples.add(new Sample(now, "UNREACHABLE", false, -1));
        }
    }

    synchronized String state() {
        return samples.isEmpty() ? "UNKNOWN" : samples.get(samples.size() - 1).state();
    }

    synchronized long completed() {
        return checkpoints.values().stream()
                .filter(c -> "COMPLETED".equals(c.status()))
                .count();
    }

    synchronized long failed() {
        return checkpoints.values().stream()
                .filter(c -> "FAILED".equals(c.status()))
                .count();
    }

    synchronized List<Checkpoint> checkpoints() {
        return List.copyOf(checkpoints.values());
    }

    /** When the first checkpoint triggered at or after {@code since} completed, or -1. */
    synchronized long firstCheckpointAfter(long since) {
        return checkpoints.values().stream()
                .filter(c -> "COMPLETED".equals(c.status()) && c.triggered() >= since)
                .mapToLong(Checkpoint::finished)
                .min()
                .orElse(-1);
    }

    /** How many restarts began between two times (each restart enters RESTARTING once). */
    synchronized long restartsBetween(long from, long to) {
        return samples.stream()
                .mapToLong(Sample::lastRestarting)
                .filter(t -> t >= from && t <= to)
                .distinct()
                .count();
    }

    /**
     * When every task was seen running again after the first look at or after {@code since} that found them not
     * running (a JobManager gone: its REST API unreachable, then the job recovered by the next one), or -1.
     */
    synchronized long runningAgainAfterOutage(long since) {
        long down = samples.stream()
                .filter(x -> x.at() >= since && !x.tasksRunning())
                .mapToLong(Sample::at)
                .findFirst()
                .orElse(-1);
        if (down < 0) {
            return -1;
        }
        return samples.stream()
                .filter(x -> x.at() > down && x.tasksRunning())
                .mapToLong(Sample::at)
                .findFirst()
                .orElse(-1);
    }

    /** The highest checkpoint id seen completed, or 0. */
    synchronized long lastCompletedId() {
        return checkpoints.values().stream()
                .filter(c -> "COMPLETED".equals(c.status()))
                .mapToLong(Checkpoint::id)
                .max()
                .orElse(0);
    }

    /** When every task was seen running after the first restart that began at or after {@code since}, or -1. */
    synchronized long tasksRunningAgainAfter(long since) {
        long restart = samples.stream()
                .mapToLong(Sample::lastRestarting)
                .filter(t -> t >= since)
                .min()
                .orElse(-1);
        if (restart < 0) {
            return -1;
        }
        return samples.stream()
                .filter(x -> x.at() > restart && x.tasksRunning())
                .mapToLong(Sample::at)
                .findFirst()
                .orElse(-1);
    }
}
