package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.Streams;
import dev.attune.io.SyntheticHistory;
import dev.attune.job.Main;
import dev.attune.testing.KafkaBroker;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Attune on a real Kafka broker for the fault tests: a seeded history as files, loaded into topics of a run's own
 * prefix, the job's arguments, committed outputs read back, and the two references every run is held to: the
 * fault-free file replay of the same history and the {@link Oracle}.
 */
public final class KafkaJobs {
    final KafkaBroker broker;

    KafkaJobs(KafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * The seeded synthetic history of {@code customers} (waves of {@link SyntheticHistory#WAVE} customers, each wave
     * three days of event time after the one before), split into files per part: {@code dirs[k]} gets the records
     * {@code part} puts in k, in event-time order.
     */
    static void writeHistory(int customers, Path all, List<Path> parts, java.util.function.LongUnaryOperator part)
            throws IOException {
        SyntheticHistory h = new SyntheticHistory(11, customers, "2026-11-01T00:00:00Z", 0.01, 0.02);
        Map<Path, StringBuilder> files = new LinkedHashMap<>();
        for (long i = 0; i < h.size(); i++) {
            SyntheticHistory.Generated g = h.at(i);
            String line = new String(g.bytes(), StandardCharsets.ISO_8859_1) + "\n";
            files.computeIfAbsent(all.resolve(g.stream()), k -> new StringBuilder())
                    .append(line);
            if (!parts.isEmpty()) {
                Path dir = parts.get((int) part.applyAsLong(i));
                files.computeIfAbsent(dir.resolve(g.stream()), k -> new StringBuilder())
                        .append(line);
            }
        }
        for (var e : files.entrySet()) {
            Files.createDirectories(e.getKey());
            Files.write(
                    e.getKey().resolve("history.jsonl"), e.getValue().toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** Runs Attune's command line and fails with its stderr unless it exits 0. */
    public static int main(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(OutputStream.nullOutputStream()), new PrintStream(err, true));
        assertThat(code)
                .as("attune %s: %s", String.join(" ", args), err.toString(StandardCharsets.UTF_8))
                .isZero();
        return code;
    }

    /** Input topics {@code PREFIX-<stream>} ({@code inputPartitions} each), outputs {@code PREFIX-<stream>}. */
    void createTopics(String prefix, int inputPartitions, int outputPartitions) throws Exception {
        broker.createTopics(
                inputPartitions,
                Streams.INPUTS.stream().map(s -> prefix + "-" + s).toList());
        broker.createTopics(
                outputPartitions,
                Streams.OUTPUTS.stream().map(s -> prefix + "-" + s).toList());
    }

    /** The Kafka profile's arguments for a run reading {@code in-*} and writing {@code out-*}. */
    List<String> args(String in, String out, String... extra) {
        return args(broker, in, out, extra);
    }

    /** The Kafka profile's arguments for a run on {@code broker} reading {@code in-*} and writing {@code out-*}. */
    public static List<String> args(KafkaBroker broker, String in, String out, String... extra) {
        List<String> a = new ArrayList<>(List.of(
                "--profile",
                "jobs/kafka.properties",
                "--kafka.bootstrap-servers",
                broker.bootstrapServers(),
                "--kafka.transactional-id-prefix",
                out,
                "--kafka.group-id",
                out,
                "--checkpoint.interval",
                "500 ms"));
        for (String s : Streams.INPUTS) {
            a.addAll(List.of("--kafka.topic." + s, in + "-" + s));
        }
        for (String s : Streams.OUTPUTS) {
            a.addAll(List.of("--kafka.topic." + s, out + "-" + s));
        }
        a.addAll(List.of(extra));
        return a;
    }

    /** Records committed (read_committed end offsets) across the output topics named {@code prefix + stream}. */
    static long committedOutputs(org.apache.kafka.clients.admin.Admin admin, String prefix, int partitions)
            throws Exception {
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest =
                new java.util.HashMap<>();
        for (String s : dev.attune.contract.Streams.OUTPUTS) {
            for (int p = 0; p < partitions; p++) {
                latest.put(
                        new org.apache.kafka.common.TopicPartition(prefix + s, p),
                        org.apache.kafka.clients.admin.OffsetSpec.latest());
            }
        }
        return admin
                .listOffsets(
                        latest,
                        new org.apache.kafka.clients.admin.ListOffsetsOptions(
                                org.apache.kafka.common.IsolationLevel.READ_COMMITTED))
                .all()
                .get()
                .values()
                .stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    static Configuration conf(List<String> args) {
        return CommandLine.parse(args.toArray(String[]::new)).conf();
    }

    /** Loads history files into {@code prefix-<stream>} with Attune's loader (keyed by customer). */
    void load(String prefix, Path dir) {
        List<String> a = new ArrayList<>(List.of("load"));
        a.addAll(args(prefix, prefix, "--input.path", dir.toString()));
        main(a.toArray(String[]::new));
    }

    /** Every output stream of a run, read with read_committed. */
    Map<String, List<String>> outputs(String prefix) {
        Map<String, List<String>> out = new HashMap<>();
        for (String s : Streams.OUTPUTS) {
            out.put(
                    s,
                    broker.readCommitted(prefix + "-" + s).stream()
                            .map(ConsumerRecord::value)
                            .toList());
        }
        return out;
    }

    long lag(String group, String inputs) throws Exception {
        return broker.lag(
                group, Streams.INPUTS.stream().map(s -> inputs + "-" + s).toList());
    }

    /** Waits until {@code done} holds for the value {@code probe} gives, looking every 500 ms, within 2 min. */
    static void await(String what, Probe probe, LongPredicate done) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        long value;
        while (!done.test(value = probe.get())) {
            assertThat(System.currentTimeMillis())
                    .as("%s within 2 min (last %d)", what, value)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    interface Probe {
        long get() throws Exception;
    }

    /** The fault-free reference: the same history files through the replay profile (files in, files out). */
    static Map<String, List<String>> replay(Path history, Path out) {
        main(
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                history.toString(),
                "--output.path",
                out.toString());
        return FaultRunChecker.read(out);
    }

    /**
     * Holds a run's committed outputs to the replay and to the oracle: nothing lost, nothing duplicated, nothing
     * different, and every id the oracle expects; prints the comparison.
     */
    static FaultRunChecker.Result check(
            String what, Map<String, List<String>> reference, Map<String, List<String>> run, Oracle.Expected oracle) {
        FaultRunChecker.Result r = FaultRunChecker.compare(reference, run);
        FaultRunChecker.requireOracle(r, oracle, reference, run);
        System.out.println("== " + what);
        r.print(System.out);
        assertThat(r.problems).as(what).isEmpty();
        assertThat(r.lost).as(what + ": lost").isZero();
        assertThat(r.duplicated).as(what + ": duplicated").isZero();
        assertThat(r.differingOther + r.unexpectedOther)
                .as(what + ": other differences")
                .isZero();
        assertThat(r.failed()).isFalse();
        return r;
    }
}
