package dev.attune.bench;

import static dev.attune.config.AttuneOptions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.attune.config.CommandLine;
import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.io.RecordSerializers;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.io.SyntheticHistory;
import dev.attune.job.AttuneJob;
import dev.attune.testing.LocalBedrock;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Issue 8's benchmark, in one JVM: the parsing limit, Attune end to end at parallelism 1 and 2,
 * a naive design, struggle-to-intervention latency, model calls and recall, state per quiet
 * customer and growth with customers, and restore from a savepoint. Prints a table and writes
 * {@code summary.json} (and plots) into the output folder.
 *
 * <pre>bench/run [--quick] [--only parse,e2e,naive,latency,model,scale] [--out DIR] [--docs DIR]</pre>
 */
public final class Bench {
    private Bench() {}

    /** How big each measurement is in a mode. */
    record Sizes(
            String mode,
            int parseCustomers,
            double parseWarmupSeconds,
            double parseSeconds,
            int baselineCustomers,
            int e2eCustomers,
            int naiveCustomers,
            double latencySeconds,
            int latencyMaxCustomers,
            int modelCustomers,
            int[] scaleCustomers) {
        static Sizes full() {
            return new Sizes("full", 2_000, 5, 10, 250, 100_000, 10_000, 30, 200_000, 2_000, new int[] {
                10_000, 100_000, 1_000_000
            });
        }

        Sizes withScaleCustomers(int[] customers) {
            return new Sizes(
                    mode,
                    parseCustomers,
                    parseWarmupSeconds,
                    parseSeconds,
                    baselineCustomers,
                    e2eCustomers,
                    naiveCustomers,
                    latencySeconds,
                    latencyMaxCustomers,
                    modelCustomers,
                    customers);
        }

        static Sizes quick() {
            return new Sizes("quick", 2_000, 3, 5, 250, 6_000, 2_000, 12, 50_000, 2_000, new int[] {2_000, 10_000});
        }

        /** For the smoke test: the code path only, no meaningful figures; no start-up runs, no second variants. */
        static Sizes tiny() {
            return new Sizes("tiny", 50, 0.2, 0.3, 0, 60, 30, 1, 20, 50, new int[] {50});
        }
    }

    public static void main(String[] args) throws Exception {
        Sizes sizes = Sizes.full();
        Path out = Path.of("bench/out");
        Path docs = Path.of("docs");
        List<String> only = List.of();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> sizes = Sizes.quick();
                case "--tiny" -> sizes = Sizes.tiny();
                case "--full" -> sizes = Sizes.full();
                case "--out" -> out = Path.of(args[++i]);
                case "--docs" -> docs = Path.of(args[++i]);
                case "--only" -> only = Arrays.asList(args[++i].split(","));
                case "--scale" ->
                    sizes = sizes.withScaleCustomers(Arrays.stream(args[++i].split(","))
                            .mapToInt(Integer::parseInt)
                            .toArray());
                default -> {
                    System.err.println(
                            "bench: unknown argument " + args[i]
                                    + " (use --quick | --full, --only parse,e2e,e2esized,naive,latency,subscriber,subscriber-kinesis,replay,model,campaign,scale,eval, --scale N[,N...], --out DIR, --docs DIR)");
                    System.exit(2);
                }
            }
        }
        run(sizes, only, out, docs, System.out);
        System.exit(0); // Flink and Netty leave non-daemon threads behind
    }

    /** Runs the sections asked for (all when {@code only} is empty) and writes the summary; returns it. */
    public static Map<String, Object> run(Sizes s, List<String> only, Path out, Path docs, PrintStream log)
            throws Exception {
        Files.createDirectories(out);
        Bench.log = log;
        Map<String, Object> detail = new LinkedHashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String k : List.of(
                "eventsPerSecondPerCore",
                "ratioToParse",
                "ratioToNaive",
                "latencyP99Ms",
                "subscriberLatencyP99Ms",
                "replayEventsPerSecond",
                "modelCallsPer1000",
                "atRiskRecall",
                "stateBytesPerQuietCustomer",
                "restoreSecondsPerMillionCustomers")) {
            summary.put(k, null);
        }
        detail.put("mode", s.mode());
        detail.put("date", Instant.now().toString());
        detail.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        detail.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        detail.put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20);
        List<String[]> table = new ArrayList<>();

        Double parseRate = null;
        if (wants(only, "parse")) {
            parseRate = parseLimit(s, detail, table);
        }
        Double perCore = null;
        Double p1Rate = null;
        Double p2Rate = null;
        if (wants(only, "e2e1") || wants(only, "e2esized") || wants(only, "e2e")) {
            // One unreported run first, so that every reported run finds the JIT warm, as a live job does
            // after its first minutes (the first run of a JVM was up to 40 % slower than a later one).
            log.println("(2) warm-up run, not reported");
            attune(conf(s.e2eCustomers(), 1, LIVE), false);
        }
        if (wants(only, "e2e1")) {
            p1Rate = endToEnd(s, 1, detail, table, "", LIVE); // for a profile of one run
        }
        if (wants(only, "e2esized")) {
            endToEnd(s, 1, detail, table, " sized (checkpoints 10 s, 2 GiB managed)", SIZED);
            endToEnd(s, 2, detail, table, " sized (checkpoints 10 s, 2 GiB managed)", SIZED);
        }
        if (wants(only, "e2e")) {
            p1Rate = endToEnd(s, 1, detail, table, "", LIVE);
            p2Rate = endToEnd(s, 2, detail, table, "", LIVE);
            // The headline: the better per-core figure of the shipped job (generator source as shipped).
            // Per core of the machine, whichever the parallelism: p=1 is one slot, not one core (its source and
            // customer tasks run on two threads at once, and it used 1.7 of the two cores).
            int cores = Math.min(Runtime.getRuntime().availableProcessors(), 2);
            perCore = Math.max(p1Rate, p2Rate) / cores;
            summary.put("eventsPerSecondPerCore", round(perCore, 0));
            table.add(row(
                    "(2) Attune events/s per core (the better of p=1 and p=2, over " + cores + " cores)",
                    fmt(perCore),
                    ">= 100,000"));
            // p=1 is one slot, not one core: its source and customer tasks run on two threads at once.
            for (int p = 1; p <= 2; p++) {
                Object perCpu = ((Map<?, ?>) detail.get("endToEndP" + p)).get("eventsPerCpuSecond");
                summary.put("eventsPerCpuSecondP" + p, perCpu);
                table.add(row(
                        "(2) Attune p=" + p + ", events per CPU second of the process",
                        fmt(((Number) perCpu).doubleValue()),
                        ""));
            }
            if (parseRate != null) {
                summary.put("ratioToParse", round(perCore / parseRate, 3));
                table.add(row("(2) ratio to parsing limit", fmt3(perCore / parseRate), ">= 0.5"));
            }
        }
        if (wants(only, "naive")) {
            double naive = naive(s, detail, table);
            if (p2Rate != null) {
                summary.put("ratioToNaive", round(p2Rate / naive, 2));
                table.add(row("(3) Attune / naive (both p=2)", fmt3(p2Rate / naive), "(no goal)"));
            }
        }
        if (wants(only, "latency")) {
            double max = p1Rate != null ? p1Rate : 20_000;
            Map<String, Object> local = latency(
                    s, max, "local profile (out-of-orderness 500 ms, interval 50 ms)", new String[0], detail, table);
            if (s.baselineCustomers() > 0)
                latency(
                        s,
                        max,
                        "out-of-orderness 0 ms, interval 10 ms",
                        new String[] {"--watermark.out-of-orderness", "0 ms", "--watermark.interval", "10 ms"},
                        detail,
                        table);
            summary.put("latencyP99Ms", local.get("p99Ms"));
        }
        if (wants(only, "subscriber") && !s.mode().equals("tiny")) {
            // By default at half of the capacity measured first on the same job and broker (the issue's load).
            String background = System.getProperty("attune.bench.background", "half");
            Map<String, Object> d = SubscriberLatency.kafka(
                    s.latencySeconds() * 2, background.equals("half") ? 0 : Double.parseDouble(background), 5);
            detail.put("subscriberLatency", d);
            summary.put("subscriberLatencyP99Ms", d.get("p99Ms"));
            if (d.get("capacity") instanceof Map<?, ?> c) {
                summary.put("subscriberCapacityEventsPerSecond", c.get("eventsPerSecond"));
                log.printf(
                        "(4s) kafka profile capacity: %,d records drained in %s s (produced in %s s): %,d events/s%n",
                        c.get("records"),
                        c.get("drainedInSeconds"),
                        c.get("producedInSeconds"),
                        c.get("eventsPerSecond"));
            }
            log.printf(
                    "(4s) subscriber latency, kafka profile, read_committed, %s background events/s: %s samples,"
                            + " p50 %s ms, p99 %s ms, max %s ms%n",
                    d.get("backgroundEventsPerSecond"),
                    d.get("samples"),
                    d.get("p50Ms"),
                    d.get("p99Ms"),
                    d.get("maxMs"));
            log.printf(
                    "(4s) cores used during the latency run (job and Flink, broker, bench, jvm): %s%n",
                    d.get("coresDuringRun"));
            table.add(row(
                    "(4s) produce->subscriber p50/p99 ms, shipped kafka profile, read_committed, at "
                            + d.get("backgroundEventsPerSecond") + " events/s",
                    d.get("p50Ms") + " / " + d.get("p99Ms"),
                    "p99 < 500"));
        }
        if (wants(only, "subscriber-kinesis") && !s.mode().equals("tiny")) {
            Map<String, Object> d = SubscriberLatency.kinesis(
                    s.latencySeconds() * 2,
                    Double.parseDouble(System.getProperty("attune.bench.background", "200")),
                    2);
            detail.put("subscriberLatencyKinesis", d);
            summary.put("subscriberLatencyKinesisP99Ms", d.get("p99Ms"));
            log.printf(
                    "(4s) subscriber latency, kinesis profile: %s samples, p50 %s ms, p99 %s ms, max %s ms%n",
                    d.get("samples"), d.get("p50Ms"), d.get("p99Ms"), d.get("maxMs"));
            log.printf(
                    "(4s) kinesis hops (queued: in the producer's pool; put: its PutRecord; job: put acknowledged ->"
                            + " intervention at the server; subscriber: -> read), ms, and the local server's cores: %s%n",
                    d.get("hops"));
            log.printf(
                    "(4s) cores used during the latency run (job and Flink, broker, bench, jvm): %s%n",
                    d.get("coresDuringRun"));
            table.add(row(
                    "(4s) produce->subscriber p50/p99 ms, shipped kinesis profile, local Kinesis server",
                    d.get("p50Ms") + " / " + d.get("p99Ms"),
                    "p99 < 500"));
        }
        if (wants(only, "replay") && !s.mode().equals("tiny")) {
            long records = s.mode().equals("full") ? 1_000_000 : 200_000;
            Map<String, Object> d = ReplayBench.run(records, log);
            detail.put("replay", d);
            summary.put("replayEventsPerSecond", d.get("batchEventsPerSecond"));
            table.add(row(
                    "(5) replay of " + String.format("%,d", d.get("records")) + " records from .jsonl.gz, events/s"
                            + " (own JVM, start included), batch median of " + ReplayBench.MEASURED_RUNS
                            + " / batch first run (writes the class archive) / streamed",
                    d.get("batchEventsPerSecond") + " / "
                            + Math.round(((Number) d.get("records")).longValue()
                                    / ((Number) d.get("batchFirstSeconds")).doubleValue())
                            + " / " + d.get("streamingEventsPerSecond"),
                    ">= 100,000"));
        }
        if (wants(only, "model")) {
            model(s, summary, detail, table);
        }
        if (wants(only, "campaign")) {
            List<Integer> facts = s.mode().equals("tiny") ? List.of(200) : List.of(2_000, 8_000, 32_000);
            Map<String, Object> d = dev.attune.job.CampaignSummaryScale.run(facts);
            detail.put("campaign", d);
            @SuppressWarnings("unchecked")
            Map<String, Object> largest = (Map<String, Object>) d.get(Integer.toString(facts.get(facts.size() - 1)));
            summary.put("campaignSummaryFactsPerSecond", largest.get("factsPerSecond"));
            StringBuilder v = new StringBuilder();
            for (Object m : d.values()) {
                Map<?, ?> r = (Map<?, ?>) m;
                v.append(v.length() == 0 ? "" : ", ")
                        .append(String.format("%,d: %.2f s", r.get("facts"), r.get("seconds")));
            }
            table.add(row(
                    "(7) campaign summary, facts of one campaign in one minute (operator on RocksDB, harness)",
                    v.toString(),
                    "linear"));
        }
        if (wants(only, "scale")) {
            scale(s, summary, detail, table);
        }
        if (wants(only, "eval") && !s.mode().equals("tiny")) {
            evaluation(summary, table);
        }
        summary.put("detail", detail);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        mapper.writeValue(out.resolve("summary.json").toFile(), summary);
        printTable(table, log);
        try {
            for (Path png : Plots.write(detail, out)) {
                if (docs != null) {
                    Files.createDirectories(docs);
                    Files.copy(
                            png,
                            docs.resolve("bench-" + png.getFileName()),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                log.println("plot: " + png
                        + (docs != null ? " (copied to " + docs.resolve("bench-" + png.getFileName()) + ")" : ""));
            }
        } catch (RuntimeException | LinkageError e) {
            log.println("plots not written: " + e);
        }
        log.println("summary: " + out.resolve("summary.json"));
        return summary;
    }

    private static PrintStream log = System.out;

    // ---------------------------------------------------------------- (10) labelled decision evaluation

    /** Scores both halves of the labelled evaluation (docs/evaluation.md) into {@code evaluation}. */
    @SuppressWarnings("unchecked")
    static void evaluation(Map<String, Object> summary, List<String[]> table) throws IOException {
        Map<String, Object> both = new LinkedHashMap<>();
        for (String split : List.of("tune", "heldout")) {
            Path work = Files.createTempDirectory("attune-eval-" + split);
            Map<String, Object> f;
            try {
                f = dev.attune.eval.Evaluation.run(split, 1, work, log).figures();
            } finally {
                TestFiles.deleteQuietly(work);
            }
            both.put(split, f);
            Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) f.get("perKind");
            double minRecall = kinds.values().stream()
                    .filter(k -> k.get("recall") != null)
                    .mapToDouble(k -> (Double) k.get("recall"))
                    .min()
                    .orElse(0);
            Map<String, Object> delay = (Map<String, Object>) f.get("delay");
            Map<String, Object> campaign = (Map<String, Object>) f.get("campaign");
            table.add(
                    row("(10) evaluation " + split + ": lowest recall of an at-risk kind", fmt3(minRecall), ">= 0.95"));
            table.add(row(
                    "(10) evaluation " + split + ": false alarms on calm customers",
                    String.valueOf(f.get("falseAlarmRate")),
                    "<= 0.02"));
            Map<String, Map<String, Object>> churn = (Map<String, Map<String, Object>>) f.get("churnCategory");
            StringBuilder c = new StringBuilder();
            churn.forEach((lang, m) ->
                    c.append(c.length() > 0 ? " " : "").append(lang).append(' ').append(m.get("accuracy")));
            table.add(row(
                    "(10) evaluation " + split + ": churn category per language",
                    c.toString(),
                    "en >= 0.9, others >= 0.8"));
            table.add(row(
                    "(10) evaluation " + split + ": delay p50/p95/max ms, campaign decisions right",
                    delay.get("p50Ms") + " / " + delay.get("p95Ms") + " / " + delay.get("maxMs") + ", "
                            + campaign.get("share"),
                    "max <= 5000"));
        }
        summary.put("evaluation", both);
    }

    private static boolean wants(List<String> only, String section) {
        return only.isEmpty() ? !section.equals("e2e1") : only.contains(section);
    }

    // ---------------------------------------------------------------- (1) the limit

    static double parseLimit(Sizes s, Map<String, Object> detail, List<String[]> table) {
        SyntheticHistory h = history(s.parseCustomers());
        int n = (int) h.size();
        String[] streams = new String[n];
        byte[][] bytes = new byte[n][];
        long genStart = System.nanoTime();
        long totalBytes = 0;
        for (int i = 0; i < n; i++) {
            SyntheticHistory.Generated g = h.at(i);
            streams[i] = g.stream();
            bytes[i] = g.bytes();
            totalBytes += bytes[i].length;
        }
        double genSeconds = (System.nanoTime() - genStart) / 1e9;
        log.printf(
                "(1) parse: %d records of %d customers, %.0f bytes on average%n",
                n, s.parseCustomers(), (double) totalBytes / n);
        long[] sink = {0};
        // RecordParser.parse (the one pass, the reference where it cannot prove a record), then the reference alone.
        double[] parse = parseRate(streams, bytes, s, sink, RecordParser::parse);
        double[] reference = parseRate(
                streams,
                bytes,
                s,
                sink,
                (stream, position, raw) -> RecordParser.reference(stream, position, raw, Long.MAX_VALUE));
        double rate = parse[0];
        // The generator's own cost, which the end-to-end figure also pays (it generates each record, then parses it).
        SyntheticHistory fresh = history(s.parseCustomers());
        long g0 = System.nanoTime();
        for (int k = 0; k < n; k++) {
            sink[0] += fresh.at(k).bytes().length;
        }
        double genRate = n / ((System.nanoTime() - g0) / 1e9);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("eventsPerSecond", round(rate, 0));
        d.put("eventsPerCpuSecond", round(parse[1], 0));
        d.put("referenceEventsPerSecond", round(reference[0], 0));
        d.put("referenceEventsPerCpuSecond", round(reference[1], 0));
        d.put("records", n);
        d.put("meanRecordBytes", round((double) totalBytes / n, 1));
        d.put("generatorEventsPerSecond", round(genRate, 0));
        d.put("generatorFirstPassSeconds", round(genSeconds, 3));
        d.put("ignore", sink[0] % 2);
        detail.put("parse", d);
        table.add(row("(1) parse + validate, 1 thread, events/s", fmt(rate), "(the limit)"));
        table.add(row("    the same per CPU second of the thread", fmt(parse[1]), "(load-independent)"));
        table.add(row(
                "    reference path alone (tree + schema), events/s, per CPU s",
                fmt(reference[0]) + " / " + fmt(reference[1]),
                "(for the ratio)"));
        table.add(row("    generator alone, 1 thread, events/s", fmt(genRate), "(paid inside (2))"));
        return rate;
    }

    interface ParseFunction {
        Inbound parse(String stream, String position, byte[] raw);
    }

    /**
     * Records parsed per second of wall time and per second of this thread's CPU time (the machine is
     * shared: the CPU figure moves less with the load), after a warm-up.
     */
    static double[] parseRate(String[] streams, byte[][] bytes, Sizes s, long[] sink, ParseFunction f) {
        int n = bytes.length;
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long end = System.nanoTime() + (long) (s.parseWarmupSeconds() * 1e9);
        int i = 0;
        while (System.nanoTime() < end) {
            sink[0] += f.parse(streams[i], "p", bytes[i]).isValid() ? 1 : 0;
            i = (i + 1) % n;
        }
        long count = 0;
        long cpu0 = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        end = start + (long) (s.parseSeconds() * 1e9);
        long now;
        do {
            for (int k = 0; k < 1000; k++) {
                sink[0] += f.parse(streams[i], "p", bytes[i]).isValid() ? 1 : 0;
                i = (i + 1) % n;
            }
            count += 1000;
            now = System.nanoTime();
        } while (now < end);
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
        return new double[] {count / ((now - start) / 1e9), count / cpuSeconds};
    }

    // ---------------------------------------------------------------- (2) end to end

    /** One bounded generator run: events, net job runtime (from JobManager) and wall time incl. MiniCluster start. */
    record Run(long events, double netSeconds, double wallSeconds, double cpuSeconds) {
        Run(long events, double netSeconds, double wallSeconds) {
            this(events, netSeconds, wallSeconds, Double.NaN);
        }
    }

    /** CPU seconds this process has used (every thread: the job's tasks, the MiniCluster, the JIT, the GC). */
    static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean)
                                java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime()
                / 1e9;
    }

    static Configuration conf(int customers, int parallelism, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--sink.kind",
                "discard",
                "--generator.customers",
                String.valueOf(customers),
                "--parallelism",
                String.valueOf(parallelism),
                "--summary.examples",
                "0",
                // No holdouts: the bench measures what the engine decides for every customer (recall, latency).
                "--holdout.share",
                "0",
                "--holdout.interventions",
                "help_tip=0"));
        args.addAll(List.of(extra));
        return CommandLine.parse(args.toArray(String[]::new)).conf();
    }

    static Run attune(Configuration conf, boolean observe) throws Exception {
        Path ck = Files.createTempDirectory("bench-checkpoints");
        try {
            StreamExecutionEnvironment env =
                    AttuneJob.environment(conf, ck.toUri().toString());
            DataStream<OutputRecord> decided = AttuneJob.decide(Sources.inputs(env, conf), conf);
            Sinks.attach(observe ? observed(decided) : decided, conf);
            long t0 = System.nanoTime();
            double cpu0 = processCpuSeconds();
            JobExecutionResult r = env.execute("attune-bench");
            double wall = (System.nanoTime() - t0) / 1e9;
            return new Run(
                    Sources.history(conf).size(),
                    r.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3,
                    wall,
                    processCpuSeconds() - cpu0);
        } finally {
            TestFiles.deleteQuietly(ck);
        }
    }

    static DataStream<OutputRecord> observed(DataStream<OutputRecord> decided) {
        return decided.map(new Probes.Observe())
                .returns(TypeInformation.of(OutputRecord.class))
                .name("bench observe")
                .uid("bench-observe");
    }

    /** events/s of the big run net of a small run's fixed cost (deploying tasks, opening RocksDB, the last checkpoint). */
    static double netRate(Run big, Run small) {
        double dt = big.netSeconds() - small.netSeconds();
        long de = big.events() - small.events();
        return dt > 0 && de > 0 ? de / dt : big.events() / big.netSeconds();
    }

    /**
     * The shipped live settings, the headline: the {@code kafka} profile (checkpoints every 10 s, watermark,
     * on-arrival decisions, heap timers, buffer timeout) reading the generator and discarding what it
     * decides (a shortcut: no broker). Not the demo {@code local} profile's 2 s checkpoints.
     */
    static final String[] LIVE = {"--profile", "kafka", "--source.kind", "generator"};

    /**
     * The shipped local profile sized as a TaskManager for this state would be: checkpoints every 10 s
     * (as jobs/kafka.properties) instead of 2 s, and 2 GiB of managed memory for RocksDB instead of a
     * MiniCluster's 128 MiB. Reported beside the shipped profile's figure, not as the headline.
     */
    static final String[] SIZED = withManagedMemory("--checkpoint.interval", "10 s");

    /** The arguments plus 2 GiB of managed memory for RocksDB (a MiniCluster's default is 128 MiB). */
    static String[] withManagedMemory(String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--flink.taskmanager.memory.managed.size";
        all[args.length + 1] = "2g";
        return all;
    }

    static double endToEnd(
            Sizes s, int p, Map<String, Object> detail, List<String[]> table, String variant, String... extra)
            throws Exception {
        Probes.reset();
        Run small =
                s.baselineCustomers() > 0 ? attune(conf(s.baselineCustomers(), p, extra), false) : new Run(0, 0, 0, 0);
        Run big = attune(conf(s.e2eCustomers(), p, extra), true);
        double rate = netRate(big, small);
        // Load-independent beside the rates: the process's CPU for the events the big run adds.
        double cpu = big.cpuSeconds() - small.cpuSeconds();
        long events = big.events() - small.events();
        double perCpuSecond = cpu > 0 && events > 0 ? events / cpu : big.events() / big.cpuSeconds();
        double recall = recall(s.e2eCustomers());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("parallelism", p);
        d.put("customers", s.e2eCustomers());
        d.put("events", big.events());
        d.put("netSeconds", round(big.netSeconds(), 3));
        d.put("wallSeconds", round(big.wallSeconds(), 3));
        d.put("startupRunCustomers", s.baselineCustomers());
        d.put("startupRunNetSeconds", round(small.netSeconds(), 3));
        d.put("startupRunWallSeconds", round(small.wallSeconds(), 3));
        d.put("eventsPerSecond", round(rate, 0));
        d.put("eventsPerSecondPerSlot", round(rate / p, 0));
        d.put("eventsPerSecondIncludingStartup", round(big.events() / big.wallSeconds(), 0));
        d.put("cpuSeconds", round(big.cpuSeconds(), 2));
        d.put("startupRunCpuSeconds", round(small.cpuSeconds(), 2));
        d.put("eventsPerCpuSecond", round(perCpuSecond, 0));
        d.put("outputs", Probes.OUTPUTS.get());
        d.put("atRiskRecallHeuristic", round(recall, 4));
        d.put(
                "settings",
                extra.length == 0 ? "local profile" : String.join(" ", extra).replace("--", ""));
        detail.put("endToEnd" + (variant.isEmpty() ? "" : "Sized") + "P" + p, d);
        log.printf(
                "(2) p=%d%s: %d events in %.2f s net (%.2f s wall, %.2f s CPU), start-up run %.2f s net (%.2f s CPU)"
                        + " -> %.0f events/s, %.0f per CPU second%n",
                p,
                variant,
                big.events(),
                big.netSeconds(),
                big.wallSeconds(),
                big.cpuSeconds(),
                small.netSeconds(),
                small.cpuSeconds(),
                rate,
                perCpuSecond);
        table.add(row(
                "(2) Attune end to end p=" + p + variant + ", events/s",
                fmt(rate),
                "per slot " + fmt(rate / p) + ", per CPU s " + fmt(perCpuSecond)));
        return rate;
    }

    // ---------------------------------------------------------------- (3) naive

    static double naive(Sizes s, Map<String, Object> detail, List<String[]> table) throws Exception {
        Run small = s.baselineCustomers() > 0 ? naiveRun(s.baselineCustomers(), 2) : new Run(0, 0, 0);
        Run big = naiveRun(s.naiveCustomers(), 2);
        double rate = netRate(big, small);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("parallelism", 2);
        d.put("customers", s.naiveCustomers());
        d.put("events", big.events());
        d.put("netSeconds", round(big.netSeconds(), 3));
        d.put("startupRunNetSeconds", round(small.netSeconds(), 3));
        d.put("eventsPerSecond", round(rate, 0));
        d.put("kryoCheckpoints", kryoCanCheckpoint());
        d.put(
                "design",
                "heap (hashmap) state, every raw event per customer in a Kryo-serialised POJO with a List, "
                        + "the last " + NaiveFunction.WINDOW
                        + " raw events re-parsed, re-validated and re-decided from an "
                        + "empty state on every event; arrival order");
        detail.put("naive", d);
        log.printf("(3) naive p=2: %d events in %.2f s net -> %.0f events/s%n", big.events(), big.netSeconds(), rate);
        table.add(row("(3) naive design p=2, events/s", fmt(rate), ""));
        return rate;
    }

    static Run naiveRun(int customers, int p) throws Exception {
        List<String> args =
                new ArrayList<>(List.of("--state.backend", "hashmap", "--flink.pipeline.generic-types", "true"));
        if (!kryoCanCheckpoint()) {
            // Flink's Kryo needs --add-opens java.base/java.util (bench/run passes it, as Flink's own scripts do);
            // without it, as in the unit-test JVM, the naive run takes no checkpoint rather than failing.
            args.addAll(List.of(
                    "--checkpoint.interval",
                    "1 d",
                    "--flink.execution.checkpointing.checkpoints-after-tasks-finish.enabled",
                    "false"));
        }
        Configuration conf = conf(customers, p, args.toArray(String[]::new));
        Path ck = Files.createTempDirectory("bench-naive");
        try {
            StreamExecutionEnvironment env =
                    AttuneJob.environment(conf, ck.toUri().toString());
            SyntheticHistory history = Sources.history(conf);
            DataGeneratorSource<NaiveFunction.RawEvent> source = new DataGeneratorSource<>(
                    new RawGenerator(history),
                    history.size(),
                    RateLimiterStrategy.noOp(),
                    TypeInformation.of(NaiveFunction.RawEvent.class));
            CustomerEngine engine = new CustomerEngine(
                    AttuneJob.signalSettings(conf), AttuneJob.policySettings(conf), AttuneJob.analysisSettings(conf));
            DataStream<OutputRecord> decided = env.fromSource(
                            source,
                            WatermarkStrategy.<NaiveFunction.RawEvent>noWatermarks(),
                            "generate raw",
                            TypeInformation.of(NaiveFunction.RawEvent.class))
                    .filter(e -> e.userId != null)
                    .name("routable")
                    .keyBy(e -> e.userId)
                    .process(new NaiveFunction(engine))
                    .returns(TypeInformation.of(OutputRecord.class))
                    .name("naive decide");
            Sinks.attach(decided, conf);
            long t0 = System.nanoTime();
            JobExecutionResult r = env.execute("naive-bench");
            return new Run(
                    history.size(), r.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3, (System.nanoTime() - t0) / 1e9);
        } finally {
            TestFiles.deleteQuietly(ck);
        }
    }

    static boolean kryoCanCheckpoint() {
        return Object.class.getModule().isOpen("java.util", Bench.class.getModule());
    }

    /** The producer side of the naive design: generate, parse once to find the key (as Attune's source does), keep the raw text. */
    static final class RawGenerator implements GeneratorFunction<Long, NaiveFunction.RawEvent> {
        private static final long serialVersionUID = 1L;
        private final SyntheticHistory history;

        RawGenerator(SyntheticHistory history) {
            this.history = history;
        }

        @Override
        public NaiveFunction.RawEvent map(Long index) {
            SyntheticHistory.Generated g = history.at(index);
            Inbound in = RecordParser.parse(g.stream(), "generator#" + index, g.bytes());
            return new NaiveFunction.RawEvent(
                    g.stream(), in.isValid() ? in.record.userId : null, new String(g.bytes(), StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- (4) latency

    static Map<String, Object> latency(
            Sizes s, double maxRate, String label, String[] extra, Map<String, Object> detail, List<String[]> table)
            throws Exception {
        double rate = Math.max(100, Math.floor(maxRate / 2));
        int customers = (int) Math.min(
                s.latencyMaxCustomers(),
                Math.max(50, Math.ceil(rate * s.latencySeconds() / SyntheticHistory.PER_CUSTOMER)));
        List<String> args = new ArrayList<>(List.of("--generator.rate", String.valueOf(rate)));
        args.addAll(List.of(extra));
        Configuration conf = conf(customers, 1, args.toArray(String[]::new));
        Probes.reset();
        Path ck = Files.createTempDirectory("bench-latency");
        Run run;
        try {
            StreamExecutionEnvironment env =
                    AttuneJob.environment(conf, ck.toUri().toString());
            DataStream<Inbound> stamped = Sources.inbound(env, conf)
                    .map(new Probes.Stamp())
                    .returns(RecordSerializers.INBOUND)
                    .name("bench stamp")
                    .uid("bench-stamp");
            Sinks.attach(observed(AttuneJob.decide(stamped, conf)), conf);
            long t0 = System.nanoTime();
            JobExecutionResult r = env.execute("latency-bench");
            run = new Run(
                    Sources.history(conf).size(),
                    r.getNetRuntime(TimeUnit.MILLISECONDS) / 1e3,
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            TestFiles.deleteQuietly(ck);
        }
        long[] nanos =
                Probes.LATENCIES.stream().mapToLong(Long::longValue).sorted().toArray();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("settings", label);
        d.put("parallelism", 1);
        d.put("ratePerSecond", rate);
        d.put("customers", customers);
        d.put("events", run.events());
        d.put("achievedEventsPerSecond", round(run.events() / run.netSeconds(), 0));
        d.put("samples", nanos.length);
        d.put("p50Ms", pct(nanos, 0.50));
        d.put("p90Ms", pct(nanos, 0.90));
        d.put("p99Ms", pct(nanos, 0.99));
        d.put("p999Ms", pct(nanos, 0.999));
        d.put("maxMs", nanos.length == 0 ? null : round(nanos[nanos.length - 1] / 1e6, 2));
        double[] ms = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            ms[i] = nanos[i] / 1e6;
        }
        d.put("samplesMs", downsample(ms, 2000));
        @SuppressWarnings("unchecked")
        List<Object> all = (List<Object>) detail.computeIfAbsent("latency", k -> new ArrayList<>());
        all.add(d);
        log.printf(
                "(4) latency [%s] at %.0f events/s, p=1: %d samples, p50 %s ms, p99 %s ms, p99.9 %s ms%n",
                label, rate, nanos.length, d.get("p50Ms"), d.get("p99Ms"), d.get("p999Ms"));
        table.add(row(
                "(4) struggle->intervention p50/p99/p99.9 ms, " + label,
                d.get("p50Ms") + " / " + d.get("p99Ms") + " / " + d.get("p999Ms"),
                "p99 < 100"));
        return d;
    }

    static Double pct(long[] sorted, double q) {
        if (sorted.length == 0) {
            return null;
        }
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return round(sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6, 2);
    }

    static List<Double> downsample(double[] sorted, int max) {
        List<Double> out = new ArrayList<>();
        if (sorted.length == 0) {
            return out;
        }
        int n = Math.min(max, sorted.length);
        for (int i = 0; i < n; i++) {
            out.add(round(sorted[(int) ((long) i * (sorted.length - 1) / Math.max(1, n - 1))], 3));
        }
        return out;
    }

    // ---------------------------------------------------------------- (5) model calls and recall

    static void model(Sizes s, Map<String, Object> summary, Map<String, Object> detail, List<String[]> table)
            throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        SyntheticHistory h = history(s.modelCustomers());
        long behaviour = 0;
        for (long i = 0; i < h.size(); i++) {
            if (Streams.USER_EVENTS.equals(h.at(i).stream())) {
                behaviour++;
            }
        }
        d.put("customers", s.modelCustomers());
        d.put("events", h.size());
        d.put("behaviourEvents", behaviour);
        Path journal = Files.createTempDirectory("bench-journal");
        try (LocalBedrock bedrock = LocalBedrock.startWithTestCredentials()) {
            for (String budget : s.baselineCustomers() > 0 ? List.of("default", "unlimited") : List.of("default")) {
                bedrock.reset();
                bedrock.setDefault(LocalBedrock.answer(LocalBedrock.VALID_JOURNEY_JSON));
                bedrock.when("retention analyst", LocalBedrock.answer(LocalBedrock.VALID_WINBACK_JSON));
                TestFiles.deleteQuietly(journal);
                Files.createDirectories(journal);
                List<String> args = new ArrayList<>(List.of(
                        "--analysis.mode",
                        "bedrock",
                        "--bedrock.endpoint",
                        bedrock.endpoint(),
                        "--bedrock.region",
                        "us-east-1",
                        "--analysis.journal.path",
                        journal.toString()));
                if (budget.equals("unlimited")) {
                    args.addAll(List.of("--analysis.budget.tokens-per-minute", "100000000"));
                }
                Probes.reset();
                Run run = attune(conf(s.modelCustomers(), 2, args.toArray(String[]::new)), true);
                int calls = bedrock.calls();
                double recall = recall(s.modelCustomers());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("modelCalls", calls);
                m.put("modelCallsPer1000BehaviourEvents", round(1000.0 * calls / behaviour, 3));
                m.put("modelCallsPer1000Events", round(1000.0 * calls / h.size(), 3));
                m.put("atRiskRecall", round(recall, 4));
                m.put("wallSeconds", round(run.wallSeconds(), 2));
                d.put("budget" + (budget.equals("default") ? "Default" : "Unlimited"), m);
                log.printf(
                        "(5) bedrock (LocalBedrock), budget %s: %d calls for %d behaviour events (%.2f per 1,000), recall %.4f%n",
                        budget, calls, behaviour, 1000.0 * calls / behaviour, recall);
                if (budget.equals("default")) {
                    summary.put("modelCallsPer1000", round(1000.0 * calls / behaviour, 3));
                    summary.put("atRiskRecall", round(recall, 4));
                    table.add(
                            row("(5) model calls per 1,000 behaviour events", fmt3(1000.0 * calls / behaviour), "< 5"));
                    table.add(row("(5) at-risk customers reached (recall)", fmt3(recall), "1.000"));
                } else {
                    table.add(row(
                            "    ... with the token budget lifted: calls per 1,000",
                            fmt3(1000.0 * calls / behaviour),
                            "(demand)"));
                }
            }
        } finally {
            TestFiles.deleteQuietly(journal);
        }
        detail.put("model", d);
    }

    /** Share of the customers the generator labels at risk that got at least one intervention. */
    static double recall(int customers) {
        SyntheticHistory h = history(customers);
        int atRisk = 0;
        int reached = 0;
        for (int c = 0; c < customers; c++) {
            if (h.atRisk(c)) {
                atRisk++;
                if (Probes.INTERVENED.contains(SyntheticHistory.userId(c))) {
                    reached++;
                }
            }
        }
        return atRisk == 0 ? 0 : (double) reached / atRisk;
    }

    // ---------------------------------------------------------------- (6) state and growth, (7) restore

    /** The probe the restored job decides: a struggle burst and a campaign request for customer 0, an hour after history. */
    static final class ProbeGenerator implements GeneratorFunction<Long, Inbound> {
        private static final long serialVersionUID = 1L;
        private final String[] streams;
        private final String[] raws;

        ProbeGenerator(long after) {
            List<String[]> p = new ArrayList<>();
            String user = SyntheticHistory.userId(0);
            for (int i = 0; i < 4; i++) {
                p.add(new String[] {
                    Streams.USER_EVENTS,
                    String.format(
                            "{\"type\":\"track\",\"userId\":\"%s\","
                                    + "\"event\":\"Struggle Signal\",\"messageId\":\"probe-%d\",\"timestamp\":\"%s\","
                                    + "\"properties\":{\"kind\":\"rage_click\",\"attempts\":3}}",
                            user, i, time(after + i * 1000L))
                });
            }
            p.add(new String[] {
                Streams.CAMPAIGN_REQUESTS,
                String.format(
                        "{\"requestId\":\"probe-request\","
                                + "\"campaignId\":\"probe\",\"userId\":\"%s\",\"timestamp\":\"%s\",\"category\":\"transactional\"}",
                        user, time(after + 5000))
            });
            p.add(new String[] {
                Streams.USER_EVENTS,
                String.format(
                        "{\"type\":\"page\",\"userId\":\"%s\",\"name\":\"home\","
                                + "\"messageId\":\"probe-late\",\"timestamp\":\"%s\",\"properties\":{\"durationMs\":1000}}",
                        SyntheticHistory.userId(1), time(after + 600_000))
            });
            streams = p.stream().map(a -> a[0]).toArray(String[]::new);
            raws = p.stream().map(a -> a[1]).toArray(String[]::new);
        }

        static String time(long millis) {
            return Instant.ofEpochMilli(millis).toString();
        }

        int size() {
            return raws.length;
        }

        @Override
        public Inbound map(Long i) {
            int k = (int) (i % raws.length);
            return RecordParser.parse(streams[k], "probe#" + k, raws[k].getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The scaling graph: the generator and a silent keep-alive source, the final watermark held back
     * (so nobody's TTL fires at end of input), Attune's decide, an observer, the discarding sink.
     * With a probe, the probe source joins the union.
     */
    static JobClient startScaleJob(Configuration conf, String checkpoints, ProbeGenerator probe) throws Exception {
        StreamExecutionEnvironment env = AttuneJob.environment(conf, checkpoints);
        DataStream<Inbound> keepAlive = env.fromSource(
                        new DataGeneratorSource<>(
                                i -> new Inbound(), Long.MAX_VALUE, Probes.never(), RecordSerializers.INBOUND),
                        WatermarkStrategy.<Inbound>forMonotonousTimestamps().withIdleness(Duration.ofMillis(200)),
                        "keep alive",
                        RecordSerializers.INBOUND)
                .setParallelism(1)
                .uid("bench-keep-alive");
        DataStream<Inbound> all = Sources.inbound(env, conf).union(keepAlive);
        if (probe != null) {
            all = all.union(env.fromSource(
                            new DataGeneratorSource<>(
                                    probe, Long.MAX_VALUE, Probes.first(probe.size()), RecordSerializers.INBOUND),
                            Sources.watermarks(conf),
                            "probe",
                            RecordSerializers.INBOUND)
                    .setParallelism(1)
                    .uid("bench-probe"));
        }
        DataStream<Inbound> held = all.transform(
                        "hold final watermark", RecordSerializers.INBOUND, new Probes.HoldFinalWatermark())
                .uid("bench-hold");
        Sinks.attach(observed(AttuneJob.decide(held, conf)), conf);
        return env.executeAsync("scale-bench");
    }

    static void scale(Sizes s, Map<String, Object> summary, Map<String, Object> detail, List<String[]> table)
            throws Exception {
        List<Object> points = new ArrayList<>();
        String lastSavepoint = null;
        int lastCustomers = 0;
        Path root = Files.createTempDirectory("bench-scale");
        try {
            for (int customers : s.scaleCustomers()) {
                // Everyone stays: a TTL longer than the history, so state grows with the customers. No
                // periodic checkpoints: the savepoint is what is measured, and the local profile's 2-second
                // checkpoints of a growing state (260 MB each at 700k customers, incremental or not, as
                // compaction rewrites it) took most of the time of the first two million-customer runs.
                // RocksDB gets 2 GiB of managed memory (a MiniCluster's default is 128 MiB): a million customers'
                // ~850 MB of state then fits its block cache, as on a TaskManager sized for it.
                Configuration conf =
                        conf(customers, 1, withManagedMemory("--state.ttl", "36500 d", "--checkpoint.interval", "1 h"));
                long events = Sources.history(conf).size();
                Path ck = Files.createDirectories(root.resolve("ck-" + customers));
                Path sp = Files.createDirectories(root.resolve("sp-" + customers));
                Probes.reset();
                long t0 = System.nanoTime();
                JobClient job = startScaleJob(conf, ck.toUri().toString(), null);
                while (Probes.HELD_COUNT.get() < events) {
                    if (job.getJobStatus().get().isGloballyTerminalState()) {
                        throw new IllegalStateException(
                                "scale job ended early: " + job.getJobStatus().get());
                    }
                    Thread.sleep(20);
                }
                double seconds = (Probes.HELD_LAST_NANOS.get() - Probes.HELD_FIRST_NANOS.get()) / 1e9;
                double firstAfter = (Probes.HELD_FIRST_NANOS.get() - t0) / 1e9;
                Thread.sleep(1500); // let the last watermarks through, so every event but the last 0.5 s is decided
                long sp0 = System.nanoTime();
                String savepoint = stopWithSavepoint(job, sp);
                double savepointSeconds = (System.nanoTime() - sp0) / 1e9;
                long bytes = treeSize(Path.of(java.net.URI.create(savepoint)));
                double rate = events / seconds;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("customers", customers);
                d.put("events", events);
                d.put("parallelism", 1);
                d.put("seconds", round(seconds, 3));
                d.put("eventsPerSecond", round(rate, 0));
                d.put("firstRecordAfterSeconds", round(firstAfter, 3));
                d.put("savepointBytes", bytes);
                d.put("stateBytesPerCustomer", round((double) bytes / customers, 1));
                d.put("savepointSeconds", round(savepointSeconds, 3));
                d.put("savepointFormat", "canonical");
                points.add(d);
                log.printf(
                        "(6) %d customers (%d events, p=1): %.0f events/s; savepoint %d bytes = %.0f bytes/customer (%.1f s)%n",
                        customers, events, rate, bytes, (double) bytes / customers, savepointSeconds);
                table.add(row(
                        "(6) " + fmtInt(customers) + " customers: events/s (p=1); state bytes/customer",
                        fmt(rate) + "; " + fmt((double) bytes / customers),
                        "< 1,024 B"));
                if (lastSavepoint != null) {
                    TestFiles.deleteQuietly(Path.of(java.net.URI.create(lastSavepoint)));
                }
                TestFiles.deleteQuietly(ck);
                lastSavepoint = savepoint;
                lastCustomers = customers;
                summary.put("stateBytesPerQuietCustomer", round((double) bytes / customers, 1));
            }
            detail.put("scale", points);
            if (lastSavepoint != null) {
                restore(s, lastSavepoint, lastCustomers, root, summary, detail, table);
            }
        } finally {
            TestFiles.deleteQuietly(root);
        }
    }

    /**
     * Stop-with-savepoint, tried again when a task finished between the checkpoint's plan and its
     * trigger: the bounded generator source ends while the job is kept alive, and a savepoint
     * triggered in that moment fails with "Task local checkpoint failure" (the TaskManager no
     * longer knows the task) and leaves the job running.
     */
    static String stopWithSavepoint(JobClient job, Path dir) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return job.stopWithSavepoint(false, dir.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get(30, TimeUnit.MINUTES);
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 3
                        || !(e.getCause() instanceof org.apache.flink.runtime.checkpoint.CheckpointException)) {
                    throw e;
                }
                log.printf(
                        "savepoint attempt %d failed (%s); trying again%n",
                        attempt, e.getCause().getMessage());
                Thread.sleep(1_000);
            }
        }
    }

    static void restore(
            Sizes s,
            String savepoint,
            int customers,
            Path root,
            Map<String, Object> summary,
            Map<String, Object> detail,
            List<String[]> table)
            throws Exception {
        long after = history(customers).at(history(customers).size() - 1).timestamp() + 3_600_000L;
        double fresh = firstOutput(conf(customers, 1, withManagedMemory("--state.ttl", "36500 d")), root, after);
        double restored = firstOutput(
                conf(
                        customers,
                        1,
                        withManagedMemory(
                                "--state.ttl",
                                "36500 d",
                                "--flink.execution.savepoint.path",
                                savepoint,
                                "--flink.execution.savepoint.ignore-unclaimed-state",
                                "true")),
                root,
                after);
        double perMillion = fresh + Math.max(0, restored - fresh) * 1_000_000.0 / customers;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("customers", customers);
        d.put("savepoint", "canonical format, RocksDB");
        d.put("secondsToFirstOutputRestored", round(restored, 3));
        d.put("secondsToFirstOutputEmpty", round(fresh, 3));
        d.put("restoreSecondsPerMillionCustomers", round(perMillion, 2));
        d.put(
                "how",
                "wall time from executeAsync (MiniCluster start included) to the first output record of a probe "
                        + "(struggles and a request for customer 0 an hour after history); per million = empty start + "
                        + "(restored - empty) scaled linearly to 1,000,000 customers");
        detail.put("restore", d);
        summary.put("restoreSecondsPerMillionCustomers", round(perMillion, 2));
        log.printf(
                "(7) restore %d customers: first output after %.2f s (empty start %.2f s) -> %.2f s per million%n",
                customers, restored, fresh, perMillion);
        table.add(row(
                "(7) restore " + fmtInt(customers) + " customers to first output, s (empty start)",
                String.format(Locale.ROOT, "%.2f (%.2f)", restored, fresh),
                ""));
        table.add(row(
                "(7) restore, seconds per million customers",
                String.format(Locale.ROOT, "%.2f", perMillion),
                "seconds"));
    }

    static double firstOutput(Configuration conf, Path root, long after) throws Exception {
        Path ck = Files.createTempDirectory(root, "restore");
        Probes.reset();
        long t0 = System.nanoTime();
        JobClient job = startScaleJob(conf, ck.toUri().toString(), new ProbeGenerator(after));
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
            while (Probes.FIRST_OUTPUT_NANOS.get() == 0) {
                if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
                    throw new IllegalStateException("no output from the restore probe: "
                            + job.getJobStatus().get());
                }
                Thread.sleep(5);
            }
            return (Probes.FIRST_OUTPUT_NANOS.get() - t0) / 1e9;
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
            TestFiles.deleteQuietly(ck);
        }
    }

    // ---------------------------------------------------------------- helpers

    static SyntheticHistory history(int customers) {
        return Sources.history(conf(customers, 1));
    }

    static long treeSize(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            return walk.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    static Double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return null;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt3(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmtInt(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static String[] row(String what, String value, String goal) {
        return new String[] {what, value, goal};
    }

    static void printTable(List<String[]> rows, PrintStream out) {
        int w0 = "measure".length();
        int w1 = "value".length();
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        String f = "%-" + w0 + "s | %" + w1 + "s | %s%n";
        out.println();
        out.printf(f, "measure", "value", "goal");
        out.println("-".repeat(w0) + "-+-" + "-".repeat(w1) + "-+-" + "-".repeat(12));
        for (String[] r : rows) {
            out.printf(f, r[0], r[1], r[2]);
        }
        out.println();
    }
}
