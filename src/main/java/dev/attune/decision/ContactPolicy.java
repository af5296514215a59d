package dev.attune.decision;

import dev.attune.contract.Channel;
import dev.attune.contract.Times;
import dev.attune.policy.ChannelChooser;
import dev.attune.policy.Contact;
import dev.attune.policy.FatigueLedger;
import dev.attune.policy.PolicySettings;
import dev.attune.signals.CustomerState;
import dev.attune.signals.InterventionType;
import dev.attune.signals.Signals;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules every message to a customer passes, whoever asks for it: a campaign send, a win-back
 * sequence, an agent's callback. Per channel, in the asker's order: unsubscribes and complaints,
 * refused consent (and, for promotional messages under {@code consent.mode=opt-in}, consent not
 * given), hard bounces, an address never seen where {@code contact.require-known-address} asks
 * for one, and (promotional) the fatigue caps at the time the message goes out. The message goes
 * out on the best open channel at the first time outside quiet hours in the customer's time
 * zone, or not at all, with the reason. In-product help (a popup, a tip) is not a message and
 * never comes here.
 */
public final class ContactPolicy implements Contact, Serializable {
    private static final long serialVersionUID = 1L;

    private final PolicySettings settings;
    private final ChannelChooser chooser;

    public ContactPolicy(PolicySettings settings) {
        this.settings = settings;
        this.chooser = new ChannelChooser(settings);
    }

    /**
     * The channel and time for a message decided at {@code now}, or why there is none: the open channel
     * the {@link ChannelChooser} ranks best, or with {@code firstOpen} the first open one in {@code order}.
     */
    @Override
    public Verdict route(CustomerState s, List<Channel> order, boolean promotional, long now, boolean firstOpen) {
        ZoneId zone = zone(s);
        int habit = promotional ? habitualHour(s) : -1;
        Instant at = settings.quietHours().schedule(Instant.ofEpochMilli(now), zone, habit);
        List<Channel> open = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        FatigueLedger.Breach firstBreach = null;
        for (Channel c : order) {
            String why = exclusion(s, c, promotional);
            if (why == null && promotional) {
                // Caps hold where the customer receives it: at the time it goes out, not when decided.
                FatigueLedger.Breach b = FatigueLedger.breach(s, c, at.toEpochMilli(), settings.caps());
                if (b != null) {
                    why = "fatigue_cap";
                    firstBreach = firstBreach == null ? b : firstBreach;
                }
            }
            if (why == null) {
                open.add(c);
            } else {
                excluded.put(c.wire(), why);
            }
        }
        if (open.isEmpty()) {
            String reason = excluded.containsValue("fatigue_cap")
                    ? "fatigue_cap"
                    : excluded.containsValue("unsubscribed")
                            ? "unsubscribed"
                            : excluded.containsValue("no_consent") ? "no_consent" : "unreachable";
            Map<String, Object> d = new LinkedHashMap<>();
            if (firstBreach != null) {
                d.put("cap", firstBreach.cap().describe());
                d.put("count", firstBreach.count());
            }
            d.put("channels", excluded);
            return Contact.Verdict.blocked(reason, d);
        }
        Channel chosen = firstOpen ? open.get(0) : chooser.best(s, open, order);
        return new Verdict(chosen, at, zone, habit, excluded, null, null);
    }

    /**
     * An intervention that reaches the customer outside the product: held while one of higher
     * precedence is under way ({@link #hold}), else routed over the type's channels
     * ({@code intervention.channels.*}): the first the rules leave open, as the operator ordered them.
     * Win-backs are promotional, service recoveries service.
     */
    public Verdict forIntervention(CustomerState s, InterventionType t, long now) {
        Verdict held = t == InterventionType.WIN_BACK ? hold(s, now, false) : null;
        if (held != null) {
            return held;
        }
        return route(s, settings.interventionChannels(t), t == InterventionType.WIN_BACK, now, true);
    }

    /**
     * Arbitration, in order of precedence: a service recovery under way holds win-backs and
     * promotional campaign sends ({@code arbitration.service-recovery-window}); a win-back
     * sequence under way holds promotional campaign sends ({@code arbitration.win-back-window}).
     * Null when nothing holds the message.
     */
    @Override
    public Verdict hold(CustomerState s, long now, boolean campaign) {
        long recovery = last(s, InterventionType.SERVICE_RECOVERY);
        if (recovery > 0 && now >= recovery && now - recovery < settings.serviceRecoveryWindow()) {
            return Contact.Verdict.blocked(
                    "service_recovery_in_progress",
                    window("serviceRecoveryAt", recovery, recovery + settings.serviceRecoveryWindow()));
        }
        long winBack = last(s, InterventionType.WIN_BACK);
        if (campaign && winBack > 0 && now >= winBack && now - winBack < settings.winBackWindow()) {
            return Contact.Verdict.blocked(
                    "win_back_in_progress", window("winBackStartedAt", winBack, winBack + settings.winBackWindow()));
        }
        return null;
    }

    /**
     * Records a message that goes out: promotional ones count toward the caps at the time they go
     * out; others are only known, so the delivery service's {@code Message Sent} echo of them is not
     * counted as another system's send.
     */
    @Override
    public void record(CustomerState s, Verdict v, boolean promotional, long now, String messageId) {
        long hash = FatigueLedger.hash(messageId);
        if (promotional) {
            FatigueLedger.record(s, v.channel(), v.at().toEpochMilli(), now, hash, settings.ledgerRetention());
        } else {
            FatigueLedger.recordUncounted(s, now, hash, settings.ledgerRetention());
        }
    }

    /** Why a channel cannot be used for this customer, or null. */
    String exclusion(CustomerState s, Channel c, boolean promotional) {
        if (s.unsubscribedAll || (s.unsubscribed & c.bit()) != 0 || (s.complained & c.bit()) != 0) {
            return "unsubscribed";
        }
        if ((s.consentDenied & c.bit()) != 0) {
            return "no_consent";
        }
        if (promotional && settings.explicitOptIn() && (s.consentGranted & c.bit()) == 0) {
            return "no_consent";
        }
        if ((s.hardBounced & c.bit()) != 0) {
            return "unreachable";
        }
        // Unknown is not unreachable: many producers keep addresses out of the event stream and the
        // delivery service holds them. Only where the operator says addresses are always sent does a
        // channel without one count as closed.
        boolean needsAddress = c == Channel.EMAIL || c == Channel.SMS || c == Channel.WHATSAPP || c == Channel.VOICE;
        if (settings.requireKnownAddress() && needsAddress && (s.reachable & c.bit()) == 0) {
            return "unreachable";
        }
        return null;
    }

    /** The local hour this customer most often opened messages at, once they have opened at least twice; else -1. */
    public static int habitualHour(CustomerState s) {
        if (s.openHours == null) {
            return -1;
        }
        int best = -1;
        int total = 0;
        for (int h = 0; h < 24; h++) {
            total += s.openHours[h];
            if (s.openHours[h] > 0 && (best < 0 || s.openHours[h] > s.openHours[best])) {
                best = h;
            }
        }
        return total >= 2 ? best : -1;
    }

    @Override
    public String describeChannel(CustomerState s, Channel c) {
        return chooser.describe(s, c);
    }

    private ZoneId zone(CustomerState s) {
        return s.timezone != null ? Signals.zone(s) : ZoneId.of(settings.defaultTimezone());
    }

    private static long last(CustomerState s, InterventionType t) {
        return s.lastIntervention == null ? 0 : s.lastIntervention[t.ordinal()];
    }

    private static Map<String, Object> window(String startKey, long start, long until) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(startKey, Times.format(start));
        d.put("holdsUntil", Times.format(until));
        return d;
    }
}
