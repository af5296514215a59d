package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The key table of docs/configuration.md is generated from AttuneOptions; this keeps the two equal, and the profiles valid. */
class ConfigDocsTest {
    @Test
    void readmeTableIsTheGeneratedOne() throws Exception {
        String readme = Files.readString(Path.of("docs/configuration.md"), StandardCharsets.UTF_8);
        int start = readme.indexOf("<!-- config-table:start -->");
        int end = readme.indexOf("<!-- config-table:end -->");
        assertThat(start)
                .as("docs/configuration.md has the config table markers")
                .isNotNegative();
        String table = readme.substring(readme.indexOf('\n', start) + 1, end);
        assertThat(table)
                .as("regenerate with: java -cp target/attune.jar dev.attune.config.ConfigDocs")
                .isEqualTo(ConfigDocs.table());
    }

    @Test
    void everyShippedProfileUsesOnlyKnownKeys() {
        for (String profile : new String[] {"local", "replay"}) {
            Map<String, String> keys = CommandLine.loadProfile("jobs/" + profile + ".properties");
            keys.putIfAbsent("input.path", "src/test/resources/replay/input");
            assertThat(ConfigValidator.validate(keys)).isNotNull();
        }
    }
}
