package dev.attune.signals;

import java.io.Serializable;

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
        int critical)
        implements Serializable {

    public String level(int score) {
        return score >= critical ? "critical" : score >= high ? "high" : score >= medium ? "medium" : "low";
    }
}
