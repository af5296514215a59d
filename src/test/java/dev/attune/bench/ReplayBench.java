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

    /** Replays {@code records} records in a child JVM per variant; the seconds each took, start-up included. */
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
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("records", written);
            d.put("inputBytesGzipped", bytes);
            d.put("profile", "jobs/replay.properties, p=2, RocksDB, files in and out");
            for (String variant : List.of("batch", "streaming")) {
                List<String> cmd = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.attune.job.Main",
                        "--profile",
                        "replay",
                        "--input.path",
                        in.toString(),
                        "--output.path",
                        dir.resolve("out-" + variant).toString(),
                        "--summary.examples",
                        "0"));
                if (variant.equals("streaming")) {
                    cmd.addAll(List.of("--flink.execution.runtime-mode", "STREAMING"));
                }
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(cmd)
                        .redirectErrorStream(true)
                        .redirectOutput(dir.resolve(variant + ".log").toFile())
                        .start();
                int code = p.waitFor();
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (code != 0) {
                    throw new IllegalStateException(variant + " replay exited " + code + ":\n"
                            + Files.readString(dir.resolve(variant + ".log")));
                }
                d.put(variant + "Seconds", Math.round(seconds * 10) / 10.0);
                d.put(variant + "EventsPerSecond", Math.round(written / seconds));
                log.printf(
                        "(5) replay %s: %,d records in %.1f s, JVM start included: %,d events/s%n",
                        variant, written, seconds, Math.round(written / seconds));
            }
            return d;
        } finally {
            TestFiles.deleteQuietly(dir);
        }
    }
}
