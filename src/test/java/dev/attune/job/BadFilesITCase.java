package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import dev.attune.io.RunMarkers;
import dev.attune.io.RunSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One bad file loses nothing else: an empty, a non-gzip and a torn {@code .gz} are each a
 * {@code bad_file} dead letter naming the file, the lines before the tear are used, the good files'
 * decisions are written, and the run ends with {@code _SUCCESS}. A run that fails says so with
 * {@code _FAILED} and exit code 1.
 */
class BadFilesITCase {
    static final String LINE =
            "{\"messageId\":\"m%d\",\"userId\":\"u-%d\",\"type\":\"track\",\"event\":\"Struggle Signal\","
                    + "\"timestamp\":\"2026-11-21T10:00:%02dZ\",\"properties\":{\"kind\":\"rage_click\",\"attempts\":3}}";

    static byte[] gzip(String text) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    static int run(Path in, Path out, ByteArrayOutputStream err, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of(
                "--profile", "jobs/replay.properties",
                "--input.path", in.toString(),
                "--output.path", out.toString(),
                "--parallelism", "1",
                "--checkpoint.interval", "1 s"));
        args.addAll(List.of(extra));
        return Main.run(
                args.toArray(String[]::new),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badFilesAreDeadLettersAndTheRestOfTheReplayCompletes(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("input/user-events");
        Files.createDirectories(events);
        StringBuilder good = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            good.append(String.format(LINE, i, 1, i * 2)).append('\n');
        }
        Files.writeString(events.resolve("good.jsonl"), good);
        Files.write(events.resolve("empty.jsonl.gz"), new byte[0]);
        Files.writeString(events.resolve("plain-text.jsonl.gz"), good);
        StringBuilder torn = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            torn.append(String.format(LINE, 100 + i, 2, i % 60)).append('\n');
        }
        byte[] whole = gzip(torn.toString());
        Files.write(events.resolve("torn.jsonl.gz"), Arrays.copyOf(whole, whole.length * 2 / 3));
        Path out = dir.resolve("out");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(dir.resolve("input"), out, err))
                .as(err.toString(StandardCharsets.UTF_8))
                .isZero();

        List<String> dead = RunSummary.records(out, Streams.DEAD_LETTER);
        assertThat(dead)
                .filteredOn(d -> d.contains("\"code\":\"bad_file\""))
                .hasSize(3)
                .anySatisfy(d -> assertThat(d).contains("user-events/empty.jsonl.gz", "is empty"))
                .anySatisfy(d -> assertThat(d).contains("user-events/plain-text.jsonl.gz", "not gzip"))
                .anySatisfy(d -> assertThat(d).contains("user-events/torn.jsonl.gz", "breaks after line"));
        List<String> interventions = RunSummary.records(out, Streams.INTERVENTIONS);
        assertThat(interventions).anyMatch(i -> i.contains("\"userId\":\"u-1\""));
        assertThat(interventions).as("lines before the tear are used").anyMatch(i -> i.contains("\"userId\":\"u-2\""));
        assertThat(out.resolve(RunMarkers.SUCCESS)).exists();
        assertThat(out.resolve(RunMarkers.FAILED)).doesNotExist();
    }

    @Test
    void aRunThatFailsSaysSoInItsOutputFolder(@TempDir Path dir) throws Exception {
        Path events = dir.resolve("input/user-events");
        Files.createDirectories(events);
        Files.writeString(events.resolve("good.jsonl"), String.format(LINE, 1, 1, 0) + "\nnot json\n");
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve(RunMarkers.SUCCESS), ""); // an earlier run's
        // A stream's folder taken by a file: the file sink cannot write there.
        for (String s : Streams.OUTPUTS) {
            Files.writeString(out.resolve(s), "not a folder");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(run(dir.resolve("input"), out, err, "--output.clean", "false"))
                .isEqualTo(1);
        assertThat(out.resolve(RunMarkers.SUCCESS)).doesNotExist();
        assertThat(out.resolve(RunMarkers.FAILED)).exists();
        assertThat(Files.readString(out.resolve(RunMarkers.FAILED))).isNotBlank();
    }
}
