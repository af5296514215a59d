package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import java.time.Duration;
import java.util.Set;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.junit.jupiter.api.Test;

/** Embedded the profile runs Flink; on a cluster the cluster's settings win unless the user set a key. */
class RuntimeSettingsTest {
    /** The kafka profile with a broker address (required, and so always a given key). */
    static CommandLine cli(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--kafka.bootstrap-servers";
        all[args.length + 1] = "kafka:9092";
        return CommandLine.parse(all);
    }

    static Configuration clusterWithCheckpoints() {
        Configuration c = new Configuration();
        c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(60));
        c.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, "s3://bucket/checkpoints");
        return c;
    }

    @Test
    void embeddedTheProfileSetsEverything() {
        CommandLine cli = cli("--profile", "kafka");
        RuntimeSettings s = RuntimeSettings.plan(cli.conf(), cli.given(), false, new Configuration(), "file:///tmp/ck");
        assertThat(s.parallelism()).isEqualTo(2);
        assertThat(s.flink().get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///tmp/ck");
        assertThat(s.flink().getString("restart-strategy.type", null)).isEqualTo("exponential-delay");
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void onAClusterTheProfilesRuntimeKeysGiveWay() {
        CommandLine cli = cli("--profile", "kafka");
        RuntimeSettings s = RuntimeSettings.plan(cli.conf(), cli.given(), true, clusterWithCheckpoints(), null);
        assertThat(s.parallelism()).isNull();
        assertThat(s.flink().containsKey(StateBackendOptions.STATE_BACKEND.key()))
                .isFalse();
        assertThat(s.flink().containsKey(CheckpointingOptions.CHECKPOINTING_INTERVAL.key()))
                .isFalse();
        assertThat(s.flink().containsKey(CheckpointingOptions.CHECKPOINTS_DIRECTORY.key()))
                .isFalse();
        assertThat(s.flink().containsKey("restart-strategy.type")).isFalse();
        assertThat(s.notes()).containsExactly("parallelism: the cluster's");
    }

    @Test
    void onAClusterKeysTheUserGaveStillWin() {
        CommandLine cli = cli(
                "--profile",
                "kafka",
                "--parallelism",
                "3",
                "--state.backend",
                "hashmap",
                "--checkpoint.interval",
                "30 s",
                "--checkpoint.dir",
                "file:///data/ck");
        RuntimeSettings s = RuntimeSettings.plan(
                cli.conf(),
                cli.given(),
                true,
                clusterWithCheckpoints(),
                cli.conf().get(dev.attune.config.AttuneOptions.CHECKPOINT_DIR));
        assertThat(s.parallelism()).isEqualTo(3);
        assertThat(s.flink().get(StateBackendOptions.STATE_BACKEND)).isEqualTo("hashmap");
        assertThat(s.flink().get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).isEqualTo("file:///data/ck");
    }

    @Test
    void flinksOwnKeysPassAsTheyAreWhenGiven() {
        CommandLine cli = cli(
                "--profile",
                "kafka",
                "--state.backend.type",
                "hashmap",
                "--execution.checkpointing.interval",
                "45 s",
                "--flink.pipeline.max-parallelism",
                "256");
        RuntimeSettings onCluster = RuntimeSettings.plan(cli.conf(), cli.given(), true, new Configuration(), null);
        assertThat(onCluster.flink().getString("state.backend.type", null)).isEqualTo("hashmap");
        assertThat(onCluster.flink().get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(Duration.ofSeconds(45));
        assertThat(onCluster.flink().getString("pipeline.max-parallelism", null))
                .isEqualTo("256");
        assertThat(onCluster.notes()).noneMatch(n -> n.contains("checkpoint interval"));
    }

    @Test
    void aClusterWithoutCheckpointsGetsTheProfilesIntervalAndSaysSo() {
        CommandLine cli = cli("--profile", "kafka");
        RuntimeSettings s = RuntimeSettings.plan(cli.conf(), cli.given(), true, new Configuration(), null);
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.notes())
                .anyMatch(n -> n.contains("checkpoints every PT10S (checkpoint.interval)"))
                .anyMatch(n -> n.contains("JobManager's memory"));
    }

    @Test
    void givenKeysAreTheArgumentsNotTheProfile() {
        assertThat(cli("--profile", "kafka", "--parallelism", "4").given())
                .containsExactlyInAnyOrder("parallelism", "kafka.bootstrap-servers");
        assertThat(cli("--profile", "kafka").given()).isEqualTo(Set.of("kafka.bootstrap-servers"));
    }

    @Test
    void aReplayDecidedAtTheEndOfItsInputRunsAsABatchJobAtTheGivenParallelism() {
        CommandLine replay = CommandLine.parse(
                new String[] {"--profile", "replay", "--input.path", "src/test/resources/replay/input"});
        RuntimeSettings s = RuntimeSettings.plan(replay.conf(), replay.given(), false, new Configuration(), null);
        assertThat(s.flink().get(ExecutionOptions.RUNTIME_MODE)).isEqualTo(RuntimeExecutionMode.BATCH);
        assertThat(s.flink().toMap()).containsEntry("execution.batch.adaptive.auto-parallelism.enabled", "false");

        CommandLine streaming = CommandLine.parse(new String[] {
            "--profile",
            "replay",
            "--input.path",
            "src/test/resources/replay/input",
            "--flink.execution.runtime-mode",
            "STREAMING"
        });
        assertThat(RuntimeSettings.plan(streaming.conf(), streaming.given(), false, new Configuration(), null)
                        .flink()
                        .get(ExecutionOptions.RUNTIME_MODE))
                .isEqualTo(RuntimeExecutionMode.STREAMING);
    }

    @Test
    void liveSourcesAndWatermarkedRunsStream() {
        for (CommandLine c : new CommandLine[] {
            cli("--profile", "kafka"),
            cli("--profile", "kafka", "--source.bounded", "true", "--watermark.strategy", "end-of-input"),
            CommandLine.parse(new String[0])
        }) {
            RuntimeSettings s = RuntimeSettings.plan(c.conf(), c.given(), false, new Configuration(), null);
            assertThat(s.flink().getOptional(ExecutionOptions.RUNTIME_MODE))
                    .as(c.conf().toString())
                    .isEmpty();
        }
    }
}
