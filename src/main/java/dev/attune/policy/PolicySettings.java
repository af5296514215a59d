package dev.attune.policy;

import dev.attune.contract.Channel;
import dev.attune.signals.InterventionType;
import java.io.Serializable;
import java.util.List;

/** Everything the campaign policy is configured with; built from the job configuration. */
public record PolicySettings(
        List<FatigueCap> caps,
        QuietHours quietHours,
        String defaultTimezone,
        double negativeSentimentThreshold,
        boolean explicitOptIn,
        double[] costPerMessage,
        String currency,
        double[] populationRate,
        double priorStrength,
        double costWeight,
        List<Channel> defaultOrder,
        boolean requireKnownAddress,
        List<Channel> winBackChannels,
        List<Channel> serviceRecoveryChannels,
        long winBackWindow,
        long serviceRecoveryWindow,
        Holdouts holdouts)
        implements Serializable {

    /** Caps modelled on common frequency-capping defaults (Braze, Iterable, Customer.io guidance). */
    public static final String DEFAULT_CAPS =
            "all:2/1d,all:5/7d,email:1/1d,email:3/7d,sms:1/1d,sms:2/7d,whatsapp:1/1d,whatsapp:2/7d,"
                    + "push:1/1d,push:5/7d,voice:1/7d,in_app:3/1d";

    /** These settings with other holdouts and attribution window. */
    public PolicySettings withHoldouts(Holdouts h) {
        return new PolicySettings(
                caps,
                quietHours,
                defaultTimezone,
                negativeSentimentThreshold,
                explicitOptIn,
                costPerMessage,
                currency,
                populationRate,
                priorStrength,
                costWeight,
                defaultOrder,
                requireKnownAddress,
                winBackChannels,
                serviceRecoveryChannels,
                winBackWindow,
                serviceRecoveryWindow,
                h);
    }

    /** {@code sms:0.30,whatsapp:0.45,...}: a rate in [0, 1] for every channel. */
    public static double[] rates(String spec) {
        double[] out = new double[Channel.values().length];
        java.util.Arrays.fill(out, Double.NaN);
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split(":");
            Channel c = kv.length == 2 ? Channel.fromWire(kv[0].trim()) : null;
            if (c == null) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not channel:rate such as email:0.2");
            }
            try {
                out[c.ordinal()] = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + part.trim() + "': rate is not a number");
            }
            if (!(out[c.ordinal()] >= 0 && out[c.ordinal()] <= 1)) {
                throw new IllegalArgumentException("'" + part.trim() + "': rate must be between 0 and 1");
            }
        }
        for (Channel c : Channel.values()) {
            if (Double.isNaN(out[c.ordinal()])) {
                throw new IllegalArgumentException("no rate for " + c.wire());
            }
        }
        return out;
    }

    /** {@code sms,whatsapp,...}: distinct channels. */
    public static List<Channel> order(String spec) {
        List<Channel> out = new java.util.ArrayList<>();
        for (String part : spec.split(",")) {
            Channel c = Channel.fromWire(part.trim());
            if (c == null) {
                throw new IllegalArgumentException(
                        "'" + part.trim() + "' is not a channel (sms, whatsapp, email, voice, push, in_app)");
            }
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    /** The channels an intervention that reaches the customer outside the product may use, in order. */
    public List<Channel> interventionChannels(InterventionType t) {
        return switch (t) {
            case WIN_BACK -> winBackChannels;
            case SERVICE_RECOVERY -> serviceRecoveryChannels;
            default -> throw new IllegalArgumentException(t.wire + " is in-product help, not a message");
        };
    }

    public double cost(Channel c) {
        return costPerMessage[c.ordinal()];
    }

    /** The longest cap window: how long the ledger keeps a send. */
    public long ledgerRetention() {
        return caps.stream().mapToLong(FatigueCap::windowMillis).max().orElse(0);
    }
}
