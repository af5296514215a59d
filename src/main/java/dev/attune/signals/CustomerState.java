package dev.attune.signals;

/**
 * All Attune holds on one customer, in one value so RocksDB reads and writes it once per
 * event. A Flink POJO of primitives, strings and primitive arrays: compact, no Kryo, and
 * evolvable (new fields default on restore).
 */
public class CustomerState {
    /** Deduplication ring: id hashes and their event times ({@link Dedup}). */
    public long[] seenHashes;
    public long[] seenTimes;
    /** Event time of the newest event decided for this customer. */
    public long lastEventTime;

    public CustomerState() {}
}
