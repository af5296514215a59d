package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.testing.Cli;
import dev.attune.testing.Cli.Run;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every command says what it takes; {@code attune config} lists every key. */
class CommandHelpTest {
    private static Run ok(String... args) {
        Run r = Cli.attune(args);
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
        assertThat(r.err()).as("stderr").isEmpty();
        return r;
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h"})
    void topLevelHelpListsEveryCommand(String flag) {
        String out = ok(flag).out();
        assertThat(out).startsWith("Usage: attune");
        for (String command : CommandLine.COMMANDS) {
            assertThat(out).as(command).containsPattern("(?m)^  " + command + " ");
        }
        assertThat(out)
                .contains("--profile")
                .contains("--KEY VALUE")
                .contains("attune config")
                .contains("Exit codes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "load", "report", "whatif", "config"})
    void everyCommandHasItsOwnHelp(String command) {
        String out = ok(command, "--help").out();
        assertThat(out).startsWith("Usage: attune " + command).contains("--profile");
        assertThat(ok("help", command).out()).isEqualTo(out);
    }

    @Test
    void whatIfHelpNamesSetAndNeedsNothingElse() {
        assertThat(ok("whatif", "--help").out()).contains("--set=KEY=VALUE");
    }

    @Test
    void helpWinsOverSettingsThatWouldFailValidation() {
        assertThat(ok("--profile", "replay", "--parallelism", "abc", "--help").out())
                .startsWith("Usage: attune");
    }

    @Test
    void configListsEveryKeyWithItsDefaultAndMeaning() {
        String out = ok("config").out();
        for (ConfigOption<?> o : AttuneOptions.all()) {
            assertThat(out)
                    .as(o.key())
                    .containsPattern("(?m)^" + java.util.regex.Pattern.quote(o.key()) + "  \\(default ");
        }
        assertThat(out.replaceAll("\\s+", " "))
                .contains("One of: generator, files, kafka, kinesis.")
                .contains("flink.*");
    }

    @Test
    void configShowsTheValuesAProfileAndSettingsGive() {
        String out = ok(
                        "config",
                        "--profile",
                        "replay",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--parallelism",
                        "1")
                .out();
        assertThat(out)
                .containsPattern("(?m)^source\\.kind  \\(default generator\\)  = files$")
                .containsPattern("(?m)^input\\.path  \\(default \\(none\\)\\)  = src/test/resources/replay/input$")
                .containsPattern("(?m)^parallelism  \\(default 2\\)  = 1$");
    }

    @Test
    void configOfAnInvalidConfigurationNamesTheKey() {
        Run r = Cli.attune("config", "--parallelism", "zero");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("parallelism");
    }
}
