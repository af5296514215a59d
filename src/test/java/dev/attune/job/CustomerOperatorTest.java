package dev.attune.job;

import static dev.attune.job.CustomerFunctionTest.TTL;
import static dev.attune.job.CustomerFunctionTest.burst;
import static dev.attune.job.CustomerFunctionTest.customer;
import static dev.attune.job.CustomerFunctionTest.feed;
import static dev.attune.job.CustomerFunctionTest.held;
import static dev.attune.job.CustomerFunctionTest.outputs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.io.Sources;
import dev.attune.io.SyntheticHistory;
import dev.attune.signals.Dedup;
import dev.attune.testing.Defaults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The job's customer operator keeps waiting events and customers on the heap between checkpoints and
 * writes them into the keyed state before each checkpoint's barrier: it decides exactly as the function
 * writing through, and a snapshot holds what came before it.
 */
class CustomerOperatorTest {
    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> operator(int heapCustomers)
            throws Exception {
        return operator(heapCustomers, true);
    }

    /** The job's operator on RocksDB or on Flink's heap state backend. */
    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> operator(
            int heapCustomers, boolean rocksDb) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new CustomerOperator(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL), heapCustomers),
                (InputRecord r) -> r.userId,
                Types.STRING);
        if (rocksDb) {
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
        }
        return h;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, OutputRecord> writingThrough() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)),
                (InputRecord r) -> r.userId,
                Types.STRING);
    }

    /** The customers' records of a synthetic history, in event-time order. */
    static List<InputRecord> history(int customers) {
        SyntheticHistory history =
                Sources.history(CommandLine.parse(new String[] {"--generator.customers", String.valueOf(customers)})
                        .conf());
        List<InputRecord> records = new ArrayList<>();
        for (long i = 0; i < history.size(); i++) {
            SyntheticHistory.Generated g = history.at(i);
            Inbound in = RecordParser.parse(g.stream(), "generator#" + i, g.bytes());
            if (in.isValid() && VisitorRecords.forCustomers(in.record)) {
                records.add(in.record);
            }
        }
        records.sort(Comparator.comparingLong(r -> r.timestamp));
        return records;
    }

    @Test
    void decidesAsTheFunctionWritingThroughAcrossSnapshotsRestoresAndEvictions() throws Exception {
        List<InputRecord> records = history(40);
        List<String> expected = run(records, false, false);
        for (boolean rocksDb : new boolean[] {true, false}) {
            assertThat(run(records, true, rocksDb))
                    .as("the records of the function writing through, in the same order (RocksDB: %s)", rocksDb)
                    .isEqualTo(expected)
                    .isNotEmpty();
        }
    }

    /**
     * Feeds {@code records} in batches of 25, each followed by a watermark 30 s behind its newest record (so
     * events wait across batches), through the function writing through, or through the job's operator with
     * at most 3 customers on the heap (most are evicted), snapshotted and restored into a new operator every 7
     * batches.
     */
    static List<String> run(List<InputRecord> records, boolean operator, boolean rocksDb) throws Exception {
        List<String> got = new ArrayList<>();
        var h = operator ? operator(3, rocksDb) : writingThrough();
        h.open();
        int snapshots = 0;
        int waitingAtSnapshots = 0;
        for (int i = 0, batch = 0; i < records.size(); i += 25, batch++) {
            List<InputRecord> part = records.subList(i, Math.min(records.size(), i + 25));
            feed(h, part);
            long watermark = part.get(part.size() - 1).timestamp - 30_000;
            h.processWatermark(watermark);
            if (operator && batch % 7 == 6) {
                waitingAtSnapshots += (int) records.subList(0, i + part.size()).stream()
                        .filter(r -> r.timestamp > watermark)
                        .count();
                snapshots++;
                OperatorSubtaskState snapshot = h.snapshot(snapshots, snapshots);
                got.addAll(outputs(h));
                h.close();
                h = operator(3, rocksDb);
                h.initializeState(snapshot);
                h.open();
            }
        }
        h.processWatermark(Long.MAX_VALUE);
        got.addAll(outputs(h));
        h.close();
        if (operator) {
            assertThat(snapshots).isGreaterThan(2);
            assertThat(waitingAtSnapshots).as("events waited at the snapshots").isPositive();
        }
        return got;
    }

    @Test
    void eventsAndCustomersReachTheKeyedStateAtTheSnapshotAndRestoreFromIt() throws Exception {
        List<InputRecord> events = burst("u1");
        var reference = writingThrough();
        reference.open();
        feed(reference, events);
        reference.processWatermark(CustomerFunctionTest.T0 + 20_000);

        var h = operator(CustomerFunction.CACHED_CUSTOMERS);
        h.open();
        feed(h, events.subList(0, 3));
        List<String> got = new ArrayList<>();
        h.processWatermark(CustomerFunctionTest.T0 + 4_000); // decides the first two struggles
        assertThat(held(h, "u1")).as("waiting events are on the heap").isEmpty();
        assertThat(customer(h, "u1")).as("so is the customer").isNull();
        OperatorSubtaskState snapshot = h.snapshot(1L, 1L);
        assertThat(held(h, "u1")).as("written at the snapshot").hasSize(1);
        assertThat(Dedup.seen(customer(h, "u1"), events.get(1).messageId)).isTrue();
        got.addAll(outputs(h));
        h.close();

        var after = operator(CustomerFunction.CACHED_CUSTOMERS);
        after.initializeState(snapshot);
        after.open();
        feed(after, events.subList(3, events.size()));
        after.processWatermark(CustomerFunctionTest.T0 + 20_000);
        assertThat(after.numEventTimeTimers()).as("only the housekeeping timer").isEqualTo(1);
        got.addAll(outputs(after));
        assertThat(got)
                .as("the records of the function writing through, none lost at the snapshot")
                .isEqualTo(outputs(reference))
                .isNotEmpty();
        after.close();
    }
}
