package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.testing.Cli;
import dev.attune.testing.Cli.Run;
import org.junit.jupiter.api.Test;

/** Only the configuration-error paths: they must fail fast with exit code 2 and one line. */
class MainExitCodeTest {
    private static Run run(String... args) {
        return Cli.attune(args);
    }

    private static String oneErrorLine(Run r) {
        assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(2);
        assertThat(r.errLines()).as("stderr").hasSize(1);
        assertThat(r.out()).as("nothing on stdout").isEmpty();
        return r.errLines().get(0);
    }

    @Test
    void badParallelism() {
        assertThat(oneErrorLine(run("--parallelism", "abc")))
                .contains("parallelism")
                .contains("integer");
    }

    @Test
    void badParallelismWithEqualsForm() {
        assertThat(oneErrorLine(run("--parallelism=0"))).contains("parallelism");
    }

    @Test
    void unknownProfile() {
        assertThat(oneErrorLine(run("--profile", "nosuch"))).contains("profile").contains("nosuch");
    }

    @Test
    void replayProfileWithoutInputPath() {
        assertThat(oneErrorLine(run("--profile", "jobs/replay.properties"))).contains("input.path");
    }

    @Test
    void trailingKeyWithoutValue() {
        assertThat(oneErrorLine(run("--output.path", "out", "--parallelism"))).contains("parallelism");
    }

    @Test
    void unknownKey() {
        assertThat(oneErrorLine(run("--paralelism", "4")))
                .contains("paralelism")
                .contains("parallelism");
    }

    @Test
    void unknownCommand() {
        assertThat(oneErrorLine(run("deploy"))).contains("deploy");
    }

    @Test
    void argumentThatIsNotAKey() {
        assertThat(oneErrorLine(run("--parallelism", "2", "stray"))).contains("stray");
    }

    @Test
    void setOutsideWhatIf() {
        assertThat(oneErrorLine(run("--set", "fatigue.caps=all:1/1d")))
                .contains("set")
                .contains("whatif");
    }

    @Test
    void whatIfWithoutChanges() {
        assertThat(oneErrorLine(run(
                        "whatif",
                        "--profile",
                        "jobs/replay.properties",
                        "--input.path",
                        "src/test/resources/replay/input")))
                .contains("set");
    }

    @Test
    void whatIfNamesTheBadChangedKey() {
        assertThat(oneErrorLine(run(
                        "whatif",
                        "--profile",
                        "jobs/replay.properties",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--set",
                        "fatigue.cap=all:1/1d")))
                .contains("fatigue.cap")
                .contains("unknown key");
        assertThat(oneErrorLine(run(
                        "whatif",
                        "--profile",
                        "jobs/replay.properties",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--set",
                        "risk.level.high=abc")))
                .contains("risk.level.high");
        assertThat(oneErrorLine(run(
                        "whatif",
                        "--profile",
                        "jobs/replay.properties",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--set",
                        "fatigue.caps")))
                .contains("set")
                .contains("KEY=VALUE");
    }

    @Test
    void whatIfKeepsTheHistoryAndTheOutputFolder() {
        assertThat(oneErrorLine(run(
                        "whatif",
                        "--profile",
                        "jobs/replay.properties",
                        "--input.path",
                        "src/test/resources/replay/input",
                        "--set",
                        "input.path=other")))
                .startsWith("attune: configuration error: input.path");
    }

    @Test
    void whatIfReplaysFilesOnly() {
        assertThat(oneErrorLine(run("whatif", "--profile", "jobs/kafka.properties", "--set", "fatigue.caps=all:1/1d")))
                .contains("source.kind");
    }

    @Test
    void reportWithoutOutputs() {
        assertThat(oneErrorLine(run("report", "--output.path", "target/no-such-run")))
                .contains("output.path");
    }

    @Test
    void badTextCatalogueNamesFileAndKey(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(
                dir.resolve("attune_de.properties"), "winback.pricing.1.subject=Schade, {name}\n");
        assertThat(oneErrorLine(run("--texts.catalogue", dir.toString())))
                .startsWith("attune: configuration error: texts.catalogue: ")
                .contains(dir.resolve("attune_de.properties").toString())
                .contains("key winback.pricing.1.subject")
                .contains("placeholder {name}");
    }
}
