package dev.attune.policy;

import dev.attune.contract.Ids;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which eligible customers a campaign holds out, so what it changed can be measured: a share per
 * campaign ({@code holdout.campaigns}, else {@code holdout.share}), and for each customer a fixed
 * place in [0, 1) from a hash of campaign and customer. The same customer is in the same group
 * in every run and replay, whatever the order of arrival; a larger share keeps everyone a smaller
 * one held out.
 */
public record Holdouts(double share, Map<String, Double> perCampaign, long attributionWindow) implements Serializable {
    public static final Holdouts NONE = new Holdouts(0, Map.of(), 7 * 86_400_000L);

    /** The share held out of this campaign's eligible customers. */
    public double shareOf(String campaignId) {
        return perCampaign.getOrDefault(campaignId, share);
    }

    /** Whether this customer is held out of this campaign. */
    public boolean heldOut(String campaignId, String userId) {
        double s = shareOf(campaignId);
        return s > 0 && place(campaignId, userId) < s;
    }

    /** The customer's fixed place in [0, 1) for this campaign. */
    static double place(String campaignId, String userId) {
        return Ids.fraction("holdout", campaignId, userId);
    }

    /** Parses {@code campaign=share,...}, each share in [0, 0.5]; throws IllegalArgumentException naming the pair. */
    public static Map<String, Double> perCampaign(String spec) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String pair : spec.split(",")) {
            int eq = pair.lastIndexOf('=');
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                double v = Double.parseDouble(pair.substring(eq + 1).trim());
                if (!(v >= 0 && v <= 0.5)) {
                    throw new NumberFormatException();
                }
                out.put(pair.substring(0, eq).trim(), v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not campaignId=share (0 to 0.5)");
            }
        }
        return out;
    }
}
