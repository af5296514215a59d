package dev.attune.signals;

import java.io.Serializable;

/** Weights, caps, windows and cut-offs of the risk model; all from configuration. */
public record RiskSettings(
        int struggleEach, int struggleCap, int errorEach, int errorCap, long signalWindow,
        int cancelPageEach, int cancelPageCap, long cancelWindow,
        int checkoutOpen, long checkoutWindow,
        int negativeSentiment, int urgentTicket, long ticketWindow,
        int cancelled, long cancelledWindow,
        int medium, int high, int critical) implements Serializable {

    public static RiskSettings defaults() {
        return new RiskSettings(12, 48, 10, 30, 5 * 60_000L, 25, 50, 24 * 3_600_000L, 8, 30 * 60_000L,
                30, 15, 24 * 3_600_000L, 60, 30 * 24 * 3_600_000L, 30, 60, 85);
    }

    public String level(int score) {
        return score >= critical ? "critical" : score >= high ? "high" : score >= medium ? "medium" : "low";
    }
}
