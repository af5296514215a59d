package dev.attune.contract;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A campaign send as decided: what the {@code campaign-sends} stream carries, as a typed record.
 * {@link Outputs#campaignSend} writes it as JSON, in the contract's field order.
 */
public record CampaignSend(
        String sendId,
        String campaignId,
        String requestId,
        String userId,
        long eventTime,
        String category,
        Channel channel,
        String templateId,
        Content content,
        String locale,
        String timezone,
        long scheduledAt,
        double cost,
        String currency,
        List<Reason> reasons) {

    /** What the delivery service renders: a subject (email only), a body, and the offer's parameters. */
    public record Content(String subject, String body, JsonNode parameters) {}
}
