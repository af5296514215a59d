package dev.attune.policy;

import dev.attune.contract.Channel;
import dev.attune.signals.CustomerState;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * The contact policy as the campaign rules see it: whether, where and when a message may go out.
 * Implemented in the decision layer ({@code decision/ContactPolicy}), which owns it for every
 * message; the campaign rules only ask.
 */
public interface Contact {
    /**
     * What the rules allow: a channel and a time, or (channel null) the reason nothing may go out.
     * {@code excluded} names every channel of the asker's order that was closed, and why.
     */
    record Verdict(
            Channel channel,
            Instant at,
            ZoneId zone,
            int habitualHour,
            Map<String, String> excluded,
            String reason,
            Map<String, Object> details) {
        public boolean allowed() {
            return channel != null;
        }

        public static Verdict blocked(String reason, Map<String, Object> details) {
            return new Verdict(null, null, null, -1, Map.of(), reason, details);
        }
    }

    /** Arbitration: what holds a message now (a campaign's when {@code campaign}), or null. */
    Verdict hold(CustomerState s, long now, boolean campaign);

    /** The channel and time for a message decided at {@code now}, or why there is none. */
    Verdict route(CustomerState s, List<Channel> order, boolean promotional, long now, boolean firstOpen);

    /** Records a message that goes out, so it counts toward the caps (promotional) and its echo is known. */
    void record(CustomerState s, Verdict v, boolean promotional, long now, String messageId);

    /** Why a channel ranks where it does for this customer, for a send's reasons. */
    String describeChannel(CustomerState s, Channel c);
}
