package dev.attune.job;

import static dev.attune.OutputAssertions.sortedOutputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.testing.Defaults;
import dev.attune.testing.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrades: a savepoint of the whole job and a snapshot of the customer operator, both taken
 * with version 1 and committed under src/test/resources/savepoints/v1, restore into the current
 * code (same uids, compatible POJO serializers, no Kryo). A change that breaks this needs a state
 * migration, not a new savepoint. To take them again on purpose (only when a release changes
 * state on purpose, with a migration):
 * {@code mvn test -Dtest=SavepointUpgradeITCase -Dattune.savepoint.create=true}.
 */
class SavepointUpgradeITCase {
    static final Path V1 = Path.of("src/test/resources/savepoints/v1");
    /** A job savepoint taken with the generator as it is now (-Dattune.savepoint.create=true retakes it). */
    static final Path CURRENT = Path.of("src/test/resources/savepoints/current");

    static final long T0 = CustomerFunctionTest.T0;

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    static String[] args(String sink, Path out, String rate) {
        return new String[] {
            "--generator.customers",
            "80",
            "--generator.rate",
            rate,
            "--sink.kind",
            sink,
            "--output.path",
            out.toString(),
            "--checkpoint.interval",
            "500 ms"
        };
    }

    static StreamExecutionEnvironment job(String[] args, String restoreFrom) throws IOException {
        Configuration conf = CommandLine.parse(args).conf();
        if (restoreFrom != null) {
            conf.setString("flink.execution.savepoint.path", restoreFrom);
        }
        StreamExecutionEnvironment env = AttuneJob.environment(
                conf, Files.createTempDirectory("attune-sp").toUri().toString());
        AttuneJob.build(env, conf);
        return env;
    }

    @Test
    void theOldestJobSavepointStillRestores(@TempDir Path full, @TempDir Path restored) throws Exception {
        // Taken with an older generator (its customers have since gained languages), so what the restored job
        // decides for a customer half-way through is not what a fresh run decides: the state must restore into
        // the current operators and the job go on to decide valid records from where it stopped.
        job(args("files", full, "0"), null).execute("uninterrupted");
        job(
                        args("files", restored, "0"),
                        jobSavepoint(V1).toAbsolutePath().toUri().toString())
                .execute("restored");
        Map<String, List<String>> after = sortedOutputs(restored);
        dev.attune.OutputAssertions.assertValidAgainstSchemas(after);
        int decided = after.values().stream().mapToInt(List::size).sum();
        int all = sortedOutputs(full).values().stream().mapToInt(List::size).sum();
        assertThat(decided)
                .as("the restored job decides what was left")
                .isPositive()
                .isLessThan(all);
    }

    @Test
    void theCommittedJobSavepointRestoresIntoTheCurrentCode(@TempDir Path full, @TempDir Path restored)
            throws Exception {
        if (Boolean.getBoolean("attune.savepoint.create")) {
            createJobSavepoint(CURRENT);
        }
        Path savepoint = jobSavepoint(CURRENT);
        job(args("files", full, "0"), null).execute("uninterrupted");
        job(args("files", restored, "0"), savepoint.toAbsolutePath().toUri().toString())
                .execute("restored");

        Set<String> all = new HashSet<>();
        sortedOutputs(full).values().forEach(all::addAll);
        Set<String> after = new HashSet<>();
        sortedOutputs(restored).values().forEach(after::addAll);
        assertThat(after).as("the restored job decides what was left").isNotEmpty();
        assertThat(all)
                .as("it continued where the savepoint was taken, not from the start")
                .hasSizeGreaterThan(after.size());
        assertThat(all).as("and decided exactly as the uninterrupted job").containsAll(after);
    }

    @Test
    void theCommittedCustomerSnapshotRestoresWithItsState() throws Exception {
        Path file = V1.resolve("customer-function.snapshot");
        if (Boolean.getBoolean("attune.savepoint.create")) {
            var h = harness();
            h.open();
            List<InputRecord> burst = CustomerFunctionTest.burst("u1");
            CustomerFunctionTest.feed(h, burst.subList(0, 3));
            h.processWatermark(T0 + 7_000); // three struggles decided (help_tip), state holds them
            OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
            Files.createDirectories(V1);
            OperatorSnapshotUtil.writeStateHandle(snapshot, file.toString());
            h.close();
        }
        var restored = harness();
        restored.initializeState(OperatorSnapshotUtil.readStateHandle(file.toString()));
        restored.open();
        // The fourth struggle and an error only reach the high cut-off because the first three survived.
        CustomerFunctionTest.feed(restored, CustomerFunctionTest.burst("u1").subList(3, 6));
        restored.processWatermark(T0 + 20_000);
        assertThat(CustomerFunctionTest.outputs(restored))
                .singleElement()
                .asString()
                .contains("\"type\":\"live_chat_offer\"", "\"value\":\"4 in 9 s (rage_click)\"");
        restored.close();
    }

    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord>(
                new KeyedProcessOperator<>(
                        new CustomerFunction(Defaults.engine(Defaults.signals()), CustomerFunctionTest.TTL)),
                r -> r.userId,
                Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    static Path jobSavepoint(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("savepoint-"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no job savepoint under " + dir));
        }
    }

    /** Runs the generator slowly, stops with a canonical savepoint part-way, keeps it under {@code dir}. */
    static void createJobSavepoint(Path dir) throws Exception {
        Path scratch = Files.createTempDirectory("attune-sp-create");
        JobClient client = job(args("discard", scratch, "400"), null).executeAsync("savepoint");
        Thread.sleep(2_500);
        String path = client.stopWithSavepoint(
                        false, scratch.resolve("sp").toUri().toString(), SavepointFormatType.CANONICAL)
                .get();
        Path from = Path.of(java.net.URI.create(path.startsWith("file:") ? path : "file:" + path));
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            old.filter(p -> p.getFileName().toString().startsWith("savepoint-")).forEach(TestFiles::deleteQuietly);
        }
        TestFiles.copyTree(from, dir.resolve(from.getFileName().toString()));
    }

    static Map<String, List<String>> outputs(Path p) throws IOException {
        return sortedOutputs(p);
    }
}
