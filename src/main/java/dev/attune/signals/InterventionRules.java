package dev.attune.signals;

import dev.attune.contract.InputRecord;
import dev.attune.text.TextReading;

/**
 * Which intervention an event asks for, if any. Risk-driven types (live chat, help tip) fire
 * when the risk crosses their cut-off and re-arm only once it has fallen below the cut-off by
 * the hysteresis; event-driven types (retention offer, win-back, service recovery) fire on
 * their event (a detractor's unhappy survey comment, or an angry or urgent support ticket, gets an
 * agent's follow-up, as NPS programmes close the loop; {@link Texts} reads the text). All are then held by a cooldown per type.
 */
public final class InterventionRules {
    /** VADER's neutral band: a text whose sentiment is within it reads neither positive nor negative. */
    static final double NEUTRAL_BAND = 0.05;

    private final SignalSettings settings;

    public InterventionRules(SignalSettings settings) {
        this.settings = settings;
    }

    /** Re-arms the risk-driven types whose risk has fallen far enough. */
    public void rearm(CustomerState s, Risk risk) {
        RiskSettings w = settings.risk();
        if (risk.score() < w.high() - settings.hysteresis()) {
            s.disarmed &= ~InterventionType.LIVE_CHAT_OFFER.bit();
        }
        if (risk.score() < w.medium() - settings.hysteresis()) {
            s.disarmed &= ~InterventionType.HELP_TIP.bit();
        }
    }

    /** The intervention this event calls for, or null. */
    /**
     * Whether an event of this kind can lead to nothing but in-product help ({@link #candidate}):
     * browsing, struggles, errors, checkouts and orders. Consent, messages' lifecycles, tickets,
     * surveys, cancellations and campaign requests can lead to a message, or change who may get one.
     */
    public static boolean atMostInProduct(EventKind kind) {
        return switch (kind) {
            case VIEW, FEATURE, STRUGGLE, ERROR, CHECKOUT_STARTED, ORDER_COMPLETED -> true;
            default -> false;
        };
    }

    /** The intervention the event calls for, if any; {@code said} is what {@link Signals#apply} read of its text. */
    public InterventionType candidate(
            CustomerState s, InputRecord e, EventKind kind, Risk risk, Signals.Observation said) {
        RiskSettings w = settings.risk();
        double textSentiment = said.textSentiment();
        switch (kind) {
            case STRUGGLE, ERROR -> {
                if (risk.score() >= w.high()) {
                    return armed(s, InterventionType.LIVE_CHAT_OFFER) ? InterventionType.LIVE_CHAT_OFFER : null;
                }
                if (risk.score() >= w.medium()) {
                    return armed(s, InterventionType.HELP_TIP) ? InterventionType.HELP_TIP : null;
                }
                return null;
            }
            case VIEW -> {
                return Signals.isCancelPage(e.name) && risk.has("cancel_intent")
                        ? InterventionType.RETENTION_OFFER
                        : null;
            }
            case SUBSCRIPTION_CANCELLED -> {
                return InterventionType.WIN_BACK;
            }
            case SURVEY -> {
                // Closing the loop with a detractor who said why, unhappily: an agent follows up.
                boolean detractor =
                        !Double.isNaN(e.score) && ("csat".equalsIgnoreCase(e.scale) ? e.score <= 2 : e.score <= 6);
                if (!detractor || e.text == null || e.text.isBlank()) {
                    return null;
                }
                TextReading r = said.text();
                boolean unhappy = r.anger()
                        || r.urgency()
                        || r.sentiment() < 0
                        || (!Double.isNaN(textSentiment) && textSentiment <= settings.angryThreshold());
                return unhappy ? InterventionType.SERVICE_RECOVERY : null;
            }
            case SUPPORT_TICKET -> {
                // Angry (anger words, sarcasm) or urgent (outage, locked out, charged twice...) in any language
                // read; or, as a sentiment alone, very negative, or negative past the threshold on a high priority;
                // or given the help desk's top priority with a text that reads negative at all (a problem; an
                // urgent how-to question or thank-you is not a complaint).
                TextReading r = said.text();
                boolean angry = !Double.isNaN(textSentiment) && textSentiment <= settings.angryThreshold();
                boolean veryAngry = !Double.isNaN(textSentiment) && textSentiment <= -0.6;
                boolean topPriority = Signals.isTopPriority(e.priority) && r.sentiment() <= -NEUTRAL_BAND;
                return r.anger() || r.urgency() || (angry && Signals.isUrgent(e.priority)) || veryAngry || topPriority
                        ? InterventionType.SERVICE_RECOVERY
                        : null;
            }
            default -> {
                return null;
            }
        }
    }

    /** Whether the type is still inside its cooldown at {@code now}. */
    public boolean coolingDown(CustomerState s, InterventionType t, long now) {
        return s.lastIntervention != null
                && s.lastIntervention[t.ordinal()] > 0
                && now - s.lastIntervention[t.ordinal()] < settings.cooldown(t);
    }

    /** Records that the type fired (or was held) now: cooldown starts, risk types disarm. */
    public void record(CustomerState s, InterventionType t, long now, long triggerHash, boolean fired) {
        if (t == InterventionType.LIVE_CHAT_OFFER || t == InterventionType.HELP_TIP) {
            s.disarmed |= t.bit();
        }
        if (fired) {
            if (s.lastIntervention == null) {
                s.lastIntervention = new long[InterventionType.values().length];
                s.triggerHashes = new long[InterventionType.values().length];
            }
            s.lastIntervention[t.ordinal()] = now;
            s.triggerHashes[t.ordinal()] = triggerHash;
        }
    }

    /** The type an event triggered, by the hash of its id, or null. */
    public static InterventionType triggeredBy(CustomerState s, long hash) {
        if (s.triggerHashes == null) {
            return null;
        }
        for (InterventionType t : InterventionType.values()) {
            if (s.triggerHashes[t.ordinal()] == hash) {
                return t;
            }
        }
        return null;
    }

    private static boolean armed(CustomerState s, InterventionType t) {
        return (s.disarmed & t.bit()) == 0;
    }
}
