package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.ApplicationProperties;
import dev.attune.config.AttuneOptions;
import dev.attune.config.CommandLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.CheckpointingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed Flink hands the application its property groups in a JSON file
 * ({@value ApplicationProperties#RUNTIME_FILE}), read by the service's runtime library; the
 * service's own parallelism and checkpointing win unless a group sets Attune's key.
 */
class ManagedFlinkPropertiesTest {
    static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/";

    @TempDir
    Path dir;

    Path runtimeFile(String extraGroup) throws Exception {
        Path f = dir.resolve("application_properties.json");
        Files.writeString(
                f,
                "[{\"PropertyGroupId\":\"AttuneJob\",\"PropertyMap\":{\"profile\":\"kinesis\"}},"
                        + "{\"PropertyGroupId\":\"AttuneKinesis\",\"PropertyMap\":{\"kinesis.region\":\"eu-west-1\","
                        + "\"kinesis.stream.user-events\":\"" + ARN + "user-events\","
                        + "\"kinesis.stream.engagement-events\":\"" + ARN + "engagement-events\","
                        + "\"kinesis.stream.campaign-requests\":\"" + ARN + "campaign-requests\"}}" + extraGroup + "]");
        return f;
    }

    @Test
    void theServicesSettingsWin() throws Exception {
        Map<String, Properties> groups =
                ApplicationProperties.read(runtimeFile("").toString());
        assertThat(groups).containsOnlyKeys("AttuneJob", "AttuneKinesis");
        CommandLine cli = ApplicationProperties.fromGroups(groups);
        assertThat(cli.conf().get(AttuneOptions.SOURCE_KIND)).hasToString("kinesis");
        RuntimeSettings s =
                RuntimeSettings.plan(cli.conf(), cli.given(), true, RuntimeSettingsTest.clusterWithCheckpoints(), null);
        assertThat(s.parallelism()).isNull();
        assertThat(s.flink().toMap()).isEmpty();
        assertThat(s.notes()).containsExactly("parallelism: the cluster's");
    }

    @Test
    void aGroupThatSetsAttunesKeyOverridesTheService() throws Exception {
        CommandLine cli = ApplicationProperties.fromGroups(ApplicationProperties.read(
                runtimeFile(",{\"PropertyGroupId\":\"AttuneRuntime\",\"PropertyMap\":{\"parallelism\":\"4\","
                                + "\"checkpoint.interval\":\"20 s\"}}")
                        .toString()));
        RuntimeSettings s =
                RuntimeSettings.plan(cli.conf(), cli.given(), true, RuntimeSettingsTest.clusterWithCheckpoints(), null);
        assertThat(s.parallelism()).isEqualTo(4);
        assertThat(s.flink().get(CheckpointingOptions.CHECKPOINTING_INTERVAL))
                .isEqualTo(java.time.Duration.ofSeconds(20));
    }

    @Test
    void noRuntimeFileMeansNoGroups() {
        assertThat(ApplicationProperties.read(dir.resolve("absent.json").toString()))
                .isEmpty();
    }
}
