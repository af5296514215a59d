package dev.attune.io;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices;
import dev.attune.contract.Inbound;
import dev.attune.contract.Streams;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The input side: every source yields {@link Inbound} records, parsed where they are read. */
public final class Sources {
    private Sources() {}

    /** The records of every source, as one stream. */
    public static DataStream<Inbound> inbound(StreamExecutionEnvironment env, Configuration conf) {
        List<DataStream<Inbound>> inputs = inputs(env, conf);
        DataStream<Inbound> all = inputs.get(0);
        for (int i = 1; i < inputs.size(); i++) {
            all = all.union(inputs.get(i));
        }
        return all;
    }

    /** The records of each source, a stream per source (one per input stream for files and Kinesis). */
    public static List<DataStream<Inbound>> inputs(StreamExecutionEnvironment env, Configuration conf) {
        WatermarkStrategy<Inbound> watermarks = watermarks(conf);
        return switch (conf.get(SOURCE_KIND)) {
            case FILES -> files(env, conf.get(INPUT_PATH), watermarks);
            case GENERATOR -> List.of(generator(env, conf, watermarks));
            case KAFKA ->
                List.of(env.fromSource(Kafka.source(conf), watermarks, "read kafka", RecordSerializers.INBOUND)
                        .uid("source-kafka"));
            case KINESIS -> kinesis(env, conf, watermarks);
        };
    }

    public static WatermarkStrategy<Inbound> watermarks(Configuration conf) {
        WatermarkStrategy<Inbound> base = conf.get(WATERMARK_STRATEGY) == Choices.WatermarkStrategy.END_OF_INPUT
                ? WatermarkStrategy.noWatermarks()
                : new CatchUpWatermarks<Inbound>(conf.get(WATERMARK_OUT_OF_ORDERNESS), conf.get(WATERMARK_IDLENESS));
        return base.withTimestampAssigner((in, previous) -> in.eventTime());
    }

    static List<DataStream<Inbound>> files(
            StreamExecutionEnvironment env, String input, WatermarkStrategy<Inbound> wm) {
        List<DataStream<Inbound>> streams = new ArrayList<>();
        for (String stream : Streams.INPUTS) {
            java.nio.file.Path dir = java.nio.file.Path.of(input, stream);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            FileSource<Inbound> source = FileSource.forBulkFileFormat(
                            new JsonLinesFormat(stream, input), new Path(dir.toUri()))
                    .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(JsonLinesFormat::isInputFile))
                    .build();
            streams.add(env.fromSource(source, wm, "read " + stream, RecordSerializers.INBOUND)
                    .uid("source-files-" + stream));
        }
        List<Inbound> badFiles = badFiles(input);
        if (!badFiles.isEmpty()) {
            streams.add(env.fromData(badFiles, RecordSerializers.INBOUND)
                    .name("files that cannot be read")
                    .uid("source-bad-files"));
        }
        return streams;
    }

    /**
     * The bytes of text in the input files under {@code input} (the folders {@link #files} reads): a
     * {@code .jsonl.gz} file counts what its gzip trailer says it holds (its last member's size modulo
     * 4 GiB: enough to tell a short replay from a long one). Files that cannot be read count nothing.
     */
    public static long inputTextBytes(String input) {
        long total = 0;
        for (String stream : Streams.INPUTS) {
            try {
                total += streamFiles(input, stream).stream()
                        .filter(f -> JsonLinesFormat.isInputName(f.getFileName().toString()))
                        .mapToLong(Sources::textBytes)
                        .sum();
            } catch (java.io.UncheckedIOException e) {
                // Counted as far as it could be: the job itself names what it cannot read.
            }
        }
        return total;
    }

    /** The regular files under {@code input}'s folder for {@code stream}, sorted; none when there is no folder. */
    private static List<java.nio.file.Path> streamFiles(String input, String stream) {
        java.nio.file.Path dir = java.nio.file.Path.of(input, stream);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The text one input file holds; nothing for a {@code .gz} that the replay leaves out as unreadable
     * ({@link JsonLinesFormat#unreadable}: too short for gzip, or not gzip). Read with the JDK's files
     * alone, so that deciding whether a replay is short loads nothing of Flink's.
     */
    private static long textBytes(java.nio.file.Path file) {
        try (var in = new java.io.RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            if (!file.getFileName().toString().endsWith(".gz")) {
                return size;
            }
            if (JsonLinesFormat.gzipProblem(size, java.nio.channels.Channels.newInputStream(in.getChannel())) != null) {
                return 0;
            }
            in.seek(size - 4);
            byte[] isize = new byte[4];
            in.readFully(isize);
            return (isize[0] & 0xffL) | (isize[1] & 0xffL) << 8 | (isize[2] & 0xffL) << 16 | (isize[3] & 0xffL) << 24;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    /** A dead letter for each input file that cannot be opened at all, naming it (relative to the input folder). */
    static List<Inbound> badFiles(String input) {
        List<Inbound> out = new ArrayList<>();
        java.nio.file.Path root = java.nio.file.Path.of(input);
        for (String stream : Streams.INPUTS) {
            for (java.nio.file.Path f : streamFiles(input, stream)) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".jsonl.gz") || name.startsWith(".")) {
                    continue;
                }
                String why = JsonLinesFormat.unreadable(new Path(f.toUri()));
                if (why != null) {
                    out.add(JsonLinesFormat.badFile(stream, root.relativize(f).toString(), why));
                }
            }
        }
        return out;
    }

    static List<DataStream<Inbound>> kinesis(
            StreamExecutionEnvironment env, Configuration conf, WatermarkStrategy<Inbound> wm) {
        List<DataStream<Inbound>> all = new ArrayList<>();
        for (String stream : Streams.INPUTS) {
            if (conf.get(kinesisStream(stream)) == null) {
                continue;
            }
            DataStream<Inbound> s = env.fromSource(
                            Kinesis.source(conf, stream), wm, "read kinesis " + stream, RecordSerializers.INBOUND)
                    .uid("source-kinesis-" + stream);
            all.add(s);
        }
        return all;
    }

    static DataStream<Inbound> generator(
            StreamExecutionEnvironment env, Configuration conf, WatermarkStrategy<Inbound> wm) {
        double rate = conf.get(GENERATOR_RATE);
        HistorySource source = new HistorySource(
                history(conf),
                rate > 0 ? RateLimiterStrategy.perSecond(rate) : RateLimiterStrategy.noOp(),
                conf.get(PARALLELISM));
        return env.fromSource(source, wm, "generate customers", RecordSerializers.INBOUND)
                .uid("source-generator");
    }

    public static SyntheticHistory history(Configuration conf) {
        return new SyntheticHistory(
                conf.get(GENERATOR_SEED),
                conf.get(GENERATOR_CUSTOMERS),
                conf.get(GENERATOR_START),
                conf.get(GENERATOR_MALFORMED_RATIO),
                conf.get(GENERATOR_DUPLICATE_RATIO),
                dev.attune.config.HoldoutSettings.from(conf));
    }
}
