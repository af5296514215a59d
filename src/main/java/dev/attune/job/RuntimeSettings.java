package dev.attune.job;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices.SourceKind;
import dev.attune.config.Choices.StateBackend;
import dev.attune.config.Choices.WatermarkStrategy;
import dev.attune.config.FlinkKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.configuration.StateBackendOptions;

/**
 * Which runtime settings Attune hands to Flink. Embedded ({@code java -jar}, tests) the profile
 * runs everything: parallelism, state backend, checkpoints, restarts. On a cluster (the Flink
 * client of {@code flink run}, an application-mode JobManager, the Kubernetes Operator, Managed
 * Flink) the cluster's settings win, and only keys the user set explicitly (arguments, property
 * groups) override them; the profile's runtime keys do not. One exception: a cluster with no
 * checkpoint interval at all gets the profile's, since without checkpoints the transactional
 * outputs are never committed.
 *
 * @param flink the configuration to build the environment from
 * @param parallelism the parallelism to set, or {@code null} for the cluster's
 * @param notes what was decided and why, one line each, for the start-up log
 */
public record RuntimeSettings(Configuration flink, Integer parallelism, List<String> notes) {
    public static RuntimeSettings plan(
            Configuration attune,
            Set<String> given,
            boolean cluster,
            ReadableConfig clusterConf,
            String checkpointDir) {
        Configuration flink = new Configuration();
        List<String> notes = new ArrayList<>();
        boolean embedded = !cluster;
        // Flink's own keys, as they are or behind flink.: set last, so what the user wrote wins.
        Configuration own = new Configuration();
        for (Map.Entry<String, String> e : attune.toMap().entrySet()) {
            String key = e.getKey();
            boolean prefixed = key.startsWith(FLINK_PREFIX);
            boolean flinks = prefixed || (FlinkKeys.isFlinkKey(key) && !isAttuneKey(key));
            if (flinks && (embedded || given.contains(key))) {
                own.setString(prefixed ? key.substring(FLINK_PREFIX.length()) : key, e.getValue());
            }
        }
        Integer parallelism = embedded || given.contains(PARALLELISM.key()) ? attune.get(PARALLELISM) : null;
        if (embedded || given.contains(STATE_BACKEND.key())) {
            flink.set(
                    StateBackendOptions.STATE_BACKEND, attune.get(STATE_BACKEND).toString());
            // RocksDB checkpoints upload only new files: a full copy of a million customers' state
            // (~200 MB) every interval took most of the job's time in the benchmark. Flink's key overrides.
            flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, attune.get(STATE_BACKEND) == StateBackend.ROCKSDB);
        }
        if (embedded || given.contains(CHECKPOINT_INTERVAL.key())) {
            flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, attune.get(CHECKPOINT_INTERVAL));
        } else if (!clusterConf
                        .getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL)
                        .isPresent()
                && !own.getOptional(CheckpointingOptions.CHECKPOINTING_INTERVAL).isPresent()) {
            flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, attune.get(CHECKPOINT_INTERVAL));
            notes.add("the cluster sets no checkpoint interval: checkpoints every " + attune.get(CHECKPOINT_INTERVAL)
                    + " (checkpoint.interval), without which transactional outputs are never committed");
        }
        if (checkpointDir != null) {
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        } else if (cluster
                && !clusterConf
                        .getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY)
                        .isPresent()
                && !own.getOptional(CheckpointingOptions.CHECKPOINTS_DIRECTORY).isPresent()) {
            notes.add("no checkpoint folder (checkpoint.dir, or Flink's execution.checkpointing.dir): checkpoints are "
                    + "kept in the JobManager's memory and lost with it");
        }
        if (embedded) {
            // A bounded run fails fast on a real bug instead of restarting forever; a live job keeps
            // recovering (a broker or stream that goes away) with growing pauses. Flink's keys override.
            boolean live = attune.get(SOURCE_KIND) == SourceKind.KINESIS
                    || (attune.get(SOURCE_KIND) == SourceKind.KAFKA && !attune.get(SOURCE_BOUNDED));
            if (live) {
                flink.setString("restart-strategy.type", "exponential-delay");
                flink.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
                flink.setString("restart-strategy.exponential-delay.max-backoff", "1 min");
            } else {
                flink.setString("restart-strategy.type", "fixed-delay");
                flink.setString("restart-strategy.fixed-delay.attempts", "3");
                flink.setString("restart-strategy.fixed-delay.delay", "2 s");
            }
        }
        // A replay decided at the end of its input (files or the seeded generator, end-of-input
        // watermarks) is a batch job: Flink sorts each customer's records by key and time instead of
        // keeping them in state and checkpointing them, and the decisions are the same (each customer's
        // history is decided in event-time order either way). flink.execution.runtime-mode overrides.
        boolean batch = List.of(SourceKind.FILES, SourceKind.GENERATOR).contains(attune.get(SOURCE_KIND))
                && attune.get(WATERMARK_STRATEGY) == WatermarkStrategy.END_OF_INPUT;
        if (batch) {
            flink.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
            // Every operator at the configured parallelism, as in a live run: the model's budget per
            // minute is shared out per subtask, and Flink's batch scheduler would otherwise size
            // operators by the data they read.
            flink.setString("execution.batch.adaptive.auto-parallelism.enabled", "false");
        }
        flink.addAll(own);
        if (cluster) {
            notes.add(parallelism == null ? "parallelism: the cluster's" : "parallelism: " + parallelism + " (given)");
        }
        return new RuntimeSettings(flink, parallelism, List.copyOf(notes));
    }

    private static boolean isAttuneKey(String key) {
        return all().stream().anyMatch(o -> o.key().equals(key));
    }
}
