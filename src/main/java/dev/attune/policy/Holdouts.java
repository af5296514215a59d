package dev.attune.policy;

import dev.attune.contract.Ids;
import dev.attune.signals.InterventionType;
import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How what Attune does is measured: which eligible customers each campaign and each intervention
 * type holds out ({@code holdout.share}, {@code holdout.campaigns}, {@code holdout.interventions}),
 * how long after a touch what the customer does still counts for it ({@code attribution.window},
 * {@code attribution.windows}), and which events are the goal ({@code attribution.goal-events}).
 * Each customer has a fixed place in [0, 1) per campaign, and one for the interventions, from a
 * hash: the same customer is in the same group in every run and replay, whatever the order of
 * arrival, and a larger share keeps everyone a smaller one held out.
 */
public record Holdouts(
        double share,
        Map<String, Double> perCampaign,
        Map<String, Double> perIntervention,
        long attributionWindow,
        Map<String, Long> windows,
        Set<String> goalEvents)
        implements Serializable {

    /** The windows of the intervention types unless {@code attribution.windows} names them. */
    public static final Map<String, Long> INTERVENTION_WINDOWS = Map.of(
            InterventionType.HELP_TIP.wire, Duration.ofHours(1).toMillis(),
            InterventionType.LIVE_CHAT_OFFER.wire, Duration.ofHours(1).toMillis(),
            InterventionType.RETENTION_OFFER.wire, Duration.ofDays(30).toMillis(),
            InterventionType.SERVICE_RECOVERY.wire, Duration.ofDays(30).toMillis(),
            InterventionType.WIN_BACK.wire, Duration.ofDays(30).toMillis());

    public static final Holdouts NONE =
            new Holdouts(0, Map.of(), Map.of(), 7 * 86_400_000L, Map.of(), Set.of("Order Completed"));

    /** The share held out of this campaign's eligible customers. */
    public double shareOf(String campaignId) {
        return perCampaign.getOrDefault(campaignId, share);
    }

    /** The share held out of the customers this intervention type would be given to. */
    public double shareOf(InterventionType t) {
        return perIntervention.getOrDefault(t.wire, 0.0);
    }

    /** Whether this customer is held out of this campaign. */
    public boolean heldOut(String campaignId, String userId) {
        double s = shareOf(campaignId);
        return s > 0 && place(campaignId, userId) < s;
    }

    /**
     * Whether this customer is held out of this intervention type. The place is the customer's own,
     * the same for every type, so a customer held out of one type is held out of every type with
     * the same or a larger share: a held-out struggler gets neither the live chat nor the help tip.
     */
    public boolean heldOut(InterventionType t, String userId) {
        double s = shareOf(t);
        return s > 0 && place("interventions", userId) < s;
    }

    /** How long after a touch of this campaign or intervention type ({@link Attribution#key}) outcomes count. */
    public long windowOf(String key) {
        InterventionType t = Attribution.interventionOf(key);
        Long w = windows.get(t == null ? key : t.wire);
        if (w != null) {
            return w;
        }
        return t == null ? attributionWindow : INTERVENTION_WINDOWS.get(t.wire);
    }

    /** The customer's fixed place in [0, 1) for this campaign or intervention key. */
    static double place(String key, String userId) {
        return Ids.fraction("holdout", key, userId);
    }

    /** Parses {@code campaign=share,...}, each share in [0, 0.5]; throws IllegalArgumentException naming the pair. */
    public static Map<String, Double> perCampaign(String spec) {
        return pairs(spec, "campaignId=share (0 to 0.5)", Holdouts::share);
    }

    /** Parses {@code type=share,...} over the intervention types, each share in [0, 0.5]. */
    public static Map<String, Double> perIntervention(String spec) {
        Map<String, Double> out = pairs(spec, "interventionType=share (0 to 0.5)", Holdouts::share);
        for (String type : out.keySet()) {
            interventionType(type);
        }
        return out;
    }

    private static double share(String v) {
        double d = Double.parseDouble(v);
        if (!(d >= 0 && d <= 0.5)) {
            throw new NumberFormatException();
        }
        return d;
    }

    /**
     * Parses {@code campaignOrType=duration,...} ({@code winter-sale=14 d,live_chat_offer=2 h}), each
     * duration read by {@code millis} (the configuration's duration syntax).
     */
    public static Map<String, Long> windows(String spec, ToLongFunction<String> millis) {
        return pairs(spec, "campaignId or intervention type = a positive duration", v -> {
            long ms = millis.applyAsLong(v);
            if (ms <= 0) {
                throw new NumberFormatException();
            }
            return ms;
        });
    }

    /** Parses a comma-separated list of event names. */
    public static Set<String> goalEvents(String spec) {
        Set<String> out = new LinkedHashSet<>();
        for (String name : spec.split(",")) {
            if (!name.isBlank()) {
                out.add(name.trim());
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("names no event");
        }
        return out;
    }

    private static InterventionType interventionType(String wire) {
        for (InterventionType t : InterventionType.values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        throw new IllegalArgumentException("'" + wire + "' is not an intervention type (live_chat_offer, help_tip, "
                + "retention_offer, win_back, service_recovery)");
    }

    private static <T> Map<String, T> pairs(String spec, String what, Function<String, T> value) {
        Map<String, T> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.lastIndexOf('=');
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                out.put(
                        pair.substring(0, eq).trim(),
                        value.apply(pair.substring(eq + 1).trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not " + what);
            }
        }
        return out;
    }
}
