package dev.attune.policy;

import dev.attune.contract.InputRecord;
import dev.attune.signals.CustomerState;
import dev.attune.signals.EventKind;
import java.util.function.Consumer;

/**
 * What followed a campaign's send, in event time: the customer's recent campaign touches (a send,
 * or being held out) are kept for the attribution window, and each delivery receipt, open, click,
 * reply, bounce, complaint, unsubscribe and order that follows becomes one outcome fact for the
 * campaign's summary, once per touch. A receipt names its send ({@code sendId}) or at least its
 * campaign; an unsubscribe and an order go to the latest touch before them (last touch), a
 * held-out customer's order to the campaign they were held out of, so both groups are measured
 * the same way.
 */
public final class Attribution {
    public static final int HOLDOUT = 1;
    static final int MAX_TOUCHES = 8;

    /** Outcomes in the order of their bits (from 2). */
    public enum Outcome {
        DELIVERED,
        OPENED,
        CLICKED,
        REPLIED,
        BOUNCED,
        COMPLAINED,
        UNSUBSCRIBED,
        CONVERTED;

        int bit() {
            return 2 << ordinal();
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final long window;
    private final String currency;

    public Attribution(long window, String currency) {
        this.window = window;
        this.currency = currency;
    }

    /** A send Attune decided: outcomes naming its id or campaign count for it. */
    public void sent(CustomerState s, String campaignId, long t, String sendId) {
        add(s, campaignId, t, FatigueLedger.hash(sendId), 0);
    }

    /** A customer held out of a campaign: their order counts for the held-out group. */
    public void heldOut(CustomerState s, String campaignId, long t) {
        add(s, campaignId, t, 0, HOLDOUT);
    }

    /** The outcome facts of one event (none for most events). */
    public void observe(CustomerState s, InputRecord e, EventKind kind, Consumer<CampaignFact> facts) {
        if (s.touchTimes == null) {
            return;
        }
        Outcome o = switch (kind) {
            case MESSAGE_DELIVERED -> Outcome.DELIVERED;
            case MESSAGE_OPENED -> Outcome.OPENED;
            case MESSAGE_CLICKED -> Outcome.CLICKED;
            case MESSAGE_REPLIED -> Outcome.REPLIED;
            case MESSAGE_BOUNCED -> Outcome.BOUNCED;
            case MESSAGE_COMPLAINED -> Outcome.COMPLAINED;
            case UNSUBSCRIBED -> Outcome.UNSUBSCRIBED;
            case ORDER_COMPLETED -> Outcome.CONVERTED;
            default -> null;
        };
        if (o == null) {
            return;
        }
        int i = switch (o) {
            case UNSUBSCRIBED -> latest(s, e.timestamp, null, false);
            case CONVERTED -> latest(s, e.timestamp, null, true);
            default -> receipt(s, e);
        };
        if (i < 0 || (s.touchFlags[i] & o.bit()) != 0) {
            return;
        }
        s.touchFlags[i] |= o.bit();
        CampaignFact f = new CampaignFact();
        f.campaignId = s.touchCampaigns[i];
        f.requestId = e.messageId;
        f.eventTime = e.timestamp;
        f.outcome = o.wire();
        f.holdout = (s.touchFlags[i] & HOLDOUT) != 0;
        if (o == Outcome.CONVERTED && (e.currency == null || e.currency.equalsIgnoreCase(currency))) {
            f.revenue = Math.max(0, e.revenue);
        }
        facts.accept(f);
    }

    /** The touch a receipt names: its send by id, else the latest send of its campaign. */
    private int receipt(CustomerState s, InputRecord e) {
        if (e.sendId != null) {
            long h = FatigueLedger.hash(e.sendId);
            for (int i = s.touchTimes.length - 1; i >= 0; i--) {
                if (s.touchSends[i] == h && within(s, i, e.timestamp)) {
                    return i;
                }
            }
        }
        return e.campaignId == null ? -1 : latest(s, e.timestamp, e.campaignId, false);
    }

    /** The latest touch within the window before {@code t} (of the campaign, if given; held out only if allowed). */
    private int latest(CustomerState s, long t, String campaignId, boolean heldOutToo) {
        for (int i = s.touchTimes.length - 1; i >= 0; i--) {
            boolean heldOut = (s.touchFlags[i] & HOLDOUT) != 0;
            if (within(s, i, t)
                    && (heldOutToo || !heldOut)
                    && (campaignId == null || campaignId.equals(s.touchCampaigns[i]))) {
                return i;
            }
        }
        return -1;
    }

    private boolean within(CustomerState s, int i, long t) {
        return s.touchTimes[i] <= t && t - s.touchTimes[i] <= window;
    }

    /** Adds a touch in time order, dropping touches past the window and the oldest beyond {@link #MAX_TOUCHES}. */
    private void add(CustomerState s, String campaignId, long t, long sendHash, int flags) {
        int n = s.touchTimes == null ? 0 : s.touchTimes.length;
        int keepFrom = 0;
        while (keepFrom < n && t - s.touchTimes[keepFrom] > window) {
            keepFrom++;
        }
        keepFrom = Math.max(keepFrom, n + 1 - MAX_TOUCHES);
        int m = n - keepFrom;
        String[] c = new String[m + 1];
        long[] times = new long[m + 1];
        long[] sends = new long[m + 1];
        int[] f = new int[m + 1];
        if (m > 0) {
            System.arraycopy(s.touchCampaigns, keepFrom, c, 0, m);
            System.arraycopy(s.touchTimes, keepFrom, times, 0, m);
            System.arraycopy(s.touchSends, keepFrom, sends, 0, m);
            System.arraycopy(s.touchFlags, keepFrom, f, 0, m);
        }
        int at = m;
        while (at > 0 && times[at - 1] > t) {
            at--;
        }
        System.arraycopy(c, at, c, at + 1, m - at);
        System.arraycopy(times, at, times, at + 1, m - at);
        System.arraycopy(sends, at, sends, at + 1, m - at);
        System.arraycopy(f, at, f, at + 1, m - at);
        c[at] = campaignId;
        times[at] = t;
        sends[at] = sendHash;
        f[at] = flags;
        s.touchCampaigns = c;
        s.touchTimes = times;
        s.touchSends = sends;
        s.touchFlags = f;
    }
}
