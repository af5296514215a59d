package dev.attune.io;

import dev.attune.contract.Inbound;
import dev.attune.contract.RecordParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceEnumerator;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceReaderBase;
import org.apache.flink.api.connector.source.lib.util.IteratorSourceSplit;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.util.NumberSequenceIterator;

/**
 * The generator source: a {@link SyntheticHistory}, parsed where it is read, exactly as a file line
 * would be. Each of its p readers reads one {@linkplain SyntheticHistory#share share} (the customers
 * {@code c} with {@code c % p == r}, in the history's order) and builds only those customers'
 * records, so each customer's records come from one reader in the history's order, and every reader
 * walks the whole span of event time, so the readers' watermarks move together. A record's position
 * ({@code generator#n}) is its place in the whole history, at any parallelism.
 *
 * <p>The splits are versioned ({@link SplitSerializer}). A split of version 1 has a Flink {@code
 * NumberSequenceSplit}'s format, as the committed savepoints under {@code src/test/resources/savepoints}
 * hold it: a range of indices of which reader r of p reads every p-th record from r ({@link
 * #interleave}); its reader builds every wave.
 */
public final class HistorySource
        implements Source<Inbound, HistorySource.HistorySplit, Collection<HistorySource.HistorySplit>>,
                ResultTypeQueryable<Inbound> {
    private static final long serialVersionUID = 1L;

    private final SyntheticHistory history;
    private final RateLimiterStrategy rate;
    /** The job's parallelism: how many readers took every p-th record in a version 1 split. */
    private final int interleavedReaders;

    public HistorySource(SyntheticHistory history, RateLimiterStrategy rate, int parallelism) {
        this.history = history;
        this.rate = rate;
        this.interleavedReaders = history.size() % parallelism == 0 ? parallelism : 1;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public TypeInformation<Inbound> getProducedType() {
        return RecordSerializers.INBOUND;
    }

    /** One split per reader: share r of p, whole. */
    static List<HistorySplit> splits(SyntheticHistory history, int readers) {
        List<HistorySplit> splits = new ArrayList<>(readers);
        for (int r = 0; r < readers; r++) {
            long size = history.share(r, readers).size();
            if (size > 0) {
                splits.add(new HistorySplit(String.valueOf(r + 1), readers, r, 0, size - 1));
            }
        }
        return splits;
    }

    @Override
    public SplitEnumerator<HistorySplit, Collection<HistorySplit>> createEnumerator(
            SplitEnumeratorContext<HistorySplit> context) {
        return new IteratorSourceEnumerator<>(context, splits(history, context.currentParallelism()));
    }

    @Override
    public SplitEnumerator<HistorySplit, Collection<HistorySplit>> restoreEnumerator(
            SplitEnumeratorContext<HistorySplit> context, Collection<HistorySplit> checkpoint) {
        return new IteratorSourceEnumerator<>(context, checkpoint);
    }

    @Override
    public SourceReader<Inbound, HistorySplit> createReader(SourceReaderContext context) {
        return new RateLimitedSourceReader<>(
                new Reader(context, history, interleavedReaders), rate.createRateLimiter(context.currentParallelism()));
    }

    @Override
    public SimpleVersionedSerializer<HistorySplit> getSplitSerializer() {
        return new SplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<Collection<HistorySplit>> getEnumeratorCheckpointSerializer() {
        return new CheckpointSerializer();
    }

    /**
     * Version 1 splits: the record a reader emits for index {@code index}. Reader r's block of indices
     * maps onto every p-th record from r, so each reader walks the whole history in event-time order.
     */
    static long interleave(long index, long size, int readers) {
        long block = size / readers;
        return (index % block) * readers + index / block;
    }

    /**
     * Records {@code from} to {@code to} (inclusive) of share {@code share} of {@code shares}, or, with
     * {@code shares} 0, indices of a version 1 split ({@link #interleave}).
     */
    public record HistorySplit(String splitId, int shares, int share, long from, long to)
            implements IteratorSourceSplit<Long, NumberSequenceIterator> {
        static final int INTERLEAVED = 0;

        @Override
        public NumberSequenceIterator getIterator() {
            return new NumberSequenceIterator(from, to);
        }

        @Override
        public IteratorSourceSplit<Long, NumberSequenceIterator> getUpdatedSplitForIterator(
                NumberSequenceIterator iterator) {
            return new HistorySplit(splitId, shares, share, iterator.getCurrent(), iterator.getTo());
        }
    }

    /** Reads its splits one after another, building the records of the share each is of. */
    static final class Reader extends IteratorSourceReaderBase<Long, Inbound, NumberSequenceIterator, HistorySplit> {
        private final SyntheticHistory history;
        private final int interleavedReaders;
        private SyntheticHistory.Share share;
        private int shareIndex = -1;
        private int shares = -1;

        Reader(SourceReaderContext context, SyntheticHistory history, int interleavedReaders) {
            super(context);
            this.history = history;
            this.interleavedReaders = interleavedReaders;
        }

        @Override
        protected Inbound convert(Long index) {
            HistorySplit split = currentSplit;
            if (split.shares() == HistorySplit.INTERLEAVED) {
                long record = interleave(index, history.size(), interleavedReaders);
                SyntheticHistory.Generated g = history.at(record);
                return RecordParser.parse(g.stream(), "generator#" + record, g.bytes());
            }
            if (split.share() != shareIndex || split.shares() != shares) {
                share = history.share(split.share(), split.shares());
                shareIndex = split.share();
                shares = split.shares();
            }
            SyntheticHistory.Generated g = share.at(index);
            return RecordParser.parse(g.stream(), "generator#" + share.position(index), g.bytes());
        }
    }

    /**
     * Version 2 writes a split's share; version 1 (a {@code NumberSequenceSplit}: id, from, to) reads
     * as an interleaved split.
     */
    static final class SplitSerializer implements SimpleVersionedSerializer<HistorySplit> {
        static final int VERSION = 2;

        @Override
        public int getVersion() {
            return VERSION;
        }

        @Override
        public byte[] serialize(HistorySplit split) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(split.splitId().length() + 26);
            write(out, split);
            return out.getCopyOfBuffer();
        }

        @Override
        public HistorySplit deserialize(int version, byte[] serialized) throws IOException {
            return read(version, new DataInputDeserializer(serialized));
        }

        static void write(DataOutputView out, HistorySplit split) throws IOException {
            out.writeUTF(split.splitId());
            out.writeInt(split.shares());
            out.writeInt(split.share());
            out.writeLong(split.from());
            out.writeLong(split.to());
        }

        static HistorySplit read(int version, DataInputView in) throws IOException {
            return switch (version) {
                case 1 -> new HistorySplit(in.readUTF(), HistorySplit.INTERLEAVED, 0, in.readLong(), in.readLong());
                case 2 -> new HistorySplit(in.readUTF(), in.readInt(), in.readInt(), in.readLong(), in.readLong());
                default -> throw new IOException("unknown generator split version " + version);
            };
        }
    }

    /** The enumerator's splits not yet handed out: a count, then each split as {@link SplitSerializer} writes it. */
    static final class CheckpointSerializer implements SimpleVersionedSerializer<Collection<HistorySplit>> {
        @Override
        public int getVersion() {
            return SplitSerializer.VERSION;
        }

        @Override
        public byte[] serialize(Collection<HistorySplit> splits) throws IOException {
            DataOutputSerializer out = new DataOutputSerializer(splits.size() * 30 + 4);
            out.writeInt(splits.size());
            for (HistorySplit split : splits) {
                SplitSerializer.write(out, split);
            }
            return out.getCopyOfBuffer();
        }

        @Override
        public Collection<HistorySplit> deserialize(int version, byte[] serialized) throws IOException {
            DataInputDeserializer in = new DataInputDeserializer(serialized);
            int n = in.readInt();
            List<HistorySplit> splits = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                splits.add(SplitSerializer.read(version, in));
            }
            return splits;
        }
    }
}
