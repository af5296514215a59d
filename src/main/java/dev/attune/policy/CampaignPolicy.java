package dev.attune.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.catalogue.TextCatalogue;
import dev.attune.contract.CampaignSend;
import dev.attune.contract.Channel;
import dev.attune.contract.Ids;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Outputs;
import dev.attune.contract.Reason;
import dev.attune.contract.Streams;
import dev.attune.contract.Times;
import dev.attune.signals.CustomerState;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides one campaign request for one customer: exactly one send or one suppression with a
 * reason. The rules, in order: expired, negative sentiment (promotional), a service recovery or
 * win-back under way (promotional, {@link Contact#hold}), then the {@link Contact} policy
 * every message passes (consent, unsubscribes, hard bounces, caps, quiet hours); then the
 * campaign's holdout ({@link Holdouts}: an eligible customer in it gets a {@code holdout}
 * suppression and is measured, not messaged); then a template and its cost. Consent, caps and
 * sends are never taken from any model or customer text.
 */
public final class CampaignPolicy implements Serializable {
    private static final long serialVersionUID = 1L;
    private final PolicySettings settings;
    private final Contact contact;
    private final Attribution attribution;
    private final TextCatalogue texts;
    /** Each channel's {@code channel_cost} reason, by {@link Channel#ordinal}: the same for every send. */
    private final String[] costReasons;

    public CampaignPolicy(PolicySettings settings, Contact contact, TextCatalogue texts) {
        this.settings = settings;
        this.contact = contact;
        this.attribution = new Attribution(settings.holdouts(), settings.currency());
        this.texts = texts;
        this.costReasons = new String[Channel.values().length];
        for (Channel c : Channel.values()) {
            costReasons[c.ordinal()] =
                    String.format(Locale.ROOT, "%s %.5f per message", settings.currency(), settings.cost(c));
        }
    }

    /** With the bundled texts. */
    public CampaignPolicy(PolicySettings settings, Contact contact) {
        this(settings, contact, TextCatalogue.defaults());
    }

    /** The outcome facts an event gives the campaigns that touched this customer (none for most). */
    public void outcomes(
            CustomerState s,
            InputRecord e,
            dev.attune.signals.EventKind kind,
            java.util.function.Consumer<CampaignFact> facts) {
        attribution.observe(s, e, kind, facts);
    }

    /** The decision and the fact the campaign summary counts. */
    public record Decision(OutputRecord output, CampaignFact fact) {}

    public Decision decide(CustomerState s, InputRecord req, double sentimentNow) {
        long now = req.timestamp;
        boolean promotional = "promotional".equals(req.category);
        List<Channel> order = requestOrder(req);
        Channel first = order.get(0);
        if (req.notAfter > 0 && req.notAfter < now) {
            return suppress(req, first, "expired", details("notAfter", Times.format(req.notAfter)));
        }
        if (promotional && sentimentNow < settings.negativeSentimentThreshold()) {
            Map<String, Object> d = details("sentiment", round(sentimentNow));
            d.put("threshold", settings.negativeSentimentThreshold());
            return suppress(req, first, "negative_sentiment", d);
        }
        if (promotional) {
            Contact.Verdict held = contact.hold(s, now, true);
            if (held != null) {
                return suppress(req, first, held.reason(), held.details());
            }
        }
        Contact.Verdict v = contact.route(s, order, promotional, now, false);
        if (!v.allowed()) {
            return suppress(req, first, v.reason(), v.details());
        }
        Channel chosen = v.channel();
        Instant at = v.at();
        ZoneId zone = v.zone();
        int habit = v.habitualHour();
        if (req.notAfter > 0 && at.toEpochMilli() > req.notAfter) {
            Map<String, Object> d = details("notAfter", Times.format(req.notAfter));
            d.put("earliestAllowed", Times.format(at.toEpochMilli()));
            return suppress(req, first, "expired", d);
        }
        if (!"transactional".equals(req.category) && settings.holdouts().heldOut(req.campaignId, req.userId)) {
            // Eligible, and in the group that measures what the campaign changes: nothing is sent.
            // A transactional message (an order update, a receipt) is owed, never held out.
            attribution.heldOut(s, req.campaignId, now);
            Map<String, Object> d = details("share", settings.holdouts().shareOf(req.campaignId));
            d.put("channel", chosen.wire());
            return suppress(req, first, "holdout", d);
        }
        JsonNode offer = offer(req);
        String template = Templates.choose(req.category, offer, now, req.notAfter, s.tier, habit >= 0);
        String locale = Templates.locale(s);
        String sendId = Ids.of(Streams.CAMPAIGN_SENDS, req.userId, req.messageId);
        contact.record(s, v, promotional, now, sendId);
        attribution.sent(s, req.campaignId, now, sendId);
        List<Reason> reasons = new ArrayList<>();
        reasons.add(new Reason("channel_engagement", contact.describeChannel(s, chosen), 0));
        reasons.add(new Reason("channel_cost", costReasons[chosen.ordinal()], 0));
        v.excluded().forEach((c, why) -> reasons.add(new Reason("channel_excluded", c + ": " + why, 0)));
        reasons.add(new Reason(
                "send_time",
                at.toEpochMilli() == now
                        ? "now"
                        : habit >= 0 && at.atZone(zone).getHour() == habit
                                ? "habitual open hour " + habit + ":00 " + zone.getId()
                                : "after quiet hours " + settings.quietHours().start() + "-"
                                        + settings.quietHours().end() + " " + zone.getId(),
                0));
        reasons.add(new Reason("template", template, 0));
        CampaignSend send = new CampaignSend(
                sendId,
                req.campaignId,
                req.messageId,
                req.userId,
                now,
                req.category,
                chosen,
                template,
                Templates.content(texts, template, offer, chosen, locale),
                locale,
                zone.getId(),
                at.toEpochMilli(),
                settings.cost(chosen),
                settings.currency(),
                List.copyOf(reasons));
        CampaignFact fact = fact(req, first);
        fact.channel = chosen.wire();
        fact.cost = settings.cost(chosen);
        return new Decision(Outputs.campaignSend(send), fact);
    }

    /** A repeated requestId: a suppression whose id every further repeat shares. */
    public Decision duplicate(InputRecord req) {
        Decision d = suppress(req, requestOrder(req).get(0), "duplicate", details("requestId", req.messageId));
        d.fact().duplicate = true;
        return d;
    }

    /** A request for a customer who asked to be forgotten and has not come back. */
    public Decision forgotten(InputRecord req) {
        return suppress(req, requestOrder(req).get(0), "forgotten", details("requestId", req.messageId));
    }

    private List<Channel> requestOrder(InputRecord req) {
        if (req.channels == null || req.channels.isBlank()) {
            return settings.defaultOrder();
        }
        List<Channel> out = new ArrayList<>();
        for (String c : req.channels.split(",")) {
            Channel ch = Channel.fromWire(c);
            if (ch != null && !out.contains(ch)) {
                out.add(ch);
            }
        }
        return out.isEmpty() ? settings.defaultOrder() : out;
    }

    private Decision suppress(InputRecord req, Channel first, String reason, Map<String, Object> details) {
        String id = Ids.of(Streams.SUPPRESSIONS, req.userId, req.messageId, reason);
        OutputRecord out = Outputs.suppression(id, req, null, req.messageId, req.campaignId, reason, details);
        CampaignFact fact = fact(req, first);
        fact.reason = reason;
        return new Decision(out, fact);
    }

    private CampaignFact fact(InputRecord req, Channel first) {
        CampaignFact f = new CampaignFact();
        f.campaignId = req.campaignId;
        f.requestId = req.messageId;
        f.eventTime = req.timestamp;
        f.firstChoiceCost = settings.cost(first);
        return f;
    }

    private static JsonNode offer(InputRecord req) {
        if (req.offer == null) {
            return Json.MAPPER.createObjectNode();
        }
        try {
            return Json.MAPPER.readTree(req.offer);
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    private static Map<String, Object> details(String k, Object v) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(k, v);
        return d;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
