package dev.attune.job;

import static dev.attune.OutputAssertions.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.FuzzInputs;
import dev.attune.contract.Inbound;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job against hostile input: the fuzz corpus, the records too big to commit, a few
 * hundred random mutations, the replay fixture and exact duplicates, replayed through
 * {@link Main#run} on a MiniCluster. The job must end (no stall), exit 0 without a restart, and
 * account for every input line exactly once: a dead letter with a reason at the line's position
 * (exactly the lines the parser rejects), or counted by the customer operator as used,
 * deduplicated, forgotten (Forget Me) or late. Blank lines are not records; the reader skips them.
 */
class FuzzReplayITCase {
    static final int MUTANTS_PER_STREAM = 300;
    static final int DUPLICATED_RECORDS = 20;
    /** Generous: the run takes well under a minute; -Dattune.fuzz.job-timeout=PT3M to change. */
    static final Duration JOB_TIMEOUT = Duration.parse(System.getProperty("attune.fuzz.job-timeout", "PT10M"));

    static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    @Test
    void everyInputLineIsUsedDeduplicatedOrADeadLetterWithAReason(
            @TempDir Path in, @TempDir Path out, @TempDir Path again, @InjectMiniCluster MiniCluster cluster)
            throws Exception {
        int duplicates = writeInput(in);
        Expected expected = expect(in);
        assertThat(expected.deadLetters).hasSizeGreaterThan(1000);
        assertThat(expected.valid).isGreaterThan(200);

        long started = System.nanoTime();
        run(in, out);
        double seconds = (System.nanoTime() - started) / 1e9;
        JobID job = onlyJob(cluster);
        Map<String, List<String>> outputs = sortedOutputs(out);
        String keep = System.getProperty("attune.fuzz.keep");
        if (keep != null) { // -Dattune.fuzz.keep=DIR keeps the input and the sorted outputs for a look
            Path dir = Files.createDirectories(Path.of(keep));
            for (Map.Entry<String, List<String>> e : outputs.entrySet()) {
                Files.write(dir.resolve(e.getKey() + ".jsonl"), e.getValue(), StandardCharsets.UTF_8);
            }
            dev.attune.testing.TestFiles.copyTree(in, dir.resolve("input"));
        }
        assertValidAgainstSchemas(outputs); // every output record readable and valid, whatever came in

        // Dead letters: at most one per position, and exactly the lines the parser rejects.
        Map<String, JsonNode> deadByPosition = new TreeMap<>();
        List<String> twice = new ArrayList<>();
        long late = 0;
        Map<String, String> parserDeadLetters = new TreeMap<>();
        for (JsonNode d : parsed(outputs.get(Streams.DEAD_LETTER))) {
            String position = d.at("/source/position").asText();
            assertThat(position).as("position of %s", d.get("deadLetterId")).isNotEmpty();
            assertThat(d.at("/error/message").asText()).isNotBlank();
            if (deadByPosition.put(position, d) != null) {
                twice.add(position);
            }
            String errorCode = d.at("/error/code").asText();
            if ("late_event".equals(errorCode)) {
                late++;
                assertThat(expected.validPositions)
                        .as("a late event was a valid record")
                        .contains(position);
            } else {
                assertThat(d.get("stage").asText()).isIn("parse", "validate");
                parserDeadLetters.put(position, errorCode);
            }
        }
        assertThat(twice).as("positions with more than one dead letter").isEmpty();
        assertThat(parserDeadLetters).as("dead letters by position").isEqualTo(expected.deadLetters);
        for (Map.Entry<String, byte[]> e : expected.rejectedBytes.entrySet()) {
            JsonNode d = deadByPosition.get(e.getKey());
            byte[] raw = d.get("rawEncoding").asText().equals("base64")
                    ? Base64.getDecoder().decode(d.get("raw").asText())
                    : d.get("raw").asText().getBytes(StandardCharsets.UTF_8);
            if (d.path("rawTruncated").asBoolean()) {
                // Too large to carry whole: its start, and the size and hash of the line as read.
                assertThat(e.getValue())
                        .as("start of the line at %s", e.getKey())
                        .startsWith(raw);
                assertThat(d.get("rawBytes").asInt()).isEqualTo(e.getValue().length);
                assertThat(d.get("rawSha256").asText())
                        .isEqualTo(java.util.HexFormat.of()
                                .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                        .digest(e.getValue())));
                continue;
            }
            assertThat(raw)
                    .as("raw of the dead letter at %s is the line as read", e.getKey())
                    .isEqualTo(e.getValue());
        }

        // Valid records: each counted once by the customer operator.
        long used = sum(job, "eventsUsed");
        long deduplicated = sum(job, "eventsDeduplicated");
        long forgotten = sum(job, "eventsForgotten");
        long lateCounted = sum(job, "eventsLate");
        assertThat(restarts(job)).as("restarts").isZero();
        assertThat(lateCounted).as("late events counted = late dead letters").isEqualTo(late);
        assertThat(used + deduplicated + forgotten + lateCounted)
                .as(
                        "used %d + deduplicated %d + forgotten %d + late %d = valid records",
                        used, deduplicated, forgotten, lateCounted)
                .isEqualTo(expected.valid);
        assertThat(deduplicated).as("at least the exact duplicates written").isGreaterThanOrEqualTo(duplicates);

        // Offers as deep as a send can carry are sent; deeper ones are dead letters, not unreadable sends.
        assertThat(parsed(outputs.get(Streams.CAMPAIGN_SENDS)).stream()
                        .map(n -> n.get("requestId").asText())
                        .filter(id -> id.startsWith("fzo-r-")))
                .containsExactlyInAnyOrder("fzo-r-1", "fzo-r-2", "fzo-r-31", "fzo-r-32");
        assertThat(expected.deadLetters.entrySet().stream()
                        .filter(e -> e.getKey().startsWith("campaign-requests/valid.jsonl:"))
                        .map(Map.Entry::getValue))
                .containsExactly("bad_value", "bad_value", "bad_value");

        // No contact detail of the input in an output (a dead letter's raw is the input record by contract).
        assertThat(dev.attune.testing.LeakScanner.scan(
                        dev.attune.testing.LeakScanner.collect(List.of(in)), List.of(out), true))
                .as("contact details of the input in the outputs")
                .isEmpty();

        // docs/replay.md: two replays of the same input give the same records, whatever the parallelism.
        // Here some records share a stream, customer, time and id but not their content.
        run(in, again, "--parallelism", "1");
        assertThat(sortedOutputs(again)).as("a second replay, at parallelism 1").isEqualTo(outputs);

        Map<String, Integer> byCode = new TreeMap<>();
        expected.deadLetters.values().forEach(c -> byCode.merge(c, 1, Integer::sum));
        System.out.printf(
                "%nFuzzReplayITCase: %d input lines (%d blank, skipped by the reader) -> %d used + %d deduplicated"
                        + " + %d forgotten + %d late + %d dead letters; dead letters by code %s; %d exact duplicates written;"
                        + " job %.1f s; outputs %s%n",
                expected.lines,
                expected.blank,
                used,
                deduplicated,
                forgotten,
                lateCounted,
                expected.deadLetters.size(),
                byCode,
                duplicates,
                seconds,
                sizes(outputs));
    }

    // ---------------------------------------------------------------------------------------------

    /** Writes the input folders; returns how many exact duplicate lines it wrote. */
    static int writeInput(Path in) throws IOException {
        Map<String, List<byte[]>> seeds = FuzzInputs.seeds();
        int duplicates = 0;
        for (int s = 0; s < Streams.INPUTS.size(); s++) {
            String stream = Streams.INPUTS.get(s);
            Path dir = Files.createDirectories(in.resolve(stream));
            Path corpus = Files.createDirectories(dir.resolve("corpus"));
            for (Path f : FuzzInputs.corpusFiles()) {
                if (FuzzInputs.fits(f, stream)) {
                    Files.copy(f, corpus.resolve(f.getFileName()));
                }
            }
            writeLines(
                    dir.resolve("big.jsonl"),
                    new ArrayList<>(FuzzInputs.bigRecords().values()));

            Random rnd = new Random(20261121L + s);
            List<byte[]> mine = seeds.get(stream);
            List<byte[]> mutants = new ArrayList<>();
            for (int i = 0; i < MUTANTS_PER_STREAM; i++) {
                mutants.add(FuzzInputs.mutate(
                        mine.get(rnd.nextInt(mine.size())), mine, rnd, 1 + rnd.nextInt(3), new StringBuilder()));
            }
            writeLines(dir.resolve("mutants.jsonl"), mutants);

            try (Stream<Path> files = Files.list(FuzzInputs.REPLAY_INPUT.resolve(stream))) {
                for (Path f : files.sorted().toList()) {
                    Files.copy(f, dir.resolve("replay-" + f.getFileName()));
                }
            }

            List<byte[]> valid = new ArrayList<>();
            for (int i = 0; i < DUPLICATED_RECORDS; i++) {
                valid.add(validRecord(stream, i));
            }
            for (int i = 0; i < DUPLICATED_RECORDS; i++) {
                valid.add(validRecord(stream, i)); // exact duplicates, later in the file
                duplicates++;
            }
            valid.addAll(offerScenario(stream));
            writeLines(dir.resolve("valid.jsonl"), valid);
        }
        return duplicates;
    }

    static byte[] validRecord(String stream, int i) {
        String json = switch (stream) {
            case Streams.USER_EVENTS ->
                "{\"messageId\":\"fzv-u-" + i + "\",\"userId\":\"fz-dup-" + i
                        + "\",\"type\":\"track\",\"event\":\"Feature Used\",\"timestamp\":\"2026-11-21T12:00:00Z\","
                        + "\"properties\":{\"feature\":\"reports\"}}";
            case Streams.ENGAGEMENT_EVENTS ->
                "{\"messageId\":\"fzv-e-" + i + "\",\"userId\":\"fz-dup-" + i
                        + "\",\"type\":\"track\",\"event\":\"Message Opened\",\"timestamp\":\"2026-11-21T12:00:01Z\","
                        + "\"properties\":{\"channel\":\"email\",\"sendId\":\"s-" + i + "\"}}";
            default ->
                "{\"requestId\":\"fzv-r-" + i + "\",\"campaignId\":\"fuzz-dup\",\"userId\":\"fz-dup-" + i
                        + "\",\"timestamp\":\"2026-11-21T12:00:02Z\",\"channels\":[\"email\"]}";
        };
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A reachable, consenting customer and campaign requests whose offers nest as deep as the input
     * allows: a send copies the offer into {@code content.parameters}, one level deeper.
     */
    static List<byte[]> offerScenario(String stream) {
        List<String> lines = new ArrayList<>();
        if (Streams.USER_EVENTS.equals(stream)) {
            lines.add(
                    "{\"messageId\":\"fzo-0\",\"userId\":\"fz-offer\",\"type\":\"identify\",\"timestamp\":\"2026-11-21T08:00:00Z\","
                            + "\"traits\":{\"timezone\":\"UTC\",\"locale\":\"en-GB\",\"email\":\"fz-offer@example.com\","
                            + "\"consent\":{\"email\":true,\"sms\":true,\"push\":true}}}");
        } else if (Streams.CAMPAIGN_REQUESTS.equals(stream)) {
            int[] depths = {1, 2, 31, 32, 33, 998, 999};
            for (int depth : depths) {
                // root (depth 1) + offer (2) + depth - 1 more levels
                String offer =
                        "{\"title\":\"Deep\",\"n\":" + "{\"a\":".repeat(depth - 1) + "1" + "}".repeat(depth - 1) + "}";
                lines.add("{\"requestId\":\"fzo-r-" + depth
                        + "\",\"campaignId\":\"fuzz-offer\",\"userId\":\"fz-offer\","
                        + "\"timestamp\":\"2026-11-21T12:0" + (depth % 10) + ":00Z\",\"category\":\"transactional\","
                        + "\"channels\":[\"email\"],\"offer\":" + offer + "}");
            }
        }
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    static void writeLines(Path file, List<byte[]> lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] l : lines) {
            out.writeBytes(l);
            out.write('\n');
        }
        Files.write(file, out.toByteArray());
    }

    /** What the job must make of the input folder, computed with the parser over the same lines. */
    static final class Expected {
        int lines;
        int blank;
        long valid;
        final List<String> validPositions = new ArrayList<>();
        final Map<String, String> deadLetters = new TreeMap<>();
        final Map<String, byte[]> rejectedBytes = new HashMap<>();
    }

    static Expected expect(Path in) throws IOException {
        Expected e = new Expected();
        for (String stream : Streams.INPUTS) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(in.resolve(stream))) {
                files = walk.filter(Files::isRegularFile)
                        .filter(f -> {
                            String n = f.getFileName().toString();
                            return !n.startsWith(".")
                                    && !n.startsWith("_")
                                    && (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz"));
                        })
                        .sorted()
                        .toList();
            }
            for (Path f : files) {
                String name = in.relativize(f).toString().replace('\\', '/');
                for (FuzzInputs.Line line : FuzzInputs.lines(f, name, false)) {
                    e.lines++;
                    if (FuzzInputs.isBlank(line.bytes())) {
                        e.blank++;
                        continue;
                    }
                    Inbound parsed = RecordParser.parse(stream, line.label(), line.bytes());
                    if (parsed.isValid()) {
                        e.valid++;
                        e.validPositions.add(line.label());
                    } else {
                        e.rejectedBytes.put(line.label(), line.bytes());
                    }
                    if (parsed.deadLetter != null) {
                        e.deadLetters.put(line.label(), parsed.deadLetter.code);
                    }
                }
            }
        }
        return e;
    }

    /** Replays the input folder through the command line; the job must end in time and exit 0. */
    static void run(Path in, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                in.toString(),
                "--output.path",
                out.toString(),
                "--checkpoint.interval",
                "1 s"));
        args.addAll(List.of(extra));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = assertTimeoutPreemptively(
                JOB_TIMEOUT,
                () -> Main.run(
                        args.toArray(String[]::new),
                        new PrintStream(stdout, true, StandardCharsets.UTF_8),
                        new PrintStream(stderr, true, StandardCharsets.UTF_8)),
                () -> "the job did not end within " + JOB_TIMEOUT);
        assertThat(code).as("exit code; stderr: %s", tail(stderr)).isZero();
        try {
            assertNoUnfinishedFiles(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JobID onlyJob(MiniCluster cluster) throws Exception {
        List<JobID> jobs = new ArrayList<>();
        for (JobStatusMessage m : cluster.listJobs().get()) {
            if (m.getJobName().equals("attune")) {
                jobs.add(m.getJobId());
            }
        }
        assertThat(jobs).as("attune jobs run").hasSize(1);
        return jobs.get(0);
    }

    /** A counter summed over the operator's subtasks. */
    static long sum(JobID job, String name) {
        return sum(METRICS, job, name);
    }

    static long sum(InMemoryReporter reporter, JobID job, String name) {
        long total = 0;
        int found = 0;
        for (Metric m : metrics(reporter, job, name)) {
            if (m instanceof Counter c) {
                total += c.getCount();
                found++;
            }
        }
        assertThat(found).as("subtasks reporting %s", name).isPositive();
        return total;
    }

    static long restarts(JobID job) {
        return restarts(METRICS, job);
    }

    static long restarts(InMemoryReporter reporter, JobID job) {
        long max = 0;
        List<Metric> found = metrics(reporter, job, "numRestarts");
        assertThat(found).as("the job's numRestarts").isNotEmpty();
        for (Metric m : found) {
            if (m instanceof Gauge<?> g && g.getValue() instanceof Number n) {
                max = Math.max(max, n.longValue());
            }
        }
        return max;
    }

    /** The job's metrics of that name, on every group (kept after the job ended). */
    static List<Metric> metrics(InMemoryReporter reporter, JobID job, String name) {
        List<Metric> found = new ArrayList<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> g :
                reporter.getMetricsByGroup().entrySet()) {
            if (job.toString().equals(g.getKey().getAllVariables().get("<job_id>"))
                    && g.getValue().containsKey(name)) {
                found.add(g.getValue().get(name));
            }
        }
        return found;
    }

    private static Map<String, Integer> sizes(Map<String, List<String>> outputs) {
        Map<String, Integer> m = new TreeMap<>();
        outputs.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    private static String tail(ByteArrayOutputStream stderr) {
        String s = stderr.toString(StandardCharsets.UTF_8);
        return s.length() > 4000 ? s.substring(0, 4000) + "…" : s;
    }
}
