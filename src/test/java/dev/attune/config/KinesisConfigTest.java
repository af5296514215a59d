package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.attune.io.Kinesis;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigUtil;
import org.junit.jupiter.api.Test;

/** The kinesis.* keys with the shipped profile jobs/kinesis.properties, as the command line reads them. */
class KinesisConfigTest {
    static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/";

    /** The profile plus a region and input stream ARNs, then the given overrides (key, value; null drops the key). */
    static String[] args(String... overrides) {
        List<String> a = new ArrayList<>(List.of("--profile", "jobs/kinesis.properties"));
        List<String> base = List.of(
                "kinesis.region",
                "eu-west-1",
                "kinesis.stream.user-events",
                ARN + "user-events",
                "kinesis.stream.engagement-events",
                ARN + "engagement-events",
                "kinesis.stream.campaign-requests",
                ARN + "campaign-requests");
        for (int i = 0; i < base.size(); i += 2) {
            if (!Arrays.asList(overrides).contains(base.get(i))) {
                a.addAll(List.of("--" + base.get(i), base.get(i + 1)));
            }
        }
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] != null) {
                a.addAll(List.of("--" + overrides[i], overrides[i + 1]));
            }
        }
        return a.toArray(String[]::new);
    }

    static ConfigException rejects(String key, String... overrides) {
        Throwable t = catchThrowable(() -> CommandLine.parse(args(overrides)));
        assertThat(t).as("validation of %s", Arrays.asList(args(overrides))).isInstanceOf(ConfigException.class);
        ConfigException e = (ConfigException) t;
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ").doesNotContain("\n");
        return e;
    }

    @Test
    void theProfileWithARegionAndInputArnsValidates() {
        Configuration c = CommandLine.parse(args()).conf();
        assertThat(c.get(AttuneOptions.SOURCE_KIND)).hasToString("kinesis");
        assertThat(c.get(AttuneOptions.SINK_KIND)).hasToString("kinesis");
        // Output streams may be names: the sink takes a name or an ARN.
        assertThat(c.get(AttuneOptions.KINESIS_STREAM_INTERVENTIONS)).isEqualTo("interventions");
    }

    @Test
    void missingRegionNamesTheRegionKey() {
        ConfigException e = rejects("kinesis.region", "kinesis.region", null);
        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void aSourceStreamGivenAsANameNamesItsKey() {
        ConfigException e = rejects("kinesis.stream.user-events", "kinesis.stream.user-events", "user-events");
        assertThat(e.getMessage()).contains("'user-events'").contains("ARN");
    }

    @Test
    void atTimestampWithoutATimestampNamesTheTimestampKey() {
        ConfigException e = rejects("kinesis.initial-timestamp", "kinesis.initial-position", "AT_TIMESTAMP");
        assertThat(e.getMessage()).contains("AT_TIMESTAMP");
        rejects(
                "kinesis.initial-timestamp",
                "kinesis.initial-position",
                "AT_TIMESTAMP",
                "kinesis.initial-timestamp",
                "yesterday");
    }

    @Test
    void endOfInputWatermarksWithAKinesisSourceNameTheWatermarkKey() {
        ConfigException e = rejects("watermark.strategy", "watermark.strategy", "end-of-input");
        assertThat(e.getMessage()).contains("kinesis");
    }

    @Test
    void theConnectorReadsTheInitialTimestampExactly() {
        for (String ts : List.of("2026-11-01T00:00:00Z", "2026-11-01T00:00:00.250Z", "2026-11-01T05:30:00+05:30")) {
            Configuration c = CommandLine.parse(
                            args("kinesis.initial-position", "AT_TIMESTAMP", "kinesis.initial-timestamp", ts))
                    .conf();
            assertThat(KinesisStreamsSourceConfigUtil.parseStreamTimestampStartingPosition(Kinesis.sourceConfig(c))
                            .toInstant())
                    .as(ts)
                    .isEqualTo(Instant.parse(ts));
        }
    }

    @Test
    void clientKeysReachTheConnector() {
        Configuration c = CommandLine.parse(args(
                        "kinesis.endpoint",
                        "http://127.0.0.1:4568",
                        "kinesis.client.aws.credentials.provider",
                        "BASIC"))
                .conf();
        Properties p = Kinesis.clientProperties(c);
        assertThat(p.getProperty("aws.region")).isEqualTo("eu-west-1");
        assertThat(p.getProperty("aws.endpoint")).isEqualTo("http://127.0.0.1:4568");
        assertThat(p.getProperty("aws.credentials.provider")).isEqualTo("BASIC");
    }
}
