package dev.attune.signals;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/** Weights, caps, windows and cut-offs of the risk model; all from configuration. */
public record RiskSettings(
        int struggleEach,
        int struggleCap,
        int errorEach,
        int errorCap,
        long signalWindow,
        int cancelPageEach,
        int cancelPageCap,
        long cancelWindow,
        int checkoutOpen,
        long checkoutWindow,
        int negativeSentiment,
        int urgentTicket,
        long ticketWindow,
        int cancelled,
        long cancelledWindow,
        int medium,
        int high,
        int critical,
        Struggles struggles)
        implements Serializable {

    public String level(int score) {
        return score >= critical ? "critical" : score >= high ? "high" : score >= medium ? "medium" : "low";
    }

    /** Points of one struggle signal that is not decisive: its kind's weight, twice for a second attempt. */
    public int strugglePoints(String kind, int attempts) {
        int each = struggles.kindWeights().getOrDefault(kind, struggleEach);
        return Math.min(100, attempts >= 2 ? 2 * each : each);
    }

    /** Points of one error: a payment or checkout error (by its code, or shown during a checkout) weighs more. */
    public int errorPoints(String code, boolean duringCheckout) {
        return duringCheckout
                        || (code != null
                                && struggles.paymentCodes().matcher(code).find())
                ? Math.min(100, struggles.paymentError())
                : Math.min(100, errorEach);
    }

    /** Whether one struggle signal is decisive on its own: many attempts, or stuck a long time. */
    public boolean decisive(int attempts, long stuckMillis) {
        return attempts >= struggles.decisiveAttempts()
                || (struggles.decisiveStuck() > 0 && stuckMillis >= struggles.decisiveStuck());
    }

    /**
     * What one struggle or error signal says beyond being there: weights per struggle kind, when a
     * single struggle is decisive (attempts, time stuck) and what it weighs, and which error codes
     * are payment or checkout failures.
     */
    public record Struggles(
            Map<String, Integer> kindWeights,
            int decisiveAttempts,
            long decisiveStuck,
            int decisiveWeight,
            int paymentError,
            Pattern paymentCodes)
            implements Serializable {
        public static final String DEFAULT_KIND_WEIGHTS =
                "rage_click=15,form_error=15,repeated_attempt=15,dead_click=15,slow_page=5";
        public static final String DEFAULT_PAYMENT_CODES =
                "pay(?!load)|card|declin|insufficient|3ds|3-d-secure|cvc|cvv|checkout|billing|fraud";
        static final Struggles DEFAULTS = new Struggles(
                kindWeights(DEFAULT_KIND_WEIGHTS), 3, 60_000, 75, 30, paymentCodes(DEFAULT_PAYMENT_CODES));

        /** Parses {@code kind=points,...}; throws IllegalArgumentException naming the bad pair. */
        public static Map<String, Integer> kindWeights(String spec) {
            Map<String, Integer> out = new LinkedHashMap<>();
            if (spec == null || spec.isBlank()) {
                return out;
            }
            for (String pair : spec.split(",")) {
                String[] kv = pair.split("=", 2);
                try {
                    int v = Integer.parseInt(kv.length == 2 ? kv[1].trim() : "");
                    if (v < 0 || v > 100 || kv[0].isBlank()) {
                        throw new NumberFormatException();
                    }
                    out.put(kv[0].trim().toLowerCase(Locale.ROOT), v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("'" + pair.trim() + "' is not kind=points (0-100)");
                }
            }
            return out;
        }

        /** A case-insensitive pattern found anywhere in an error code. */
        public static Pattern paymentCodes(String regex) {
            return Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
        }
    }
}
