package dev.attune.io;

import dev.attune.contract.DeadLetter;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * Hand-written serializers for the records that travel between operators: {@link Inbound} (source
 * to the filters) and {@link InputRecord} (into the keyed operators, and through the sort of a
 * batch replay). Flink's reflective {@code PojoSerializer} on these was about a sixth of a replay.
 *
 * <p>{@link InputRecordSerializer} also serializes the events a customer's keyed state holds until
 * they are due ({@code CustomerFunction.HELD}); state written there by Flink's {@code PojoSerializer}
 * restores through {@link InputRecordSnapshot} ("compatible after migration"). A record is a bitmap of
 * the string fields that are set, those strings, then the primitive fields, in declaration order;
 * {@code RecordSerializersTest} fails when a field is added to the classes and not here, and a field
 * added to {@link InputRecord} needs a new snapshot version that still reads this format.
 */
public final class RecordSerializers {
    private RecordSerializers() {}

    public static final TypeInformation<InputRecord> INPUT_RECORD =
            new WireType<>(InputRecord.class, () -> InputRecordSerializer.INSTANCE);
    public static final TypeInformation<Inbound> INBOUND =
            new WireType<>(Inbound.class, () -> InboundSerializer.INSTANCE);
    public static final TypeInformation<OutputRecord> OUTPUT_RECORD =
            new WireType<>(OutputRecord.class, () -> OutputRecordSerializer.INSTANCE);

    /**
     * A string whose characters are all at most U+00FF (Java keeps those as one byte each) goes as its
     * length and its ISO-8859-1 bytes, a copy either way; any other as -1 and Flink's
     * {@link StringValue} coding. A '?' in the bytes may stand for a character ISO-8859-1 lacks, so
     * such a string takes the second way too.
     */
    static void writeString(String s, DataOutputView out) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        for (byte x : b) {
            if (x == '?') {
                out.writeInt(-1);
                StringValue.writeString(s, out);
                return;
            }
        }
        out.writeInt(b.length);
        out.write(b);
    }

    static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return StringValue.readString(in);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The bytes of {@link InputRecord}'s primitive fields as {@link #writeRecord} writes them. */
    static final int PRIMITIVE_BYTES = 65;

    private static void copyBytes(DataInputView in, DataOutputView out, int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        out.write(b);
    }

    static void writeRecord(InputRecord r, DataOutputView out) throws IOException {
        long present = 0;
        if (r.stream != null) present |= 1L << 0;
        if (r.messageId != null) present |= 1L << 1;
        if (r.userId != null) present |= 1L << 2;
        if (r.anonymousId != null) present |= 1L << 3;
        if (r.handover != null) present |= 1L << 4;
        if (r.type != null) present |= 1L << 5;
        if (r.event != null) present |= 1L << 6;
        if (r.name != null) present |= 1L << 7;
        if (r.feature != null) present |= 1L << 8;
        if (r.kind != null) present |= 1L << 9;
        if (r.code != null) present |= 1L << 10;
        if (r.text != null) present |= 1L << 11;
        if (r.priority != null) present |= 1L << 12;
        if (r.scale != null) present |= 1L << 13;
        if (r.currency != null) present |= 1L << 14;
        if (r.plan != null) present |= 1L << 15;
        if (r.tier != null) present |= 1L << 16;
        if (r.channel != null) present |= 1L << 17;
        if (r.sendId != null) present |= 1L << 18;
        if (r.campaignId != null) present |= 1L << 19;
        if (r.bounceType != null) present |= 1L << 20;
        if (r.timezone != null) present |= 1L << 21;
        if (r.locale != null) present |= 1L << 22;
        if (r.segment != null) present |= 1L << 23;
        if (r.category != null) present |= 1L << 24;
        if (r.channels != null) present |= 1L << 25;
        if (r.offer != null) present |= 1L << 26;
        if (r.position != null) present |= 1L << 27;
        out.writeLong(present);
        if (r.stream != null) writeString(r.stream, out);
        if (r.messageId != null) writeString(r.messageId, out);
        if (r.userId != null) writeString(r.userId, out);
        if (r.anonymousId != null) writeString(r.anonymousId, out);
        if (r.handover != null) writeString(r.handover, out);
        if (r.type != null) writeString(r.type, out);
        if (r.event != null) writeString(r.event, out);
        if (r.name != null) writeString(r.name, out);
        if (r.feature != null) writeString(r.feature, out);
        if (r.kind != null) writeString(r.kind, out);
        if (r.code != null) writeString(r.code, out);
        if (r.text != null) writeString(r.text, out);
        if (r.priority != null) writeString(r.priority, out);
        if (r.scale != null) writeString(r.scale, out);
        if (r.currency != null) writeString(r.currency, out);
        if (r.plan != null) writeString(r.plan, out);
        if (r.tier != null) writeString(r.tier, out);
        if (r.channel != null) writeString(r.channel, out);
        if (r.sendId != null) writeString(r.sendId, out);
        if (r.campaignId != null) writeString(r.campaignId, out);
        if (r.bounceType != null) writeString(r.bounceType, out);
        if (r.timezone != null) writeString(r.timezone, out);
        if (r.locale != null) writeString(r.locale, out);
        if (r.segment != null) writeString(r.segment, out);
        if (r.category != null) writeString(r.category, out);
        if (r.channels != null) writeString(r.channels, out);
        if (r.offer != null) writeString(r.offer, out);
        if (r.position != null) writeString(r.position, out);
        out.writeBoolean(r.anonymous);
        out.writeLong(r.timestamp);
        out.writeInt(r.attempts);
        out.writeLong(r.durationMs);
        out.writeDouble(r.score);
        out.writeDouble(r.revenue);
        out.writeDouble(r.mrr);
        out.writeInt(r.consentGranted);
        out.writeInt(r.consentDenied);
        out.writeInt(r.reachable);
        out.writeLong(r.notAfter);
    }

    static InputRecord readRecord(InputRecord r, DataInputView in) throws IOException {
        long present = in.readLong();
        r.stream = (present & (1L << 0)) != 0 ? readString(in) : null;
        r.messageId = (present & (1L << 1)) != 0 ? readString(in) : null;
        r.userId = (present & (1L << 2)) != 0 ? readString(in) : null;
        r.anonymousId = (present & (1L << 3)) != 0 ? readString(in) : null;
        r.handover = (present & (1L << 4)) != 0 ? readString(in) : null;
        r.type = (present & (1L << 5)) != 0 ? readString(in) : null;
        r.event = (present & (1L << 6)) != 0 ? readString(in) : null;
        r.name = (present & (1L << 7)) != 0 ? readString(in) : null;
        r.feature = (present & (1L << 8)) != 0 ? readString(in) : null;
        r.kind = (present & (1L << 9)) != 0 ? readString(in) : null;
        r.code = (present & (1L << 10)) != 0 ? readString(in) : null;
        r.text = (present & (1L << 11)) != 0 ? readString(in) : null;
        r.priority = (present & (1L << 12)) != 0 ? readString(in) : null;
        r.scale = (present & (1L << 13)) != 0 ? readString(in) : null;
        r.currency = (present & (1L << 14)) != 0 ? readString(in) : null;
        r.plan = (present & (1L << 15)) != 0 ? readString(in) : null;
        r.tier = (present & (1L << 16)) != 0 ? readString(in) : null;
        r.channel = (present & (1L << 17)) != 0 ? readString(in) : null;
        r.sendId = (present & (1L << 18)) != 0 ? readString(in) : null;
        r.campaignId = (present & (1L << 19)) != 0 ? readString(in) : null;
        r.bounceType = (present & (1L << 20)) != 0 ? readString(in) : null;
        r.timezone = (present & (1L << 21)) != 0 ? readString(in) : null;
        r.locale = (present & (1L << 22)) != 0 ? readString(in) : null;
        r.segment = (present & (1L << 23)) != 0 ? readString(in) : null;
        r.category = (present & (1L << 24)) != 0 ? readString(in) : null;
        r.channels = (present & (1L << 25)) != 0 ? readString(in) : null;
        r.offer = (present & (1L << 26)) != 0 ? readString(in) : null;
        r.position = (present & (1L << 27)) != 0 ? readString(in) : null;
        r.anonymous = in.readBoolean();
        r.timestamp = in.readLong();
        r.attempts = in.readInt();
        r.durationMs = in.readLong();
        r.score = in.readDouble();
        r.revenue = in.readDouble();
        r.mrr = in.readDouble();
        r.consentGranted = in.readInt();
        r.consentDenied = in.readInt();
        r.reachable = in.readInt();
        r.notAfter = in.readLong();
        return r;
    }

    static InputRecord copyRecord(InputRecord from, InputRecord to) {
        to.stream = from.stream;
        to.messageId = from.messageId;
        to.userId = from.userId;
        to.anonymous = from.anonymous;
        to.anonymousId = from.anonymousId;
        to.handover = from.handover;
        to.type = from.type;
        to.event = from.event;
        to.timestamp = from.timestamp;
        to.name = from.name;
        to.feature = from.feature;
        to.kind = from.kind;
        to.attempts = from.attempts;
        to.durationMs = from.durationMs;
        to.code = from.code;
        to.text = from.text;
        to.priority = from.priority;
        to.score = from.score;
        to.scale = from.scale;
        to.revenue = from.revenue;
        to.currency = from.currency;
        to.plan = from.plan;
        to.mrr = from.mrr;
        to.tier = from.tier;
        to.channel = from.channel;
        to.sendId = from.sendId;
        to.campaignId = from.campaignId;
        to.bounceType = from.bounceType;
        to.timezone = from.timezone;
        to.locale = from.locale;
        to.segment = from.segment;
        to.consentGranted = from.consentGranted;
        to.consentDenied = from.consentDenied;
        to.reachable = from.reachable;
        to.category = from.category;
        to.channels = from.channels;
        to.offer = from.offer;
        to.notAfter = from.notAfter;
        to.position = from.position;
        return to;
    }

    static void writeDeadLetter(DeadLetter d, DataOutputView out) throws IOException {
        long present = 0;
        if (d.stream != null) present |= 1L << 0;
        if (d.position != null) present |= 1L << 1;
        if (d.raw != null) present |= 1L << 2;
        if (d.stage != null) present |= 1L << 3;
        if (d.code != null) present |= 1L << 4;
        if (d.message != null) present |= 1L << 5;
        if (d.userId != null) present |= 1L << 6;
        out.writeLong(present);
        if (d.stream != null) writeString(d.stream, out);
        if (d.position != null) writeString(d.position, out);
        if (d.raw != null) writeString(d.raw, out);
        if (d.stage != null) writeString(d.stage, out);
        if (d.code != null) writeString(d.code, out);
        if (d.message != null) writeString(d.message, out);
        if (d.userId != null) writeString(d.userId, out);
        out.writeBoolean(d.rawBase64);
        out.writeLong(d.eventTime);
    }

    static DeadLetter readDeadLetter(DeadLetter d, DataInputView in) throws IOException {
        long present = in.readLong();
        d.stream = (present & (1L << 0)) != 0 ? readString(in) : null;
        d.position = (present & (1L << 1)) != 0 ? readString(in) : null;
        d.raw = (present & (1L << 2)) != 0 ? readString(in) : null;
        d.stage = (present & (1L << 3)) != 0 ? readString(in) : null;
        d.code = (present & (1L << 4)) != 0 ? readString(in) : null;
        d.message = (present & (1L << 5)) != 0 ? readString(in) : null;
        d.userId = (present & (1L << 6)) != 0 ? readString(in) : null;
        d.rawBase64 = in.readBoolean();
        d.eventTime = in.readLong();
        return d;
    }

    static DeadLetter copyDeadLetter(DeadLetter from, DeadLetter to) {
        to.stream = from.stream;
        to.position = from.position;
        to.raw = from.raw;
        to.rawBase64 = from.rawBase64;
        to.stage = from.stage;
        to.code = from.code;
        to.message = from.message;
        to.userId = from.userId;
        to.eventTime = from.eventTime;
        return to;
    }

    /** {@link InputRecord}, never null on the wire. */
    public static final class InputRecordSerializer extends TypeSerializerSingleton<InputRecord> {
        private static final long serialVersionUID = 1L;
        public static final InputRecordSerializer INSTANCE = new InputRecordSerializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public InputRecord createInstance() {
            return new InputRecord();
        }

        @Override
        public InputRecord copy(InputRecord from) {
            return copyRecord(from, new InputRecord());
        }

        @Override
        public InputRecord copy(InputRecord from, InputRecord reuse) {
            return copyRecord(from, reuse);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(InputRecord r, DataOutputView out) throws IOException {
            writeRecord(r, out);
        }

        @Override
        public InputRecord deserialize(DataInputView in) throws IOException {
            return readRecord(new InputRecord(), in);
        }

        @Override
        public InputRecord deserialize(InputRecord reuse, DataInputView in) throws IOException {
            return readRecord(reuse, in);
        }

        /** Byte for byte, without making the record: a batch sort that spills copies every record so. */
        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            long present = in.readLong();
            out.writeLong(present);
            for (long bits = present; bits != 0; bits &= bits - 1) {
                int n = in.readInt();
                out.writeInt(n);
                if (n >= 0) {
                    copyBytes(in, out, n);
                } else {
                    StringValue.copyString(in, out);
                }
            }
            copyBytes(in, out, PRIMITIVE_BYTES);
        }

        @Override
        public TypeSerializerSnapshot<InputRecord> snapshotConfiguration() {
            return new InputRecordSnapshot();
        }
    }

    /**
     * The snapshot Flink asks every serializer for; the format has one version. In keyed state, a POJO
     * snapshot of {@link InputRecord} (what savepoints before this serializer hold) is compatible after
     * migration: Flink reads the old state with the restored {@code PojoSerializer} and writes it with
     * this one.
     */
    public static final class InputRecordSnapshot extends SimpleTypeSerializerSnapshot<InputRecord> {
        public InputRecordSnapshot() {
            super(() -> InputRecordSerializer.INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<InputRecord> resolveSchemaCompatibility(
                TypeSerializerSnapshot<InputRecord> old) {
            if (old instanceof PojoSerializerSnapshot<InputRecord> pojo
                    && pojo.restoreSerializer().createInstance() instanceof InputRecord) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    /** {@link Inbound}: a byte saying which of its record and dead letter are set, then those. */
    public static final class InboundSerializer extends TypeSerializerSingleton<Inbound> {
        private static final long serialVersionUID = 1L;
        public static final InboundSerializer INSTANCE = new InboundSerializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public Inbound createInstance() {
            return new Inbound();
        }

        @Override
        public Inbound copy(Inbound from) {
            Inbound to = new Inbound();
            to.record = from.record == null ? null : copyRecord(from.record, new InputRecord());
            to.deadLetter = from.deadLetter == null ? null : copyDeadLetter(from.deadLetter, new DeadLetter());
            return to;
        }

        @Override
        public Inbound copy(Inbound from, Inbound reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(Inbound in, DataOutputView out) throws IOException {
            out.writeByte((in.record != null ? 1 : 0) | (in.deadLetter != null ? 2 : 0));
            if (in.record != null) {
                writeRecord(in.record, out);
            }
            if (in.deadLetter != null) {
                writeDeadLetter(in.deadLetter, out);
            }
        }

        @Override
        public Inbound deserialize(DataInputView in) throws IOException {
            int present = in.readByte();
            Inbound r = new Inbound();
            r.record = (present & 1) != 0 ? readRecord(new InputRecord(), in) : null;
            r.deadLetter = (present & 2) != 0 ? readDeadLetter(new DeadLetter(), in) : null;
            return r;
        }

        @Override
        public Inbound deserialize(Inbound reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<Inbound> snapshotConfiguration() {
            return new InboundSnapshot();
        }
    }

    /** The snapshot Flink asks every serializer for; the format has one version. */
    public static final class InboundSnapshot extends SimpleTypeSerializerSnapshot<Inbound> {
        public InboundSnapshot() {
            super(() -> InboundSerializer.INSTANCE);
        }
    }

    /**
     * {@link OutputRecord} between the decisions and the sinks (never in state): a byte saying which of
     * its four strings are set, then those, as {@link #writeString} writes them. Flink's POJO
     * serializer wrote each character of the record's JSON on its own.
     */
    public static final class OutputRecordSerializer extends TypeSerializerSingleton<OutputRecord> {
        private static final long serialVersionUID = 1L;
        public static final OutputRecordSerializer INSTANCE = new OutputRecordSerializer();

        @Override
        public boolean isImmutableType() {
            return false;
        }

        @Override
        public OutputRecord createInstance() {
            return new OutputRecord();
        }

        @Override
        public OutputRecord copy(OutputRecord from) {
            return new OutputRecord(from.stream, from.key, from.id, from.json);
        }

        @Override
        public OutputRecord copy(OutputRecord from, OutputRecord reuse) {
            return copy(from);
        }

        @Override
        public int getLength() {
            return -1;
        }

        @Override
        public void serialize(OutputRecord r, DataOutputView out) throws IOException {
            String[] fields = {r.stream, r.key, r.id, r.json};
            int present = 0;
            for (int i = 0; i < fields.length; i++) {
                present |= fields[i] != null ? 1 << i : 0;
            }
            out.writeByte(present);
            for (String f : fields) {
                if (f != null) {
                    writeString(f, out);
                }
            }
        }

        @Override
        public OutputRecord deserialize(DataInputView in) throws IOException {
            int present = in.readByte();
            String[] fields = new String[4];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = (present & 1 << i) != 0 ? readString(in) : null;
            }
            return new OutputRecord(fields[0], fields[1], fields[2], fields[3]);
        }

        @Override
        public OutputRecord deserialize(OutputRecord reuse, DataInputView in) throws IOException {
            return deserialize(in);
        }

        @Override
        public void copy(DataInputView in, DataOutputView out) throws IOException {
            serialize(deserialize(in), out);
        }

        @Override
        public TypeSerializerSnapshot<OutputRecord> snapshotConfiguration() {
            return new OutputRecordSnapshot();
        }
    }

    /** The snapshot Flink asks every serializer for; the format has one version. */
    public static final class OutputRecordSnapshot extends SimpleTypeSerializerSnapshot<OutputRecord> {
        public OutputRecordSnapshot() {
            super(() -> OutputRecordSerializer.INSTANCE);
        }
    }

    /** A type whose serializer is one of the above (or another of Attune's own). */
    public static final class WireType<T> extends TypeInformation<T> {
        private static final long serialVersionUID = 1L;
        private final Class<T> type;
        private final SerializableSupplier<TypeSerializer<T>> serializer;

        public WireType(Class<T> type, SerializableSupplier<TypeSerializer<T>> serializer) {
            this.type = type;
            this.serializer = serializer;
        }

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<T> getTypeClass() {
            return type;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<T> createSerializer(SerializerConfig config) {
            return serializer.get();
        }

        @Override
        @Deprecated
        public TypeSerializer<T> createSerializer(ExecutionConfig config) {
            return serializer.get();
        }

        @Override
        public String toString() {
            return "wire(" + type.getSimpleName() + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WireType<?> w && w.type == type;
        }

        @Override
        public int hashCode() {
            return type.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof WireType;
        }
    }

    public interface SerializableSupplier<T> extends Supplier<T>, java.io.Serializable {}
}
