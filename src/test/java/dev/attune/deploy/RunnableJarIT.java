package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code target/attune.jar} runs as a new user starts it: {@code java -jar}, a summary on stdout, a
 * report, exit code 0, and nothing on stderr a user cannot act on (no logging set-up warnings, no metric-name notes,
 * no batch-execution notes).
 */
class RunnableJarIT {
    /** What one {@code java -jar target/attune.jar ARGS} printed and returned. */
    record Run(int exitCode, String stdout, String stderr) {}

    static Run javaJar(Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("target", "attune.jar").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the run ends").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("stdout")), Files.readString(dir.resolve("stderr")));
    }

    @Test
    void javaJarRunsTheDemoQuietly(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Run run = javaJar(dir, "--generator.customers", "40", "--output.path", out.toString());
        assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isZero();
        assertThat(run.stdout())
                .contains("Attune: profile local", "Finished in", "interventions", "campaign-sends", "Report:");
        assertThat(Files.isRegularFile(out.resolve("report").resolve("index.html")))
                .isTrue();
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()))
                .as("stderr of a clean run")
                .isEmpty();
        assertThat(run.stdout().lines().filter(l -> l.contains("WARN") || l.contains("log4j:")))
                .as("stdout warnings")
                .isEmpty();
    }

    @Test
    void aReplayRunsAsABatchJobQuietly(@TempDir Path dir) throws Exception {
        Run run = javaJar(
                dir,
                "--profile",
                "replay",
                "--input.path",
                "src/test/resources/replay/input",
                "--output.path",
                dir.resolve("out").toString());
        assertThat(run.exitCode()).as("exit code; stderr:\n%s", run.stderr()).isZero();
        assertThat(run.stdout()).contains("Attune: profile replay", "Finished in", "interventions", "Report:");
        assertThat(run.stderr().lines().filter(l -> !l.isBlank()))
                .as("stderr of a clean replay")
                .isEmpty();
    }

    @Test
    void javaJarHelpSaysWhatEachCommandTakes(@TempDir Path dir) throws Exception {
        Run run = javaJar(dir, "whatif", "--help");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).startsWith("Usage: attune whatif").contains("--set=KEY=VALUE");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void aBadKeyIsExitTwoWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        Run run = javaJar(dir, "--fatigue.capz", "all:1/1d");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr().strip())
                .startsWith("attune: configuration error: fatigue.capz: unknown key")
                .doesNotContain("\n");
    }
}
