package dev.attune.job;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import dev.attune.io.RecordSerializers;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The key type of the customer and visitor stages in a batch run: the customer's id, a {@link String}
 * as in a streaming run, that Flink's batch sort sees as a 64-bit digest of it. Flink sorts each keyed
 * input by the key's bytes and then by time, comparing the first 16 bytes of each record's key and time
 * at once: with a digest of 8 bytes the time fits beside it and every comparison is decided there,
 * while an id of more than 7 bytes left the time out and every two records of one customer were read
 * back and compared whole (three quarters of the sort's CPU, a fifth of a replay's).
 *
 * <p>Only the sort reads the digest: the operators get the records and their ids as they are, and
 * records go to subtasks by the id's hash as in a streaming run. Two customers whose ids share a digest
 * (for a million customers about one chance in 10<sup>7</sup>) would have their records interleaved;
 * {@link CustomerOperator} notices it and stops the replay with both ids named, rather than decide
 * either customer on half of their history.
 */
final class BatchSortKey {
    private static final HashFunction MURMUR = Hashing.murmur3_128();

    /** The key type for {@code keyBy} in a batch run. */
    static final TypeInformation<String> TYPE =
            new RecordSerializers.WireType<>(String.class, () -> Serializer.INSTANCE);

    private BatchSortKey() {}

    /** The 64 bits the batch sort orders an id by. */
    static long digest(String id) {
        return MURMUR.hashUnencodedChars(id).asLong();
    }

    /** Writes the digest only: a sort key, never read back as an id. */
    static final class Serializer extends TypeSerializerSingleton<String> {
        private static final long serialVersionUID = 1L;
        static final Serializer INSTANCE = new Serializer();

        @Override
        public boolean isImmutableType() {
            return true;
        }

        @Override
        public String createInstance() {
            return "";
        }

        @Override
        public String copy(String from) {
            return from;
        }

        @Override
        public String copy(String from, String reuse) {
            return from;
        }

        @Override
        public int getLength() {
            return Long.BYTES;
        }

        @Override
        public void serialize(String id, DataOutputView target) throws IOException {
            target.writeLong(digest(id));
        }

        @Override
        public String deserialize(DataInputView source) {
            throw new UnsupportedOperationException("a batch sort key holds a digest of the id, not the id");
        }

        @Override
        public String deserialize(String reuse, DataInputView source) {
            return deserialize(source);
        }

        @Override
        public void copy(DataInputView source, DataOutputView target) throws IOException {
            target.writeLong(source.readLong());
        }

        @Override
        public TypeSerializerSnapshot<String> snapshotConfiguration() {
            return new Snapshot();
        }
    }

    /** Restores {@link Serializer#INSTANCE} (a batch run takes no checkpoints; Flink asks for one regardless). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<String> {
        public Snapshot() {
            super(() -> Serializer.INSTANCE);
        }
    }
}
