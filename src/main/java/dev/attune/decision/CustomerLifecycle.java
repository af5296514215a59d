package dev.attune.decision;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.signals.CustomerState;
import java.util.Comparator;

/**
 * The rules of a customer's state over time, apart from what each event decides: the order of
 * events at one time, expiry after {@code state.ttl} of silence, and erasure by Forget Me. Plain
 * Java, so a unit test reaches them; the keyed operator only applies them. All follow event time,
 * never the moment a timer fires, so the same history expires and forgets alike in a replay and
 * live, however the watermark advanced.
 */
public final class CustomerLifecycle {
    private static final long HOUR = 3_600_000L;

    private CustomerLifecycle() {}

    /**
     * Order of events at one event time: input stream (a visitor's handover, which is none of them,
     * first), then id, then content, so one id sent twice at one time with different content (a
     * producer's bug) is settled by content, not by arrival.
     */
    public static final Comparator<InputRecord> SAME_TIME_ORDER = Comparator.comparingInt(
                    (InputRecord r) -> Streams.INPUTS.indexOf(r.stream))
            .thenComparing(r -> r.messageId)
            .thenComparing(CustomerLifecycle::content);

    /** Decision order: event time, then {@link #SAME_TIME_ORDER}. */
    public static final Comparator<InputRecord> EVENT_TIME_ORDER =
            Comparator.comparingLong((InputRecord r) -> r.timestamp).thenComparing(SAME_TIME_ORDER);

    /** A record's content without where it was read from. */
    static String content(InputRecord r) {
        ObjectNode n = Json.MAPPER.valueToTree(r);
        n.remove("position");
        return n.toString();
    }

    /** When a customer silent since {@code lastEventTime} expires: the first whole hour at or after the TTL. */
    public static long expiresAt(long lastEventTime, long ttlMillis) {
        return Math.floorDiv(lastEventTime + ttlMillis + HOUR - 1, HOUR) * HOUR;
    }

    /** Whether this state has expired by event time {@code t}. */
    public static boolean expired(CustomerState s, long t, long ttlMillis) {
        return s != null && s.lastEventTime > 0 && t >= expiresAt(s.lastEventTime, ttlMillis);
    }

    /**
     * What is left of an expired customer: the bare refusals, as a suppression list keeps them
     * (contact rights never lapse), and for a linked visitor the customer they are (their refusals
     * live there); or nothing (null) when there is neither. Their sends are older than any cap
     * window and go.
     */
    public static CustomerState afterExpiry(CustomerState s) {
        if (!s.hasRefusals() && s.linkedTo == null) {
            return null;
        }
        CustomerState kept = s.refusalsOnly();
        kept.linkedTo = s.linkedTo;
        kept.lastEventTime = s.lastEventTime;
        kept.sendTimes = null;
        kept.sendChannels = null;
        kept.sendHashes = null;
        return kept;
    }

    /**
     * Forget Me at {@code t}: everything held on the customer goes but their refusals and the
     * times of recent messages (so caps hold); a tombstone at {@code t} keeps erased history that
     * arrives late from bringing them back.
     */
    public static CustomerState afterForgetMe(CustomerState s, long t) {
        CustomerState kept = s.refusalsOnly();
        kept.forgottenAt = t;
        kept.lastEventTime = t;
        return kept;
    }
}
