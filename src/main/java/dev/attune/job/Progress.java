package dev.attune.job;

import static dev.attune.config.AttuneOptions.INPUT_PATH;
import static dev.attune.config.AttuneOptions.SOURCE_KIND;

import dev.attune.config.Choices.SourceKind;
import dev.attune.contract.DeadLetters;
import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import dev.attune.io.RecordSerializers;
import dev.attune.signals.EventKind;
import dev.attune.signals.EventNames;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The console's progress line for embedded runs: records read, the share of the input for a
 * replay of files, and events per second. Runs shorter than {@link #QUIET} print none; on a
 * terminal the line is rewritten in place and cleared at the end, elsewhere (a log, a pipe) it is
 * printed every {@link #EVERY_PIPED}.
 */
final class Progress {
    static final String RECORDS_READ = "attune.records-read";
    static final String UNMAPPED_EVENTS = "attune.unmapped-events";
    static final Duration QUIET = Duration.ofSeconds(5);
    static final Duration EVERY_TERMINAL = Duration.ofSeconds(1);
    static final Duration EVERY_PIPED = Duration.ofSeconds(30);

    private Progress() {}

    /**
     * Keeps valid records, counting every record it sees (valid or not) as read, and the track events whose name
     * maps to no signal (accumulator and metric {@code eventsUnmapped}): a producer's renamed event shows there.
     * Dead letters (of invalid records, and of the parts ignored of valid ones) go to the side output {@link
     * #DEAD_LETTERS} as output records: one task reads each record once, where two filters on the union of the
     * sources each had every record sent (serialized) to them.
     */
    static final class ValidRecords extends ProcessFunction<Inbound, Inbound> {
        private static final long serialVersionUID = 1L;
        static final OutputTag<OutputRecord> DEAD_LETTERS =
                new OutputTag<>("dead-letters", RecordSerializers.OUTPUT_RECORD);
        private final EventNames names;
        private transient LongCounter read;
        private transient LongCounter unmapped;
        private transient Counter unmappedMetric;

        ValidRecords(EventNames names) {
            this.names = names;
        }

        @Override
        public void open(OpenContext ctx) {
            read = getRuntimeContext().getLongCounter(RECORDS_READ);
            unmapped = getRuntimeContext().getLongCounter(UNMAPPED_EVENTS);
            unmappedMetric = getRuntimeContext()
                    .getMetricGroup()
                    .addGroup("kinesisanalytics")
                    .counter("eventsUnmapped");
        }

        @Override
        public void processElement(Inbound in, Context ctx, Collector<Inbound> out) {
            read.add(1);
            if (in.deadLetter != null) {
                ctx.output(DEAD_LETTERS, DeadLetters.toOutput(in.deadLetter));
            }
            if (in.isValid()) {
                if (names.kind(in.record) == EventKind.OTHER) {
                    unmapped.add(1);
                    unmappedMetric.inc();
                }
                out.collect(in);
            }
        }
    }

    /** The summary line for events no signal uses, or null when there were none. */
    static String unmappedLine(JobExecutionResult result) {
        Object n = result.getAllAccumulatorResults().get(UNMAPPED_EVENTS);
        if (!(n instanceof Long count) || count == 0) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "%,d track events had a name that maps to no signal; map a product's own names with events.aliases"
                        + " (e.g. --events.aliases \"Loan Calculator Error=error\")",
                count);
    }

    /** One progress line: {@code total} below zero when the input's size is not known. */
    static String line(long records, long total, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        String share = total > 0
                ? String.format(Locale.ROOT, " of %,d (%d%%)", total, Math.min(100, records * 100 / total))
                : "";
        return String.format(
                Locale.ROOT,
                "Read %,d records%s, %,d events/s, %d s",
                records,
                share,
                Math.round(records / seconds),
                elapsed.toSeconds());
    }

    /** Lines in a replay's input files, or -1 when the source is not files (or cannot be read). */
    static long inputRecords(Configuration conf) {
        if (conf.get(SOURCE_KIND) != SourceKind.FILES || conf.get(INPUT_PATH) == null) {
            return -1;
        }
        long lines = 0;
        for (String stream : Streams.INPUTS) {
            Path dir = Path.of(conf.get(INPUT_PATH), stream);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(Progress::isInput).toList()) {
                    lines += lines(f);
                }
            } catch (IOException | RuntimeException e) {
                return -1; // a bad file is the job's to report, with its name
            }
        }
        return lines;
    }

    private static boolean isInput(Path p) {
        String name = p.getFileName().toString();
        return Files.isRegularFile(p)
                && !name.startsWith(".")
                && !name.startsWith("_")
                && (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz"));
    }

    private static long lines(Path f) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(f), 1 << 16);
                InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buf = new byte[1 << 16];
            long n = 0;
            int last = '\n';
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
                last = buf[r - 1];
            }
            return last == '\n' ? n : n + 1;
        }
    }

    /**
     * Waits for the job to end, printing progress to {@code out} as it goes; returns the job's
     * result or throws its failure.
     */
    static JobExecutionResult follow(JobClient job, LongSupplier total, PrintStream out, boolean terminal)
            throws Exception {
        CompletableFuture<JobExecutionResult> done = job.getJobExecutionResult();
        long started = System.nanoTime();
        long printed = 0;
        int width = 0;
        while (true) {
            try {
                JobExecutionResult result = done.get(EVERY_TERMINAL.toMillis(), TimeUnit.MILLISECONDS);
                if (width > 0) {
                    out.print("\r" + " ".repeat(width) + "\r");
                    out.flush();
                }
                return result;
            } catch (TimeoutException stillRunning) {
                long now = System.nanoTime();
                Duration elapsed = Duration.ofNanos(now - started);
                boolean due = terminal || printed == 0 || now - printed >= EVERY_PIPED.toNanos();
                if (elapsed.compareTo(QUIET) < 0 || !due) {
                    continue;
                }
                Long records = recordsRead(job);
                if (records == null) {
                    continue;
                }
                String line = line(records, total.getAsLong(), elapsed);
                if (terminal) {
                    out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
                    width = Math.max(width, line.length());
                } else {
                    out.println(line);
                }
                out.flush();
                printed = now;
            } catch (ExecutionException e) {
                if (width > 0) {
                    out.println();
                }
                throw e;
            }
        }
    }

    private static Long recordsRead(JobClient job) {
        try {
            Map<String, Object> accumulators =
                    job.getAccumulators().get(EVERY_TERMINAL.toMillis(), TimeUnit.MILLISECONDS);
            return accumulators.get(RECORDS_READ) instanceof Long n ? n : null;
        } catch (Exception e) {
            return null; // the job is finishing or its master is busy: try again at the next tick
        }
    }
}
