package dev.attune.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.attune.contract.DeadLetter;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Every field of the wire types survives the hand-written serializers, whatever is set; a field added
 * to {@link InputRecord} or {@link DeadLetter} and not to {@link RecordSerializers} fails here.
 */
class RecordSerializersTest {

    /** Sets every instance field to a value unlike its default, distinct per field. */
    private static <T> T filled(T o, int seed) throws IllegalAccessException {
        int i = seed;
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            i++;
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(o, f.getName() + "-" + i + (i % 3 == 0 ? " é 中 \uD83D\uDE00" : ""));
            } else if (t == long.class) {
                f.setLong(o, 1_000_000_000_000L + i);
            } else if (t == int.class) {
                f.setInt(o, 1000 + i);
            } else if (t == double.class) {
                f.setDouble(o, i + 0.25);
            } else if (t == boolean.class) {
                f.setBoolean(o, true);
            } else {
                throw new AssertionError("a field of a type the test does not know: " + f);
            }
        }
        return o;
    }

    private static void sameFields(Object want, Object got) throws IllegalAccessException {
        for (Field f : want.getClass().getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertEquals(f.get(want), f.get(got), f.getName());
            }
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = s.deserialize(in);
        assertEquals(0, in.available(), "reads what it wrote");
        // copy(in, out) writes the same bytes
        DataOutputSerializer again = new DataOutputSerializer(64);
        s.copy(new DataInputDeserializer(out.getCopyOfBuffer()), again);
        assertEquals(
                java.util.Arrays.toString(out.getCopyOfBuffer()), java.util.Arrays.toString(again.getCopyOfBuffer()));
        DataInputDeserializer copied = new DataInputDeserializer(again.getCopyOfBuffer());
        s.deserialize(copied);
        assertEquals(0, copied.available(), "a copy is as long as the original");
        return back;
    }

    private static TypeSerializer<InputRecord> records() {
        return RecordSerializers.INPUT_RECORD.createSerializer(new SerializerConfigImpl());
    }

    @Test
    void everyFieldOfARecordSurvives() throws Exception {
        InputRecord r = filled(new InputRecord(), 0);
        InputRecord back = roundTrip(records(), r);
        assertNotSame(r, back);
        sameFields(r, back);
        sameFields(r, records().copy(r));
        sameFields(r, records().copy(r, new InputRecord()));
        sameFields(r, records().deserialize(new InputRecord(), new DataInputDeserializer(bytes(r))));
    }

    @Test
    void aNewRecordSurvivesWithItsNullsAndNaN() throws Exception {
        InputRecord r = new InputRecord();
        r.userId = "u1";
        InputRecord back = roundTrip(records(), r);
        sameFields(r, back);
        assertNull(back.text);
        assertEquals(Double.NaN, back.score);
        // a reused instance loses what it held before
        InputRecord reuse = filled(new InputRecord(), 5);
        sameFields(r, records().deserialize(reuse, new DataInputDeserializer(bytes(r))));
    }

    private static byte[] bytes(InputRecord r) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        records().serialize(r, out);
        return out.getCopyOfBuffer();
    }

    @Test
    void outputRecordsSurviveWithTheirNullsAndAnyText() throws Exception {
        TypeSerializer<dev.attune.contract.OutputRecord> s =
                RecordSerializers.OUTPUT_RECORD.createSerializer(new SerializerConfigImpl());
        String json = "{\"text\":\"caf\u00e9 \u2014 \ud83d\ude00 ?\",\"n\":1}";
        for (dev.attune.contract.OutputRecord r : new dev.attune.contract.OutputRecord[] {
            new dev.attune.contract.OutputRecord("interventions", "user-1", "id-1", json),
            new dev.attune.contract.OutputRecord("dead-letter", null, null, "{}"),
            new dev.attune.contract.OutputRecord(null, "k", "", null),
            new dev.attune.contract.OutputRecord()
        }) {
            dev.attune.contract.OutputRecord back = roundTrip(s, r);
            assertNotSame(r, back);
            sameFields(r, back);
            sameFields(r, s.copy(r));
        }
        sameFields(
                filled(new dev.attune.contract.OutputRecord(), 2),
                roundTrip(s, filled(new dev.attune.contract.OutputRecord(), 2)));
    }

    @Test
    void inboundWithARecordADeadLetterOrBoth() throws Exception {
        TypeSerializer<Inbound> s = RecordSerializers.INBOUND.createSerializer(new SerializerConfigImpl());
        InputRecord r = filled(new InputRecord(), 3);
        DeadLetter d = filled(new DeadLetter(), 7);
        for (Inbound in :
                new Inbound[] {Inbound.of(r), Inbound.dead(d), Inbound.withIgnoredParts(r, d), new Inbound()}) {
            Inbound back = roundTrip(s, in);
            Inbound copy = s.copy(in);
            for (Inbound got : new Inbound[] {back, copy}) {
                assertEquals(in.record == null, got.record == null);
                assertEquals(in.deadLetter == null, got.deadLetter == null);
                if (in.record != null) {
                    sameFields(in.record, got.record);
                }
                if (in.deadLetter != null) {
                    sameFields(in.deadLetter, got.deadLetter);
                }
            }
        }
        assertEquals(2, Inbound.class.getFields().length, "Inbound's fields are the record and the dead letter");
    }

    @Test
    void stringsOfEveryKindSurvive() throws Exception {
        String[] strings = {
            "",
            "?",
            "plain ascii",
            "café ÿ",
            "a?b",
            "中文",
            "emoji \uD83D\uDE00",
            "lone \uD800 surrogate",
            "lone \uDC00",
            "x".repeat(70_000) + "é"
        };
        for (String text : strings) {
            InputRecord r = new InputRecord();
            r.text = text;
            r.userId = text;
            InputRecord back = roundTrip(records(), r);
            assertEquals(text, back.text);
            assertEquals(text, back.userId);
        }
    }

    @Test
    void theSnapshotRestoresTheSameSerializer() {
        TypeSerializer<InputRecord> s = records();
        assertEquals(s, s.snapshotConfiguration().restoreSerializer());
        TypeSerializer<Inbound> i = RecordSerializers.INBOUND.createSerializer(new SerializerConfigImpl());
        assertEquals(i, i.snapshotConfiguration().restoreSerializer());
    }
}
