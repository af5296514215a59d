package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Inbound;
import dev.attune.contract.RecordParser;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.metrics.groups.SourceReaderMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.junit.jupiter.api.Test;

class HistorySourceTest {
    static final String START = "2026-11-21T08:00:00Z";

    /**
     * The whole history, pinned: digests of the generator's records (position, stream, event time, customer,
     * bytes) taken before readers built shares. The committed savepoint under src/test/resources/savepoints/current
     * was taken from this history; a change here needs it retaken (SavepointUpgradeITCase's header).
     */
    @Test
    void theHistoryIsTheOneTheCommittedSavepointWasTakenFrom() {
        assertThat(HistoryDigest.of(Sources.history(new Configuration())))
                .isEqualTo("57fff28e33c4076c1e90c482f9d8141205856e7e4e11c8a20befc4d4d38e9d61");
        assertThat(HistoryDigest.of(new SyntheticHistory(7, 777, START, 0.05, 0.05)))
                .isEqualTo("b12bf6dfbe1113c75eb0c8caae8e98c023dfe05c6b28bb4fc5423430cbc06b2e");
    }

    @Test
    void eachReaderReadsItsShareAndTogetherTheyReadTheHistoryOnceThroughACheckpoint() throws Exception {
        SyntheticHistory h = new SyntheticHistory(3, 530, START, 0.02, 0.02);
        for (int readers = 1; readers <= 3; readers++) {
            List<HistorySource.HistorySplit> splits = HistorySource.splits(h, readers);
            assertThat(splits).hasSize(readers);
            BitSet seen = new BitSet();
            for (HistorySource.HistorySplit split : splits) {
                HistorySource.Reader reader = reader(h, readers);
                reader.addSplits(List.of(split));
                reader.notifyNoMoreSplits();
                List<Inbound> out = new ArrayList<>(poll(reader, 1_000));
                // A checkpoint part-way: a new reader restored from the serialised split goes on from there.
                List<HistorySource.HistorySplit> state = reader.snapshotState(1);
                assertThat(state).hasSize(1);
                var serializer = new HistorySource.SplitSerializer();
                HistorySource.HistorySplit restored =
                        serializer.deserialize(serializer.getVersion(), serializer.serialize(state.get(0)));
                assertThat(restored).isEqualTo(state.get(0));
                HistorySource.Reader next = reader(h, readers);
                next.addSplits(List.of(restored));
                next.notifyNoMoreSplits();
                out.addAll(poll(next, Integer.MAX_VALUE));
                long last = -1;
                for (Inbound in : out) {
                    long position = Long.parseLong(position(in).substring("generator#".length()));
                    assertThat(position).isGreaterThan(last);
                    last = position;
                    assertThat(seen.get((int) position)).isFalse();
                    seen.set((int) position);
                    SyntheticHistory.Generated g = h.at(position);
                    assertThat(bytes(in))
                            .isEqualTo(bytes(RecordParser.parse(g.stream(), "generator#" + position, g.bytes())));
                }
            }
            assertThat(seen.cardinality()).isEqualTo((int) h.size());
        }
    }

    @Test
    void aSplitOfVersionOneIsReadInterleavedAsItWasWritten() throws Exception {
        SyntheticHistory h = new SyntheticHistory(3, 80, START, 0.002, 0.01);
        long size = h.size();
        // As Flink's NumberSequenceSplit serialiser writes it: id, from, to.
        DataOutputSerializer out = new DataOutputSerializer(32);
        out.writeUTF("2");
        out.writeLong(size / 2 + 10);
        out.writeLong(size - 1);
        HistorySource.HistorySplit split = new HistorySource.SplitSerializer().deserialize(1, out.getCopyOfBuffer());
        assertThat(split.shares()).isEqualTo(HistorySource.HistorySplit.INTERLEAVED);
        HistorySource.Reader reader = reader(h, 2);
        reader.addSplits(List.of(split));
        reader.notifyNoMoreSplits();
        List<Inbound> read = poll(reader, Integer.MAX_VALUE);
        assertThat(read).hasSize((int) (size / 2 - 10));
        assertThat(position(read.get(0))).isEqualTo("generator#21"); // every 2nd record from 1: the 11th
        assertThat(position(read.get(read.size() - 1))).isEqualTo("generator#" + (size - 1));

        DataOutputSerializer enumerator = new DataOutputSerializer(64);
        enumerator.writeInt(1);
        enumerator.writeUTF("1");
        enumerator.writeLong(0);
        enumerator.writeLong(size / 2 - 1);
        Collection<HistorySource.HistorySplit> left =
                new HistorySource.CheckpointSerializer().deserialize(1, enumerator.getCopyOfBuffer());
        assertThat(left).containsExactly(new HistorySource.HistorySplit("1", 0, 0, 0, size / 2 - 1));
    }

    @Test
    void interleavingIsAPermutationAndEachReaderWalksTheHistoryInOrder() {
        for (int readers : new int[] {1, 2, 3, 4, 6}) {
            long size = 480;
            BitSet seen = new BitSet();
            long block = size / readers;
            for (int r = 0; r < readers; r++) {
                long previous = -1;
                for (long i = r * block; i < (r + 1) * block; i++) {
                    long record = HistorySource.interleave(i, size, readers);
                    assertThat(record).isGreaterThan(previous).isLessThan(size);
                    assertThat(seen.get((int) record))
                            .as("record %d twice", record)
                            .isFalse();
                    seen.set((int) record);
                    previous = record;
                }
            }
            assertThat(seen.cardinality()).isEqualTo((int) size);
        }
    }

    @Test
    void eachShareWalksTheWholeSpanOfEventTimeInOrderWithinAWave() {
        SyntheticHistory h = new SyntheticHistory(1, 1_000, START, 0, 0);
        for (int shares = 2; shares <= 4; shares++) {
            long[] firstAndLast = null;
            for (int r = 0; r < shares; r++) {
                SyntheticHistory.Share s = h.share(r, shares);
                long last = Long.MIN_VALUE;
                for (long k = 0; k < s.size(); k++) {
                    long t = s.at(k).timestamp();
                    assertThat(t).isGreaterThanOrEqualTo(last);
                    last = t;
                }
                long first = s.at(0).timestamp();
                if (firstAndLast == null) {
                    firstAndLast = new long[] {first, last};
                }
                // Every share starts in the first wave and ends in the last: the readers' watermarks move together.
                assertThat(Math.abs(first - firstAndLast[0])).isLessThan(SyntheticHistory.WAVE_SPAN);
                assertThat(Math.abs(last - firstAndLast[1])).isLessThan(SyntheticHistory.WAVE_SPAN);
            }
        }
    }

    static String position(Inbound in) {
        return in.isValid() ? in.record.position : in.deadLetter.position;
    }

    static byte[] bytes(Inbound in) throws java.io.IOException {
        DataOutputSerializer out = new DataOutputSerializer(512);
        RecordSerializers.INBOUND
                .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl())
                .serialize(in, out);
        return out.getCopyOfBuffer();
    }

    static HistorySource.Reader reader(SyntheticHistory h, int readers) {
        return new HistorySource.Reader(new Context(readers), h, h.size() % readers == 0 ? readers : 1);
    }

    static List<Inbound> poll(HistorySource.Reader reader, int max) throws Exception {
        List<Inbound> out = new ArrayList<>();
        Output output = new Output(out);
        while (out.size() < max && reader.pollNext(output) != InputStatus.END_OF_INPUT) {}
        return out;
    }

    record Context(int parallelism) implements SourceReaderContext {
        @Override
        public SourceReaderMetricGroup metricGroup() {
            return UnregisteredMetricsGroup.createSourceReaderMetricGroup();
        }

        @Override
        public Configuration getConfiguration() {
            return new Configuration();
        }

        @Override
        public String getLocalHostName() {
            return "localhost";
        }

        @Override
        public int getIndexOfSubtask() {
            return 0;
        }

        @Override
        public void sendSplitRequest() {}

        @Override
        public void sendSourceEventToCoordinator(SourceEvent event) {}

        @Override
        public UserCodeClassLoader getUserCodeClassLoader() {
            return SimpleUserCodeClassLoader.create(getClass().getClassLoader());
        }

        @Override
        public int currentParallelism() {
            return parallelism;
        }
    }

    record Output(List<Inbound> out) implements ReaderOutput<Inbound> {
        @Override
        public void collect(Inbound record) {
            out.add(record);
        }

        @Override
        public void collect(Inbound record, long timestamp) {
            out.add(record);
        }

        @Override
        public void emitWatermark(Watermark watermark) {}

        @Override
        public void markIdle() {}

        @Override
        public void markActive() {}

        @Override
        public SourceOutput<Inbound> createOutputForSplit(String splitId) {
            return this;
        }

        @Override
        public void releaseOutputForSplit(String splitId) {}
    }
}
