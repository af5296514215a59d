package dev.attune.contract;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
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
        String json = write(g -> {
            head(g, "interventionId", id, trigger);
            g.writeStringField("type", type);
            g.writeStringField("action", action);
            g.writeStringField("channel", channel);
            if (scheduledAt > 0) {
                g.writeStringField("scheduledAt", Times.format(scheduledAt));
                g.writeStringField("timezone", timezone);
            }
            if (!excludedChannels.isEmpty()) {
                g.writeObjectFieldStart("excludedChannels");
                for (Map.Entry<String, String> e : excludedChannels.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeNumberField("riskScore", riskScore);
            g.writeStringField("riskLevel", riskLevel);
            reasons(g, reasons);
            g.writeFieldName("analysis");
            analysis(g, analysis);
            g.writeStringField("locale", locale);
            strings(g, "triggerMessageIds", triggerMessageIds);
            g.writeEndObject();
        });
        return new OutputRecord(Streams.INTERVENTIONS, trigger.userId, id, json);
    }

    /** A campaign send in its CONTRACT.md format. */
    public static OutputRecord campaignSend(CampaignSend send) {
        String json = write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", SCHEMA_VERSION);
            g.writeStringField("sendId", send.sendId());
            g.writeStringField("campaignId", send.campaignId());
            g.writeStringField("requestId", send.requestId());
            g.writeStringField("userId", send.userId());
            g.writeStringField("eventTime", Times.format(send.eventTime()));
            g.writeStringField("category", send.category());
            g.writeStringField("channel", send.channel().wire());
            g.writeStringField("templateId", send.templateId());
            g.writeObjectFieldStart("content");
            if (send.content().subject() != null) {
                g.writeStringField("subject", send.content().subject());
            }
            g.writeStringField("body", send.content().body());
            g.writeFieldName("parameters");
            g.writeTree(send.content().parameters());
            g.writeEndObject();
            g.writeStringField("locale", send.locale());
            g.writeStringField("timezone", send.timezone());
            g.writeStringField("scheduledAt", Times.format(send.scheduledAt()));
            g.writeObjectFieldStart("estimatedCost");
            g.writeNumberField("amount", send.cost());
            g.writeStringField("currency", send.currency());
            g.writeEndObject();
            reasons(g, send.reasons());
            g.writeEndObject();
        });
        return new OutputRecord(Streams.CAMPAIGN_SENDS, send.userId(), send.sendId(), json);
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
        String json = write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", SCHEMA_VERSION);
            g.writeStringField("summaryId", id);
            g.writeStringField("campaignId", campaignId);
            if (interventionType != null) {
                g.writeStringField("interventionType", interventionType);
            }
            g.writeStringField("eventTime", Times.format(lastEventTime));
            g.writeNumberField("requests", requests);
            counts(g, "sends", sends);
            counts(g, "suppressions", suppressions);
            amount(g, "estimatedCost", cost, currency);
            amount(g, "costIfFirstChoice", costIfFirstChoice, currency);
            for (Map.Entry<String, Integer> e : outcomes.entrySet()) {
                g.writeNumberField(e.getKey(), e.getValue());
            }
            amount(g, "revenue", round(revenue), currency);
            if (goal != null) {
                g.writeObjectFieldStart("goal");
                g.writeStringField("name", goal.name());
                g.writeNumberField("reached", goal.reached());
                if (heldOut != null) {
                    g.writeNumberField("heldOutReached", goal.heldOutReached());
                }
                g.writeEndObject();
            }
            if (heldOut != null) {
                g.writeObjectFieldStart("holdout");
                g.writeNumberField("customers", heldOut.customers());
                g.writeNumberField("converted", heldOut.converted());
                g.writeNumberField("cancelled", heldOut.cancelled());
                amount(g, "revenue", round(heldOut.revenue()), currency);
                g.writeEndObject();
            }
            if (uplift != null) {
                g.writeObjectFieldStart("uplift");
                g.writeNumberField("conversionRateSent", round(uplift.treatedRate()));
                g.writeNumberField("conversionRateHeldOut", round(uplift.heldOutRate()));
                g.writeNumberField("difference", round(uplift.difference()));
                g.writeArrayFieldStart("ci95");
                g.writeNumber(round(uplift.low()));
                g.writeNumber(round(uplift.high()));
                g.writeEndArray();
                g.writeNumberField(
                        "revenuePerCustomerSent",
                        round(uplift.treated() == 0 ? 0 : uplift.treatedRevenue() / uplift.treated()));
                g.writeNumberField(
                        "revenuePerCustomerHeldOut",
                        round(uplift.heldOut() == 0 ? 0 : uplift.heldOutRevenue() / uplift.heldOut()));
                if (revenueDifference != null) {
                    g.writeNumberField("revenueDifference", round(revenueDifference.difference()));
                    g.writeArrayFieldStart("revenueCi95");
                    g.writeNumber(round(revenueDifference.low()));
                    g.writeNumber(round(revenueDifference.high()));
                    g.writeEndArray();
                }
                g.writeStringField("verdict", uplift.verdict());
                g.writeEndObject();
            }
            g.writeEndObject();
        });
        return new OutputRecord(Streams.CAMPAIGN_SUMMARIES, campaignId, id, json);
    }

    /** An intervention type's goal ({@code completed}, {@code stayed}, {@code came_back}): how many reached it. */
    public record Goal(String name, int reached, int heldOutReached) {}

    /** The customers held out of a campaign or an intervention type, and what they did anyway. */
    public record HeldOut(int customers, int converted, int cancelled, double revenue) {}

    /**
     * An analysis block in the contract's field order, as a tree (for rewriting a written intervention);
     * its fractions read back as the doubles they were written from.
     */
    public static ObjectNode analysis(Analysis analysis) {
        try {
            return (ObjectNode) Json.MAPPER
                    .reader()
                    .without(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(write(g -> analysis(g, analysis)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void analysis(JsonGenerator g, Analysis analysis) throws IOException {
        g.writeStartObject();
        g.writeStringField("source", analysis.source());
        g.writeStringField("modelId", analysis.modelId());
        g.writeStringField("churnCategory", analysis.churnCategory());
        if (analysis.confidence() == null) {
            g.writeNullField("confidence");
        } else {
            g.writeNumberField("confidence", analysis.confidence());
        }
        g.writeStringField("engagementLevel", analysis.engagementLevel());
        strings(g, "insights", analysis.insights());
        strings(g, "recommendedActions", analysis.recommendedActions());
        g.writeStringField("message", analysis.message());
        if (analysis.winBackSequence() != null) {
            g.writeArrayFieldStart("winBackSequence");
            for (Analysis.WinBackMessage m : analysis.winBackSequence()) {
                g.writeStartObject();
                g.writeNumberField("step", m.step());
                g.writeNumberField("sendAfterDays", m.sendAfterDays());
                g.writeStringField("subject", m.subject());
                g.writeStringField("body", m.body());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
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
        String json = write(g -> {
            head(g, "suppressionId", id, trigger);
            if (requestId != null) {
                g.writeStringField("requestId", requestId);
            }
            if (campaignId != null) {
                g.writeStringField("campaignId", campaignId);
            }
            if (interventionType != null) {
                g.writeStringField("interventionType", interventionType);
            }
            g.writeStringField("reason", reason);
            details(g, details);
            if (interventionType != null) {
                strings(g, "triggerMessageIds", trigger.messageId);
            }
            g.writeEndObject();
        });
        return new OutputRecord(Streams.SUPPRESSIONS, trigger.userId, id, json);
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
        String json = write(g -> {
            g.writeStartObject();
            g.writeNumberField("schemaVersion", SCHEMA_VERSION);
            g.writeStringField("suppressionId", id);
            g.writeStringField("userId", userId);
            g.writeStringField("eventTime", Times.format(eventTime));
            g.writeStringField("interventionType", interventionType);
            g.writeStringField("reason", reason);
            details(g, details);
            strings(g, "triggerMessageIds", triggerMessageId);
            g.writeEndObject();
        });
        return new OutputRecord(Streams.SUPPRESSIONS, userId, id, json);
    }

    /** Writes a record's JSON straight to text, without building its tree first. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String write(Body body) {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = Json.MAPPER.createGenerator(w)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    /** Opens the record and writes the fields every intervention and suppression starts with. */
    private static void head(JsonGenerator g, String idField, String id, InputRecord trigger) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", SCHEMA_VERSION);
        g.writeStringField(idField, id);
        g.writeStringField("userId", trigger.userId);
        if (trigger.anonymous) {
            g.writeBooleanField("anonymous", true);
        }
        g.writeStringField("eventTime", Times.format(trigger.timestamp));
    }

    private static void reasons(JsonGenerator g, List<Reason> reasons) throws IOException {
        g.writeArrayFieldStart("reasons");
        for (Reason r : reasons) {
            g.writeStartObject();
            g.writeStringField("code", r.code());
            g.writeStringField("value", r.value());
            if (r.contribution() != 0) {
                g.writeNumberField("contribution", r.contribution());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * The details as the mapper's tree holds them: fractions read back exact, as decimals
     * ({@code 1.0} is written {@code 1}, as the contract's records always have been).
     */
    private static void details(JsonGenerator g, Map<String, Object> details) throws IOException {
        g.writeFieldName("details");
        g.writeTree(Json.MAPPER.valueToTree(details));
    }

    private static void counts(JsonGenerator g, String field, Map<String, Integer> counts) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void amount(JsonGenerator g, String field, double amount, String currency) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeNumberField("amount", amount);
        g.writeStringField("currency", currency);
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, String value) throws IOException {
        g.writeArrayFieldStart(field);
        g.writeString(value);
        g.writeEndArray();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
