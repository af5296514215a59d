package dev.attune.signals;

import java.util.Arrays;

/**
 * What Attune knew of an anonymous visitor becomes the customer's when the two are linked (an
 * event with both ids, or Segment's {@code alias}): journey, signal windows, profile, consent,
 * engagement, sends, cooldowns and the ids seen. Plain Java on two states; commutative where
 * order could matter, so the result does not depend on which side held what first.
 *
 * <p>Refusals win: a channel either side refused stays refused, whatever the other granted.
 * Profile fields the customer already has are kept; the visitor's fill the gaps.
 */
public final class StateMerge {
    private StateMerge() {}

    /** Merges {@code visitor} into {@code customer} (which is changed); returns {@code customer}. */
    public static CustomerState into(CustomerState customer, CustomerState visitor) {
        CustomerState c = customer;
        CustomerState v = visitor;
        boolean visitorLater = v.lastEventTime > c.lastEventTime;
        c.lastEventTime = Math.max(c.lastEventTime, v.lastEventTime);

        c.timezone = c.timezone != null ? c.timezone : v.timezone;
        c.locale = c.locale != null ? c.locale : v.locale;
        c.tier = c.tier != null ? c.tier : v.tier;
        c.segment = c.segment != null ? c.segment : v.segment;

        c.consentDenied |= v.consentDenied;
        c.consentGranted = (c.consentGranted | v.consentGranted) & ~c.consentDenied;
        c.reachable |= v.reachable;
        c.unsubscribedAll |= v.unsubscribedAll;
        c.unsubscribed |= v.unsubscribed;
        c.complained |= v.complained;
        c.hardBounced |= v.hardBounced;

        mergeJourney(c, v);
        Journey.Weighted struggles =
                Journey.union(c.struggleTimes, c.strugglePoints, v.struggleTimes, v.strugglePoints);
        c.struggleTimes = struggles.times();
        c.strugglePoints = struggles.points();
        Journey.Weighted errors = Journey.union(c.errorTimes, c.errorPoints, v.errorTimes, v.errorPoints);
        c.errorTimes = errors.times();
        c.errorPoints = errors.points();
        if (v.decisiveStruggleAt > c.decisiveStruggleAt) {
            c.decisiveStruggleAt = v.decisiveStruggleAt;
            c.decisiveStruggle = v.decisiveStruggle;
        }
        c.cancelVisitTimes = union(c.cancelVisitTimes, v.cancelVisitTimes);
        c.lastStruggleKind = pick(c.lastStruggleKind, v.lastStruggleKind, visitorLater);
        c.lastErrorCode = pick(c.lastErrorCode, v.lastErrorCode, visitorLater);
        c.lastPage = pick(c.lastPage, v.lastPage, visitorLater);
        c.views += v.views;
        c.viewMillis += v.viewMillis;
        c.featuresUsed += v.featuresUsed;
        c.checkoutOpenSince = c.checkoutOpenSince == 0
                ? v.checkoutOpenSince
                : v.checkoutOpenSince == 0 ? c.checkoutOpenSince : Math.min(c.checkoutOpenSince, v.checkoutOpenSince);
        c.lastUrgentTicketTime = Math.max(c.lastUrgentTicketTime, v.lastUrgentTicketTime);
        if (v.cancelledAt > c.cancelledAt) {
            c.cancelledAt = v.cancelledAt;
            c.cancelCategory = v.cancelCategory;
        }

        // Sentiment: the newer observation, each already decaying from its own time; the language of the newer text.
        c.language = pick(c.language, v.language, v.sentimentTime > c.sentimentTime);
        if (v.sentimentTime > c.sentimentTime) {
            c.sentiment = v.sentiment;
            c.sentimentTime = v.sentimentTime;
        }

        c.engagement = add(c.engagement, v.engagement);
        c.openHours = add(c.openHours, v.openHours);

        mergeSends(c, v);
        mergeInterventions(c, v);
        mergeTouches(c, v);
        c.disarmed |= v.disarmed;
        c.lastRisk = Math.max(c.lastRisk, v.lastRisk);
        c.lastAnalysisAt = Math.max(c.lastAnalysisAt, v.lastAnalysisAt);
        mergeSeen(c, v);
        return c;
    }

    private static String pick(String mine, String theirs, boolean theirsLater) {
        if (mine == null) {
            return theirs;
        }
        return theirsLater && theirs != null ? theirs : mine;
    }

    private static long[] union(long[] a, long[] b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b.clone();
        }
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Arrays.sort(out);
        return out;
    }

    private static int[] add(int[] a, int[] b) {
        if (b == null) {
            return a;
        }
        if (a == null) {
            return b.clone();
        }
        int[] out = a.clone();
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            out[i] += b[i];
        }
        return out;
    }

    /** Both journeys in time order (ties: the customer's first), the last {@link Journey#LENGTH} kept. */
    private static void mergeJourney(CustomerState c, CustomerState v) {
        if (v.journeyKinds == null) {
            return;
        }
        int n = (c.journeyKinds == null ? 0 : c.journeyKinds.length) + v.journeyKinds.length;
        byte[] kinds = new byte[n];
        long[] times = new long[n];
        int i = 0;
        int j = 0;
        int k = 0;
        int cn = c.journeyKinds == null ? 0 : c.journeyKinds.length;
        while (i < cn || j < v.journeyKinds.length) {
            boolean mine = j >= v.journeyKinds.length || (i < cn && c.journeyTimes[i] <= v.journeyTimes[j]);
            if (mine) {
                kinds[k] = c.journeyKinds[i];
                times[k++] = c.journeyTimes[i++];
            } else {
                kinds[k] = v.journeyKinds[j];
                times[k++] = v.journeyTimes[j++];
            }
        }
        int from = Math.max(0, n - Journey.LENGTH);
        c.journeyKinds = Arrays.copyOfRange(kinds, from, n);
        c.journeyTimes = Arrays.copyOfRange(times, from, n);
    }

    /**
     * The visitor's campaign and intervention touches join the customer's in time order (the newest
     * {@link CustomerState#MAX_TOUCHES} kept), so what the customer does after signing in still
     * counts for the help they got as a visitor.
     */
    private static void mergeTouches(CustomerState c, CustomerState v) {
        int nc = c.touchTimes == null ? 0 : c.touchTimes.length;
        int nv = v.touchTimes == null ? 0 : v.touchTimes.length;
        if (nv == 0) {
            return;
        }
        int n = Math.min(nc + nv, CustomerState.MAX_TOUCHES);
        String[] campaigns = new String[n];
        long[] times = new long[n];
        long[] sends = new long[n];
        int[] flags = new int[n];
        int i = nc - 1;
        int j = nv - 1;
        for (int k = n - 1; k >= 0; k--) { // from the newest; on equal times the customer's own come later
            boolean mine = j < 0 || (i >= 0 && c.touchTimes[i] >= v.touchTimes[j]);
            CustomerState from = mine ? c : v;
            int at = mine ? i-- : j--;
            campaigns[k] = from.touchCampaigns[at];
            times[k] = from.touchTimes[at];
            sends[k] = from.touchSends[at];
            flags[k] = from.touchFlags[at];
        }
        c.touchCampaigns = campaigns;
        c.touchTimes = times;
        c.touchSends = sends;
        c.touchFlags = flags;
    }

    private static void mergeSends(CustomerState c, CustomerState v) {
        if (v.sendTimes == null) {
            return;
        }
        if (c.sendTimes == null) {
            c.sendTimes = v.sendTimes.clone();
            c.sendChannels = v.sendChannels.clone();
            c.sendHashes = v.sendHashes.clone();
            return;
        }
        int n = c.sendTimes.length;
        c.sendTimes = Arrays.copyOf(c.sendTimes, n + v.sendTimes.length);
        c.sendChannels = Arrays.copyOf(c.sendChannels, n + v.sendTimes.length);
        c.sendHashes = Arrays.copyOf(c.sendHashes, n + v.sendTimes.length);
        System.arraycopy(v.sendTimes, 0, c.sendTimes, n, v.sendTimes.length);
        System.arraycopy(v.sendChannels, 0, c.sendChannels, n, v.sendTimes.length);
        System.arraycopy(v.sendHashes, 0, c.sendHashes, n, v.sendTimes.length);
    }

    /** Cooldowns carry over: per type, the later of the two. */
    private static void mergeInterventions(CustomerState c, CustomerState v) {
        if (v.lastIntervention == null) {
            return;
        }
        if (c.lastIntervention == null) {
            c.lastIntervention = v.lastIntervention.clone();
            c.triggerHashes = v.triggerHashes.clone();
            return;
        }
        for (int t = 0; t < Math.min(c.lastIntervention.length, v.lastIntervention.length); t++) {
            if (v.lastIntervention[t] > c.lastIntervention[t]) {
                c.lastIntervention[t] = v.lastIntervention[t];
                c.triggerHashes[t] = v.triggerHashes[t];
            }
        }
    }

    /** The ids both have seen, newest last, at most {@link Dedup#CAPACITY}. */
    private static void mergeSeen(CustomerState c, CustomerState v) {
        if (v.seenHashes == null) {
            return;
        }
        int n = (c.seenHashes == null ? 0 : c.seenHashes.length) + v.seenHashes.length;
        long[][] pairs = new long[n][];
        int k = 0;
        if (c.seenHashes != null) {
            for (int i = 0; i < c.seenHashes.length; i++) {
                pairs[k++] = new long[] {c.seenTimes[i], c.seenHashes[i]};
            }
        }
        for (int i = 0; i < v.seenHashes.length; i++) {
            pairs[k++] = new long[] {v.seenTimes[i], v.seenHashes[i]};
        }
        Arrays.sort(pairs, (x, y) -> x[0] != y[0] ? Long.compare(x[0], y[0]) : Long.compare(x[1], y[1]));
        int from = Math.max(0, n - Dedup.CAPACITY);
        c.seenTimes = new long[n - from];
        c.seenHashes = new long[n - from];
        for (int i = from; i < n; i++) {
            c.seenTimes[i - from] = pairs[i][0];
            c.seenHashes[i - from] = pairs[i][1];
        }
    }
}
