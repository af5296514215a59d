package dev.attune.contract;

/**
 * One validated input record in compact form: the fields Attune decides on, and nothing else.
 * A Flink POJO (public fields, no-arg constructor) so it never falls back to Kryo.
 *
 * <p>Contact details are not kept: an email address or phone number only sets a "reachable"
 * bit, and free text is redacted when it is parsed.
 */
public class InputRecord implements Cloneable {
    /** Input stream: one of {@link Streams#INPUTS}. */
    public String stream;
    /** {@code messageId}, or {@code requestId} for campaign requests: the deduplication key. */
    public String messageId;
    /** The state key: {@code userId}, else {@code anonymousId}. */
    public String userId;

    /** Whether {@link #userId} is an {@code anonymousId}: a visitor not yet identified. */
    public boolean anonymous;
    /**
     * On a record that names the customer: the visitor's {@code anonymousId} it also carries (or an
     * {@code alias}'s {@code previousId}), which links the two. Null otherwise.
     */
    public String anonymousId;
    /** On a handover from the visitor stage: what was known of the visitor, as JSON. */
    public String handover;
    /**
     * {@code track}, {@code page}, {@code screen}, {@code identify}, {@code alias}, {@code request}, or
     * {@code merge} (a visitor's handover, made by Attune).
     */
    public String type;
    /** Event name for track; page or screen name for page/screen. */
    public String event;

    public long timestamp;

    // Behaviour properties
    public String name;
    public String feature;
    public String kind;
    public int attempts;
    public long durationMs;
    public String code;
    /** Customer or error text (ticket, comment, reply, cancellation reason), redacted. */
    public String text;

    public String priority;
    /** Survey score; NaN where absent. */
    public double score = Double.NaN;

    public String scale;
    public double revenue;
    public String currency;
    public String plan;
    public double mrr;
    public String tier;

    // Engagement properties
    public String channel;
    public String sendId;
    public String campaignId;
    /** {@code hard} or {@code soft} for Message Bounced. */
    public String bounceType;

    // Profile (identify traits, context)
    public String timezone;
    public String locale;
    public String segment;
    /** Bits of {@link Channel} whose consent this record grants or denies. */
    public int consentGranted;

    public int consentDenied;
    /** Bits of channels this record shows a contact for (email, phone, device). */
    public int reachable;

    // Campaign request
    public String category;
    /** Allowed channels in preference order, comma-separated wire names; null means all. */
    public String channels;
    /** The offer object as compact JSON, handed to message generation. */
    public String offer;
    /** Expiry in epoch millis; 0 where absent. */
    public long notAfter;

    /** Where it came from: "file:line", "partition@offset", "generator#n". */
    public String position;

    public InputRecord() {}

    /** A copy that names the customer a visitor was linked to, for the customer's operator. */
    public InputRecord asCustomer(String customerId) {
        InputRecord r;
        try {
            r = (InputRecord) clone(); // every field is a primitive or an immutable String
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        r.anonymousId = userId;
        r.userId = customerId;
        r.anonymous = false;
        return r;
    }

    public boolean isTrack(String eventName) {
        return "track".equals(type) && eventName.equals(event);
    }

    @Override
    public String toString() {
        return stream + "/" + type + "/" + event + "/" + userId + "/" + messageId + "@" + timestamp;
    }
}
