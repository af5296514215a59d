package dev.attune.config;

import static dev.attune.config.AttuneOptions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Managed Flink's property groups go through the same keys and validation as the profiles. */
class ApplicationPropertiesTest {
    static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/";

    static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    static Map<String, Properties> valid() {
        return Map.of(
                "AttuneJob", props("profile", "kinesis"),
                "AttuneKinesis",
                        props(
                                "kinesis.region",
                                "eu-west-1",
                                "kinesis.stream.user-events",
                                ARN + "user-events",
                                "kinesis.stream.engagement-events",
                                ARN + "engagement-events",
                                "kinesis.stream.campaign-requests",
                                ARN + "campaign-requests"),
                "AttuneAnalysis",
                        props(
                                "analysis.mode",
                                "bedrock",
                                "bedrock.region",
                                "eu-west-1",
                                "analysis.journal.path",
                                "s3://bucket/attune/journal"));
    }

    @Test
    void propertyGroupsBecomeTheSameKeys() {
        CommandLine cli = ApplicationProperties.fromGroups(valid());
        assertThat(cli.profile()).isEqualTo("kinesis");
        assertThat(cli.conf().get(SOURCE_KIND)).hasToString("kinesis");
        assertThat(cli.conf().get(KINESIS_REGION)).isEqualTo("eu-west-1");
        assertThat(cli.conf().get(ANALYSIS_MODE)).hasToString("bedrock");
        assertThat(cli.conf().get(ANALYSIS_JOURNAL)).isEqualTo("s3://bucket/attune/journal");
        // The service owns parallelism, checkpoints and the state backend: only keys set in a group count as given.
        assertThat(cli.given())
                .contains("kinesis.region", "analysis.mode")
                .doesNotContain("parallelism", "checkpoint.interval", "state.backend", "profile");
    }

    @Test
    void aBadPropertyNamesItsGroupAndKey() {
        Map<String, Properties> groups = new java.util.HashMap<>(valid());
        groups.put("AttunePolicy", props("fatigue.caps", "email:lots/1d"));
        assertThatThrownBy(() -> ApplicationProperties.fromGroups(groups))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("property group 'AttunePolicy', key 'fatigue.caps': ")
                .hasMessageContaining("email:lots/1d");
        groups.put("AttunePolicy", props("fatigue.capz", "all:1/1d"));
        assertThatThrownBy(() -> ApplicationProperties.fromGroups(groups))
                .hasMessageStartingWith("property group 'AttunePolicy', key 'fatigue.capz': unknown key")
                .hasMessageContaining("did you mean 'fatigue.caps'");
    }

    @Test
    void aKeySetTwiceOrMissingIsNamed() {
        Map<String, Properties> twice = new java.util.HashMap<>(valid());
        twice.put("Other", props("kinesis.region", "us-east-1"));
        assertThatThrownBy(() -> ApplicationProperties.fromGroups(twice))
                .hasMessageContaining("kinesis.region")
                .hasMessageContaining("also set in property group");
        Map<String, Properties> missing = Map.of("AttuneJob", props("profile", "kinesis"));
        assertThatThrownBy(() -> ApplicationProperties.fromGroups(missing)).hasMessageContaining("kinesis.region");
    }

    @Test
    void noPropertiesFileMeansNotOnManagedFlink() {
        assertThat(ApplicationProperties.read()).isEmpty();
    }
}
