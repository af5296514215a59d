package dev.attune.bench;

import dev.attune.io.SyntheticHistory;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A data engineer's replay: a history on disk ({@code .jsonl.gz} files, several per stream) run
 * through {@code jobs/replay.properties} as its own JVM, the way the README says to run it, start-up
 * included. The same history streamed ({@code --flink.execution.runtime-mode STREAMING}) for
 * comparison.
 */
final class ReplayBench {
    private ReplayBench() {}

    static final int FILES_PER_STREAM = 8;

    /** Writes {@code records} records (rounded up to whole customers) under {@code dir}; returns the count. */
    static long writeHistory(Path dir, long records) throws IOException {
        int customers = (int) Math.ceil(records / (double) SyntheticHistory.PER_CUSTOMER);
        SyntheticHistory h = new SyntheticHistory(11, customers, "2026-11-01T00:00:00Z", 0.002, 0.01);
        Map<String, List<OutputStream>> out = new HashMap<>();
        try {
            for (long i = 0; i < h.size(); i++) {
                SyntheticHistory.Generated g = h.at(i);
                List<OutputStream> files = out.computeIfAbsent(g.stream(), s -> open(dir.resolve(s)));
                OutputStream f = files.get(g.customer() % FILES_PER_STREAM);
                f.write(g.bytes());
                f.write('\n');
            }
        } finally {
            for (List<OutputStream> files : out.values()) {
                for (OutputStream f : files) {
                    f.close();
                }
            }
        }
        return h.size();
    }

    private static List<OutputStream> open(Path streamDir) {
        try {
            Files.createDirectories(streamDir);
            List<OutputStream> files = new ArrayList<>();
            for (int i = 0; i < FILES_PER_STREAM; i++) {
                files.add(new GZIPOutputStream(
                        Files.newOutputStream(streamDir.resolve("part-" + i + ".jsonl.gz")), 1 << 16));
            }
            return files;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The batch replay's runs after the first (which writes the class archive). */
    static final int MEASURED_RUNS = 3;

    /**
     * Replays {@code records} records with the README's command, {@code java -cp target/attune.jar
     * dev.attune.job.Main --profile replay ...}, in a child JVM per run, start-up included: first the
     * run that writes the jar's class archive (into a folder of its own, so it is a first run), then
     * {@link #MEASURED_RUNS} more (the figure is their median), then the same history streamed once.
     */
    static Map<String, Object> run(long records, PrintStream log) throws Exception {
        Path dir = Files.createTempDirectory("bench-replay");
        try {
            Path in = dir.resolve("in");
            long written = writeHistory(in, records);
            long bytes;
            try (var files = Files.walk(in)) {
                bytes = files.filter(Files::isRegularFile)
                        .mapToLong(p -> p.toFile().length())
                        .sum();
            }
            Path jar = Path.of("target", "attune.jar");
            String classPath = Files.isRegularFile(jar) ? jar.toString() : System.getProperty("java.class.path");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("records", written);
            d.put("inputBytesGzipped", bytes);
            d.put("profile", "jobs/replay.properties, p=2, RocksDB, files in and out");
            d.put("classPath", Files.isRegularFile(jar) ? "target/attune.jar" : "classes (no jar: no class archive)");
            List<Double> batch = new ArrayList<>();
            for (int i = 0; i <= MEASURED_RUNS; i++) {
                double seconds = replay(dir, in, classPath, "batch-" + i, List.of());
                log.printf(
                        "(5) replay batch run %d%s: %,d records in %.1f s, JVM start included: %,d events/s%n",
                        i + 1,
                        i == 0 ? " (writes the class archive)" : "",
                        written,
                        seconds,
                        Math.round(written / seconds));
                if (i == 0) {
                    d.put("batchFirstSeconds", round(seconds));
                } else {
                    batch.add(seconds);
                }
            }
            List<Double> sorted = batch.stream().sorted().toList();
            double median = sorted.get(sorted.size() / 2);
            d.put("batchRunsSeconds", batch.stream().map(ReplayBench::round).toList());
            d.put("batchSeconds", round(median));
            d.put("batchEventsPerSecond", Math.round(written / median));
            double streaming =
                    replay(dir, in, classPath, "streaming", List.of("--flink.execution.runtime-mode", "STREAMING"));
            d.put("streamingSeconds", round(streaming));
            d.put("streamingEventsPerSecond", Math.round(written / streaming));
            log.printf(
                    "(5) replay streaming: %,d records in %.1f s, JVM start included: %,d events/s%n",
                    written, streaming, Math.round(written / streaming));
            return d;
        } finally {
            TestFiles.deleteQuietly(dir);
        }
    }

    private static double replay(Path dir, Path in, String classPath, String name, List<String> extra)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dattune.replay.jvm.cache=" + dir.resolve("class-archives"),
                "-cp",
                classPath,
                "dev.attune.job.Main",
                "--profile",
                "replay",
                "--input.path",
                in.toString(),
                "--output.path",
                dir.resolve("out-" + name).toString(),
                "--summary.examples",
                "0"));
        cmd.addAll(extra);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
        int code = p.waitFor();
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0) {
            throw new IllegalStateException(
                    name + " replay exited " + code + ":\n" + Files.readString(dir.resolve(name + ".log")));
        }
        TestFiles.deleteQuietly(dir.resolve("out-" + name));
        return seconds;
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
