package dev.attune.policy;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a message may go out in the customer's time zone: never inside quiet hours, and where
 * the customer has a habit of opening messages at some hour, at that hour. Local-time
 * arithmetic goes through {@link ZonedDateTime}, so daylight-saving gaps and overlaps are
 * handled (a time in a gap moves forward).
 */
public record QuietHours(LocalTime start, LocalTime end) implements Serializable {
    public boolean isQuiet(Instant t, ZoneId zone) {
        LocalTime local = t.atZone(zone).toLocalTime();
        if (start.equals(end)) {
            return false;
        }
        return start.isBefore(end)
                ? !local.isBefore(start) && local.isBefore(end)
                : !local.isBefore(start) || local.isBefore(end);
    }

    /** The earliest instant at or after {@code t} that is not quiet. */
    public Instant nextAllowed(Instant t, ZoneId zone) {
        if (!isQuiet(t, zone)) {
            return t;
        }
        ZonedDateTime z = t.atZone(zone);
        ZonedDateTime candidate = z.toLocalDate().atTime(end).atZone(zone);
        if (candidate.toInstant().isBefore(t)) {
            candidate = z.toLocalDate().plusDays(1).atTime(end).atZone(zone);
        }
        return candidate.toInstant();
    }

    /**
     * The send time for a message decided at {@code t}: the next occurrence of the preferred
     * local hour within a day if it is allowed, else the earliest allowed time.
     */
    public Instant schedule(Instant t, ZoneId zone, int preferredHour) {
        Instant earliest = nextAllowed(t, zone);
        if (preferredHour >= 0) {
            ZonedDateTime z = earliest.atZone(zone);
            if (z.getHour() == preferredHour) {
                return earliest;
            }
            for (int day = 0; day <= 1; day++) {
                ZonedDateTime at =
                        z.toLocalDate().plusDays(day).atTime(preferredHour, 0).atZone(zone);
                Instant i = at.toInstant();
                if (!i.isBefore(earliest) && i.isBefore(t.plusSeconds(24 * 3600)) && !isQuiet(i, zone)) {
                    return i;
                }
            }
        }
        return earliest;
    }
}
