package dev.attune.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        return javaJar(dir, List.of(), args);
    }

    /** {@code java JVM-OPTIONS -jar target/attune.jar ARGS}. */
    static Run javaJar(Path dir, List<String> jvm, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvm);
        command.addAll(List.of("-jar", Path.of("target", "attune.jar").toString()));
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
                List.of("-D" + "attune.replay.jvm.cache=" + dir.resolve("cache")),
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

    /**
     * A replay runs in a JVM of its own (quick compiler, class archive): the first writes the archive, the
     * next loads classes from it, and both give the records a replay kept in the user's JVM gives.
     */
    @Test
    void aReplayWritesItsClassArchiveOnceAndUsesItAfterwardsWithTheSameRecords(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Map<String, List<String>> outputs = new java.util.LinkedHashMap<>();
        for (String run : List.of("first", "second", "same")) {
            List<String> jvm = new ArrayList<>(List.of(
                    "-Dattune.replay.jvm.cache=" + cache,
                    "-Xlog:class+load:file=" + dir.resolve(run + "-classes-%p.txt")));
            if (run.equals("same")) {
                jvm.add("-Dattune.replay.jvm=same");
            }
            Path out = dir.resolve("out-" + run);
            Run r = javaJar(
                    dir,
                    jvm,
                    "--profile",
                    "replay",
                    "--input.path",
                    "src/test/resources/replay/input",
                    "--output.path",
                    out.toString());
            assertThat(r.exitCode())
                    .as("%s: exit code; stderr:%n%s", run, r.stderr())
                    .isZero();
            assertThat(r.stderr().lines().filter(l -> !l.isBlank())).as(run).isEmpty();
            assertThat(r.stdout()).as(run).contains("Finished in", "Report:").doesNotContain("[warning]");
            outputs.put(run, sortedRecords(out));
            List<String> archives;
            try (Stream<Path> files = Files.list(cache)) {
                archives = files.map(f -> f.getFileName().toString()).toList();
            }
            assertThat(archives).as("%s: the cache holds one archive", run).hasSize(1);
            assertThat(archives.get(0)).matches("replay-[0-9a-f]{16}\\.jsa");
            List<String> logs = classLogs(dir, run);
            if (run.equals("same")) {
                assertThat(logs).as("one JVM").hasSize(1);
            } else {
                assertThat(logs).as("%s: the user's JVM and the replay's", run).hasSize(2);
                assertThat(logs.stream().anyMatch(l -> l.contains("source: shared objects file (top)")))
                        .as("%s: classes from the archive", run)
                        .isEqualTo(run.equals("second"));
            }
        }
        assertThat(outputs.get("first")).isNotEmpty().isEqualTo(outputs.get("second"));
        assertThat(outputs.get("same")).isEqualTo(outputs.get("first"));
    }

    private static List<String> classLogs(Path dir, String run) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> logs = new ArrayList<>();
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(run + "-classes-"))
                    .toList()) {
                logs.add(Files.readString(f));
            }
            return logs;
        }
    }

    /** Every committed record of every output stream under {@code out}, sorted, each prefixed with its stream. */
    private static List<String> sortedRecords(Path out) throws Exception {
        List<String> all = new ArrayList<>();
        for (String stream : dev.attune.contract.Streams.OUTPUTS) {
            dev.attune.io.RunSummary.records(out, stream).forEach(r -> all.add(stream + " " + r));
        }
        java.util.Collections.sort(all);
        return all;
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
