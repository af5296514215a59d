package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM a short replay is started in: its command, its class archive, and when the replay stays put. */
class ReplayJvmTest {
    static final String VM = "OpenJDK 64-Bit Server VM 17.0.15+6";
    static final String[] ARGS = {"--profile", "replay", "--input.path", "in"};

    static Optional<ReplayJvm.Plan> plan(List<String> jvm, String classPath, String setting, Path cache) {
        return ReplayJvm.plan(ARGS, Path.of("/jdk"), jvm, classPath, setting, VM, cache);
    }

    @Test
    void theReplaysJvmKeepsTheUsersOptionsAndRunsOnTheQuickCompiler(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        ReplayJvm.Plan plan = plan(List.of("-Xmx3g", "-XX:TieredStopAtLevel=4", "-Dx=y"), jar.toString(), null, null)
                .orElseThrow();
        assertThat(plan.command())
                .containsSubsequence(
                        Path.of("/jdk", "bin", "java").toString(),
                        "-Xmx3g",
                        "-Dx=y",
                        "-XX:TieredStopAtLevel=1",
                        "-Dattune.replay.jvm=started",
                        "-cp",
                        jar.toAbsolutePath().toString(),
                        "dev.attune.job.Main",
                        "--profile",
                        "replay",
                        "--input.path",
                        "in")
                .doesNotContain("-XX:TieredStopAtLevel=4")
                .noneMatch(a -> a.contains("Archive") || a.contains("SharedArchiveFile"));
        assertThat(plan.written()).isNull();
    }

    @Test
    void theFirstReplayOfAJarWritesItsArchiveAndLaterOnesUseIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        ReplayJvm.Plan first = plan(List.of(), jar.toString(), null, cache).orElseThrow();
        assertThat(first.archive().getParent()).isEqualTo(cache);
        assertThat(first.command()).contains("-XX:ArchiveClassesAtExit=" + first.written());

        Files.writeString(first.written(), "archive"); // as the JVM writes it at its exit
        ReplayJvm.keep(first, true);
        assertThat(first.archive()).hasContent("archive");
        assertThat(first.written()).doesNotExist();

        ReplayJvm.Plan second = plan(List.of(), jar.toString(), null, cache).orElseThrow();
        assertThat(second.archive()).isEqualTo(first.archive());
        assertThat(second.written()).isNull();
        assertThat(second.command()).contains("-XX:SharedArchiveFile=" + first.archive());
    }

    @Test
    void aFailedReplayLeavesNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        ReplayJvm.Plan plan = plan(List.of(), jar.toString(), null, dir).orElseThrow();
        Files.writeString(plan.written(), "half an archive");
        ReplayJvm.keep(plan, false);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(jar);
        }
    }

    @Test
    void aRebuiltJarGetsAnArchiveOfItsOwnAndOnlyTheNewestOthersAreKept(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        Path cache = Files.createDirectories(dir.resolve("cache"));
        for (int build = 0; build < 4; build++) {
            Files.writeString(jar, "jar of build " + build);
            Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000L * (build + 1)));
            ReplayJvm.Plan plan = plan(List.of(), jar.toString(), null, cache).orElseThrow();
            assertThat(plan.written()).as("build %d has no archive yet", build).isNotNull();
            Files.writeString(plan.written(), "archive " + build);
            ReplayJvm.keep(plan, true);
            Files.setLastModifiedTime(plan.archive(), FileTime.fromMillis(1_000_000L * (build + 1)));
        }
        try (Stream<Path> kept = Files.list(cache)) {
            assertThat(kept.map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }))
                    .containsExactlyInAnyOrder("archive 3", "archive 2");
        }
    }

    @Test
    void classFoldersOnTheClassPathMeanNoArchive(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        ReplayJvm.Plan plan =
                plan(List.of(), classes + File.pathSeparator + jar, null, dir).orElseThrow();
        assertThat(plan.archive()).isNull();
        assertThat(plan.command()).contains("-XX:TieredStopAtLevel=1");
    }

    @Test
    void theReplayStaysInAJvmThatIsWatchedOrToldToKeepIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("attune.jar"), "jar");
        assertThat(plan(List.of(), jar.toString(), "same", null)).isEmpty();
        assertThat(plan(List.of(), jar.toString(), "started", null))
                .as("the started JVM")
                .isEmpty();
        for (String watched : List.of(
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
                "-javaagent:/opt/agent.jar",
                "-XX:StartFlightRecording=filename=x.jfr")) {
            assertThat(plan(List.of(watched), jar.toString(), null, null))
                    .as(watched)
                    .isEmpty();
        }
        assertThat(ReplayJvm.plan(ARGS, Path.of("/jdk"), List.of(), jar.toString(), null, "Eclipse OpenJ9 VM", null))
                .isEmpty();
    }

    @Test
    void theCacheFolderIsTheSetOneOrTheUsersCache(@TempDir Path dir) {
        Path xdg = dir.resolve("xdg");
        assertThat(ReplayJvm.cache(Map.of("XDG_CACHE_HOME", xdg.toString()))).isEqualTo(xdg.resolve("attune"));
        assertThat(xdg.resolve("attune")).isDirectory();
    }
}
