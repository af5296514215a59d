package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.job.RuntimeSettings;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * The cluster configurations keep Flink's timers where the live profiles do (on the heap), so a job
 * started by docker compose or the Kubernetes Operator runs with the settings its throughput was
 * measured with: on a cluster the cluster's setting decides, not the profile's.
 */
class TimerServiceTest {
    static final String KEY = "state.backend.rocksdb.timer-service.factory";

    @Test
    void theClusterConfigurationsKeepTimersWhereTheLiveProfilesDo() {
        String arn = "arn:aws:kinesis:eu-west-1:123456789012:stream/";
        for (String[] args : new String[][] {
            {"--profile", "jobs/kafka.properties", "--kafka.bootstrap-servers", "127.0.0.1:9092"},
            {
                "--profile", "jobs/kinesis.properties",
                "--kinesis.region", "eu-west-1",
                "--kinesis.stream.user-events", arn + "user-events",
                "--kinesis.stream.engagement-events", arn + "engagement-events",
                "--kinesis.stream.campaign-requests", arn + "campaign-requests"
            }
        }) {
            CommandLine live = CommandLine.parse(args);
            Configuration embedded = RuntimeSettings.plan(live.conf(), live.given(), false, new Configuration(), null)
                    .flink();
            assertThat(embedded.toMap()).as(args[1]).containsEntry(KEY, "HEAP");
        }
        for (Map.Entry<String, Map<String, String>> cluster : Map.of(
                        "docker-compose.yml", DeployFiles.composeFlinkProperties(),
                        "deploy/kubernetes/flinkdeployment.yaml", DeployFiles.kubernetesFlinkConfiguration())
                .entrySet()) {
            assertThat(cluster.getValue()).as(cluster.getKey()).containsEntry(KEY, "HEAP");
        }
    }
}
