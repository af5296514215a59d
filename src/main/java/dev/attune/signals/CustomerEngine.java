package dev.attune.signals;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import java.io.Serializable;
import java.util.function.Consumer;

/**
 * Decides for one customer, one event at a time, in event-time order: plain Java, no Flink.
 * The keyed operator loads the state, calls {@link #decide}, and stores what it returns.
 */
public class CustomerEngine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What became of an event. */
    public enum Outcome { USED, DUPLICATE }

    private final long dedupWindowMillis;

    public CustomerEngine(long dedupWindowMillis) {
        this.dedupWindowMillis = dedupWindowMillis;
    }

    public Outcome decide(CustomerState s, InputRecord e, Consumer<OutputRecord> out) {
        if (Dedup.seenOrRecord(s, e.messageId, e.timestamp, dedupWindowMillis)) {
            return Outcome.DUPLICATE;
        }
        s.lastEventTime = Math.max(s.lastEventTime, e.timestamp);
        return Outcome.USED;
    }
}
