package dev.attune.contract;

import java.util.Locale;

/** Delivery channels of CONTRACT.md. The ordinal is a bit in consent masks: never reorder. */
public enum Channel {
    SMS,
    WHATSAPP,
    EMAIL,
    VOICE,
    PUSH,
    IN_APP;

    public final int bit() {
        return 1 << ordinal();
    }

    public final String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The channel of a wire name, or null. */
    public static Channel fromWire(String s) {
        if (s == null) {
            return null;
        }
        for (Channel c : values()) {
            if (c.wire().equals(s)) {
                return c;
            }
        }
        return null;
    }
}
