package dev.attune.analysis;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Json;
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
            ObjectNode old = (ObjectNode) o.get("analysis");
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("source", a.source());
            n.put("modelId", a.modelId());
            n.put("churnCategory", a.churnCategory() != null ? a.churnCategory()
                    : old.path("churnCategory").isTextual() ? old.get("churnCategory").asText() : null);
            if (a.confidence() == null) {
                n.set("confidence", old.get("confidence"));
            } else {
                n.put("confidence", a.confidence());
            }
            n.put("engagementLevel", a.engagementLevel() != null ? a.engagementLevel()
                    : old.path("engagementLevel").asText(null));
            ArrayNode insights = n.putArray("insights");
            (a.insights().isEmpty() ? toList(old.get("insights")) : a.insights()).forEach(insights::add);
            ArrayNode actions = n.putArray("recommendedActions");
            (a.recommendedActions().isEmpty() ? toList(old.get("recommendedActions")) : a.recommendedActions())
                    .forEach(actions::add);
            n.put("message", a.message());
            if (a.winBackSequence() != null) {
                ArrayNode seq = n.putArray("winBackSequence");
                for (Analysis.WinBackMessage m : a.winBackSequence()) {
                    seq.addObject().put("step", m.step()).put("sendAfterDays", m.sendAfterDays())
                            .put("subject", m.subject()).put("body", m.body());
                }
            } else if (old.has("winBackSequence")) {
                n.set("winBackSequence", old.get("winBackSequence"));
            }
            o.set("analysis", n); // replaces in place: the contract's field order is kept
            return o.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.util.List<String> toList(com.fasterxml.jackson.databind.JsonNode arr) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (arr != null) {
            arr.forEach(x -> out.add(x.asText()));
        }
        return out;
    }
}
