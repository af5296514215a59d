package dev.attune.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.catalogue.TextCatalogue;
import dev.attune.contract.CampaignSend;
import dev.attune.contract.Channel;
import dev.attune.contract.Json;
import dev.attune.signals.CustomerState;
import java.util.Locale;
import java.util.Map;

/**
 * Picks the template and writes the content of a send: the five promotional templates of the
 * seed system, and transactional and service templates; their texts are the catalogue's
 * ({@code campaign.<templateId>.subject} and {@code .body}) in the customer's locale.
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

    /**
     * The locale of the texts a customer gets ({@link TextCatalogue#localeFor}): their {@code locale}
     * trait, then the language detected from their own writing ({@link CustomerState#language}), then
     * en-GB.
     */
    public static String locale(CustomerState s) {
        return TextCatalogue.localeFor(s.locale, s.language);
    }

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

    /**
     * Template parameters and a subject/body in the locale; the delivery service renders the rest.
     * The texts' placeholders: {@code {title}} (the offer's title, else {@code
     * campaign.offer.default_title}) and {@code {discount}} (its whole percentage).
     */
    public static CampaignSend.Content content(
            TextCatalogue texts, String templateId, JsonNode offer, Channel channel, String locale) {
        String title = offer.hasNonNull("title")
                ? offer.get("title").asText()
                : texts.text(locale, "campaign.offer.default_title");
        Map<String, String> params = Map.of(
                "title",
                title,
                "discount",
                Integer.toString(offer.path("discountPct").asInt(0)));
        String key = "campaign." + templateId;
        // only email carries a subject
        String subject = channel == Channel.EMAIL ? texts.text(locale, key + ".subject", params) : null;
        ObjectNode parameters = Json.MAPPER.createObjectNode();
        if (offer.isObject()) {
            parameters.setAll((ObjectNode) offer.deepCopy());
        }
        return new CampaignSend.Content(subject, texts.text(locale, key + ".body", params), parameters);
    }
}
