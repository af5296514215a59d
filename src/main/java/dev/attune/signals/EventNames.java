package dev.attune.signals;

import dev.attune.contract.InputRecord;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps event names to {@link EventKind}s: the CONTRACT.md defaults, plus aliases from the
 * {@code events.aliases} key ({@code "Rage Click=struggle,Payment Failed=error"}), so a tracker
 * with its own names needs no translation layer.
 */
public final class EventNames implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Map<String, EventKind> names = new HashMap<>();

    public EventNames(String aliases) {
        names.put("Feature Used", EventKind.FEATURE);
        names.put("Struggle Signal", EventKind.STRUGGLE);
        names.put("Error Shown", EventKind.ERROR);
        names.put("Checkout Started", EventKind.CHECKOUT_STARTED);
        names.put("Order Completed", EventKind.ORDER_COMPLETED);
        names.put("Subscription Cancelled", EventKind.SUBSCRIPTION_CANCELLED);
        names.put("Support Ticket Created", EventKind.SUPPORT_TICKET);
        names.put("Survey Answered", EventKind.SURVEY);
        names.put("Message Sent", EventKind.MESSAGE_SENT);
        names.put("Message Delivered", EventKind.MESSAGE_DELIVERED);
        names.put("Message Opened", EventKind.MESSAGE_OPENED);
        names.put("Message Clicked", EventKind.MESSAGE_CLICKED);
        names.put("Message Replied", EventKind.MESSAGE_REPLIED);
        names.put("Message Bounced", EventKind.MESSAGE_BOUNCED);
        names.put("Message Complained", EventKind.MESSAGE_COMPLAINED);
        names.put("Unsubscribed", EventKind.UNSUBSCRIBED);
        names.put("Forget Me", EventKind.FORGET_ME);
        if (aliases != null && !aliases.isBlank()) {
            for (String pair : aliases.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2) {
                    throw new IllegalArgumentException("'" + pair.trim() + "' is not Name=kind");
                }
                names.put(kv[0].trim(), kindOf(kv[1].trim()));
            }
        }
    }

    /** A kind by its lower-case name, e.g. {@code struggle}. */
    public static EventKind kindOf(String name) {
        try {
            return EventKind.valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + name + "' is not an event kind (struggle, error, view, ...)");
        }
    }

    public EventKind kind(InputRecord r) {
        switch (r.type) {
            case "page", "screen":
                return EventKind.VIEW;
            case "identify":
                return EventKind.IDENTIFY;
            case "request":
                return EventKind.CAMPAIGN_REQUEST;
            case "merge":
                return EventKind.MERGE;
            case "alias":
                return EventKind.OTHER;
            default:
                return names.getOrDefault(r.event, EventKind.OTHER);
        }
    }
}
