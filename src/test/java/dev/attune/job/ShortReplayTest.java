package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.io.Sources;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short replay runs on the quick compiler alone: how its input is measured, and the directive. */
class ShortReplayTest {

    static void gzip(Path file, byte[] text) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text);
        }
    }

    @Test
    void inputTextCountsWhatCompressedFilesHold(@TempDir Path in) throws IOException {
        byte[] line = "{\"type\":\"track\"}\n".getBytes(StandardCharsets.UTF_8);
        byte[] many = new byte[line.length * 10_000];
        for (int i = 0; i < 10_000; i++) {
            System.arraycopy(line, 0, many, i * line.length, line.length);
        }
        gzip(in.resolve("user-events/a.jsonl.gz"), many);
        Files.createDirectories(in.resolve("engagement-events"));
        Files.write(in.resolve("engagement-events/b.jsonl"), line);
        Files.write(in.resolve("engagement-events/.hidden.jsonl"), many); // not input
        Files.write(in.resolve("engagement-events/notes.txt"), many); // not input
        Files.write(in.resolve("campaign-requests.jsonl"), many); // not in a stream folder

        assertThat(Files.size(in.resolve("user-events/a.jsonl.gz"))).isLessThan(many.length / 10);
        assertThat(Sources.inputTextBytes(in.toString())).isEqualTo(many.length + line.length);
    }

    @Test
    void onlyAFilesReplayUpToTheLimitIsShort(@TempDir Path in) throws IOException {
        gzip(in.resolve("user-events/a.jsonl.gz"), "{}\n".getBytes(StandardCharsets.UTF_8));
        assertThat(Main.shortReplay(conf("--input.path", in.toString()))).isTrue();
        assertThat(Main.shortReplay(conf("--source.kind", "generator"))).isFalse();
    }

    @Test
    void theLineIsReadForAShortReplayBeforeTheJobIsLoaded(@TempDir Path in) throws IOException {
        gzip(in.resolve("user-events/a.jsonl.gz"), "{}\n".getBytes(StandardCharsets.UTF_8));
        String input = in.toString();
        assertThat(peekShort("--profile", "replay", "--input.path", input)).isTrue();
        assertThat(peekShort("run", "--profile=jobs/replay.properties", "--input.path=" + input))
                .isTrue();
        assertThat(peekShort("--source.kind", "files", "--input.path", input))
                .as("files named on the line over the local profile")
                .isTrue();
        assertThat(peekShort("--profile", "replay")).as("no input.path").isFalse();
        assertThat(peekShort("--profile", "replay", "--input.path", input, "--source.kind", "generator"))
                .isFalse();
        assertThat(peekShort("--profile", "kafka", "--input.path", input)).isFalse();
        assertThat(peekShort("whatif", "--profile", "replay", "--input.path", input, "--set", "a=b"))
                .as("another command")
                .isFalse();
        assertThat(peekShort("--profile", "replay", "--input.path", input, "--help"))
                .isFalse();
        assertThat(peekShort("--profile", "replay", "--input.path"))
                .as("no value")
                .isFalse();
        assertThat(peekShort("--profile", "no-such-profile", "--input.path", input))
                .isFalse();
        assertThat(peekShort("-h")).isFalse();
    }

    private static boolean peekShort(String... args) {
        return CommandLine.peekRun(args).filter(Main::shortReplay).isPresent();
    }

    @Test
    void aGzipFileTheReplayLeavesOutCountsNothing(@TempDir Path in) throws IOException {
        Files.createDirectories(in.resolve("user-events"));
        byte[] notGzip = new byte[1000];
        notGzip[996] = (byte) 0xff; // a "trailer" that would claim gigabytes
        notGzip[997] = (byte) 0xff;
        notGzip[998] = (byte) 0xff;
        notGzip[999] = (byte) 0x7f;
        Files.write(in.resolve("user-events/torn.jsonl.gz"), notGzip);
        Files.write(in.resolve("user-events/tiny.jsonl.gz"), new byte[] {0x1f, (byte) 0x8b, 8});
        assertThat(Sources.inputTextBytes(in.toString())).isZero();
    }

    @Test
    void aReplayOverTheLimitIsNotShort(@TempDir Path in) throws IOException {
        // A gzip trailer that claims more text than the limit.
        Path file = in.resolve("user-events/a.jsonl.gz");
        gzip(file, "{}\n".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = Files.readAllBytes(file);
        long claimed = Main.SHORT_REPLAY_MAX_BYTES + 1;
        for (int i = 0; i < 4; i++) {
            bytes[bytes.length - 4 + i] = (byte) (claimed >>> (8 * i));
        }
        Files.write(file, bytes);
        assertThat(Main.shortReplay(conf("--input.path", in.toString()))).isFalse();
    }

    static org.apache.flink.configuration.Configuration conf(String... extra) {
        String[] args = new String[extra.length + 2];
        args[0] = "--profile";
        args[1] = "jobs/replay.properties";
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CommandLine.parse(args).conf();
    }

    /** In a JVM of its own (the directive would hold for every later test in this one). */
    @Test
    void theDirectiveKeepsTheOptimisingCompilerFromEveryMethod() throws Exception {
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        PrintDirectives.class.getName())
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(printed).isZero();
        // Two directives: Attune's first (C2 excluded), then the JVM's default.
        List<String> blocks = List.of(printed.split("Directive:"));
        assertThat(blocks.get(1)).contains("matching: *.*");
        assertThat(blocks.get(1).substring(blocks.get(1).indexOf("c2 directives:")))
                .contains("Exclude:true");
        assertThat(blocks.get(1).substring(0, blocks.get(1).indexOf("c2 directives:")))
                .contains("Exclude:false");
    }

    /** Adds Attune's directive and prints the JVM's directives. */
    public static final class PrintDirectives {
        public static void main(String[] args) throws Exception {
            Main.quickCompilerOnly();
            System.out.println(ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerDirectivesPrint",
                            new Object[] {null},
                            new String[] {String[].class.getName()}));
        }
    }
}
