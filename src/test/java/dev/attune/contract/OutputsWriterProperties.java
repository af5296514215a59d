package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link Outputs} writes interventions, campaign sends and suppressions straight to text; each must
 * be byte for byte the record that building the tree and writing it gives ({@link Tree}, the way
 * they were written before), for any text (quotes, control characters, any Unicode), nulls where
 * the contract allows them, and any number.
 */
class OutputsWriterProperties {

    @Property(tries = 2_000)
    void interventionsAsTheTreeWritesThem(
            @ForAll("records") InputRecord trigger,
            @ForAll("texts") String type,
            @ForAll("nullableTexts") String channel,
            @ForAll("times") long scheduledAt,
            @ForAll("nullableTexts") String timezone,
            @ForAll("excluded") Map<String, String> excluded,
            @ForAll int riskScore,
            @ForAll("reasons") List<Reason> reasons,
            @ForAll("analyses") Analysis analysis,
            @ForAll("textLists") List<String> triggers) {
        Object[] args = {
            "int-1",
            trigger,
            type,
            "action",
            channel,
            scheduledAt,
            timezone,
            excluded,
            riskScore,
            "high",
            reasons,
            analysis,
            "de-DE",
            triggers
        };
        assertThat(Outputs.intervention(
                                "int-1",
                                trigger,
                                type,
                                "action",
                                channel,
                                scheduledAt,
                                timezone,
                                excluded,
                                riskScore,
                                "high",
                                reasons,
                                analysis,
                                "de-DE",
                                triggers)
                        .json)
                .as("%s", java.util.Arrays.asList(args))
                .isEqualTo(Tree.intervention(
                        "int-1",
                        trigger,
                        type,
                        "action",
                        channel,
                        scheduledAt,
                        timezone,
                        excluded,
                        riskScore,
                        "high",
                        reasons,
                        analysis,
                        "de-DE",
                        triggers));
    }

    @Property(tries = 2_000)
    void campaignSendsAsTheTreeWritesThem(
            @ForAll("texts") String id,
            @ForAll("nullableTexts") String subject,
            @ForAll("texts") String body,
            @ForAll("parameters") JsonNode parameters,
            @ForAll("times") long at,
            @ForAll("costs") double cost,
            @ForAll("reasons") List<Reason> reasons) {
        CampaignSend send = new CampaignSend(
                id,
                "camp",
                "req-" + id,
                "u-1",
                at,
                "promotional",
                Channel.EMAIL,
                "tpl",
                new CampaignSend.Content(subject, body, parameters),
                "fr-FR",
                "Europe/Paris",
                at + 1,
                cost,
                "USD",
                reasons);
        assertThat(Outputs.campaignSend(send).json).isEqualTo(Tree.campaignSend(send));
    }

    @Property(tries = 2_000)
    void suppressionsAsTheTreeWritesThem(
            @ForAll("records") InputRecord trigger,
            @ForAll("nullableTexts") String interventionType,
            @ForAll("nullableTexts") String requestId,
            @ForAll("nullableTexts") String campaignId,
            @ForAll("texts") String reason,
            @ForAll("details") Map<String, Object> details) {
        assertThat(Outputs.suppression("sup-1", trigger, interventionType, requestId, campaignId, reason, details).json)
                .isEqualTo(
                        Tree.suppression("sup-1", trigger, interventionType, requestId, campaignId, reason, details));
        assertThat(Outputs.interventionSuppression(
                                "sup-2",
                                trigger.userId,
                                trigger.timestamp,
                                "help_tip",
                                trigger.messageId,
                                reason,
                                details)
                        .json)
                .isEqualTo(Tree.interventionSuppression(
                        "sup-2", trigger.userId, trigger.timestamp, "help_tip", trigger.messageId, reason, details));
    }

    @Property(tries = 2_000)
    void campaignSummariesAsTheTreeWritesThem(
            @ForAll("nullableTexts") String interventionType,
            @ForAll("times") long at,
            @ForAll("counts") Map<String, Integer> sends,
            @ForAll("counts") Map<String, Integer> suppressions,
            @ForAll("costs") double cost,
            @ForAll("costs") double revenue,
            @ForAll("goals") Outputs.Goal goal,
            @ForAll("heldOuts") Outputs.HeldOut heldOut,
            @ForAll("uplifts") Uplift uplift,
            @ForAll("revenueDifferences") Uplift.RevenueDifference difference) {
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        outcomes.put("delivered", sends.size());
        outcomes.put("converted", suppressions.size());
        assertThat(Outputs.campaignSummary(
                                "sum-1",
                                "camp",
                                interventionType,
                                at,
                                7,
                                sends,
                                suppressions,
                                cost,
                                cost * 2,
                                "EUR",
                                outcomes,
                                revenue,
                                goal,
                                heldOut,
                                uplift,
                                difference)
                        .json)
                .isEqualTo(Tree.campaignSummary(
                        "sum-1",
                        "camp",
                        interventionType,
                        at,
                        7,
                        sends,
                        suppressions,
                        cost,
                        cost * 2,
                        "EUR",
                        outcomes,
                        revenue,
                        goal,
                        heldOut,
                        uplift,
                        difference));
    }

    @Provide
    Arbitrary<Map<String, Integer>> counts() {
        return Arbitraries.maps(
                        Arbitraries.of("sms", "email", "push", "whatsapp", "no_consent", "fatigue_cap"),
                        Arbitraries.integers().between(0, 1_000_000))
                .ofMaxSize(4)
                .map(java.util.TreeMap::new);
    }

    @Provide
    Arbitrary<Outputs.Goal> goals() {
        return Combinators.combine(
                        Arbitraries.of("completed", "stayed"), Arbitraries.integers(), Arbitraries.integers())
                .as(Outputs.Goal::new)
                .injectNull(0.4);
    }

    @Provide
    Arbitrary<Outputs.HeldOut> heldOuts() {
        return Combinators.combine(
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 10_000),
                        Arbitraries.integers().between(0, 10_000),
                        costs().filter(Double::isFinite))
                .as(Outputs.HeldOut::new)
                .injectNull(0.4);
    }

    @Provide
    Arbitrary<Uplift> uplifts() {
        Arbitrary<Integer> n = Arbitraries.integers().between(0, 5_000);
        Arbitrary<Double> d = Arbitraries.oneOf(Arbitraries.doubles().between(-1, 1), costs().filter(Double::isFinite));
        return Combinators.combine(n, n, d, n, n, d, d, d)
                .as((t, tc, tr, h, hc, hr, lo, hi) ->
                        new Uplift(t, Math.min(tc, t), tr, h, Math.min(hc, h), hr, hi - lo, lo, hi, "inconclusive"))
                .injectNull(0.4);
    }

    @Provide
    Arbitrary<Uplift.RevenueDifference> revenueDifferences() {
        Arbitrary<Double> d = costs().filter(Double::isFinite);
        return Combinators.combine(d, d, d).as(Uplift.RevenueDifference::new).injectNull(0.4);
    }

    @Property(tries = 1_000)
    void analysisTreeAsTheTreeBuildsIt(@ForAll("analyses") Analysis analysis) {
        ObjectNode expected = Json.MAPPER.createObjectNode();
        Tree.analysis(expected, analysis);
        assertThat(Outputs.analysis(analysis).toString()).isEqualTo(expected.toString());
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().all().ofMaxLength(20),
                Arbitraries.of(
                        "",
                        "\"quoted\"",
                        "back\\slash",
                        "tab\tnew\nline",
                        "\u0000\u001f\u007f",
                        "é ß ç ñ 日本",
                        "\ud83d\ude00",
                        "</script>"));
    }

    @Provide
    Arbitrary<String> nullableTexts() {
        return texts().injectNull(0.2);
    }

    @Provide
    Arbitrary<List<String>> textLists() {
        return texts().list().ofMaxSize(4);
    }

    @Provide
    Arbitrary<Long> times() {
        return Arbitraries.oneOf(Arbitraries.longs().between(-1, 7_258_118_400_000L), Arbitraries.of(0L, 1L));
    }

    @Provide
    Arbitrary<Double> costs() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(0, 10).ofScale(5),
                Arbitraries.doubles(),
                Arbitraries.of(0.0, -0.0, 1.0, 100.0, 1e-5, 1e20, Double.NaN, Double.POSITIVE_INFINITY));
    }

    @Provide
    Arbitrary<InputRecord> records() {
        return Combinators.combine(nullableTexts(), texts(), Arbitraries.of(true, false), times())
                .as((messageId, userId, anonymous, time) -> {
                    InputRecord r = new InputRecord();
                    r.messageId = messageId;
                    r.userId = userId;
                    r.anonymous = anonymous;
                    r.timestamp = time;
                    return r;
                });
    }

    @Provide
    Arbitrary<Map<String, String>> excluded() {
        return Arbitraries.maps(texts(), nullableTexts()).ofMaxSize(3).map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<List<Reason>> reasons() {
        return Combinators.combine(texts(), texts(), Arbitraries.oneOf(Arbitraries.integers(), Arbitraries.just(0)))
                .as(Reason::new)
                .list()
                .ofMaxSize(5);
    }

    @Provide
    Arbitrary<Analysis> analyses() {
        Arbitrary<List<Analysis.WinBackMessage>> sequence = Combinators.combine(
                        Arbitraries.integers(), Arbitraries.integers(), nullableTexts(), texts())
                .as(Analysis.WinBackMessage::new)
                .list()
                .ofMaxSize(3)
                .injectNull(0.5);
        Arbitrary<Double> confidence = Arbitraries.oneOf(
                        Arbitraries.doubles().between(0, 1), Arbitraries.of(0.0, 1.0, 0.5, 0.1 + 0.2))
                .injectNull(0.3);
        return Combinators.combine(
                        nullableTexts(),
                        nullableTexts(),
                        confidence,
                        textLists(),
                        textLists(),
                        nullableTexts(),
                        sequence)
                .as((source, category, conf, insights, actions, message, seq) ->
                        new Analysis(source, "model", category, conf, "low", insights, actions, message, seq));
    }

    @Provide
    Arbitrary<Map<String, Object>> details() {
        Arbitrary<Object> value = Arbitraries.oneOf(
                texts().map(t -> (Object) t),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                costs().filter(Double::isFinite).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b));
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), value)
                .ofMaxSize(4)
                .map(LinkedHashMap::new);
    }

    @Provide
    Arbitrary<JsonNode> parameters() {
        return Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), texts())
                .ofMaxSize(3)
                .flatMap(m -> costs().map(d -> {
                    ObjectNode o = Json.MAPPER.createObjectNode();
                    m.forEach(o::put);
                    o.put("price", d);
                    o.put("pct", 20);
                    return (JsonNode) o;
                }));
    }

    /** The records built as trees and written by Jackson's tree writer: the reference. */
    static final class Tree {
        static String intervention(
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
            triggerMessageIds.forEach(o.putArray("triggerMessageIds")::add);
            return o.toString();
        }

        static String campaignSend(CampaignSend send) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("schemaVersion", Outputs.SCHEMA_VERSION);
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
            return o.toString();
        }

        static void analysis(ObjectNode a, Analysis analysis) {
            a.put("source", analysis.source());
            a.put("modelId", analysis.modelId());
            a.put("churnCategory", analysis.churnCategory());
            if (analysis.confidence() == null) {
                a.putNull("confidence");
            } else {
                a.put("confidence", analysis.confidence());
            }
            a.put("engagementLevel", analysis.engagementLevel());
            analysis.insights().forEach(a.putArray("insights")::add);
            analysis.recommendedActions().forEach(a.putArray("recommendedActions")::add);
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

        static String suppression(
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
            return o.toString();
        }

        static String interventionSuppression(
                String id,
                String userId,
                long eventTime,
                String interventionType,
                String triggerMessageId,
                String reason,
                Map<String, Object> details) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("schemaVersion", Outputs.SCHEMA_VERSION);
            o.put("suppressionId", id);
            o.put("userId", userId);
            o.put("eventTime", Times.format(eventTime));
            o.put("interventionType", interventionType);
            o.put("reason", reason);
            o.set("details", Json.MAPPER.valueToTree(details));
            o.putArray("triggerMessageIds").add(triggerMessageId);
            return o.toString();
        }

        static String campaignSummary(
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
                Outputs.Goal goal,
                Outputs.HeldOut heldOut,
                Uplift uplift,
                Uplift.RevenueDifference revenueDifference) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("schemaVersion", Outputs.SCHEMA_VERSION);
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
                    u.putArray("revenueCi95")
                            .add(round(revenueDifference.low()))
                            .add(round(revenueDifference.high()));
                }
                u.put("verdict", uplift.verdict());
            }
            return o.toString();
        }

        private static double round(double v) {
            return Math.round(v * 10_000) / 10_000.0;
        }

        private static ObjectNode head(String idField, String id, InputRecord trigger) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("schemaVersion", Outputs.SCHEMA_VERSION);
            o.put(idField, id);
            o.put("userId", trigger.userId);
            if (trigger.anonymous) {
                o.put("anonymous", true);
            }
            o.put("eventTime", Times.format(trigger.timestamp));
            return o;
        }

        private static void reasons(ArrayNode arr, List<Reason> reasons) {
            for (Reason r : reasons) {
                ObjectNode n = arr.addObject().put("code", r.code()).put("value", r.value());
                if (r.contribution() != 0) {
                    n.put("contribution", r.contribution());
                }
            }
        }
    }
}
