package dev.attune.policy;

import dev.attune.contract.Channel;
import dev.attune.contract.Decimals;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Engagement;
import java.util.List;

/**
 * Ranks the channels still open for a send by this customer's engagement on each, smoothed
 * toward the population rate so one open is not a preference, minus its cost, plus a small
 * bonus for the marketer's order of preference.
 */
public final class ChannelChooser {
    private final PolicySettings settings;

    public ChannelChooser(PolicySettings settings) {
        this.settings = settings;
    }

    /** Engagement rate: (opens + clicks + replies + prior x population) / (sent + prior). */
    public double rate(CustomerState s, Channel c) {
        int sent = Math.max(
                Engagement.get(s, Engagement.Metric.SENT, c), Engagement.get(s, Engagement.Metric.DELIVERED, c));
        int engaged = Engagement.get(s, Engagement.Metric.OPENED, c)
                + Engagement.get(s, Engagement.Metric.CLICKED, c)
                + Engagement.get(s, Engagement.Metric.REPLIED, c);
        double k = settings.priorStrength();
        double r = (engaged + k * settings.populationRate()[c.ordinal()]) / (Math.max(sent, engaged) + k);
        return Math.min(1, r);
    }

    public double score(CustomerState s, Channel c, int preferenceIndex, int preferences) {
        return rate(s, c) - settings.costWeight() * settings.cost(c) + 0.02 * (preferences - preferenceIndex);
    }

    /** The best of the open channels (in the request's order), or null when none is open. */
    public Channel best(CustomerState s, List<Channel> open, List<Channel> requestOrder) {
        Channel best = null;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (Channel c : open) {
            double sc = score(s, c, requestOrder.indexOf(c), requestOrder.size());
            if (sc > bestScore) {
                best = c;
                bestScore = sc;
            }
        }
        return best;
    }

    public String describe(CustomerState s, Channel c) {
        int sent = Engagement.get(s, Engagement.Metric.SENT, c);
        int opened = Engagement.get(s, Engagement.Metric.OPENED, c);
        return c.wire() + " " + Decimals.twoPlaces(rate(s, c)) + " (" + opened + " opened of " + sent
                + " sent, smoothed toward " + Decimals.twoPlaces(settings.populationRate()[c.ordinal()]) + ")";
    }
}
