package dev.attune.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.analysis.Wording;
import dev.attune.contract.CampaignSend;
import dev.attune.contract.Channel;
import dev.attune.contract.Json;
import java.util.Locale;

/**
 * Picks the template and writes the content of a send: the five promotional templates of the
 * seed system, and transactional and service templates, in the customer's locale.
 */
public final class Templates {
    public static final String SIMPLE = "promotional_simple_v1";
    public static final String DISCOUNT = "promotional_discount_v1";
    public static final String URGENT = "promotional_urgent_v1";
    public static final String PREMIUM = "promotional_premium_v1";
    public static final String PERSONALIZED = "promotional_personalized_v1";
    public static final String TRANSACTIONAL = "transactional_update_v1";
    public static final String SERVICE = "service_notice_v1";

    private Templates() {}

    /** Urgency first (expiring within 48 h), then a real discount, premium tier or offer, a known habit, else simple. */
    public static String choose(
            String category, JsonNode offer, long now, long notAfter, String tier, boolean knownHabit) {
        if ("transactional".equals(category)) {
            return TRANSACTIONAL;
        }
        if ("service".equals(category)) {
            return SERVICE;
        }
        if (notAfter > 0 && notAfter - now <= 48 * 3_600_000L) {
            return URGENT;
        }
        if (offer.path("discountPct").asDouble(0) >= 10) {
            return DISCOUNT;
        }
        String t = tier == null ? "" : tier.toLowerCase(Locale.ROOT);
        if (t.equals("premium")
                || t.equals("enterprise")
                || "premium".equalsIgnoreCase(offer.path("tier").asText(""))) {
            return PREMIUM;
        }
        return knownHabit ? PERSONALIZED : SIMPLE;
    }

    /** Template parameters and a subject/body in the locale; the delivery service renders the rest. */
    public static CampaignSend.Content content(String templateId, JsonNode offer, Channel channel, String locale) {
        String title = offer.path("title").asText("our latest offer");
        int discount = offer.path("discountPct").asInt(0);
        String subject;
        String body;
        switch (templateId) {
            case DISCOUNT -> {
                subject = discount + "% off: " + title;
                body = "Good news: " + title + " is " + discount + "% off for you. Your favourite plan, for less.";
            }
            case URGENT -> {
                subject = "Last chance: " + title;
                body = title + " ends soon. Don't miss it.";
            }
            case PREMIUM -> {
                subject = title + ", for our premium customers";
                body = "As a valued customer you get early access to " + title + ".";
            }
            case PERSONALIZED -> {
                subject = "Picked for you: " + title;
                body = "We've personalised this for you: " + title + ".";
            }
            case TRANSACTIONAL -> {
                subject = "An update on your account";
                body = "There is an update about your order or account. Open the app for the details.";
            }
            case SERVICE -> {
                subject = "A service notice";
                body = "We have an important notice about the service you use.";
            }
            default -> {
                subject = title;
                body = "Take a look at " + title + ".";
            }
        }
        if (channel != Channel.EMAIL) {
            subject = null; // only email carries a subject
        }
        ObjectNode params = Json.MAPPER.createObjectNode();
        if (offer.isObject()) {
            params.setAll((ObjectNode) offer.deepCopy());
        }
        return new CampaignSend.Content(
                subject == null ? null : Wording.localise(subject, locale), Wording.localise(body, locale), params);
    }
}
