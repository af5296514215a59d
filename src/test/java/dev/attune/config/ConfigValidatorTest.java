package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigValidatorTest {
    @TempDir
    Path tmp;

    private static Map<String, String> conf(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static ConfigException rejects(String key, String... kv) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> ConfigValidator.validate(conf(kv)));
        assertThat(t).as("validation of %s", conf(kv)).isInstanceOf(ConfigException.class);
        ConfigException e = (ConfigException) t;
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.getMessage()).startsWith(key + ": ").doesNotContain("\n");
        return e;
    }

    @Test
    void defaultsValidate() {
        Configuration c = ConfigValidator.validate(Map.of());
        assertThat(c.get(AttuneOptions.PARALLELISM)).isEqualTo(2);
        assertThat(c.get(AttuneOptions.SOURCE_KIND)).hasToString("generator");
        assertThat(c.get(AttuneOptions.WATERMARK_OUT_OF_ORDERNESS)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void shippedProfilesValidate() {
        assertThat(ConfigValidator.validate(CommandLine.loadProfile("local")).get(AttuneOptions.SOURCE_KIND))
                .hasToString("generator");
    }

    @Test
    void valuesAreParsed() {
        Configuration c = ConfigValidator.validate(conf(
                "parallelism",
                "8",
                "watermark.out-of-orderness",
                "2 s",
                "state.backend",
                "hashmap",
                "generator.malformed-ratio",
                "0"));
        assertThat(c.get(AttuneOptions.PARALLELISM)).isEqualTo(8);
        assertThat(c.get(AttuneOptions.WATERMARK_OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.get(AttuneOptions.STATE_BACKEND)).hasToString("hashmap");
    }

    @Test
    void choiceKeysAreTypedAndNameTheirValues() {
        Configuration c = ConfigValidator.validate(conf(
                "kafka.delivery",
                "AT-LEAST-ONCE",
                "consent.mode",
                "opt-out",
                "kinesis.initial-position",
                "trim_horizon"));
        assertThat(c.get(AttuneOptions.KAFKA_DELIVERY)).isEqualTo(Choices.Delivery.AT_LEAST_ONCE);
        assertThat(c.get(AttuneOptions.CONSENT_MODE)).isEqualTo(Choices.ConsentMode.OPT_OUT);
        assertThat(c.get(AttuneOptions.KINESIS_INITIAL_POSITION)).isEqualTo(Choices.InitialPosition.TRIM_HORIZON);
        assertThatThrownBy(() -> ConfigValidator.validate(conf("sink.kind", "s3")))
                .hasMessage("sink.kind: 's3' is not one of files, kafka, kinesis, stdout, discard");
        assertThatThrownBy(() -> ConfigValidator.validate(conf("kafka.delivery", "exactly_once")))
                .hasMessageStartingWith("kafka.delivery: 'exactly_once' is not one of exactly-once, at-least-once");
    }

    @Test
    void unknownKeySuggestsTheNearKey() {
        ConfigException e = rejects("paralelism", "paralelism", "4");
        assertThat(e.getMessage()).contains("unknown key").contains("did you mean 'parallelism'");
    }

    @Test
    void unknownKeyWithoutNearKeyHasNoSuggestion() {
        ConfigException e = rejects("totally.unrelated.thing", "totally.unrelated.thing", "1");
        assertThat(e.getMessage()).contains("unknown key").doesNotContain("did you mean");
    }

    @Test
    void nearMissOfAKafkaKeySuggestsIt() {
        ConfigException e = rejects("kafka.bootstrap.servers", "kafka.bootstrap.servers", "localhost:9092");
        assertThat(e.getMessage()).contains("did you mean 'kafka.bootstrap-servers'");
    }

    @Test
    void nonIntegerParallelism() {
        ConfigException e = rejects("parallelism", "parallelism", "abc");
        assertThat(e.getMessage()).contains("'abc'").contains("integer");
    }

    @Test
    void zeroParallelism() {
        ConfigException e = rejects("parallelism", "parallelism", "0");
        assertThat(e.getMessage()).contains("at least 1");
    }

    @Test
    void emptyValue() {
        rejects("parallelism", "parallelism", " ");
    }

    @Test
    void unknownSourceKindListsAllowedValues() {
        ConfigException e = rejects("source.kind", "source.kind", "pulsar");
        assertThat(e.getMessage())
                .contains("'pulsar'")
                .contains("generator")
                .contains("files")
                .contains("kafka")
                .contains("kinesis");
    }

    @Test
    void kafkaWithoutBootstrapServersNamesTheKey() {
        ConfigException e = rejects("kafka.bootstrap-servers", "source.kind", "kafka");
        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void endOfInputNeedsABoundedSource() {
        rejects(
                "watermark.strategy",
                "source.kind",
                "kafka",
                "kafka.bootstrap-servers",
                "127.0.0.1:9",
                "watermark.strategy",
                "end-of-input");
    }

    @Test
    void badFatigueCapQuotesThePart() {
        ConfigException e = rejects("fatigue.caps", "fatigue.caps", "all:2/1d,email:x/1d");
        assertThat(e.getMessage()).contains("email:x/1d");
    }

    @Test
    void badDurationSaysDuration() {
        ConfigException e = rejects("watermark.out-of-orderness", "watermark.out-of-orderness", "abc");
        assertThat(e.getMessage()).contains("duration");
    }

    @Test
    void negativeOutOfOrderness() {
        rejects("watermark.out-of-orderness", "watermark.out-of-orderness", "-1 s");
    }

    @Test
    void ratioOutOfRange() {
        ConfigException e = rejects("generator.duplicate-ratio", "generator.duplicate-ratio", "1.5");
        assertThat(e.getMessage()).contains("between 0 and 1");
    }

    @Test
    void badGeneratorStart() {
        rejects("generator.start", "generator.start", "tomorrow");
    }

    @Test
    void filesSourceNeedsInputPath() {
        ConfigException e = rejects("input.path", "source.kind", "files");
        assertThat(e.getMessage()).contains("required");
    }

    @Test
    void inputPathThatIsAFile() throws Exception {
        Path file = Files.writeString(tmp.resolve("events.jsonl"), "{}\n");
        ConfigException e = rejects("input.path", "source.kind", "files", "input.path", file.toString());
        assertThat(e.getMessage()).contains("not a folder");
    }

    @Test
    void inputPathThatDoesNotExist() {
        ConfigException e = rejects(
                "input.path",
                "source.kind",
                "files",
                "input.path",
                tmp.resolve("missing").toString());
        assertThat(e.getMessage()).contains("not a folder");
    }

    @Test
    void inputPathWithoutStreamFolders() {
        ConfigException e = rejects("input.path", "source.kind", "files", "input.path", tmp.toString());
        assertThat(e.getMessage()).contains("user-events");
    }

    @Test
    void inputPathWithAStreamFolder() throws Exception {
        Files.createDirectories(tmp.resolve("campaign-requests"));
        Configuration c = ConfigValidator.validate(conf("source.kind", "files", "input.path", tmp.toString()));
        assertThat(c.get(AttuneOptions.INPUT_PATH)).isEqualTo(tmp.toString());
    }

    @Test
    void flinkKeysPassThrough() {
        Configuration c = ConfigValidator.validate(
                conf("flink.taskmanager.numberOfTaskSlots", "4", "flink.pipeline.auto-watermark-interval", "whatever"));
        assertThat(c.toMap())
                .containsEntry("flink.taskmanager.numberOfTaskSlots", "4")
                .containsEntry("flink.pipeline.auto-watermark-interval", "whatever");
    }

    @Test
    void bareFlinkPrefixIsRejected() {
        rejects("flink.", "flink.", "x");
    }

    @Test
    void everyOptionHasADescription() {
        assertThat(AttuneOptions.all())
                .isNotEmpty()
                .allSatisfy(o -> assertThat(o.description().toString()).isNotBlank());
    }

    @Test
    void keysAreCaseSensitiveAndTheSuggestionHelps() {
        assertThatThrownBy(() -> ConfigValidator.validate(conf("Parallelism", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("parallelism");
    }

    @Test
    void configurationThatCannotWorkStopsStartUpNamingTheKey() {
        assertThat(rejects("kafka.transaction-timeout", "sink.kind", "kafka", "kafka.transaction-timeout", "1 h")
                        .getMessage())
                .contains("transaction.max.timeout.ms");
        assertThat(rejects(
                                "kafka.transaction-timeout",
                                "sink.kind",
                                "kafka",
                                "kafka.transaction-timeout",
                                "1 min",
                                "checkpoint.interval",
                                "2 min")
                        .getMessage())
                .contains("checkpoint.interval");
        // Without a Kafka sink there is no transaction to time out.
        ConfigValidator.validate(Map.of("kafka.transaction-timeout", "1 h"));
        assertThat(rejects("dedup.window", "dedup.window", "40 d").getMessage()).contains("state.ttl");
        assertThat(rejects("bedrock.endpoint", "bedrock.endpoint", "http://bedrock.example.com:8099")
                        .getMessage())
                .contains("in the clear");
        ConfigValidator.validate(Map.of("bedrock.endpoint", "http://127.0.0.1:8099"));
        ConfigValidator.validate(
                Map.of("bedrock.endpoint", "http://bedrock.example.com", "bedrock.allow-plain-http", "true"));
        if (System.getenv("AWS_REGION") == null
                && System.getenv("AWS_DEFAULT_REGION") == null
                && System.getProperty("aws.region") == null) {
            assertThat(rejects("bedrock.region", "analysis.mode", "bedrock").getMessage())
                    .contains("analysis.mode bedrock");
        }
        ConfigValidator.validate(Map.of("analysis.mode", "bedrock", "bedrock.region", "eu-west-1"));
    }

    @Test
    void aTextCatalogueFolderOverridesTheBundledTexts() throws Exception {
        Files.writeString(
                tmp.resolve("attune_de.properties"),
                "intervention.help_tip.message=Kleiner Tipp: speichern Sie zwischendurch.\n");
        Configuration c = ConfigValidator.validate(conf("texts.catalogue", tmp.toString()));
        assertThat(TextCatalogues.load(c).text("de-DE", "intervention.help_tip.message"))
                .isEqualTo("Kleiner Tipp: speichern Sie zwischendurch.");
        assertThat(TextCatalogues.load(ConfigValidator.validate(Map.of()))
                        .text("de-DE", "intervention.help_tip.message"))
                .startsWith("Tipp: Sie können");
    }

    @Test
    void aTextCatalogueWithAnUnknownKeyNamesFileAndKey() throws Exception {
        Files.writeString(
                tmp.resolve("attune_fr.properties"), "campaign.promotional_simple_v2.body=Découvrez {title}.\n");
        ConfigException e = rejects("texts.catalogue", "texts.catalogue", tmp.toString());
        assertThat(e.problem())
                .contains(tmp.resolve("attune_fr.properties").toString())
                .contains("key campaign.promotional_simple_v2.body")
                .contains("unknown key");
    }

    @Test
    void aTextCatalogueWithAPlaceholderTheTextLacksNamesFileAndKey() throws Exception {
        Files.writeString(tmp.resolve("attune.properties"), "campaign.service_notice_v1.body=News about {title}\n");
        ConfigException e = rejects("texts.catalogue", "texts.catalogue", tmp.toString());
        assertThat(e.problem())
                .contains("attune.properties")
                .contains("key campaign.service_notice_v1.body")
                .contains("placeholder {title}");
    }

    @Test
    void aTextCatalogueWithAnUnknownLanguageOrThatIsNoFolderIsRefused() throws Exception {
        Files.writeString(tmp.resolve("attune_pt.properties"), "intervention.help_tip.message=Dica\n");
        assertThat(rejects("texts.catalogue", "texts.catalogue", tmp.toString()).problem())
                .contains("attune_pt.properties")
                .contains("unknown language suffix 'pt'");
        assertThat(rejects(
                                "texts.catalogue",
                                "texts.catalogue",
                                tmp.resolve("nosuch").toString())
                        .problem())
                .contains("is not a folder");
    }
}
