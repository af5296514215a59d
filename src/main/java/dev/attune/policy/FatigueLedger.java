package dev.attune.policy;

import dev.attune.contract.Channel;
import dev.attune.signals.CustomerState;
import java.util.Arrays;
import java.util.List;

/**
 * The customer's recent promotional sends: Attune's own, recorded when decided at the time they
 * go out (their {@code scheduledAt}, which may be hours later), and {@code Message Sent} from
 * other systems (whose echo of an Attune send is recognised by its sendId and not counted
 * twice). Parallel arrays in the customer's state, pruned to the longest cap window.
 */
public final class FatigueLedger {
    /**
     * Channel value of Attune's own transactional or service send: kept only so that its echo (a
     * {@code Message Sent} with its sendId) is recognised, never counted toward a cap.
     */
    public static final byte UNCOUNTED = Byte.MIN_VALUE;

    private FatigueLedger() {}

    /** Records a send; {@code channel} null where another system did not say which. */
    public static void record(CustomerState s, Channel channel, long time, long sendHash, long keepMillis) {
        record(s, channel, time, time, sendHash, keepMillis);
    }

    /** Records a send going out at {@code time}, decided at {@code now} (pruning is relative to now). */
    public static void record(CustomerState s, Channel channel, long time, long now, long sendHash, long keepMillis) {
        prune(s, now, keepMillis);
        int n = s.sendTimes == null ? 0 : s.sendTimes.length;
        s.sendTimes = s.sendTimes == null ? new long[1] : Arrays.copyOf(s.sendTimes, n + 1);
        s.sendChannels = s.sendChannels == null ? new byte[1] : Arrays.copyOf(s.sendChannels, n + 1);
        s.sendHashes = s.sendHashes == null ? new long[1] : Arrays.copyOf(s.sendHashes, n + 1);
        s.sendTimes[n] = time;
        s.sendChannels[n] = (byte) (channel == null ? -1 : channel.ordinal());
        s.sendHashes[n] = sendHash;
    }

    /** Records Attune's own send that does not count toward caps, so its echo is not counted either. */
    public static void recordUncounted(CustomerState s, long time, long sendHash, long keepMillis) {
        record(s, null, time, sendHash, keepMillis);
        s.sendChannels[s.sendChannels.length - 1] = UNCOUNTED;
    }

    /**
     * Whether this sendId is one of Attune's own sends, recorded (going out) within {@code keep}
     * before {@code now}. The ledger keeps a send that long ({@link #prune}), but drops it only when
     * it next records one; an echo that comes later than that is another system's send whether or
     * not the entry is still there, so the answer does not depend on when the ledger was last pruned.
     */
    public static boolean isOwn(CustomerState s, long sendHash, long now, long keep) {
        if (s.sendHashes == null || sendHash == 0) {
            return false;
        }
        for (int i = 0; i < s.sendHashes.length; i++) {
            if (s.sendHashes[i] == sendHash && s.sendTimes[i] > now - keep) {
                return true;
            }
        }
        return false;
    }

    /** Sends on {@code c} (all channels when null) in the window ending at {@code now}. */
    public static int count(CustomerState s, Channel c, long now, long window) {
        if (s.sendTimes == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < s.sendTimes.length; i++) {
            if (s.sendTimes[i] > now - window
                    && s.sendTimes[i] <= now
                    && s.sendChannels[i] != UNCOUNTED
                    && (c == null || s.sendChannels[i] == c.ordinal())) {
                n++;
            }
        }
        return n;
    }

    /**
     * The first cap a send on {@code c} going out at {@code at} would break, or null. Every window
     * holding {@code at} must have room, also those ending at a send already scheduled after it;
     * the count is that of the fullest of them.
     */
    public static Breach breach(CustomerState s, Channel c, long at, List<FatigueCap> caps) {
        for (FatigueCap cap : caps) {
            if (cap.channel() == null || cap.channel() == c) {
                int count = count(s, cap.channel(), at, cap.windowMillis());
                if (s.sendTimes != null) {
                    for (long later : s.sendTimes) {
                        if (later > at && later - at < cap.windowMillis()) {
                            count = Math.max(count, count(s, cap.channel(), later, cap.windowMillis()));
                        }
                    }
                }
                if (count >= cap.max()) {
                    return new Breach(cap, count);
                }
            }
        }
        return null;
    }

    public record Breach(FatigueCap cap, int count) {}

    public static void prune(CustomerState s, long now, long keep) {
        if (s.sendTimes == null) {
            return;
        }
        int k = 0;
        for (int i = 0; i < s.sendTimes.length; i++) {
            if (s.sendTimes[i] > now - keep) {
                s.sendTimes[k] = s.sendTimes[i];
                s.sendChannels[k] = s.sendChannels[i];
                s.sendHashes[k] = s.sendHashes[i];
                k++;
            }
        }
        if (k == 0) {
            s.sendTimes = null;
            s.sendChannels = null;
            s.sendHashes = null;
        } else if (k < s.sendTimes.length) {
            s.sendTimes = Arrays.copyOf(s.sendTimes, k);
            s.sendChannels = Arrays.copyOf(s.sendChannels, k);
            s.sendHashes = Arrays.copyOf(s.sendHashes, k);
        }
    }

    /** Hash of a message id (a sendId or interventionId) as the ledger keeps it; 0 for none. */
    public static long hash(String messageId) {
        if (messageId == null) {
            return 0;
        }
        long h = 1125899906842597L;
        for (int i = 0; i < messageId.length(); i++) {
            h = 31 * h + messageId.charAt(i);
        }
        return h == 0 ? 1 : h;
    }
}
