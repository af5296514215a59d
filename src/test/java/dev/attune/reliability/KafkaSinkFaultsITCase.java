package dev.attune.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
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

    /** The checkpoint after which it was injected. */
    static final AtomicLong FIRED_AT = new AtomicLong();
    /** Per checkpoint, the sink subtasks that wrote records into its transactions. */
    static final Map<Long, Set<Integer>> WROTE = new ConcurrentHashMap<>();

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
        RescaleITCase.endOfFeed(broker, "in", 4, false);
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
        FIRED_AT.set(0);
        WROTE.clear();
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

    /**
     * Live (unbounded) at parallelism 4, no restarts: the failure leaves every subtask's transactions of checkpoint N
     * open on the broker. Restored from N at parallelism 1, the one subtask must commit what N's four committers
     * held and abort what subtasks 1-3, which no longer exist, left open; else read_committed would stop at the open
     * transactions (the last stable offset) and records would be missing. The end-of-feed records move the watermark
     * past the history; then the job is cancelled.
     */
    @Test
    void scaleInFrom4To1CommitsOrAbortsTheTransactionsOfRemovedSubtasks(@TempDir Path checkpoints) throws Exception {
        kafka.createTopics("scalein", 1, 2);
        // A backlog read live: partitions progress unevenly under load, so a day of out-of-orderness (as in
        // RescaleITCase); with the profile's 200 ms a run here dead-lettered about 800 events as late.
        List<String> args = kafka.args(
                "in", "scalein", "--kafka.starting-offsets", "earliest", "--watermark.out-of-orderness", "1 d");
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
        long committed = 0;
        long written = 0;
        for (String stream : Streams.OUTPUTS) {
            if (Streams.INTERVENTIONS.equals(stream)) {
                continue; // at-least-once: no transactions
            }
            committed += broker.readCommitted("scalein-" + stream).size();
            written += KafkaBroker.read(broker.bootstrapServers(), "scalein-" + stream, "read_uncommitted")
                    .size();
        }
        System.out.printf(
                "exactly-once topics after the failed job: %d records written, %d committed%n", written, committed);
        assertThat(written).as("records in transactions not committed").isGreaterThan(committed);

        Path restoreFrom = latestCheckpoint(checkpoints);
        List<String> second = new java.util.ArrayList<>(args);
        second.addAll(List.of(
                "--parallelism",
                "1",
                "--flink.execution.savepoint.path",
                restoreFrom.toUri().toString()));
        Configuration conf = KafkaJobs.conf(second);
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        Sinks.attach(graph(env, conf), conf);
        var job = env.executeAsync("attune-scale-in");
        try {
            KafkaJobs.await("every input read", () -> kafka.lag("scalein", "in"), n -> n == 0);
            RescaleITCase.awaitSettled(broker, "scalein");
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        assertThat(openTransactions("scalein")).as("transactions left open").isEmpty();
        KafkaJobs.check("scale-in 4 → 1 after a failure before commit", reference, kafka.outputs("scalein"), oracle);
    }

    static void run(Configuration conf, Path checkpoints) throws Exception {
        StreamExecutionEnvironment env =
                AttuneJob.environment(conf, checkpoints.toUri().toString());
        Sinks.attach(graph(env, conf), conf);
        env.execute("attune-sink-faults");
    }

    /** Attune's job with the two test operators: one after the source, one in front of the sink. */
    static org.apache.flink.streaming.api.datastream.DataStream<OutputRecord> graph(
            StreamExecutionEnvironment env, Configuration conf) {
        var inbound =
                Sources.inbound(env, conf).map(new CompletedCheckpoints()).returns(TypeInformation.of(Inbound.class));
        return AttuneJob.decide(inbound, conf)
                .transform("fail before commit", TypeInformation.of(OutputRecord.class), new FailBeforeCommit());
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

    /**
     * In the source tasks: notes each completed checkpoint, and until the failure reads slowly (2 ms a record) so
     * outputs spread over checkpoints. Not after it: a reader this slow with 12 partitions leaves some unread for
     * longer than watermark.idleness, which then counts them idle and lets the watermark pass their events.
     */
    static final class CompletedCheckpoints extends RichMapFunction<Inbound, Inbound> implements CheckpointListener {
        @Override
        public Inbound map(Inbound in) {
            if (!FIRED.get()) {
                LockSupport.parkNanos(2_000_000);
            }
            return in;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            COMPLETED.accumulateAndGet(checkpointId, Math::max);
        }
    }

    /**
     * Chained in front of the sink's writer and committer. With its snapshot for checkpoint N (from 2 on, until it has
     * fired) it puts a task of its own in its task's mailbox, ahead of the notification that N completed (which comes
     * only once every task acknowledged N): wait until a source task was told N completed; then, if every sink subtask
     * wrote records into N's transactions, the first subtask there throws and the others hold on until the failure
     * cancels them. So no sink subtask has heard that N completed: N's transactions are all pre-committed and none
     * committed. Otherwise it lets N's notification through and tries again with the next checkpoint.
     */
    static final class FailBeforeCommit extends AbstractStreamOperator<OutputRecord>
            implements OneInputStreamOperator<OutputRecord, OutputRecord> {
        private transient long recordsSince;

        @Override
        public void processElement(StreamRecord<OutputRecord> element) {
            recordsSince++;
            output.collect(element);
        }

        @Override
        public void snapshotState(StateSnapshotContext ctx) throws Exception {
            super.snapshotState(ctx);
            long n = ctx.getCheckpointId();
            int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
            int parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
            long records = recordsSince;
            recordsSince = 0;
            if (records > 0) {
                WROTE.computeIfAbsent(n, k -> ConcurrentHashMap.newKeySet()).add(subtask);
            }
            if (FIRED.get() || n < 2) {
                return;
            }
            MailboxExecutor mailbox = getContainingTask()
                    .getMailboxExecutorFactory()
                    .createExecutor(getOperatorConfig().getChainIndex());
            mailbox.execute(
                    () -> {
                        long deadline = System.currentTimeMillis() + 20_000;
                        while (COMPLETED.get() < n && System.currentTimeMillis() < deadline) {
                            Thread.sleep(2);
                        }
                        if (COMPLETED.get() < n
                                || WROTE.getOrDefault(n, Set.of()).size() < parallelism) {
                            return;
                        }
                        if (FIRED.compareAndSet(false, true)) {
                            FIRED_AT.set(n);
                            evidence = String.format(
                                    "checkpoint %d completed (a source task was notified), no sink subtask notified; "
                                            + "all %d wrote into its transactions (subtask %d: %d records)",
                                    n, parallelism, subtask, records);
                            throw new IllegalStateException(
                                    "injected failure after checkpoint " + n + ", before commit");
                        }
                        if (FIRED_AT.get() == n) {
                            Thread.sleep(60_000); // held until the failure cancels this task
                        }
                    },
                    "fail before commit " + n);
        }
    }
}
