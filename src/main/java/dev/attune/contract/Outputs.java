package dev.attune.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Serialises interventions and suppressions in their CONTRACT.md formats, fields in a fixed order. */
public final class Outputs {
    public static final int SCHEMA_VERSION = 1;

    private Outputs() {}

    public static OutputRecord intervention(
            String id,
            InputRecord trigger,
            String type,
            String action,
            String channel,
            long scheduledAt,
            String timezone,
            Map<String, String> excludedChannels,
            int riskScore,
            String riskLevel,
            List<Reason> reasons,
            Analysis analysis,
            String locale,
            List<String> triggerMessageIds) {
        ObjectNode o = head("interventionId", id, trigger);
        o.put("type", type);
        o.put("action", action);
        o.put("channel", channel);
        if (scheduledAt > 0) {
            o.put("scheduledAt", Times.format(scheduledAt));
            o.put("timezone", timezone);
        }
        if (!excludedChannels.isEmpty()) {
            o.set("excludedChannels", Json.MAPPER.valueToTree(excludedChannels));
        }
        o.put("riskScore", riskScore);
        o.put("riskLevel", riskLevel);
        reasons(o.putArray("reasons"), reasons);
        analysis(o.putObject("analysis"), analysis);
        o.put("locale", locale);
        strings(o.putArray("triggerMessageIds"), triggerMessageIds);
        return new OutputRecord(Streams.INTERVENTIONS, trigger.userId, id, o.toString());
    }

    /** A campaign send in its CONTRACT.md format. */
    public static OutputRecord campaignSend(CampaignSend send) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("sendId", send.sendId());
        o.put("campaignId", send.campaignId());
        o.put("requestId", send.requestId());
        o.put("userId", send.userId());
        o.put("eventTime", Times.format(send.eventTime()));
        o.put("category", send.category());
        o.put("channel", send.channel().wire());
        o.put("templateId", send.templateId());
        ObjectNode content = o.putObject("content");
        if (send.content().subject() != null) {
            content.put("subject", send.content().subject());
        }
        content.put("body", send.content().body());
        content.set("parameters", send.content().parameters());
        o.put("locale", send.locale());
        o.put("timezone", send.timezone());
        o.put("scheduledAt", Times.format(send.scheduledAt()));
        o.putObject("estimatedCost").put("amount", send.cost()).put("currency", send.currency());
        reasons(o.putArray("reasons"), send.reasons());
        return new OutputRecord(Streams.CAMPAIGN_SENDS, send.userId(), send.sendId(), o.toString());
    }

    /** A campaign summary in its CONTRACT.md format: counts sorted by name, costs in {@code currency}. */
    public static OutputRecord campaignSummary(
            String id,
            String campaignId,
            String interventionType,
            long lastEventTime,
            int requests,
            Map<String, Integer> sends,
            Map<String, Integer> suppressions,
            double cost,
            double costIfFirstChoice,
            String currency,
            Map<String, Integer> outcomes,
            double revenue,
            Goal goal,
            HeldOut heldOut,
            Uplift uplift,
            Uplift.RevenueDifference revenueDifference) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("summaryId", id);
        o.put("campaignId", campaignId);
        if (interventionType != null) {
            o.put("interventionType", interventionType);
        }
        o.put("eventTime", Times.format(lastEventTime));
        o.put("requests", requests);
        ObjectNode s = o.putObject("sends");
        sends.forEach(s::put);
        ObjectNode sup = o.putObject("suppressions");
        suppressions.forEach(sup::put);
        o.putObject("estimatedCost").put("amount", cost).put("currency", currency);
        o.putObject("costIfFirstChoice").put("amount", costIfFirstChoice).put("currency", currency);
        outcomes.forEach(o::put);
        o.putObject("revenue").put("amount", round(revenue)).put("currency", currency);
        if (goal != null) {
            ObjectNode g = o.putObject("goal").put("name", goal.name()).put("reached", goal.reached());
            if (heldOut != null) {
                g.put("heldOutReached", goal.heldOutReached());
            }
        }
        if (heldOut != null) {
            ObjectNode h = o.putObject("holdout");
            h.put("customers", heldOut.customers());
            h.put("converted", heldOut.converted());
            h.put("cancelled", heldOut.cancelled());
            h.putObject("revenue").put("amount", round(heldOut.revenue())).put("currency", currency);
        }
        if (uplift != null) {
            ObjectNode u = o.putObject("uplift");
            u.put("conversionRateSent", round(uplift.treatedRate()));
            u.put("conversionRateHeldOut", round(uplift.heldOutRate()));
            u.put("difference", round(uplift.difference()));
            u.putArray("ci95").add(round(uplift.low())).add(round(uplift.high()));
            u.put(
                    "revenuePerCustomerSent",
                    round(uplift.treated() == 0 ? 0 : uplift.treatedRevenue() / uplift.treated()));
            u.put(
                    "revenuePerCustomerHeldOut",
                    round(uplift.heldOut() == 0 ? 0 : uplift.heldOutRevenue() / uplift.heldOut()));
            if (revenueDifference != null) {
                u.put("revenueDifference", round(revenueDifference.difference()));
                u.putArray("revenueCi95").add(round(revenueDifference.low())).add(round(revenueDifference.high()));
            }
            u.put("verdict", uplift.verdict());
        }
        return new OutputRecord(Streams.CAMPAIGN_SUMMARIES, campaignId, id, o.toString());
    }

    /** An intervention type's goal ({@code completed}, {@code stayed}, {@code came_back}): how many reached it. */
    public record Goal(String name, int reached, int heldOutReached) {}

    /** The customers held out of a campaign or an intervention type, and what they did anyway. */
    public record HeldOut(int customers, int converted, int cancelled, double revenue) {}

    /** Writes an analysis block in the contract's field order. */
    public static void analysis(ObjectNode a, Analysis analysis) {
        a.put("source", analysis.source());
        a.put("modelId", analysis.modelId());
        a.put("churnCategory", analysis.churnCategory());
        if (analysis.confidence() == null) {
            a.putNull("confidence");
        } else {
            a.put("confidence", analysis.confidence());
        }
        a.put("engagementLevel", analysis.engagementLevel());
        strings(a.putArray("insights"), analysis.insights());
        strings(a.putArray("recommendedActions"), analysis.recommendedActions());
        a.put("message", analysis.message());
        if (analysis.winBackSequence() != null) {
            ArrayNode seq = a.putArray("winBackSequence");
            for (Analysis.WinBackMessage m : analysis.winBackSequence()) {
                seq.addObject()
                        .put("step", m.step())
                        .put("sendAfterDays", m.sendAfterDays())
                        .put("subject", m.subject())
                        .put("body", m.body());
            }
        }
    }

    /** A suppression of an intervention ({@code interventionType}) or of a campaign request ({@code requestId}). */
    public static OutputRecord suppression(
            String id,
            InputRecord trigger,
            String interventionType,
            String requestId,
            String campaignId,
            String reason,
            Map<String, Object> details) {
        ObjectNode o = head("suppressionId", id, trigger);
        if (requestId != null) {
            o.put("requestId", requestId);
        }
        if (campaignId != null) {
            o.put("campaignId", campaignId);
        }
        if (interventionType != null) {
            o.put("interventionType", interventionType);
        }
        o.put("reason", reason);
        o.set("details", Json.MAPPER.valueToTree(details));
        if (interventionType != null) {
            o.putArray("triggerMessageIds").add(trigger.messageId);
        }
        return new OutputRecord(Streams.SUPPRESSIONS, trigger.userId, id, o.toString());
    }

    /** A suppression of an intervention decided elsewhere (for example a model budget refusal). */
    public static OutputRecord interventionSuppression(
            String id,
            String userId,
            long eventTime,
            String interventionType,
            String triggerMessageId,
            String reason,
            Map<String, Object> details) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("suppressionId", id);
        o.put("userId", userId);
        o.put("eventTime", Times.format(eventTime));
        o.put("interventionType", interventionType);
        o.put("reason", reason);
        o.set("details", Json.MAPPER.valueToTree(details));
        o.putArray("triggerMessageIds").add(triggerMessageId);
        return new OutputRecord(Streams.SUPPRESSIONS, userId, id, o.toString());
    }

    static ObjectNode head(String idField, String id, InputRecord trigger) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put(idField, id);
        o.put("userId", trigger.userId);
        if (trigger.anonymous) {
            o.put("anonymous", true);
        }
        o.put("eventTime", Times.format(trigger.timestamp));
        return o;
    }

    static void reasons(ArrayNode arr, List<Reason> reasons) {
        for (Reason r : reasons) {
            ObjectNode n = arr.addObject().put("code", r.code()).put("value", r.value());
            if (r.contribution() != 0) {
                n.put("contribution", r.contribution());
            }
        }
    }

    private static void strings(ArrayNode arr, List<String> values) {
        values.forEach(arr::add);
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
