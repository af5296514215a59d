package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/attune.jar} runs the embedded default as a new user starts it:
 * {@code java -jar}, a summary on stdout, a report, exit code 0, and nothing on stderr a user
 * cannot act on (no logging set-up warnings, no metric-name notes).
 */
class RunnableJarIT {
    @Test
    void javaJarRunsTheDemoQuietly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "attune.jar").toString(),
                        "--generator.customers",
                        "40",
                        "--output.path",
                        out.toString())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the run ends").isTrue();
        String stdout = Files.readString(dir.resolve("stdout"));
        String stderr = Files.readString(dir.resolve("stderr"));
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", stderr).isZero();
        assertThat(stdout)
                .contains("Attune: profile local", "Finished in", "interventions", "campaign-sends", "Report:");
        assertThat(Files.isRegularFile(out.resolve("report").resolve("index.html")))
                .isTrue();
        List<String> noise = stderr.lines().filter(l -> !l.isBlank()).toList();
        assertThat(noise).as("stderr of a clean run").isEmpty();
        assertThat(stdout.lines().filter(l -> l.contains("WARN") || l.contains("log4j:")))
                .as("stdout warnings")
                .isEmpty();
    }

    @Test
    void aReplayRunsAsABatchJobQuietly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "attune.jar").toString(),
                        "--profile",
                        "replay",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--output.path",
                        out.toString())
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the run ends").isTrue();
        String stdout = Files.readString(dir.resolve("stdout"));
        String stderr = Files.readString(dir.resolve("stderr"));
        assertThat(p.exitValue()).as("exit code; stderr:\n%s", stderr).isZero();
        assertThat(stdout).contains("Attune: profile replay", "Finished in", "interventions", "Report:");
        assertThat(stderr.lines().filter(l -> !l.isBlank()))
                .as("stderr of a clean replay")
                .isEmpty();
    }

    @Test
    void javaJarHelpSaysWhatEachCommandTakes(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "attune.jar").toString(),
                        "whatif",
                        "--help")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("stdout")))
                .startsWith("Usage: attune whatif")
                .contains("--set=KEY=VALUE");
        assertThat(Files.readString(dir.resolve("stderr"))).isEmpty();
    }

    @Test
    void aBadKeyIsExitTwoWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        Path.of("target", "attune.jar").toString(),
                        "--fatigue.capz",
                        "all:1/1d")
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("stderr")).strip())
                .startsWith("attune: configuration error: fatigue.capz: unknown key")
                .doesNotContain("\n");
    }
}
