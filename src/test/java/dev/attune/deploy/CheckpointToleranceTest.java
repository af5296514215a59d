package dev.attune.deploy;

import static dev.attune.config.AttuneOptions.CHECKPOINT_INTERVAL;
import static dev.attune.config.AttuneOptions.KAFKA_TX_TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.job.RuntimeSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;
import org.junit.jupiter.api.Test;

/**
 * Every shipped way to run Attune on Kafka tolerates a few failed checkpoints (a full or unreachable checkpoint
 * store fails checkpoints, not the job: Flink's default, 0, restarts the job at each one), and not so many that the
 * outputs' open Kafka transactions could outlive {@code kafka.transaction-timeout} (the broker would abort them and
 * their records would be lost).
 */
class CheckpointToleranceTest {
    static final String KEY = "execution.checkpointing.tolerable-failed-checkpoints";
    static final String INTERVAL = "execution.checkpointing.interval";

    record Setting(int tolerable, Duration interval) {}

    @Test
    void theKafkaProfileAndTheClusterConfigurationsRideOutFailedCheckpointsWellWithinTheTransactionTimeout() {
        CommandLine profile = CommandLine.parse(
                new String[] {"--profile", "jobs/kafka.properties", "--kafka.bootstrap-servers", "127.0.0.1:9092"});
        Duration transactionTimeout = profile.conf().get(KAFKA_TX_TIMEOUT);
        Map<String, Setting> settings = new LinkedHashMap<>();

        // Embedded (java -jar): the profile's flink.* key reaches Flink's configuration.
        Configuration embedded = RuntimeSettings.plan(profile.conf(), profile.given(), false, new Configuration(), null)
                .flink();
        settings.put(
                "jobs/kafka.properties",
                new Setting(
                        Integer.parseInt(embedded.toMap().getOrDefault(KEY, "0")),
                        profile.conf().get(CHECKPOINT_INTERVAL)));

        settings.put("docker-compose.yml", setting(DeployFiles.composeFlinkProperties()));
        settings.put("deploy/kubernetes/flinkdeployment.yaml", setting(DeployFiles.kubernetesFlinkConfiguration()));

        settings.forEach((where, s) -> {
            assertThat(s.tolerable()).as(where + ": " + KEY).isPositive();
            // The last tolerated failure, the next (which restarts the job) and the transaction's own checkpoint.
            Duration longestOpen = s.interval().multipliedBy(s.tolerable() + 2L);
            assertThat(longestOpen)
                    .as(where + ": a transaction may stay open " + longestOpen + " with " + s.tolerable()
                            + " tolerated failures")
                    .isLessThan(transactionTimeout.dividedBy(2));
        });
    }

    static Setting setting(Map<String, String> flink) {
        return new Setting(
                Integer.parseInt(flink.getOrDefault(KEY, "0")),
                TimeUtils.parseDuration(flink.getOrDefault(INTERVAL, "0 ms")));
    }
}
