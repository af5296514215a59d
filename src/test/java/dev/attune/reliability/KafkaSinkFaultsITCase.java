package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.job.AttuneJob;
import dev.attune.testing.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exactly-once Kafka sink's hard cases (the scenarios of flink-connector-kafka's KafkaSinkITCase), with Attune's
 * whole job in front of it: a failure after a checkpoint completed but before the sink committed its transactions, and
 * a restore at lower parallelism (scale-in) with transactions of removed subtasks still open on the broker.
 *
 * <p>The failure is placed exactly: an operator chained in front of the sink's writer and committer, after its
 * snapshot for checkpoint N, blocks on the next record until another task has been told that N completed, then
 * throws. The sink's task is busy in that record the whole time, so its notification of N (the committer's cue to
 * commit) cannot have run: N's transactions are pre-committed and not committed when the job fails. Outputs are then
 * read with read_committed (up to the last stable offset, so a transaction left open shows as records lost) and held
 * to the fault-free replay and the oracle.
 */
class KafkaSinkFaultsITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    /** The newest checkpoint any source task was told completed. */
    static final AtomicLong COMPLETED = new AtomicLong();
    /** Set once the failure was injected; it is injected once per test. */
    static final AtomicBoolean FIRED = new AtomicBoolean();

    static volatile String evidence;

    static KafkaBroker broker;
    static KafkaJobs kafka;
    static Path history;
    static Map<String, List<String>> reference;
    static Oracle.Expected oracle;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        broker = new KafkaBroker();
        kafka = new KafkaJobs(broker);
        history = dir.resolve("history");
        KafkaJobs.writeHistory(250, history, List.of(), i -> 0);
        kafka.createTopics("in", 4, 2);
        kafka.load("in", history);
        reference = KafkaJobs.replay(history, dir.resolve("replay"));
        oracle = Oracle.of(history, KafkaJobs.conf(kafka.args("in", "x")));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void reset() {
        COMPLETED.set(0);
        FIRED.set(false);
        evidence = null;
    }

    @Test
    void aFailureBetweenPreCommitAndCommitCommitsThePendingTransactionsOnceOnRecovery(@TempDir Path checkpoints)
            throws Exception {
        kafka.createTopics("commit", 1, 2);
        List<String> args = kafka.args("in", "commit", "--parallelism", "2", "--source.bounded", "true");
        args.addAll(List.of("--watermark.idleness", "1 h", "--kafka.starting-offsets", "earliest"));
        run(KafkaJobs.conf(args), checkpoints);
        assertThat(FIRED).as("the failure was injected").isTrue();
        System.out.println("injected: " + evidence);
        KafkaJobs.check("failure between pre-commit and commit", reference, kafka.outputs("commit"), oracle);
        assertThat(openTransactions("commit")).as("transactions left open").isEmpty();
    }

    @Test
    void scaleInFrom4To1CommitsOrAbortsTheTransactionsOfRemovedSubtasks(@TempDir Path checkpoints) throws Exception {
        kafka.createTopics("scalein", 1, 2);
        List<String> args = kafka.args("in", "scalein", "--source.bounded", "true");
        args.addAll(List.of("--watermark.idleness", "1 h", "--kafka.starting-offsets", "earliest"));
        args.addAll(List.of(
                "--flink.restart-strategy.type",
                "none",
                "--flink.execution.checkpointing.externalized-checkpoint-retention",
                "RETAIN_ON_CANCELLATION"));
        List<String> first = new java.util.ArrayList<>(args);
        first.addAll(List.of("--parallelism", "4"));
        assertThatThrownBy(() -> run(KafkaJobs.conf(first), checkpoints))
                .as("without restarts the job fails")
                .hasStackTraceContaining("injected");
        assertThat(FIRED).isTrue();
        System.out.println("injected: " + evidence);
        Set<Integer> lingering = openTransactions("scalein");
        System.out.println("open transactions of the failed job, by sink subtask: " + lingering);
        assertThat(lingering)
                .as("transactions of subtasks a parallelism of 1 no longer has, left open by the failed job")
                .anyMatch(s -> s > 0);

        Path restoreFrom = latestCheckpoint(checkpoints);
        List<String> second = new java.util.ArrayList<>(args);
        second.addAll(List.of(
                "--parallelism",
                "1",
                "--flink.execution.savepoint.path",
                restoreFrom.toUri().toString()));
        run(KafkaJobs.conf(second), checkpoints);
        assertThat(openTransactions("scalein")).as("transactions left open").isEmpty();
        KafkaJobs.check("scale-in 4 → 1 after a failure before commit", reference, kafka.outputs("scalein"), oracle);
    }

    static void run(Configuration conf, Path checkpoints) throws Exception {
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        var inbound =
                Sources.inbound(env, conf).map(new CompletedCheckpoints()).returns(TypeInformation.of(Inbound.class));
        Sinks.attach(
                AttuneJob.decide(inbound, conf)
                        .map(new FailBeforeCommit())
                        .returns(TypeInformation.of(OutputRecord.class)),
                conf);
        env.execute("attune-sink-faults");
    }

    /** The sink subtasks (from transactional ids {@code PREFIX-<subtask>-<n>}) with a transaction still open. */
    static Set<Integer> openTransactions(String prefix) throws Exception {
        Set<Integer> out = new TreeSet<>();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            for (TransactionListing t : admin.listTransactions().all().get(1, TimeUnit.MINUTES)) {
                String id = t.transactionalId();
                if (id.startsWith(prefix + "-")
                        && t.state() != TransactionState.COMPLETE_COMMIT
                        && t.state() != TransactionState.COMPLETE_ABORT
                        && t.state() != TransactionState.EMPTY) {
                    out.add(Integer.parseInt(id.substring(prefix.length() + 1).split("-")[0]));
                }
            }
        }
        return out;
    }

    /** The newest retained checkpoint ({@code <job>/chk-N} with its metadata). */
    static Path latestCheckpoint(Path checkpoints) throws Exception {
        try (Stream<Path> all = Files.walk(checkpoints, 3)) {
            return all.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingLong(
                            p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new IllegalStateException("no retained checkpoint under " + checkpoints));
        }
    }

    /** In the source tasks: notes each completed checkpoint, and reads slowly so outputs spread over checkpoints. */
    static final class CompletedCheckpoints extends RichMapFunction<Inbound, Inbound> implements CheckpointListener {
        @Override
        public Inbound map(Inbound in) {
            LockSupport.parkNanos(1_000_000);
            return in;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.accumulateAndGet(checkpointId, Math::max);
        }
    }

    /**
     * Chained in front of the sink: once, after its snapshot for a checkpoint whose transactions hold records, it
     * waits on the next record until that checkpoint completed elsewhere, then throws, before its own task (writer
     * and committer) hears of the completion. If its task hears first, it tries the next checkpoint.
     */
    static final class FailBeforeCommit extends RichMapFunction<OutputRecord, OutputRecord>
            implements CheckpointedFunction, CheckpointListener {
        private transient long armed;
        private transient long armedRecords;
        private transient long recordsSince;

        @Override
        public OutputRecord map(OutputRecord o) throws Exception {
            if (armed > 0 && !FIRED.get()) {
                long deadline = System.currentTimeMillis() + 20_000;
                while (COMPLETED.get() < armed && System.currentTimeMillis() < deadline) {
                    Thread.sleep(5);
                }
                if (COMPLETED.get() >= armed && FIRED.compareAndSet(false, true)) {
                    evidence = String.format(
                            "checkpoint %d completed (a source task was notified), sink subtask %d not yet notified; "
                                    + "its transactions of that checkpoint hold %d records",
                            armed, getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(), armedRecords);
                    throw new IllegalStateException("injected failure after checkpoint " + armed + ", before commit");
                }
                armed = 0;
            }
            recordsSince++;
            return o;
        }

        @Override
        public void snapshotState(FunctionSnapshotContext ctx) {
            if (!FIRED.get() && armed == 0 && recordsSince > 0 && ctx.getCheckpointId() >= 2) {
                armed = ctx.getCheckpointId();
                armedRecords = recordsSince;
            }
            recordsSince = 0;
        }

        @Override
        public void initializeState(FunctionInitializationContext ctx) {}

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            if (checkpointId >= armed) {
                armed = 0;
            }
        }
    }
}
