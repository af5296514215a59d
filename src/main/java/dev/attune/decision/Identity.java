package dev.attune.decision;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.signals.CustomerState;
import java.io.UncheckedIOException;

/**
 * One customer per person. A visitor (records with only an {@code anonymousId}) is decided under
 * that id until a record names them: any record carrying both ids, or Segment's {@code alias}
 * ({@code previousId} → {@code userId}). From that record's event time on, what was known of the
 * visitor is handed over to the customer ({@link #handover}, merged by
 * {@link dev.attune.signals.StateMerge}) and every later record with only the {@code anonymousId}
 * counts for the customer. Decided in event-time order in the visitor stage, so replay and live
 * link at the same event, whatever the arrival order. Plain Java; the operator only routes.
 *
 * <p>A visitor linked to a second customer (a shared device) counts for the newest link from its
 * time on; the history was handed to the first. An {@code alias} whose {@code previousId} is an
 * older {@code userId} links only records that carry that id as {@code anonymousId}: a known
 * customer's state is not moved between keys.
 */
public final class Identity {
    private Identity() {}

    /** What the visitor stage does with a record, in event-time order. */
    public enum Route {
        /** A visitor's own record: decided as the visitor. */
        DECIDE,
        /** A visitor's record after the link: decided as the customer. */
        FORWARD,
        /** A record that names the customer the visitor is: links them. */
        LINK
    }

    public static Route route(CustomerState visitor, InputRecord e) {
        if (!e.anonymous) {
            return Route.LINK;
        }
        return visitor != null && visitor.linkedTo != null ? Route.FORWARD : Route.DECIDE;
    }

    /** Whether a link record changes anything: a first link, or a link to another customer. */
    public static boolean isNewLink(CustomerState visitor, InputRecord link) {
        return visitor == null || !link.userId.equals(visitor.linkedTo);
    }

    /**
     * The record that hands the visitor's state to the customer, at the link's event time, or null
     * when nothing was known of the visitor. Sorted before the link itself at that time (its stream
     * is none of the inputs), so the link is decided with the visitor's history.
     */
    public static InputRecord handover(CustomerState visitor, InputRecord link) {
        if (visitor == null || visitor.lastEventTime == 0 || visitor.linkedTo != null) {
            return null;
        }
        InputRecord h = about(link, "identity", "merge", "handover:");
        try {
            h.handover = Json.MAPPER.writeValueAsString(visitor);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
        return h;
    }

    /**
     * The stream of the record that tells the customer stage a link waits in the visitor stage
     * ({@link #pending}).
     */
    public static final String PENDING = "identity-pending";

    /**
     * A record the visitor stage hands on at once when a link must wait for the watermark (deciding
     * on arrival): it waits in the customer's {@code held}, so the customer's own events that follow
     * wait for the link's handover too; it is decided as nothing.
     */
    public static InputRecord pending(InputRecord link) {
        return about(link, PENDING, "pending", "pending:");
    }

    /** A record of {@code stream} about {@code link}: its customer, visitor, time and position. */
    private static InputRecord about(InputRecord link, String stream, String event, String idPrefix) {
        InputRecord r = new InputRecord();
        r.stream = stream;
        r.type = event;
        r.event = event;
        r.userId = link.userId;
        r.anonymousId = link.anonymousId;
        r.timestamp = link.timestamp;
        r.messageId = idPrefix + link.anonymousId + "@" + link.timestamp;
        r.position = link.position;
        return r;
    }

    public static boolean isPending(InputRecord r) {
        return PENDING.equals(r.stream);
    }

    /** The visitor's state once linked: the link alone (the rest went to the customer). */
    public static CustomerState linked(CustomerState visitor, InputRecord link) {
        CustomerState s = new CustomerState();
        s.linkedTo = link.userId;
        s.lastEventTime = Math.max(visitor == null ? 0 : visitor.lastEventTime, link.timestamp);
        return s;
    }

    /** The visitor's state carried by a handover record. */
    public static CustomerState visitorOf(InputRecord handover) {
        try {
            return Json.MAPPER.readValue(handover.handover, CustomerState.class);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
