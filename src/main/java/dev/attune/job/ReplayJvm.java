package dev.attune.job;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs a short replay ({@link Main#shortReplay}) in a JVM started for it: HotSpot's quick compiler
 * alone ({@code -XX:TieredStopAtLevel=1}) and a class-data-sharing archive of the classes a replay
 * loads (Flink's, Jackson's, Attune's). A replay of a million records is over in seconds, too soon
 * for the optimising compiler to pay back its CPU or for ten thousand classes to be worth parsing
 * and verifying again on every run; neither can be switched on inside a running JVM, and the
 * README's {@code java -cp attune.jar ...} carries no JVM options. The JVM the user started waits
 * for the replay's, with the same standard streams, JVM arguments and exit code.
 *
 * <p>The archive is written by the first replay of a jar on a JDK (about three seconds more, once)
 * into {@code ~/.cache/attune} ({@code $XDG_CACHE_HOME/attune}; {@code -Dattune.replay.jvm.cache}
 * names another folder), named by a digest of the JDK and of the class path's files (path, size,
 * time), so a rebuilt jar gets its own and the two newest are kept. Without a writable folder, or
 * with folders on the class path (which the JVM cannot archive), the replay runs without one.
 *
 * <p>{@code -Dattune.replay.jvm=same} keeps the replay in the user's JVM (it then runs with a compiler
 * directive to the same effect on the compiler, {@link Main#quickCompilerOnly}); so does a JVM with
 * an agent or a recording of its own (a debugger, a profiler), which is there to watch this one.
 */
final class ReplayJvm {
    /** The system property that says where a replay runs; the started JVM has it set to {@link #STARTED}. */
    static final String PROPERTY = "attune.replay.jvm";

    static final String STARTED = "started";
    static final String SAME = "same";
    static final String CACHE_PROPERTY = "attune.replay.jvm.cache";

    /** Archives of earlier jars kept beside the newest. */
    static final int KEEP_ARCHIVES = 2;

    private ReplayJvm() {}

    /** What the started JVM is given, worked out from the user's JVM. */
    record Plan(List<String> command, Path archive, Path written) {}

    /**
     * The command of the replay's JVM, or empty when the replay stays in this one.
     *
     * @param javaHome the running JDK ({@code java.home})
     * @param jvmArguments the running JVM's own arguments (its input arguments)
     * @param classPath the running class path ({@code java.class.path})
     * @param vm the JVM's name and version ({@code java.vm.name}, {@code java.vm.version})
     * @param cache the folder for archives, or {@code null} for none
     */
    static Optional<Plan> plan(
            String[] args,
            Path javaHome,
            List<String> jvmArguments,
            String classPath,
            String setting,
            String vm,
            Path cache) {
        if (setting != null || !vm.contains("HotSpot") && !vm.contains("OpenJDK")) {
            return Optional.empty();
        }
        List<String> jvm = new ArrayList<>();
        for (String a : jvmArguments) {
            if (a.startsWith("-agentlib:")
                    || a.startsWith("-agentpath:")
                    || a.startsWith("-javaagent:")
                    || a.startsWith("-XX:StartFlightRecording")
                    || a.startsWith("-XX:ArchiveClassesAtExit")
                    || a.startsWith("-XX:SharedArchiveFile")) {
                return Optional.empty();
            }
            if (!a.startsWith("-XX:TieredStopAtLevel")) {
                jvm.add(a);
            }
        }
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin").resolve("java").toString());
        command.addAll(jvm);
        command.add("-XX:TieredStopAtLevel=1");
        Path archive = cache == null ? null : archive(cache, javaHome, vm, classPath);
        Path written = null;
        if (archive != null) {
            // An archive that does not fit (another JVM option) is left unused, with no word on stdout.
            command.add("-Xlog:cds=off,cds+dynamic=off");
            if (Files.isRegularFile(archive)) {
                command.add("-XX:SharedArchiveFile=" + archive);
            } else {
                written = archive.resolveSibling(
                        archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
                command.add("-XX:ArchiveClassesAtExit=" + written);
            }
        }
        command.add("-D" + PROPERTY + "=" + STARTED);
        command.add("-cp");
        // Absolute: the archive holds the class path it was written with, and is used only with the same.
        command.add(Stream.of(classPath.split(File.pathSeparator))
                .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
                .collect(java.util.stream.Collectors.joining(File.pathSeparator)));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return Optional.of(new Plan(command, archive, written));
    }

    /**
     * The archive for this JDK and class path under {@code cache}, or {@code null} when the class
     * path holds anything but jar files (the JVM archives classes from jars only).
     */
    static Path archive(Path cache, Path javaHome, String vm, String classPath) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((javaHome + "\n" + vm + "\n").getBytes(StandardCharsets.UTF_8));
            for (String entry : classPath.split(File.pathSeparator)) {
                Path jar = Path.of(entry).toAbsolutePath().normalize();
                if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
                    return null;
                }
                digest.update((jar + "\n" + Files.size(jar) + "\n"
                                + Files.getLastModifiedTime(jar).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return cache.resolve(
                    "replay-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jsa");
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }

    /** The folder for archives: {@code -Dattune.replay.jvm.cache}, else the user's cache folder; {@code null} if none can be made. */
    static Path cache(Map<String, String> env) {
        String set = System.getProperty(CACHE_PROPERTY);
        Path dir;
        if (set != null && !set.isBlank()) {
            dir = Path.of(set);
        } else if (env.get("XDG_CACHE_HOME") != null
                && !env.get("XDG_CACHE_HOME").isBlank()) {
            dir = Path.of(env.get("XDG_CACHE_HOME"), "attune");
        } else {
            dir = Path.of(System.getProperty("user.home"), ".cache", "attune");
        }
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Runs the replay in a JVM of its own when it may ({@link #plan}); its exit code, or empty when the
     * replay is to run in this JVM.
     */
    static Optional<Integer> launch(String[] args, PrintStream err) {
        String vm = System.getProperty("java.vm.name", "") + " " + System.getProperty("java.vm.version", "");
        String setting = System.getProperty(PROPERTY);
        Optional<Plan> plan = plan(
                args,
                Path.of(System.getProperty("java.home")),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path"),
                setting,
                vm,
                setting == null ? cache(System.getenv()) : null);
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        Process p;
        try {
            p = new ProcessBuilder(plan.get().command()).inheritIO().start();
        } catch (IOException e) {
            err.println("attune: could not start a JVM for the replay (" + e.getMessage() + "); running it here");
            return Optional.empty();
        }
        Thread stop = new Thread(() -> {
            p.destroy();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Runtime.getRuntime().addShutdownHook(stop);
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            return Optional.of(1);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stop);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway and finds the replay's JVM ended.
        }
        keep(plan.get(), code == 0);
        return Optional.of(code);
    }

    /** Keeps a newly written archive (when the replay ended well) and the newest older ones. */
    static void keep(Plan plan, boolean succeeded) {
        if (plan.written() == null) {
            return;
        }
        try {
            if (succeeded && Files.isRegularFile(plan.written())) {
                Files.move(plan.written(), plan.archive(), StandardCopyOption.ATOMIC_MOVE);
            }
            Files.deleteIfExists(plan.written());
            try (Stream<Path> all = Files.list(plan.archive().getParent())) {
                List<Path> older = all.filter(f -> f.getFileName().toString().matches("replay-[0-9a-f]{16}\\.jsa"))
                        .filter(f -> !f.equals(plan.archive()))
                        .sorted(Comparator.comparing(ReplayJvm::modified).reversed())
                        .toList();
                for (Path old : older.subList(Math.min(KEEP_ARCHIVES - 1, older.size()), older.size())) {
                    Files.deleteIfExists(old);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The archive is only a speed-up: the next replay writes it again.
        }
    }

    private static long modified(Path f) {
        try {
            return Files.getLastModifiedTime(f).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
