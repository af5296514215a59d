package dev.attune.contract;

/**
 * What a source yields: a usable record, a dead letter, or a usable record with a dead letter about a part of it
 * that was ignored (an unusable time zone or locale). A Flink POJO.
 */
public class Inbound {
    public InputRecord record;
    public DeadLetter deadLetter;

    public Inbound() {}

    public static Inbound of(InputRecord r) {
        Inbound in = new Inbound();
        in.record = r;
        return in;
    }

    public static Inbound dead(DeadLetter d) {
        Inbound in = new Inbound();
        in.deadLetter = d;
        return in;
    }

    /** A record used without the parts a dead letter names. */
    public static Inbound withIgnoredParts(InputRecord r, DeadLetter d) {
        Inbound in = of(r);
        in.deadLetter = d;
        return in;
    }

    public boolean isValid() {
        return record != null;
    }

    /** Event time for watermarks; a dead letter does not move time. */
    public long eventTime() {
        return record != null ? record.timestamp : Long.MIN_VALUE;
    }
}
