package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.io.RecordSerializers;
import dev.attune.signals.CustomerState;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;

/**
 * The keyed state's hand-written serializers ({@link CustomerStateSerializer} for {@code customer},
 * {@link RecordSerializers.InputRecordSerializer} for {@code held}): every field of a random value comes back
 * equal, and state the reflective {@code PojoSerializer} wrote (every savepoint before them) reads back equal
 * through Flink's migration, in a serializer alone and in RocksDB keyed state restored from a snapshot. A field
 * added to {@link CustomerState} or {@link InputRecord} and not to its serializer fails here.
 */
class StateSerializerProperties {

    /** Every public instance field of {@code type} set at random (null for a reference a third of the time). */
    static <T> T random(Class<T> type, Random r) throws Exception {
        T o = type.getDeclaredConstructor().newInstance();
        for (Field f : fields(type)) {
            Class<?> t = f.getType();
            boolean none = !t.isPrimitive() && r.nextInt(3) == 0;
            if (none) {
                f.set(o, null);
            } else if (t == long.class) {
                f.setLong(o, r.nextLong());
            } else if (t == int.class) {
                f.setInt(o, r.nextInt());
            } else if (t == double.class) {
                f.setDouble(o, r.nextDouble() * 2 - 1);
            } else if (t == boolean.class) {
                f.setBoolean(o, r.nextBoolean());
            } else if (t == String.class) {
                f.set(o, text(r));
            } else if (t == long[].class) {
                long[] a = new long[r.nextInt(12)];
                for (int i = 0; i < a.length; i++) a[i] = r.nextLong();
                f.set(o, a);
            } else if (t == int[].class) {
                int[] a = new int[r.nextInt(30)];
                for (int i = 0; i < a.length; i++) a[i] = r.nextInt();
                f.set(o, a);
            } else if (t == byte[].class) {
                byte[] a = new byte[r.nextInt(12)];
                r.nextBytes(a);
                f.set(o, a);
            } else if (t == String[].class) {
                String[] a = new String[r.nextInt(6)];
                for (int i = 0; i < a.length; i++) a[i] = r.nextInt(4) == 0 ? null : text(r);
                f.set(o, a);
            } else {
                throw new AssertionError("a field of a type the test does not know: " + f);
            }
        }
        return o;
    }

    private static String text(Random r) {
        String[] parts = {"", "a", "checkout", "Europe/Berlin", "é", "中", "\uD83D\uDE00", "?", "de-DE", " "};
        StringBuilder b = new StringBuilder();
        for (int i = r.nextInt(5); i > 0; i--) b.append(parts[r.nextInt(parts.length)]);
        return b.toString();
    }

    private static List<Field> fields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) out.add(f);
        }
        return out;
    }

    /** Every field equal (arrays element by element). */
    static void assertSameFields(Object want, Object got) throws Exception {
        assertThat(got).isNotNull();
        for (Field f : fields(want.getClass())) {
            assertThat(Objects.deepEquals(f.get(want), f.get(got)))
                    .as("%s: %s against %s", f.getName(), f.get(want), f.get(got))
                    .isTrue();
        }
    }

    static <T> byte[] write(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        s.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    static <T> T read(TypeSerializer<T> s, byte[] bytes) throws Exception {
        DataInputDeserializer in = new DataInputDeserializer(bytes);
        T back = s.deserialize(in);
        assertThat(in.available())
                .as("reads what was written, no more, no less")
                .isZero();
        return back;
    }

    /** A snapshot as a savepoint keeps it: written with its version, read back. */
    static <T> TypeSerializerSnapshot<T> throughSavepoint(TypeSerializerSnapshot<T> snapshot) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        return TypeSerializerSnapshot.readVersionedSnapshot(
                new DataInputDeserializer(out.getCopyOfBuffer()), StateSerializerProperties.class.getClassLoader());
    }

    static <T> TypeSerializer<T> pojo(Class<T> type) {
        TypeSerializer<T> s = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        assertThat(s.getClass().getSimpleName()).isEqualTo("PojoSerializer");
        return s;
    }

    @Property(tries = 300)
    void aCustomerStateRoundTripsWithEveryField(@ForAll long seed) throws Exception {
        CustomerState s = random(CustomerState.class, new Random(seed));
        CustomerStateSerializer ser = CustomerStateSerializer.INSTANCE;
        byte[] bytes = write(ser, s);
        assertSameFields(s, read(ser, bytes));
        CustomerState copy = ser.copy(s);
        assertSameFields(s, copy);
        if (s.seenHashes != null) assertThat(copy.seenHashes).isNotSameAs(s.seenHashes);
        DataOutputSerializer copied = new DataOutputSerializer(256);
        ser.copy(new DataInputDeserializer(bytes), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
    }

    @Property(tries = 300)
    void aPojoWrittenCustomerStateReadsBackEqualThroughMigration(@ForAll long seed) throws Exception {
        CustomerState s = random(CustomerState.class, new Random(seed));
        s.heldDecidedThrough = 0; // the operator's transient bookkeeping: the POJO serializer never wrote it
        s.heldDecidedCount = 0;
        TypeSerializer<CustomerState> old = pojo(CustomerState.class);
        byte[] oldBytes = write(old, s);
        TypeSerializerSnapshot<CustomerState> restored = throughSavepoint(old.snapshotConfiguration());
        TypeSerializerSchemaCompatibility<CustomerState> c =
                CustomerStateSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(restored);
        assertThat(c.isCompatibleAfterMigration()).isTrue();
        CustomerState migrated = restored.restoreSerializer().deserialize(new DataInputDeserializer(oldBytes));
        assertSameFields(s, read(CustomerStateSerializer.INSTANCE, write(CustomerStateSerializer.INSTANCE, migrated)));
    }

    @Property(tries = 300)
    void aPojoWrittenHeldRecordReadsBackEqualThroughMigration(@ForAll long seed) throws Exception {
        InputRecord e = random(InputRecord.class, new Random(seed));
        TypeSerializer<InputRecord> old = pojo(InputRecord.class);
        TypeSerializerSnapshot<InputRecord> restored = throughSavepoint(old.snapshotConfiguration());
        TypeSerializer<InputRecord> now = RecordSerializers.InputRecordSerializer.INSTANCE;
        assertThat(now.snapshotConfiguration()
                        .resolveSchemaCompatibility(restored)
                        .isCompatibleAfterMigration())
                .isTrue();
        InputRecord migrated = restored.restoreSerializer().deserialize(new DataInputDeserializer(write(old, e)));
        assertSameFields(e, read(now, write(now, migrated)));
    }

    @Example
    void theSerializersOwnSnapshotsAreCompatibleAsTheyAre() throws Exception {
        assertThat(CustomerStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                throughSavepoint(CustomerStateSerializer.INSTANCE.snapshotConfiguration()))
                        .isCompatibleAsIs())
                .isTrue();
        TypeSerializer<InputRecord> records = RecordSerializers.InputRecordSerializer.INSTANCE;
        assertThat(records.snapshotConfiguration()
                        .resolveSchemaCompatibility(throughSavepoint(records.snapshotConfiguration()))
                        .isCompatibleAsIs())
                .isTrue();
        // Another type's POJO snapshot is not taken for this state.
        assertThat(CustomerStateSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(
                                (TypeSerializerSnapshot) pojo(InputRecord.class).snapshotConfiguration())
                        .isIncompatible())
                .isTrue();
    }

    /** Stores, for the key of each record, the state prepared for that key under the given descriptors. */
    static final class Writer extends KeyedProcessFunction<String, InputRecord, Void> {
        private final ValueStateDescriptor<CustomerState> customerDescriptor;
        private final ListStateDescriptor<InputRecord> heldDescriptor;
        private final Map<String, CustomerState> customers;
        private final Map<String, List<InputRecord>> held;

        Writer(
                ValueStateDescriptor<CustomerState> customerDescriptor,
                ListStateDescriptor<InputRecord> heldDescriptor,
                Map<String, CustomerState> customers,
                Map<String, List<InputRecord>> held) {
            this.customerDescriptor = customerDescriptor;
            this.heldDescriptor = heldDescriptor;
            this.customers = customers;
            this.held = held;
        }

        @Override
        public void processElement(InputRecord key, Context ctx, Collector<Void> out) throws Exception {
            getRuntimeContext().getState(customerDescriptor).update(customers.get(key.userId));
            ListState<InputRecord> h = getRuntimeContext().getListState(heldDescriptor);
            for (InputRecord e : held.get(key.userId)) {
                h.add(e);
            }
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<String, InputRecord, Void> rocks(
            KeyedProcessFunction<String, InputRecord, Void> f) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(f), r -> r.userId, Types.STRING);
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        return h;
    }

    /** What the keyed state of a restored harness holds for {@code key}, read through the job's descriptors. */
    static void assertHolds(
            KeyedOneInputStreamOperatorTestHarness<String, InputRecord, Void> h,
            String key,
            CustomerState customer,
            List<InputRecord> held)
            throws Exception {
        KeyedStateBackend<String> backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(key);
        ValueState<CustomerState> c = backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, CustomerFunction.CUSTOMER);
        ListState<InputRecord> l = backend.getPartitionedState(
                VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, CustomerFunction.HELD);
        assertSameFields(customer, c.value());
        List<InputRecord> got = new ArrayList<>();
        Iterable<InputRecord> all = l.get(); // null when empty, as RocksDB answers
        if (all != null) all.forEach(got::add);
        assertThat(got).hasSameSizeAs(held);
        for (int i = 0; i < held.size(); i++) {
            assertSameFields(held.get(i), got.get(i));
        }
    }

    @Property(tries = 3)
    void pojoKeyedStateInRocksDbRestoresThroughTheNewSerializers(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Map<String, CustomerState> customers = new HashMap<>();
        Map<String, List<InputRecord>> held = new HashMap<>();
        List<InputRecord> keys = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            String key = "u" + k;
            CustomerState s = random(CustomerState.class, r);
            s.heldDecidedThrough = 0; // transient: the POJO serializer never wrote it
            s.heldDecidedCount = 0;
            customers.put(key, s);
            List<InputRecord> events = new ArrayList<>();
            for (int i = r.nextInt(4); i > 0; i--) events.add(random(InputRecord.class, r));
            held.put(key, events);
            InputRecord marker = new InputRecord();
            marker.userId = key;
            keys.add(marker);
        }
        // Written as every savepoint before the hand-written serializers: POJO types under the same names.
        var before = rocks(new Writer(
                new ValueStateDescriptor<>("customer", TypeInformation.of(CustomerState.class)),
                new ListStateDescriptor<>("held", TypeInformation.of(InputRecord.class)),
                customers,
                held));
        before.open();
        for (InputRecord k : keys) before.processElement(new StreamRecord<>(k, 0));
        OperatorSubtaskState pojoSnapshot = before.snapshot(1L, 1L);
        before.close();

        // Restored with the job's descriptors: Flink migrates both states on their first access.
        OperatorSubtaskState migratedSnapshot = restoresEqual(pojoSnapshot, keys, customers, held, 2L);
        // And what the new serializers wrote restores as it is.
        restoresEqual(migratedSnapshot, keys, customers, held, 3L);
    }

    /** Restores {@code snapshot} with the job's descriptors, checks every key's state, and snapshots it again. */
    private static OperatorSubtaskState restoresEqual(
            OperatorSubtaskState snapshot,
            List<InputRecord> keys,
            Map<String, CustomerState> customers,
            Map<String, List<InputRecord>> held,
            long checkpoint)
            throws Exception {
        var h = rocks(new Writer(CustomerFunction.CUSTOMER, CustomerFunction.HELD, customers, held));
        h.initializeState(snapshot);
        h.open();
        for (InputRecord k : keys) {
            assertHolds(h, k.userId, customers.get(k.userId), held.get(k.userId));
        }
        OperatorSubtaskState next = h.snapshot(checkpoint, checkpoint);
        h.close();
        return next;
    }
}
