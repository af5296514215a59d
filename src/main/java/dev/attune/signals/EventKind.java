package dev.attune.signals;

/** What an input record means to Attune. The ordinal is stored in the journey: only append. */
public enum EventKind {
    OTHER,
    VIEW,
    FEATURE,
    STRUGGLE,
    ERROR,
    CHECKOUT_STARTED,
    ORDER_COMPLETED,
    SUBSCRIPTION_CANCELLED,
    SUPPORT_TICKET,
    SURVEY,
    IDENTIFY,
    MESSAGE_SENT,
    MESSAGE_DELIVERED,
    MESSAGE_OPENED,
    MESSAGE_CLICKED,
    MESSAGE_REPLIED,
    MESSAGE_BOUNCED,
    MESSAGE_COMPLAINED,
    UNSUBSCRIBED,
    FORGET_ME,
    CAMPAIGN_REQUEST,
    /** A visitor's state handed over to the customer they were linked to. */
    MERGE;

    private static final EventKind[] VALUES = values();

    public static EventKind of(byte ordinal) {
        return ordinal >= 0 && ordinal < VALUES.length ? VALUES[ordinal] : OTHER;
    }
}
