package dev.attune.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Analysis;
import dev.attune.contract.Json;
import dev.attune.contract.Outputs;
import dev.attune.contract.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts a model's analysis into an intervention decided by the rules. Only the {@code analysis}
 * block changes: type, action, channel, risk and reasons stay the rules', so nothing a model
 * says can change who is contacted, how, or whether.
 */
public final class Enrichment {
    private Enrichment() {}

    public static String withAnalysis(String interventionJson, Analysis a) {
        try {
            ObjectNode o = (ObjectNode) Json.MAPPER.readTree(interventionJson);
            Analysis kept = heuristic((ObjectNode) o.get("analysis"));
            // The model's answer, with the heuristic's where the model left something out.
            Analysis merged = new Analysis(
                    a.source(),
                    a.modelId(),
                    a.churnCategory() != null ? a.churnCategory() : kept.churnCategory(),
                    a.confidence() != null ? a.confidence() : kept.confidence(),
                    a.engagementLevel() != null ? a.engagementLevel() : kept.engagementLevel(),
                    a.insights().isEmpty() ? kept.insights() : a.insights(),
                    a.recommendedActions().isEmpty() ? kept.recommendedActions() : a.recommendedActions(),
                    a.message(),
                    a.winBackSequence() != null ? a.winBackSequence() : kept.winBackSequence());
            o.set("analysis", Outputs.analysis(merged)); // replaces in place: the contract's field order is kept
            return o.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The live-chat offer the rules prepared in place of a help tip, raised by the model's exit risk:
     * its score and level, the model's reason added to the rules' (they still add up to the score),
     * and the model's analysis with the live-chat offer's own message (the model wrote about a tip).
     */
    public static String raised(String liveChatJson, Analysis a, int score, String level, Reason why) {
        try {
            ObjectNode o = (ObjectNode) Json.MAPPER.readTree(liveChatJson);
            String message = o.path("analysis").path("message").asText();
            o = (ObjectNode) Json.MAPPER.readTree(withAnalysis(
                    liveChatJson,
                    new Analysis(
                            a.source(),
                            a.modelId(),
                            a.churnCategory(),
                            a.confidence(),
                            a.engagementLevel(),
                            a.insights(),
                            a.recommendedActions(),
                            message,
                            a.winBackSequence())));
            o.put("riskScore", score);
            o.put("riskLevel", level);
            ArrayNode reasons = (ArrayNode) o.get("reasons");
            ObjectNode r = reasons.addObject();
            r.put("code", why.code());
            r.put("value", why.value());
            r.put("contribution", why.contribution());
            return o.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Analysis heuristic(ObjectNode old) {
        java.util.List<Analysis.WinBackMessage> seq = null;
        if (old.has("winBackSequence")) {
            seq = new java.util.ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode m : old.get("winBackSequence")) {
                seq.add(new Analysis.WinBackMessage(
                        m.get("step").asInt(),
                        m.get("sendAfterDays").asInt(),
                        m.get("subject").asText(),
                        m.get("body").asText()));
            }
        }
        return new Analysis(
                old.path("source").asText(),
                null,
                old.path("churnCategory").isTextual() ? old.get("churnCategory").asText() : null,
                old.path("confidence").isNumber() ? old.get("confidence").asDouble() : null,
                old.path("engagementLevel").isTextual()
                        ? old.get("engagementLevel").asText()
                        : null,
                toList(old.get("insights")),
                toList(old.get("recommendedActions")),
                old.path("message").asText(),
                seq);
    }

    private static java.util.List<String> toList(com.fasterxml.jackson.databind.JsonNode arr) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (arr != null) {
            arr.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
