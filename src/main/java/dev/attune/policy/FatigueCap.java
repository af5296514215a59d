package dev.attune.policy;

import dev.attune.contract.Channel;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A cap: at most {@code max} promotional sends on a channel (or all) within a window. */
public record FatigueCap(Channel channel, int max, long windowMillis) implements Serializable {
    /** {@code all:2/1d,email:1/1d,...}; windows in d, h or m. */
    public static List<FatigueCap> parseAll(String spec) {
        List<FatigueCap> caps = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int colon = p.indexOf(':');
            int slash = p.indexOf('/');
            if (colon < 0 || slash < colon) {
                throw new IllegalArgumentException("'" + p + "' is not channel:count/window such as email:1/1d");
            }
            String ch = p.substring(0, colon).trim();
            Channel channel = null;
            if (!ch.equals("all")) {
                channel = Channel.fromWire(ch);
                if (channel == null) {
                    throw new IllegalArgumentException(
                            "'" + ch + "' is not all or a channel (sms, whatsapp, email, voice, push, in_app)");
                }
            }
            int max;
            try {
                max = Integer.parseInt(p.substring(colon + 1, slash).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + p + "': count is not a whole number");
            }
            if (max < 0) {
                throw new IllegalArgumentException("'" + p + "': count must not be negative");
            }
            caps.add(new FatigueCap(channel, max, window(p.substring(slash + 1).trim(), p)));
        }
        return List.copyOf(caps);
    }

    private static long window(String w, String part) {
        String s = w.toLowerCase(Locale.ROOT);
        if (s.length() < 2) {
            throw new IllegalArgumentException("'" + part + "': window is not like 1d, 12h or 30m");
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + part + "': window is not like 1d, 12h or 30m");
        }
        try {
            Duration d = switch (s.charAt(s.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> throw new IllegalArgumentException("'" + part + "': window is not like 1d, 12h or 30m");
            };
            if (n <= 0) {
                throw new IllegalArgumentException("'" + part + "': window must be positive");
            }
            return d.toMillis();
        } catch (ArithmeticException e) {
            // Longer than a long of milliseconds: a typo, and Duration would throw past the config check.
            throw new IllegalArgumentException("'" + part + "': window is too long");
        }
    }

    public String describe() {
        return (channel == null ? "all" : channel.wire()) + ":" + max + "/" + windowText();
    }

    public String windowText() {
        long m = windowMillis / 60_000L;
        return m % 1440 == 0 ? (m / 1440) + "d" : m % 60 == 0 ? (m / 60) + "h" : m + "m";
    }
}
