package dev.attune.job;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.sorted.state.BatchExecutionKeyedStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * {@link CustomerFunction} as the job runs it: a plain keyed process operator that, when restored,
 * first moves what a version-1 savepoint held in {@code pending} into {@code held} (see
 * {@link CustomerFunction#moveV1Pending}), and when it opens tells the function which customers have
 * events in {@code held} and lets it keep what it changes on the heap between checkpoints
 * ({@link CustomerFunction#keepOnHeap}). When a checkpoint is taken it has the function write that
 * back, before the keyed state is snapshotted ({@link CustomerFunction#writeBack}); after a record or a watermark, it has the function
 * write and drop the least recently used customers when it keeps too many
 * ({@link CustomerFunction#evictIfFull}). A function can neither list the keys of its state nor
 * switch keys; an operator can. Not in a batch run: there Flink keeps one key's state at a time, in
 * memory, and takes no checkpoints.
 *
 * <p>It never announces its output IDLE. Its input comes through a keyBy, so every subtask sees
 * every source subtask and reaches the same watermarks; when the sources go quiet, each subtask
 * first moves to the newest of them and then stops, so the operators after it lose nothing by
 * waiting for all of them. Announcing IDLE instead let the campaign summaries race ahead: when the
 * sources woke up, the first subtask to pass the new watermark on moved {@code summarise campaigns}
 * past campaign facts the other subtask had not sent yet, and those facts waited for the next
 * watermark (summaries that differ from a replay's; seen in {@code IdleWatermarkITCase}).
 *
 * <p>At the end of its input (a bounded run, or a stop-with-savepoint with {@code --drain}) it
 * advances its own event time to the end if the final {@code MAX_WATERMARK} has not reached it,
 * so every held event is decided. Flink 1.20 drops that watermark when the source was idle at the
 * drain (its output is announced IDLE, and an idle output discards watermarks: FLINK-40499), and
 * a live job with per-split idleness is idle whenever its partitions are quiet.
 */
public class CustomerOperator extends KeyedProcessOperator<String, InputRecord, OutputRecord>
        implements BoundedOneInput {
    private static final long serialVersionUID = 1L;
    private transient long watermark = Long.MIN_VALUE;
    /** Set in a batch run whose sort orders customers by {@link BatchSortKey}. */
    private transient DigestRun sortedByDigest;
    /** The most customers the function keeps on the heap between checkpoints. */
    private final int heapCustomers;

    public CustomerOperator(CustomerFunction function) {
        this(function, CustomerFunction.CACHED_CUSTOMERS);
    }

    /** With at most {@code heapCustomers} customers on the heap between checkpoints (tests use a few). */
    CustomerOperator(CustomerFunction function, int heapCustomers) {
        super(function);
        this.heapCustomers = heapCustomers;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        watermark = Long.MIN_VALUE;
        if (context.isRestored()) {
            CustomerFunction.moveV1Pending(getKeyedStateBackend());
        }
    }

    /** Then the function learns which customers hold events, and keeps state on the heap between checkpoints. */
    @Override
    public void open() throws Exception {
        super.open();
        if (!(getKeyedStateBackend() instanceof BatchExecutionKeyedStateBackend)) {
            function().keepOnHeap(getKeyedStateBackend(), heapCustomers);
        } else if ((Object) getKeyedStateBackend().getKeySerializer() instanceof BatchSortKey.Serializer) {
            sortedByDigest = new DigestRun(BatchSortKey::digest);
        }
    }

    @Override
    public void processElement(StreamRecord<InputRecord> element) throws Exception {
        if (sortedByDigest != null) {
            sortedByDigest.next((String) getCurrentKey());
        }
        super.processElement(element);
        function().evictIfFull(this::setCurrentKey);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        super.processWatermark(mark);
        function().evictIfFull(this::setCurrentKey);
    }

    /**
     * Writes what the function keeps on the heap into the keyed state before the state is snapshotted
     * (Flink snapshots the keyed state after this, in the same synchronous step), so that the checkpoint
     * or savepoint holds it.
     */
    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        function().writeBack(this::setCurrentKey);
        super.snapshotState(context);
    }

    /**
     * In a batch run sorted by {@link BatchSortKey}: the ids of the run of records that share the
     * current digest. Two customers with one digest come as one run, their records in time order; if
     * one comes back after the other, Flink has already decided the first on part of its history.
     */
    static final class DigestRun {
        private final java.util.function.ToLongFunction<String> digests;
        private long digest;
        private String current;
        private final java.util.Set<String> done = new java.util.HashSet<>();

        DigestRun(java.util.function.ToLongFunction<String> digests) {
            this.digests = digests;
        }

        void next(String id) {
            if (id.equals(current)) {
                return;
            }
            long d = digests.applyAsLong(id);
            if (current == null || d != digest) {
                done.clear();
            } else {
                done.add(current);
                if (done.contains(id)) {
                    throw new IllegalStateException("customers '" + id + "' and '" + current
                            + "' share the 64-bit digest a batch replay sorts customers by, so their records"
                            + " came interleaved; replay this history with --flink.execution.runtime-mode STREAMING");
                }
            }
            digest = d;
            current = id;
        }
    }

    private CustomerFunction function() {
        return (CustomerFunction) userFunction;
    }

    /** Not passed on: see the class comment (its output stays ACTIVE, as it starts). */
    @Override
    public void processWatermarkStatus(WatermarkStatus status) {}

    @Override
    public void endInput() throws Exception {
        if (watermark < Long.MAX_VALUE) {
            processWatermark(Watermark.MAX_WATERMARK);
        }
    }
}
