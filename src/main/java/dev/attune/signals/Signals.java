package dev.attune.signals;

import dev.attune.contract.Channel;
import dev.attune.contract.InputRecord;
import dev.attune.text.TextReading;
import dev.attune.text.Texts;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Folds one event into a customer's state: profile, consent, journey, windows, sentiment, engagement. */
public final class Signals {
    private static final Set<String> STRUGGLE_KINDS =
            Set.of("rage_click", "form_error", "repeated_attempt", "dead_click", "slow_page");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");
    private static final Pattern TIER = Pattern.compile("[A-Za-z][A-Za-z0-9_\\- ]{0,31}");

    private final SignalSettings settings;

    public Signals(SignalSettings settings) {
        this.settings = settings;
    }

    /**
     * What an event's text said: how it reads ({@link TextReading#EMPTY} for an event without one) and the
     * sentiment observed of it (NaN where it carries none). Read once per event, for the signals and the rules.
     */
    public record Observation(double textSentiment, TextReading text) {
        public static final Observation NONE = new Observation(Double.NaN, TextReading.EMPTY);
    }

    /** Applies the event; returns what its text said. */
    public Observation apply(CustomerState s, InputRecord e, EventKind kind) {
        long t = e.timestamp;
        s.lastEventTime = Math.max(s.lastEventTime, t);
        if (kind != EventKind.CAMPAIGN_REQUEST) {
            Journey.append(s, kind, t);
        }
        if (s.timezone == null && validZone(e.timezone)) {
            s.timezone = e.timezone;
        }
        if (s.locale == null && e.locale != null) {
            s.locale = e.locale;
        }
        RiskSettings w = settings.risk();
        double textSentiment = Double.NaN;
        TextReading text = TextReading.EMPTY;
        switch (kind) {
            case IDENTIFY -> identify(s, e);
            case VIEW -> {
                s.views++;
                s.viewMillis += e.durationMs;
                s.lastPage = e.name == null ? null : e.name.length() > 64 ? e.name.substring(0, 64) : e.name;
                if (isCancelIntentPage(e.name)) {
                    s.cancelVisitTimes = Journey.addToWindow(s.cancelVisitTimes, t, w.cancelWindow());
                }
            }
            case FEATURE -> s.featuresUsed++;
            case STRUGGLE -> {
                String k = e.kind != null ? e.kind.toLowerCase(Locale.ROOT) : null;
                s.lastStruggleKind = k != null && STRUGGLE_KINDS.contains(k) ? k : "other";
                if (w.decisive(e.attempts, e.durationMs)) {
                    s.decisiveStruggleAt = t;
                    s.decisiveStruggle = decisive(s.lastStruggleKind, e.attempts, e.durationMs, w);
                } else {
                    Journey.Weighted win = Journey.addWeighted(
                            s.struggleTimes,
                            s.strugglePoints,
                            t,
                            w.strugglePoints(s.lastStruggleKind, e.attempts),
                            w.signalWindow());
                    s.struggleTimes = win.times();
                    s.strugglePoints = win.points();
                }
            }
            case ERROR -> {
                // Codes are copied into reasons: only short code-like values, never contact details.
                s.lastErrorCode = e.code != null
                                && CODE.matcher(e.code).matches()
                                && dev.attune.contract.Redactor.redact(e.code).equals(e.code)
                        ? e.code
                        : "other";
                boolean duringCheckout = s.checkoutOpenSince > 0 && t - s.checkoutOpenSince < w.checkoutWindow();
                Journey.Weighted win = Journey.addWeighted(
                        s.errorTimes,
                        s.errorPoints,
                        t,
                        w.errorPoints(s.lastErrorCode, duringCheckout),
                        w.signalWindow());
                s.errorTimes = win.times();
                s.errorPoints = win.points();
            }
            case CHECKOUT_STARTED -> s.checkoutOpenSince = t;
            case ORDER_COMPLETED -> s.checkoutOpenSince = 0;
            case SUBSCRIPTION_CANCELLED -> {
                s.cancelledAt = t;
                Texts.Cancellation said = Texts.cancellation(e.text);
                s.cancelCategory = said.churn().category();
                text = language(s, said.reading());
                textSentiment = observe(s, t, text.sentiment());
            }
            case SUPPORT_TICKET -> {
                text = read(s, e.text);
                textSentiment = observe(s, t, text.sentiment());
                if (isUrgent(e.priority) || text.urgency() || text.anger()) {
                    s.lastUrgentTicketTime = t;
                }
            }
            case SURVEY -> {
                double survey = SentimentScorer.survey(e.score, e.scale);
                if (e.text != null) {
                    text = read(s, e.text);
                }
                double said = e.text == null ? Double.NaN : text.sentiment();
                double obs = Double.isNaN(survey) ? said : Double.isNaN(said) ? survey : (survey + said) / 2;
                if (!Double.isNaN(obs)) {
                    textSentiment = observe(s, t, obs);
                }
            }
            case MESSAGE_REPLIED -> {
                engagement(s, e, Engagement.Metric.REPLIED);
                if (e.text != null) {
                    text = read(s, e.text);
                    textSentiment = observe(s, t, text.sentiment());
                }
            }
            case MESSAGE_SENT -> engagement(s, e, Engagement.Metric.SENT);
            case MESSAGE_DELIVERED -> engagement(s, e, Engagement.Metric.DELIVERED);
            case MESSAGE_OPENED -> {
                engagement(s, e, Engagement.Metric.OPENED);
                Engagement.addOpenHour(
                        s, Instant.ofEpochMilli(t).atZone(zone(s)).getHour());
            }
            case MESSAGE_CLICKED -> engagement(s, e, Engagement.Metric.CLICKED);
            case MESSAGE_BOUNCED -> {
                Channel c = engagement(s, e, Engagement.Metric.BOUNCED);
                if (c != null && !"soft".equalsIgnoreCase(e.bounceType)) {
                    s.hardBounced |= c.bit();
                }
            }
            case MESSAGE_COMPLAINED -> {
                Channel c = engagement(s, e, Engagement.Metric.COMPLAINED);
                if (c != null) {
                    s.complained |= c.bit();
                }
            }
            case UNSUBSCRIBED -> {
                Channel c = Channel.fromWire(e.channel);
                if (c == null) {
                    s.unsubscribedAll = true;
                } else {
                    s.unsubscribed |= c.bit();
                }
            }
            default -> {}
        }
        return new Observation(textSentiment, text);
    }

    /** What made a struggle decisive, for its reason: the kind and the attempts or the time stuck. */
    private static String decisive(String kind, int attempts, long stuckMillis, RiskSettings w) {
        return attempts >= w.struggles().decisiveAttempts()
                ? attempts + " attempts (" + kind + ")"
                : "stuck " + (stuckMillis / 1000) + " s (" + kind + ")";
    }

    /** How a text reads ({@link Texts#read}); a confidently detected language becomes the customer's. */
    private static TextReading read(CustomerState s, String text) {
        return language(s, Texts.read(text));
    }

    /** The reading; a confidently detected language becomes the customer's. */
    private static TextReading language(CustomerState s, TextReading r) {
        if (r.languageKnown()) {
            s.language = r.language();
        }
        return r;
    }

    /** Decayed sentiment now, without changing the state. */
    public double sentimentAt(CustomerState s, long now) {
        return SentimentScorer.decayed(s.sentiment, s.sentimentTime, now, settings.sentimentHalfLife());
    }

    private double observe(CustomerState s, long t, double observation) {
        s.sentiment = SentimentScorer.observe(sentimentAt(s, t), observation);
        s.sentimentTime = t;
        return observation;
    }

    private static void identify(CustomerState s, InputRecord e) {
        if (validZone(e.timezone)) {
            s.timezone = e.timezone;
        }
        if (e.locale != null) {
            s.locale = e.locale;
        }
        if (e.tier != null) {
            // The tier is shown in insights: keep only tier-like words.
            s.tier = TIER.matcher(e.tier).matches() ? e.tier : "other";
        }
        if (e.segment != null) {
            s.segment = e.segment;
        }
        s.consentGranted = (s.consentGranted | e.consentGranted) & ~e.consentDenied;
        s.consentDenied = (s.consentDenied | e.consentDenied) & ~e.consentGranted;
        s.reachable |= e.reachable;
        // A fresh opt-in to a channel lifts an earlier unsubscribe from it
        s.unsubscribed &= ~e.consentGranted;
    }

    private static Channel engagement(CustomerState s, InputRecord e, Engagement.Metric m) {
        Channel c = Channel.fromWire(e.channel);
        if (c != null) {
            Engagement.add(s, m, c);
        }
        return c;
    }

    /** Words of a page where a customer ends their subscription or account (en, de, fr, es). */
    private static final Pattern CANCEL_PAGE =
            Pattern.compile("cancel|close[ _\\-/]*(my[ _\\-]*)?account|delete[ _\\-/]*(my[ _\\-]*)?account|terminat"
                    + "|(account|subscription|membership|konto|compte|cuenta)[ _\\-/]+(close|delete|remove)"
                    + "|k(ü|ue)ndig|abo[ _\\-]*beenden|konto[ _\\-]*(l(ö|oe)schen|schlie(ß|ss)en)"
                    + "|r(é|e)sili|annul|supprimer[ _\\-]*(mon[ _\\-]*)?compte|fermer[ _\\-]*(mon[ _\\-]*)?compte"
                    + "|cancelar|darse[ _\\-]*de[ _\\-]*baja|dar[ _\\-]*de[ _\\-]*baja|eliminar[ _\\-]*(mi[ _\\-]*)?cuenta"
                    + "|cerrar[ _\\-]*(mi[ _\\-]*)?cuenta");
    /** Billing and plan pages: a look at them counts toward cancel intent, a receipt or invoice does not. */
    private static final Pattern PLAN_PAGE =
            Pattern.compile("billing|downgrade|abrechnung|facturation|facturaci(o|ó)n");

    private static final Pattern RECEIPT_PAGE =
            Pattern.compile("invoice|receipt|rechnung|beleg|facture|re(ç|c)u|factura|recibo");

    private static final byte CANCEL = 1;
    private static final byte INTENT = 2;
    /**
     * What each page name is ({@link #CANCEL}, {@link #INTENT} bits): a product has a few hundred
     * page names and every view asks, so the patterns run once per name. Bounded: emptied when full.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, Byte> PAGES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static final int MAX_PAGES = 10_000;

    private static byte page(String name) {
        Byte known = PAGES.get(name);
        if (known != null) {
            return known;
        }
        String n = name.toLowerCase(Locale.ROOT);
        boolean cancel = CANCEL_PAGE.matcher(n).find();
        boolean intent = cancel
                || (PLAN_PAGE.matcher(n).find() && !RECEIPT_PAGE.matcher(n).find());
        byte b = (byte) ((cancel ? CANCEL : 0) | (intent ? INTENT : 0));
        if (PAGES.size() >= MAX_PAGES) {
            PAGES.clear();
        }
        PAGES.put(name, b);
        return b;
    }

    /** A page where the customer ends their subscription or account. */
    static boolean isCancelPage(String name) {
        return name != null && (page(name) & CANCEL) != 0;
    }

    /** A page that shows intent to leave or pay less: a cancel page, or billing and plan pages other than receipts. */
    static boolean isCancelIntentPage(String name) {
        return name != null && (page(name) & INTENT) != 0;
    }

    private static final Set<String> TOP_PRIORITIES = Set.of("urgent", "critical", "p1");

    /** A ticket's priority that makes it urgent for the risk score: high or above. */
    static boolean isUrgent(String priority) {
        return priority != null && (priority.equalsIgnoreCase("high") || isTopPriority(priority));
    }

    /** The help desk's top priority (urgent, critical, P1): whoever set it says the ticket cannot wait. */
    static boolean isTopPriority(String priority) {
        return priority != null && TOP_PRIORITIES.contains(priority.toLowerCase(Locale.ROOT));
    }

    static boolean validZone(String tz) {
        if (tz == null) {
            return false;
        }
        try {
            ZoneId.of(tz);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public static ZoneId zone(CustomerState s) {
        if (s.timezone != null) {
            try {
                return ZoneId.of(s.timezone); // only valid zones are stored; this guards old state
            } catch (RuntimeException e) {
                return ZoneOffset.UTC;
            }
        }
        return ZoneOffset.UTC;
    }

    public static String engagementLevel(CustomerState s) {
        int opens = 0;
        if (s.engagement != null) {
            for (Channel c : Channel.values()) {
                opens += Engagement.get(s, Engagement.Metric.OPENED, c);
            }
        }
        if (s.featuresUsed >= 3 || s.views >= 15 || opens >= 3) {
            return "high";
        }
        return s.featuresUsed >= 1 || s.views >= 5 || opens >= 1 ? "medium" : "low";
    }
}
