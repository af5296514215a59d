package dev.attune.policy;

import dev.attune.contract.Ids;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Outputs;
import dev.attune.contract.Streams;
import dev.attune.contract.Uplift;
import dev.attune.signals.InterventionType;
import java.util.Arrays;

/**
 * Running totals of one campaign, or of one intervention type ({@link Attribution#key}): requests
 * (interventions decided), sends per channel (interventions given), suppressions per reason, cost
 * and the cost had every send gone on the first channel, what followed, and the same for the
 * customers held out. A Flink POJO of arrays.
 */
public class CampaignTally {
    public String campaignId;
    public int requests;
    public String[] sendChannels = new String[0];
    public int[] sendCounts = new int[0];
    public String[] reasons = new String[0];
    public int[] reasonCounts = new int[0];
    /** Costs in micro-units, so sums are exact and the same in any order. */
    public long costMicros;

    public long firstChoiceMicros;
    public long lastEventTime;
    /** Outcomes of the sends, by {@link Attribution.Outcome} ordinal; revenue of their orders in micro-units. */
    public int[] outcomes = new int[Attribution.Outcome.values().length];

    public long revenueMicros;
    /** Customers held out, those of them who ordered within the window, and their revenue. */
    public int heldOut;

    public int heldOutConverted;
    public long heldOutRevenueMicros;
    /** Held-out customers who cancelled within the window. */
    public int heldOutCancelled;
    /** Sums of the squared revenue (in cents) per converted touch, for the revenue interval; exact in any order. */
    public long revenueSquareCents;

    public long heldOutRevenueSquareCents;

    public CampaignTally() {}

    public void add(CampaignFact f) {
        campaignId = f.campaignId;
        if (f.outcome != null) {
            Attribution.Outcome o = Attribution.Outcome.valueOf(f.outcome.toUpperCase(java.util.Locale.ROOT));
            if (outcomes.length < Attribution.Outcome.values().length) {
                outcomes = Arrays.copyOf(outcomes, Attribution.Outcome.values().length); // a tally of an older version
            }
            if (f.holdout) {
                if (o == Attribution.Outcome.CONVERTED) {
                    heldOutConverted++;
                    heldOutRevenueMicros += Math.round(f.revenue * 1_000_000);
                    heldOutRevenueSquareCents += squareCents(f.revenue);
                } else if (o == Attribution.Outcome.CANCELLED) {
                    heldOutCancelled++;
                }
            } else {
                outcomes[o.ordinal()]++;
                revenueMicros += Math.round(f.revenue * 1_000_000);
                revenueSquareCents += squareCents(f.revenue);
            }
            return;
        }
        if ("holdout".equals(f.reason)) {
            heldOut++;
        }
        if (!f.duplicate) {
            requests++;
        }
        lastEventTime = Math.max(lastEventTime, f.eventTime);
        if (f.channel != null) {
            sendCounts = bump(sendChannels, sendCounts, f.channel);
            sendChannels = grow(sendChannels, f.channel);
            costMicros += Math.round(f.cost * 1_000_000);
            firstChoiceMicros += Math.round(f.firstChoiceCost * 1_000_000);
        } else {
            reasonCounts = bump(reasons, reasonCounts, f.reason);
            reasons = grow(reasons, f.reason);
        }
    }

    public OutputRecord toOutput(String currency) {
        String id = Ids.of(
                Streams.CAMPAIGN_SUMMARIES,
                campaignId,
                Long.toString(lastEventTime),
                Integer.toString(requests),
                Arrays.toString(sendCounts),
                Arrays.toString(reasonCounts),
                Arrays.toString(outcomes),
                Long.toString(revenueMicros),
                Integer.toString(heldOutConverted),
                Long.toString(heldOutRevenueMicros),
                Integer.toString(heldOutCancelled),
                Long.toString(revenueSquareCents),
                Long.toString(heldOutRevenueSquareCents));
        int sent = Arrays.stream(sendCounts).sum();
        java.util.Map<String, Integer> byOutcome = new java.util.LinkedHashMap<>();
        for (Attribution.Outcome o : Attribution.Outcome.values()) {
            byOutcome.put(o.wire(), o.ordinal() < outcomes.length ? outcomes[o.ordinal()] : 0);
        }
        InterventionType type = Attribution.interventionOf(campaignId);
        Attribution.Goal goal = type == null ? null : Attribution.Goal.of(type);
        int reached = reached(goal, sent, byOutcome.get("converted"), byOutcome.get("cancelled"));
        int heldOutReached = reached(goal, heldOut, heldOutConverted, heldOutCancelled);
        return Outputs.campaignSummary(
                id,
                campaignId,
                type == null ? null : type.wire,
                lastEventTime,
                requests,
                sorted(sendChannels, sendCounts),
                sorted(reasons, reasonCounts),
                costMicros / 1_000_000.0,
                firstChoiceMicros / 1_000_000.0,
                currency,
                byOutcome,
                revenueMicros / 1_000_000.0,
                goal == null ? null : new Outputs.Goal(goal.wire(), reached, heldOutReached),
                heldOut == 0
                        ? null
                        : new Outputs.HeldOut(
                                heldOut, heldOutConverted, heldOutCancelled, heldOutRevenueMicros / 1_000_000.0),
                heldOut == 0
                        ? null
                        : Uplift.of(
                                sent,
                                reached,
                                revenueMicros / 1_000_000.0,
                                heldOut,
                                heldOutReached,
                                heldOutRevenueMicros / 1_000_000.0),
                heldOut == 0
                        ? null
                        : Uplift.revenue(
                                sent,
                                revenueMicros / 1_000_000.0,
                                revenueSquareCents / 10_000.0,
                                heldOut,
                                heldOutRevenueMicros / 1_000_000.0,
                                heldOutRevenueSquareCents / 10_000.0));
    }

    private static long squareCents(double revenue) {
        long cents = Math.round(revenue * 100);
        return cents * cents;
    }

    /** How many of {@code customers} reached the goal: converted (campaigns, completed, came back), or did not cancel. */
    private static int reached(Attribution.Goal goal, int customers, int converted, int cancelled) {
        return goal == Attribution.Goal.STAYED ? Math.max(0, customers - cancelled) : converted;
    }

    private static java.util.TreeMap<String, Integer> sorted(String[] names, int[] counts) {
        java.util.TreeMap<String, Integer> m = new java.util.TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            m.put(names[i], counts[i]);
        }
        return m;
    }

    private static int[] bump(String[] names, int[] counts, String name) {
        int i = Arrays.asList(names).indexOf(name);
        if (i >= 0) {
            int[] out = counts.clone();
            out[i]++;
            return out;
        }
        int[] out = Arrays.copyOf(counts, counts.length + 1);
        out[counts.length] = 1;
        return out;
    }

    private static String[] grow(String[] names, String name) {
        if (Arrays.asList(names).contains(name)) {
            return names;
        }
        String[] out = Arrays.copyOf(names, names.length + 1);
        out[names.length] = name;
        return out;
    }
}
