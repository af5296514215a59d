package dev.attune.job;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.ApplicationProperties;
import dev.attune.config.Choices.SinkKind;
import dev.attune.config.Choices.SourceKind;
import dev.attune.config.CommandLine;
import dev.attune.config.ConfigDocs;
import dev.attune.config.ConfigException;
import dev.attune.contract.Streams;
import dev.attune.io.Loader;
import dev.attune.io.OutputRecords;
import dev.attune.io.RunMarkers;
import dev.attune.io.RunSummary;
import dev.attune.io.Sources;
import dev.attune.report.ModelUse;
import dev.attune.report.ReportData;
import dev.attune.report.ReportPage;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.ObjectName;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;

/**
 * {@code java -jar attune.jar [run|load|report|whatif|config] [--profile P] [--key value]...}
 * ({@code --help} for each command). Exit codes:
 * 0 done, 1 the job failed, 2 the configuration is wrong (one line on stderr naming the key).
 *
 * <p>On a Flink cluster ({@code flink run}, application mode, the Kubernetes Operator, Managed
 * Flink) {@code main} builds the job, submits it and returns, as Flink expects of a program: it
 * never calls {@code System.exit} (in application mode that would end the JobManager) and prints
 * no summary of a run that has not happened. A bad configuration there is an exception naming
 * the key, which Flink reports as the application's failure.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        boolean program = startedAsProgram();
        if (program
                && System.getProperty(ReplayJvm.PROPERTY) == null
                && CommandLine.peekRun(args).filter(Main::shortReplay).isPresent()) {
            java.util.Optional<Integer> replayed = ReplayJvm.launch(args, System.err);
            if (replayed.isPresent()) {
                System.exit(replayed.get());
            }
        }
        if (!program && AttuneJob.onCluster()) {
            submit(args, System.out);
            return;
        }
        System.exit(run(args, System.out, System.err, true));
    }

    /**
     * True when this JVM was started to run Attune ({@code java -cp attune.jar dev.attune.job.Main},
     * {@code java -jar attune.jar}): then it is no Flink cluster's client or JobManager, whose JVMs
     * start Flink's own entry points, and the costlier look at Flink's environment is not needed (a
     * short replay starts another JVM, {@link ReplayJvm}, and waits for it).
     */
    static boolean startedAsProgram() {
        String program = System.getProperty("sun.java.command", "").split(" ", 2)[0];
        if (program.equals(Main.class.getName())) {
            return true;
        }
        try {
            java.security.CodeSource source = Main.class.getProtectionDomain().getCodeSource();
            return program.endsWith(".jar")
                    && source != null
                    && Path.of(source.getLocation().toURI())
                            .equals(Path.of(program).toAbsolutePath().normalize());
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return false;
        }
    }

    /** On a Flink cluster: validates, submits the job and returns (when the job ends, if attached). */
    static void submit(String[] args, PrintStream out) throws Exception {
        CommandLine cli = parse(args);
        if (!"run".equals(cli.command())) {
            throw new ConfigException(
                    "command",
                    "'" + cli.command() + "' runs with java -jar; on a Flink cluster " + "only run is submitted");
        }
        Configuration conf = cli.conf();
        if (conf.get(SOURCE_KIND) == SourceKind.KAFKA || conf.get(SINK_KIND) == SinkKind.KAFKA) {
            dev.attune.io.Kafka.preflight(conf, false);
        }
        out.println("Attune: profile " + cli.profile() + ", source " + conf.get(SOURCE_KIND) + ", sink "
                + conf.get(SINK_KIND) + ", on a Flink cluster");
        JobExecutionResult result = AttuneJob.run(conf, cli.given(), conf.get(CHECKPOINT_DIR));
        out.println("Attune: job " + result.getJobID() + (result.isJobExecutionResult() ? " finished" : " submitted"));
    }

    /** The command line, or on Managed Flink (no arguments) the application's property groups. */
    static CommandLine parse(String[] args) {
        Map<String, Properties> groups = args.length == 0 ? ApplicationProperties.read() : Map.of();
        return groups.isEmpty() ? CommandLine.parse(args) : ApplicationProperties.fromGroups(groups);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, false);
    }

    /** {@code ownJvm}: the JVM is this run's alone ({@link #main}), so its compilers may be set for it. */
    static int run(String[] args, PrintStream out, PrintStream err, boolean ownJvm) {
        java.util.Optional<String> help = CommandLine.help(args);
        if (help.isPresent()) {
            out.print(help.get());
            return 0;
        }
        CommandLine cli;
        try {
            cli = parse(args);
        } catch (ConfigException e) {
            err.println("attune: configuration error: " + e.getMessage());
            return 2;
        }
        Configuration conf = cli.conf();
        try {
            boolean usesKafka = conf.get(SOURCE_KIND) == SourceKind.KAFKA || conf.get(SINK_KIND) == SinkKind.KAFKA;
            if (usesKafka && List.of("run", "load").contains(cli.command())) {
                dev.attune.io.Kafka.preflight(conf, "load".equals(cli.command()));
            }
        } catch (ConfigException e) {
            err.println("attune: configuration error: " + e.getMessage());
            return 2;
        }
        switch (cli.command()) {
            case "load":
                return load(conf, out, err);
            case "report":
                return report(conf, out, err);
            case "whatif":
                return WhatIf.run(cli, out, err);
            case "config":
                out.print(ConfigDocs.listing(conf));
                return 0;
            default:
                break;
        }
        Path files = conf.get(SINK_KIND) == SinkKind.FILES ? Path.of(conf.get(OUTPUT_PATH)) : null;
        try {
            out.println("Attune: profile " + cli.profile() + ", source " + conf.get(SOURCE_KIND) + ", sink "
                    + conf.get(SINK_KIND) + ", parallelism " + conf.get(PARALLELISM));
            if (files != null) {
                RunMarkers.begin(files);
            }
            if (ownJvm && !ReplayJvm.STARTED.equals(System.getProperty(ReplayJvm.PROPERTY)) && shortReplay(conf)) {
                quickCompilerOnly();
            }
            runJob(conf, cli.given(), out);
            if (files != null) {
                // The console summary and the report page read the outputs in one pass between them.
                RunSummary.Tally summary = new RunSummary.Tally(conf.get(SUMMARY_EXAMPLES));
                ReportData.Reading reading = new ReportData.Reading(conf.get(REPORT_PRIORITY_LIST));
                OutputRecords.read(files, List.of(summary, reading));
                summary.print(out, files);
                Path report = writeReport(conf, files, reading.result());
                out.println();
                out.println("Report: " + report.toAbsolutePath().normalize());
                RunMarkers.succeeded(files);
            }
            return 0;
        } catch (Exception e) {
            err.println("attune: job failed: " + rootMessage(e));
            e.printStackTrace(err);
            if (files != null) {
                RunMarkers.failed(files, rootMessage(e));
            }
            return 1;
        }
    }

    /**
     * Input text (uncompressed) up to which a replay of files is short enough to run on HotSpot's
     * quick compiler alone. A million records of the synthetic history are 177 MB of text; on two
     * cores the quick compiler alone took a fifth less CPU for them, and about as much (5 % less) for
     * four million (710 MB), so the optimising compiler pays for itself only in longer replays.
     */
    static final long SHORT_REPLAY_MAX_BYTES = 1L << 30;

    /** A replay of files whose input holds at most {@link #SHORT_REPLAY_MAX_BYTES} of text. */
    static boolean shortReplay(Configuration conf) {
        return conf.get(SOURCE_KIND) == SourceKind.FILES && shortInput(conf.get(INPUT_PATH));
    }

    /** The same, from the unchecked settings of {@link CommandLine#peekRun}. */
    static boolean shortReplay(Map<String, String> settings) {
        return SourceKind.FILES
                        .name()
                        .equalsIgnoreCase(
                                settings.getOrDefault(SOURCE_KIND.key(), "").strip())
                && shortInput(settings.get(INPUT_PATH.key()));
    }

    private static boolean shortInput(String input) {
        return input != null && Sources.inputTextBytes(input.strip()) <= SHORT_REPLAY_MAX_BYTES;
    }

    /**
     * Leaves the JVM's compiling to its quick compiler (C1): a compiler directive keeps the optimising
     * one (C2) from every method. In a replay of a million records C2 took about as much CPU as the
     * job's own work (it compiles a thousand methods of the parser, the customer engine and Flink's
     * record paths, on the same two cores), and its faster code paid back only a part of that before
     * the run ended. It is what {@code -XX:TieredStopAtLevel=1} does, which the command line of
     * {@code java -cp attune.jar ...} cannot carry; the directive goes in through the JVM's own
     * diagnostic command ({@code jcmd Compiler.directives_add}). Where the JVM has no such command,
     * the run compiles as usual.
     */
    static void quickCompilerOnly() {
        try {
            Path directives = Files.createTempFile("attune-compiler", ".json");
            try {
                Files.writeString(directives, "[{ match: \"*.*\", c2: { Exclude: true } }]");
                ManagementFactory.getPlatformMBeanServer()
                        .invoke(
                                new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                "compilerDirectivesAdd",
                                new Object[] {new String[] {directives.toString()}},
                                new String[] {String[].class.getName()});
            } finally {
                Files.deleteIfExists(directives);
            }
        } catch (IOException | JMException | RuntimeException e) {
            // Not HotSpot, or no management server: the optimising compiler stays on.
        }
    }

    /** Runs the job to its end (a bounded source) with a throw-away checkpoint folder when none is set. */
    static void runJob(Configuration conf, java.util.Set<String> given, PrintStream out) throws Exception {
        Path tempCheckpoints = null;
        try {
            String checkpoints = conf.get(CHECKPOINT_DIR);
            if (checkpoints == null) {
                tempCheckpoints = Files.createTempDirectory("attune-checkpoints");
                checkpoints = tempCheckpoints.toUri().toString();
            }
            if (conf.get(SINK_KIND) == SinkKind.FILES && conf.get(OUTPUT_CLEAN)) {
                Path output = Path.of(conf.get(OUTPUT_PATH));
                for (String stream : Streams.OUTPUTS) {
                    deleteTree(output.resolve(stream));
                }
            }
            long started = System.nanoTime();
            // The input's size is for the progress line only (none shows before 5 s): counted beside
            // the job's start instead of before it, since it reads every input file once.
            CompletableFuture<Long> total =
                    CompletableFuture.supplyAsync(() -> Progress.inputRecords(conf), Main::daemon);
            if (conf.get(SINK_KIND) == SinkKind.FILES) {
                // The report's charts are drawn after the job; Java's 2D graphics start once, here, meanwhile.
                CompletableFuture.runAsync(ReportPage::prepare, Main::daemon);
            }
            JobExecutionResult result = Progress.follow(
                    AttuneJob.start(conf, given, checkpoints),
                    () -> total.getNow(-1L),
                    out,
                    out == System.out && System.console() != null);
            out.printf("Finished in %.1f s%n", (System.nanoTime() - started) / 1e9);
            String unmapped = Progress.unmappedLine(result);
            if (unmapped != null) {
                out.println(unmapped);
            }
        } finally {
            if (tempCheckpoints != null) {
                deleteTree(tempCheckpoints);
            }
        }
    }

    /** {@code attune report}: the page of a finished run's outputs under {@code output.path}. */
    static int report(Configuration conf, PrintStream out, PrintStream err) {
        Path output = Path.of(conf.get(OUTPUT_PATH));
        if (Streams.OUTPUTS.stream().noneMatch(s -> Files.isDirectory(output.resolve(s)))) {
            err.println("attune: configuration error: output.path: no run's outputs under " + output.toAbsolutePath()
                    + " (expected folders " + String.join(", ", Streams.OUTPUTS) + ")");
            return 2;
        }
        try {
            out.println("Report: " + writeReport(conf, output).toAbsolutePath().normalize());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("attune: report failed: " + rootMessage(e));
            e.printStackTrace(err);
            return 1;
        }
    }

    static Path writeReport(Configuration conf, Path output) throws IOException {
        return writeReport(conf, output, ReportData.read(output, conf.get(REPORT_PRIORITY_LIST)));
    }

    static Path writeReport(Configuration conf, Path output, ReportData data) throws IOException {
        ModelUse model = ModelUse.read(
                conf.get(ANALYSIS_MODE).toString(),
                conf.get(BEDROCK_MODEL_ID),
                conf.get(ANALYSIS_JOURNAL),
                conf.get(BEDROCK_PRICE_INPUT),
                conf.get(BEDROCK_PRICE_OUTPUT));
        return ReportPage.write(output, data, model);
    }

    /** {@code attune load}: archived history into the profile's input topics or streams. */
    static int load(Configuration conf, PrintStream out, PrintStream err) {
        SourceKind target = conf.get(SOURCE_KIND);
        if (target != SourceKind.KAFKA && target != SourceKind.KINESIS) {
            err.println("attune: configuration error: source.kind: load writes into kafka or kinesis, not " + target);
            return 2;
        }
        if (conf.get(INPUT_PATH) == null) {
            err.println("attune: configuration error: input.path: required for load");
            return 2;
        }
        try {
            long started = System.nanoTime();
            Loader.run(AttuneJob.environment(conf, null), conf);
            out.printf(
                    "Loaded %s into %s in %.1f s%n", conf.get(INPUT_PATH), target, (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (Exception e) {
            err.println("attune: load failed: " + rootMessage(e));
            e.printStackTrace(err);
            return 1;
        }
    }

    /** Runs a task on a daemon thread of its own (a run's few side tasks; none may keep the JVM up). */
    private static void daemon(Runnable task) {
        Thread t = new Thread(task, "attune-main-side");
        t.setDaemon(true);
        t.start();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    /**
     * Removes a folder and everything in it. A file that vanishes meanwhile (Flink removing a
     * checkpoint of its own as the job ends) is no error: the walk starts again, a few times.
     */
    static void deleteTree(Path p) {
        for (int attempt = 1; Files.exists(p); attempt++) {
            try (Stream<Path> walk = Files.walk(p)) {
                walk.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
                if (!(cause instanceof java.nio.file.NoSuchFileException) || attempt >= 5) {
                    throw new IllegalStateException("cannot clear " + p + ": " + cause.getMessage(), cause);
                }
            }
            if (attempt >= 5 && Files.exists(p)) {
                throw new IllegalStateException("cannot clear " + p + ": files keep appearing in it");
            }
        }
    }
}
