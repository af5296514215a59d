package dev.attune.signals;

import dev.attune.contract.Decimals;
import dev.attune.contract.Reason;
import java.util.ArrayList;
import java.util.List;

/**
 * Exit/churn risk 0-100 from weighted, capped contributions of the customer's recent signals.
 * Each contribution is a {@link Reason} with the value behind it; they add up to the score
 * (the last ones are trimmed so the sum never passes 100).
 */
public final class RiskModel {
    private final RiskSettings w;
    private final long sentimentHalfLife;

    /** @param sentimentHalfLife half-life of the decaying sentiment; the risk reads it decayed to now */
    public RiskModel(RiskSettings w, long sentimentHalfLife) {
        this.w = w;
        this.sentimentHalfLife = sentimentHalfLife;
    }

    public Risk assess(CustomerState s, long now) {
        List<Reason> reasons = new ArrayList<>(6);
        int[] total = {0};
        if (s.decisiveStruggleAt > 0 && now - s.decisiveStruggleAt < w.signalWindow() && s.decisiveStruggleAt <= now) {
            add(
                    reasons,
                    total,
                    "decisive_struggle",
                    s.decisiveStruggle,
                    w.struggles().decisiveWeight());
        }
        int struggles = Journey.count(s.struggleTimes, now, w.signalWindow());
        if (struggles > 0) {
            add(
                    reasons,
                    total,
                    "struggle_burst",
                    struggles + " in " + Journey.spanSeconds(s.struggleTimes, now, w.signalWindow()) + " s"
                            + (s.lastStruggleKind != null ? " (" + s.lastStruggleKind + ")" : ""),
                    Math.min(
                            w.struggleCap(),
                            Journey.points(
                                    s.struggleTimes, s.strugglePoints, now, w.signalWindow(), w.struggleEach())));
        }
        int errors = Journey.count(s.errorTimes, now, w.signalWindow());
        if (errors > 0) {
            add(
                    reasons,
                    total,
                    "errors_shown",
                    errors + " in " + minutes(w.signalWindow())
                            + (s.lastErrorCode != null ? " (" + s.lastErrorCode + ")" : ""),
                    Math.min(
                            w.errorCap(),
                            Journey.points(s.errorTimes, s.errorPoints, now, w.signalWindow(), w.errorEach())));
        }
        if (s.checkoutOpenSince > 0 && now - s.checkoutOpenSince < w.checkoutWindow()) {
            add(
                    reasons,
                    total,
                    "checkout_not_completed",
                    ((now - s.checkoutOpenSince) / 1000) + " s open",
                    w.checkoutOpen());
        }
        int cancelVisits = Journey.count(s.cancelVisitTimes, now, w.cancelWindow());
        if (cancelVisits > 0) {
            add(
                    reasons,
                    total,
                    "cancel_intent",
                    cancelVisits + " billing/cancel page visits in " + hours(w.cancelWindow()),
                    Math.min(w.cancelPageCap(), cancelVisits * w.cancelPageEach()));
        }
        double sentiment = SentimentScorer.decayed(s.sentiment, s.sentimentTime, now, sentimentHalfLife);
        if (sentiment < -0.05) {
            add(reasons, total, "negative_sentiment", Decimals.twoPlaces(sentiment), (int)
                    Math.round(-sentiment * w.negativeSentiment()));
        }
        if (s.lastUrgentTicketTime > 0 && now - s.lastUrgentTicketTime < w.ticketWindow()) {
            add(reasons, total, "urgent_support_ticket", "within " + hours(w.ticketWindow()), w.urgentTicket());
        }
        if (s.cancelledAt > 0 && now - s.cancelledAt < w.cancelledWindow()) {
            add(
                    reasons,
                    total,
                    "subscription_cancelled",
                    s.cancelCategory == null ? "unclear" : s.cancelCategory,
                    w.cancelled());
        }
        return new Risk(total[0], w.level(total[0]), List.copyOf(reasons));
    }

    private static void add(List<Reason> reasons, int[] total, String code, String value, int contribution) {
        int c = Math.max(0, Math.min(contribution, 100 - total[0]));
        if (c > 0) {
            reasons.add(new Reason(code, value, c));
            total[0] += c;
        }
    }

    private static String minutes(long millis) {
        return (millis / 60_000) + " min";
    }

    private static String hours(long millis) {
        return (millis / 3_600_000) + " h";
    }
}
