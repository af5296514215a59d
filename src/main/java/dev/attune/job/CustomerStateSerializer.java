package dev.attune.job;

import dev.attune.signals.CustomerState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The hand-written serializer of {@link CustomerState} in keyed state ({@code customer}), in place of
 * Flink's reflective {@code PojoSerializer}. A state is a bitmap of the string and array fields that are
 * set, then every field in declaration order: primitives as they are, a string in Flink's
 * {@link StringValue} coding, an array as its length and its elements.
 *
 * <p>State written by the {@code PojoSerializer} (every savepoint taken before this serializer) restores:
 * {@link Snapshot#resolveSchemaCompatibility} answers a POJO snapshot of {@link CustomerState} with
 * "compatible after migration", so Flink reads each value with the old serializer and writes it with this
 * one (RocksDB on the first access of the state after a restore; the heap backend as it restores).
 * {@code CustomerStateSerializerTest} fails when a field is added to {@link CustomerState} and not here; a
 * field added later needs a new {@link Snapshot} version that still reads this one.
 */
public final class CustomerStateSerializer extends TypeSerializerSingleton<CustomerState> {
    private static final long serialVersionUID = 1L;
    public static final CustomerStateSerializer INSTANCE = new CustomerStateSerializer();

    private CustomerStateSerializer() {}

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public CustomerState createInstance() {
        return new CustomerState();
    }

    @Override
    public CustomerState copy(CustomerState f) {
        CustomerState t = new CustomerState();
        t.seenHashes = clone(f.seenHashes);
        t.seenTimes = clone(f.seenTimes);
        t.lastEventTime = f.lastEventTime;
        t.forgottenAt = f.forgottenAt;
        t.linkedTo = f.linkedTo;
        t.timezone = f.timezone;
        t.locale = f.locale;
        t.tier = f.tier;
        t.segment = f.segment;
        t.language = f.language;
        t.consentGranted = f.consentGranted;
        t.consentDenied = f.consentDenied;
        t.reachable = f.reachable;
        t.unsubscribedAll = f.unsubscribedAll;
        t.unsubscribed = f.unsubscribed;
        t.complained = f.complained;
        t.hardBounced = f.hardBounced;
        t.journeyKinds = clone(f.journeyKinds);
        t.journeyTimes = clone(f.journeyTimes);
        t.struggleTimes = clone(f.struggleTimes);
        t.strugglePoints = clone(f.strugglePoints);
        t.errorTimes = clone(f.errorTimes);
        t.errorPoints = clone(f.errorPoints);
        t.decisiveStruggleAt = f.decisiveStruggleAt;
        t.decisiveStruggle = f.decisiveStruggle;
        t.cancelVisitTimes = clone(f.cancelVisitTimes);
        t.lastStruggleKind = f.lastStruggleKind;
        t.lastErrorCode = f.lastErrorCode;
        t.lastPage = f.lastPage;
        t.views = f.views;
        t.viewMillis = f.viewMillis;
        t.featuresUsed = f.featuresUsed;
        t.checkoutOpenSince = f.checkoutOpenSince;
        t.lastUrgentTicketTime = f.lastUrgentTicketTime;
        t.cancelledAt = f.cancelledAt;
        t.cancelCategory = f.cancelCategory;
        t.sentiment = f.sentiment;
        t.sentimentTime = f.sentimentTime;
        t.engagement = clone(f.engagement);
        t.openHours = clone(f.openHours);
        t.sendTimes = clone(f.sendTimes);
        t.sendChannels = clone(f.sendChannels);
        t.sendHashes = clone(f.sendHashes);
        t.touchCampaigns = f.touchCampaigns == null ? null : f.touchCampaigns.clone();
        t.touchTimes = clone(f.touchTimes);
        t.touchSends = clone(f.touchSends);
        t.touchFlags = clone(f.touchFlags);
        t.lastIntervention = clone(f.lastIntervention);
        t.triggerHashes = clone(f.triggerHashes);
        t.disarmed = f.disarmed;
        t.lastRisk = f.lastRisk;
        t.lastAnalysisAt = f.lastAnalysisAt;
        t.heldDecidedThrough = f.heldDecidedThrough;
        t.heldDecidedCount = f.heldDecidedCount;
        return t;
    }

    @Override
    public CustomerState copy(CustomerState from, CustomerState reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(CustomerState s, DataOutputView out) throws IOException {
        long present = 0;
        if (s.seenHashes != null) present |= 1L << 0;
        if (s.seenTimes != null) present |= 1L << 1;
        if (s.linkedTo != null) present |= 1L << 2;
        if (s.timezone != null) present |= 1L << 3;
        if (s.locale != null) present |= 1L << 4;
        if (s.tier != null) present |= 1L << 5;
        if (s.segment != null) present |= 1L << 6;
        if (s.language != null) present |= 1L << 7;
        if (s.journeyKinds != null) present |= 1L << 8;
        if (s.journeyTimes != null) present |= 1L << 9;
        if (s.struggleTimes != null) present |= 1L << 10;
        if (s.strugglePoints != null) present |= 1L << 11;
        if (s.errorTimes != null) present |= 1L << 12;
        if (s.errorPoints != null) present |= 1L << 13;
        if (s.decisiveStruggle != null) present |= 1L << 14;
        if (s.cancelVisitTimes != null) present |= 1L << 15;
        if (s.lastStruggleKind != null) present |= 1L << 16;
        if (s.lastErrorCode != null) present |= 1L << 17;
        if (s.lastPage != null) present |= 1L << 18;
        if (s.cancelCategory != null) present |= 1L << 19;
        if (s.engagement != null) present |= 1L << 20;
        if (s.openHours != null) present |= 1L << 21;
        if (s.sendTimes != null) present |= 1L << 22;
        if (s.sendChannels != null) present |= 1L << 23;
        if (s.sendHashes != null) present |= 1L << 24;
        if (s.touchCampaigns != null) present |= 1L << 25;
        if (s.touchTimes != null) present |= 1L << 26;
        if (s.touchSends != null) present |= 1L << 27;
        if (s.touchFlags != null) present |= 1L << 28;
        if (s.lastIntervention != null) present |= 1L << 29;
        if (s.triggerHashes != null) present |= 1L << 30;
        out.writeLong(present);
        if (s.seenHashes != null) writeLongs(s.seenHashes, out);
        if (s.seenTimes != null) writeLongs(s.seenTimes, out);
        out.writeLong(s.lastEventTime);
        out.writeLong(s.forgottenAt);
        if (s.linkedTo != null) StringValue.writeString(s.linkedTo, out);
        if (s.timezone != null) StringValue.writeString(s.timezone, out);
        if (s.locale != null) StringValue.writeString(s.locale, out);
        if (s.tier != null) StringValue.writeString(s.tier, out);
        if (s.segment != null) StringValue.writeString(s.segment, out);
        if (s.language != null) StringValue.writeString(s.language, out);
        out.writeInt(s.consentGranted);
        out.writeInt(s.consentDenied);
        out.writeInt(s.reachable);
        out.writeBoolean(s.unsubscribedAll);
        out.writeInt(s.unsubscribed);
        out.writeInt(s.complained);
        out.writeInt(s.hardBounced);
        if (s.journeyKinds != null) writeBytes(s.journeyKinds, out);
        if (s.journeyTimes != null) writeLongs(s.journeyTimes, out);
        if (s.struggleTimes != null) writeLongs(s.struggleTimes, out);
        if (s.strugglePoints != null) writeBytes(s.strugglePoints, out);
        if (s.errorTimes != null) writeLongs(s.errorTimes, out);
        if (s.errorPoints != null) writeBytes(s.errorPoints, out);
        out.writeLong(s.decisiveStruggleAt);
        if (s.decisiveStruggle != null) StringValue.writeString(s.decisiveStruggle, out);
        if (s.cancelVisitTimes != null) writeLongs(s.cancelVisitTimes, out);
        if (s.lastStruggleKind != null) StringValue.writeString(s.lastStruggleKind, out);
        if (s.lastErrorCode != null) StringValue.writeString(s.lastErrorCode, out);
        if (s.lastPage != null) StringValue.writeString(s.lastPage, out);
        out.writeInt(s.views);
        out.writeLong(s.viewMillis);
        out.writeInt(s.featuresUsed);
        out.writeLong(s.checkoutOpenSince);
        out.writeLong(s.lastUrgentTicketTime);
        out.writeLong(s.cancelledAt);
        if (s.cancelCategory != null) StringValue.writeString(s.cancelCategory, out);
        out.writeDouble(s.sentiment);
        out.writeLong(s.sentimentTime);
        if (s.engagement != null) writeInts(s.engagement, out);
        if (s.openHours != null) writeInts(s.openHours, out);
        if (s.sendTimes != null) writeLongs(s.sendTimes, out);
        if (s.sendChannels != null) writeBytes(s.sendChannels, out);
        if (s.sendHashes != null) writeLongs(s.sendHashes, out);
        if (s.touchCampaigns != null) writeStrings(s.touchCampaigns, out);
        if (s.touchTimes != null) writeLongs(s.touchTimes, out);
        if (s.touchSends != null) writeLongs(s.touchSends, out);
        if (s.touchFlags != null) writeInts(s.touchFlags, out);
        if (s.lastIntervention != null) writeLongs(s.lastIntervention, out);
        if (s.triggerHashes != null) writeLongs(s.triggerHashes, out);
        out.writeInt(s.disarmed);
        out.writeInt(s.lastRisk);
        out.writeLong(s.lastAnalysisAt);
        out.writeLong(s.heldDecidedThrough);
        out.writeInt(s.heldDecidedCount);
    }

    @Override
    public CustomerState deserialize(DataInputView in) throws IOException {
        CustomerState s = new CustomerState();
        long p = in.readLong();
        s.seenHashes = (p & (1L << 0)) != 0 ? readLongs(in) : null;
        s.seenTimes = (p & (1L << 1)) != 0 ? readLongs(in) : null;
        s.lastEventTime = in.readLong();
        s.forgottenAt = in.readLong();
        s.linkedTo = (p & (1L << 2)) != 0 ? StringValue.readString(in) : null;
        s.timezone = (p & (1L << 3)) != 0 ? StringValue.readString(in) : null;
        s.locale = (p & (1L << 4)) != 0 ? StringValue.readString(in) : null;
        s.tier = (p & (1L << 5)) != 0 ? StringValue.readString(in) : null;
        s.segment = (p & (1L << 6)) != 0 ? StringValue.readString(in) : null;
        s.language = (p & (1L << 7)) != 0 ? StringValue.readString(in) : null;
        s.consentGranted = in.readInt();
        s.consentDenied = in.readInt();
        s.reachable = in.readInt();
        s.unsubscribedAll = in.readBoolean();
        s.unsubscribed = in.readInt();
        s.complained = in.readInt();
        s.hardBounced = in.readInt();
        s.journeyKinds = (p & (1L << 8)) != 0 ? readBytes(in) : null;
        s.journeyTimes = (p & (1L << 9)) != 0 ? readLongs(in) : null;
        s.struggleTimes = (p & (1L << 10)) != 0 ? readLongs(in) : null;
        s.strugglePoints = (p & (1L << 11)) != 0 ? readBytes(in) : null;
        s.errorTimes = (p & (1L << 12)) != 0 ? readLongs(in) : null;
        s.errorPoints = (p & (1L << 13)) != 0 ? readBytes(in) : null;
        s.decisiveStruggleAt = in.readLong();
        s.decisiveStruggle = (p & (1L << 14)) != 0 ? StringValue.readString(in) : null;
        s.cancelVisitTimes = (p & (1L << 15)) != 0 ? readLongs(in) : null;
        s.lastStruggleKind = (p & (1L << 16)) != 0 ? StringValue.readString(in) : null;
        s.lastErrorCode = (p & (1L << 17)) != 0 ? StringValue.readString(in) : null;
        s.lastPage = (p & (1L << 18)) != 0 ? StringValue.readString(in) : null;
        s.views = in.readInt();
        s.viewMillis = in.readLong();
        s.featuresUsed = in.readInt();
        s.checkoutOpenSince = in.readLong();
        s.lastUrgentTicketTime = in.readLong();
        s.cancelledAt = in.readLong();
        s.cancelCategory = (p & (1L << 19)) != 0 ? StringValue.readString(in) : null;
        s.sentiment = in.readDouble();
        s.sentimentTime = in.readLong();
        s.engagement = (p & (1L << 20)) != 0 ? readInts(in) : null;
        s.openHours = (p & (1L << 21)) != 0 ? readInts(in) : null;
        s.sendTimes = (p & (1L << 22)) != 0 ? readLongs(in) : null;
        s.sendChannels = (p & (1L << 23)) != 0 ? readBytes(in) : null;
        s.sendHashes = (p & (1L << 24)) != 0 ? readLongs(in) : null;
        s.touchCampaigns = (p & (1L << 25)) != 0 ? readStrings(in) : null;
        s.touchTimes = (p & (1L << 26)) != 0 ? readLongs(in) : null;
        s.touchSends = (p & (1L << 27)) != 0 ? readLongs(in) : null;
        s.touchFlags = (p & (1L << 28)) != 0 ? readInts(in) : null;
        s.lastIntervention = (p & (1L << 29)) != 0 ? readLongs(in) : null;
        s.triggerHashes = (p & (1L << 30)) != 0 ? readLongs(in) : null;
        s.disarmed = in.readInt();
        s.lastRisk = in.readInt();
        s.lastAnalysisAt = in.readLong();
        s.heldDecidedThrough = in.readLong();
        s.heldDecidedCount = in.readInt();
        return s;
    }

    @Override
    public CustomerState deserialize(CustomerState reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<CustomerState> snapshotConfiguration() {
        return new Snapshot();
    }

    private static long[] clone(long[] a) {
        return a == null ? null : a.clone();
    }

    private static int[] clone(int[] a) {
        return a == null ? null : a.clone();
    }

    private static byte[] clone(byte[] a) {
        return a == null ? null : a.clone();
    }

    private static void writeLongs(long[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (long x : a) {
            out.writeLong(x);
        }
    }

    private static long[] readLongs(DataInputView in) throws IOException {
        long[] a = new long[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readLong();
        }
        return a;
    }

    private static void writeInts(int[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (int x : a) {
            out.writeInt(x);
        }
    }

    private static int[] readInts(DataInputView in) throws IOException {
        int[] a = new int[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static void writeBytes(byte[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        out.write(a);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        byte[] a = new byte[in.readInt()];
        in.readFully(a);
        return a;
    }

    /** Each element as a presence byte and, if set, the string. */
    private static void writeStrings(String[] a, DataOutputView out) throws IOException {
        out.writeInt(a.length);
        for (String x : a) {
            out.writeBoolean(x != null);
            if (x != null) {
                StringValue.writeString(x, out);
            }
        }
    }

    private static String[] readStrings(DataInputView in) throws IOException {
        String[] a = new String[in.readInt()];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readBoolean() ? StringValue.readString(in) : null;
        }
        return a;
    }

    /**
     * The format has one version. A POJO snapshot of {@link CustomerState} (what every savepoint before this
     * serializer holds) is compatible after migration: Flink reads the old state with the restored
     * {@code PojoSerializer} and writes it with this serializer.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<CustomerState> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<CustomerState> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CustomerState> old) {
            if (isPojoOf(old, CustomerState.class)) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    /** Whether {@code old} is Flink's {@code PojoSerializer} snapshot of {@code type}. */
    public static boolean isPojoOf(TypeSerializerSnapshot<?> old, Class<?> type) {
        return old instanceof PojoSerializerSnapshot<?> pojo
                && type.isInstance(pojo.restoreSerializer().createInstance());
    }
}
