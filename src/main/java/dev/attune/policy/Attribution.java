package dev.attune.policy;

import dev.attune.contract.InputRecord;
import dev.attune.signals.CustomerState;
import dev.attune.signals.EventKind;
import dev.attune.signals.InterventionType;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What followed a campaign's send or an intervention, in event time: the customer's recent
 * touches (a send, an intervention given, or being held out of either) are kept for their
 * attribution window, and each delivery receipt, open, click, reply, bounce, complaint,
 * unsubscribe, goal event and cancellation that follows becomes one outcome fact for the
 * summary, once per touch. A receipt names its send or intervention ({@code sendId}) or at least
 * its campaign. An unsubscribe, a goal event (an {@code Order Completed} unless
 * {@code attribution.goal-events} says otherwise) and a cancellation go to the latest touch
 * before them of each programme: the campaigns together (last touch), and each intervention type
 * on its own. A held-out customer's goal events and cancellations count for the group they were
 * held out of, so both groups are measured the same way.
 */
public final class Attribution {
    public static final int HOLDOUT = 1;
    static final int MAX_TOUCHES = CustomerState.MAX_TOUCHES;
    /** The summary key of an intervention type's touches and facts. */
    public static final String INTERVENTION_PREFIX = "intervention:";

    /** Outcomes in the order of their bits (from 2). Only append. */
    public enum Outcome {
        DELIVERED,
        OPENED,
        CLICKED,
        REPLIED,
        BOUNCED,
        COMPLAINED,
        UNSUBSCRIBED,
        CONVERTED,
        CANCELLED;

        int bit() {
            return 2 << ordinal();
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What an intervention type exists for, and so what its uplift measures. */
    public enum Goal {
        /** The struggler completed what they were doing: a goal event within the window. */
        COMPLETED,
        /** The customer did not cancel within the window. */
        STAYED,
        /** The canceller came back: a goal event within the window. */
        CAME_BACK;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Goal of(InterventionType t) {
            return switch (t) {
                case HELP_TIP, LIVE_CHAT_OFFER -> COMPLETED;
                case RETENTION_OFFER, SERVICE_RECOVERY -> STAYED;
                case WIN_BACK -> CAME_BACK;
            };
        }
    }

    private final Holdouts settings;
    private final String currency;

    public Attribution(Holdouts settings, String currency) {
        this.settings = settings;
        this.currency = currency;
    }

    /** The summary key of an intervention type: {@code intervention:live_chat_offer}. */
    public static String key(InterventionType t) {
        return INTERVENTION_PREFIX + t.wire;
    }

    /** The intervention type a summary key names, or null for a campaign. */
    public static InterventionType interventionOf(String key) {
        if (key == null || !key.startsWith(INTERVENTION_PREFIX)) {
            return null;
        }
        String wire = key.substring(INTERVENTION_PREFIX.length());
        for (InterventionType t : InterventionType.values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        return null;
    }

    /** A send Attune decided: outcomes naming its id or campaign count for it. */
    public void sent(CustomerState s, String campaignId, long t, String sendId) {
        add(s, campaignId, t, FatigueLedger.hash(sendId), 0);
    }

    /** A customer held out of a campaign: their order counts for the held-out group. */
    public void heldOut(CustomerState s, String campaignId, long t) {
        add(s, campaignId, t, 0, HOLDOUT);
    }

    /** An intervention given (its id is what a delivery service reports as the {@code sendId}). */
    public void given(CustomerState s, InterventionType type, long t, String interventionId) {
        add(s, key(type), t, FatigueLedger.hash(interventionId), 0);
    }

    /** A customer held out of an intervention type. */
    public void heldOut(CustomerState s, InterventionType type, long t) {
        add(s, key(type), t, 0, HOLDOUT);
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
            case SUBSCRIPTION_CANCELLED -> Outcome.CANCELLED;
            default -> goal(e, kind) ? Outcome.CONVERTED : null;
        };
        if (o == null) {
            return;
        }
        List<Integer> touches = switch (o) {
            case UNSUBSCRIBED -> lastPerProgramme(s, e.timestamp, false);
            case CONVERTED, CANCELLED -> lastPerProgramme(s, e.timestamp, true);
            default -> {
                int i = receipt(s, e);
                yield i < 0 ? List.of() : List.of(i);
            }
        };
        for (int i : touches) {
            if ((s.touchFlags[i] & o.bit()) != 0) {
                continue;
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
    }

    /** Whether the event is a goal: named in {@code attribution.goal-events}, or an order when orders are. */
    private boolean goal(InputRecord e, EventKind kind) {
        return e.event != null
                && (settings.goalEvents().contains(e.event)
                        || (kind == EventKind.ORDER_COMPLETED
                                && settings.goalEvents().contains("Order Completed")));
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
        return e.campaignId == null ? -1 : latest(s, e.timestamp, e.campaignId);
    }

    /** The latest touch within the window before {@code t} of the campaign (not held out), or -1. */
    private int latest(CustomerState s, long t, String campaignId) {
        for (int i = s.touchTimes.length - 1; i >= 0; i--) {
            if (within(s, i, t) && (s.touchFlags[i] & HOLDOUT) == 0 && campaignId.equals(s.touchCampaigns[i])) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The latest touch within its window before {@code t} of each programme (the campaigns together,
     * each intervention type on its own), newest first; held-out touches only if {@code heldOutToo}.
     */
    private List<Integer> lastPerProgramme(CustomerState s, long t, boolean heldOutToo) {
        List<Integer> out = new ArrayList<>(2);
        List<String> seen = new ArrayList<>(2);
        for (int i = s.touchTimes.length - 1; i >= 0; i--) {
            boolean heldOut = (s.touchFlags[i] & HOLDOUT) != 0;
            String programme = s.touchCampaigns[i].startsWith(INTERVENTION_PREFIX) ? s.touchCampaigns[i] : "";
            if (within(s, i, t) && (heldOutToo || !heldOut) && !seen.contains(programme)) {
                seen.add(programme);
                out.add(i);
            }
        }
        return out;
    }

    private boolean within(CustomerState s, int i, long t) {
        return s.touchTimes[i] <= t && t - s.touchTimes[i] <= settings.windowOf(s.touchCampaigns[i]);
    }

    /** Adds a touch in time order, dropping touches past their window and the oldest beyond {@link #MAX_TOUCHES}. */
    private void add(CustomerState s, String key, long t, long sendHash, int flags) {
        int n = s.touchTimes == null ? 0 : s.touchTimes.length;
        int[] keep = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (t - s.touchTimes[i] <= settings.windowOf(s.touchCampaigns[i])) {
                keep[m++] = i;
            }
        }
        int from = Math.max(0, m + 1 - MAX_TOUCHES);
        int size = m - from + 1;
        String[] c = new String[size];
        long[] times = new long[size];
        long[] sends = new long[size];
        int[] f = new int[size];
        int j = 0;
        boolean placed = false;
        for (int k = from; k < m; k++) {
            int i = keep[k];
            if (!placed && s.touchTimes[i] > t) {
                c[j] = key;
                times[j] = t;
                sends[j] = sendHash;
                f[j++] = flags;
                placed = true;
            }
            c[j] = s.touchCampaigns[i];
            times[j] = s.touchTimes[i];
            sends[j] = s.touchSends[i];
            f[j++] = s.touchFlags[i];
        }
        if (!placed) {
            c[j] = key;
            times[j] = t;
            sends[j] = sendHash;
            f[j] = flags;
        }
        s.touchCampaigns = c;
        s.touchTimes = times;
        s.touchSends = sends;
        s.touchFlags = f;
    }
}
