package dev.attune.signals;

/**
 * All Attune holds on one customer, in one value so RocksDB reads and writes it once per
 * event. Primitives, strings and primitive arrays, kept in keyed state by the hand-written
 * {@code dev.attune.job.CustomerStateSerializer} (a field added here is added there, with a new
 * version of its snapshot). Arrays stay null until needed, so a quiet customer costs a few hundred
 * bytes. No contact details are held.
 */
public class CustomerState {
    // Deduplication ({@link Dedup})
    public long[] seenHashes;
    public long[] seenTimes;
    /** Event time of the newest event decided for this customer. */
    public long lastEventTime;
    /** Set by Forget Me: events at or before it are erased history, not a return. */
    public long forgottenAt;
    /** For a visitor (keyed by anonymousId): the customer they were linked to; their records count for them. */
    public String linkedTo;

    // Profile
    public String timezone;
    public String locale;
    public String tier;
    public String segment;
    /** Language (ISO 639-1: en, de, fr, es) of the customer's latest confidently detected text, or null. */
    public String language;
    /** Channel bits ({@link dev.attune.contract.Channel#bit()}) with consent given / withdrawn. */
    public int consentGranted;

    public int consentDenied;
    /** Channels a contact is known for (email, phone). */
    public int reachable;

    public boolean unsubscribedAll;
    public int unsubscribed;
    public int complained;
    public int hardBounced;

    // Journey: the last {@link Journey#LENGTH} events
    public byte[] journeyKinds;
    public long[] journeyTimes;

    // Sliding windows (event times) and counters
    public long[] struggleTimes;
    /** Risk points of each struggle in {@link #struggleTimes} (null: each counts the default weight). */
    public byte[] strugglePoints;

    public long[] errorTimes;
    /** Risk points of each error in {@link #errorTimes} (null: each counts the default weight). */
    public byte[] errorPoints;
    /** The last struggle decisive on its own (many attempts, long stuck): when, and what it was. */
    public long decisiveStruggleAt;

    public String decisiveStruggle;
    public long[] cancelVisitTimes;
    public String lastStruggleKind;
    public String lastErrorCode;
    public String lastPage;
    public int views;
    public long viewMillis;
    public int featuresUsed;
    public long checkoutOpenSince;
    public long lastUrgentTicketTime;
    public long cancelledAt;
    /** Churn category of the cancellation (a category word, never the customer text). */
    public String cancelCategory;

    // Sentiment, decaying toward neutral
    public double sentiment;
    public long sentimentTime;

    /** Per channel and metric counts ({@link Engagement}); hours of day (local) of opens. */
    public int[] engagement;

    public int[] openHours;

    // Fatigue ledger ({@link dev.attune.policy.FatigueLedger}): recent promotional sends
    public long[] sendTimes;
    /**
     * Channel ordinal of each send; -1 where another system did not say;
     * {@link dev.attune.policy.FatigueLedger#UNCOUNTED} for Attune's own transactional and service sends.
     */
    public byte[] sendChannels;
    /** Hash of Attune's own sendId (0 for sends by other systems), so their echo is not counted twice. */
    public long[] sendHashes;

    /** The most touches kept: the newest, once older ones are past their window. */
    public static final int MAX_TOUCHES = 8;

    // Attribution ({@link dev.attune.policy.Attribution}): recent campaign touches, in time order
    public String[] touchCampaigns;
    public long[] touchTimes;
    /** Hash of the touch's sendId; 0 where the customer was held out. */
    public long[] touchSends;
    /** Holdout and the outcomes already counted, as bits. */
    public int[] touchFlags;

    // Interventions: per type, when last given, and the hash of the event that triggered it
    public long[] lastIntervention;
    public long[] triggerHashes;
    /** Types that fired and wait for the risk to fall before they may fire again (hysteresis). */
    public int disarmed;

    public int lastRisk;
    /** When a model was last asked about this customer (per-customer cooldown, one in flight). */
    public long lastAnalysisAt;

    /**
     * The keyed operator's bookkeeping, not the customer's: of the events it holds for the customer, the
     * first {@link #heldDecidedCount} (in the order they came) that are at or before this event time are
     * decided already (it rewrites its list of held events only now and then). Transient so that it stays
     * out of the JSON of a visitor's handover; kept in keyed state.
     */
    public transient long heldDecidedThrough;

    /** See {@link #heldDecidedThrough}; 0: none of the held events is decided. */
    public transient int heldDecidedCount;

    public CustomerState() {}

    /** Whether the customer has refused anything: a consent withdrawn, an unsubscribe, a complaint, a hard bounce. */
    public boolean hasRefusals() {
        return unsubscribedAll || consentDenied != 0 || unsubscribed != 0 || complained != 0 || hardBounced != 0;
    }

    /**
     * What survives erasure (Forget Me) and state expiry: the bare refusals, as a suppression list keeps them, and
     * the times and channels of recent messages (so a cap still holds the day the customer is erased); nothing that
     * describes the customer. Contact rights never lapse.
     */
    public CustomerState refusalsOnly() {
        CustomerState r = new CustomerState();
        r.consentDenied = consentDenied;
        r.unsubscribedAll = unsubscribedAll;
        r.unsubscribed = unsubscribed;
        r.complained = complained;
        r.hardBounced = hardBounced;
        r.sendTimes = sendTimes;
        r.sendChannels = sendChannels;
        r.sendHashes = sendHashes;
        return r;
    }
}
