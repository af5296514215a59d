package dev.attune.decision;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.analysis.ModelOutcomes;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.signals.CustomerState;
import dev.attune.testing.Defaults;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * With a model, a help tip asks it, and the model's exit risk may raise it to a live-chat offer:
 * bounded, explained by a {@code model_exit_risk} reason, never lowering what the rules decided.
 */
class ModelExitRiskTest {
    static final AnalysisSettings BEDROCK = Defaults.bedrock(4, "critical");
    final ModelOutcomes outcomes = new ModelOutcomes(BEDROCK);

    /** The request the engine makes for a help tip: two rage clicks (30 points). */
    static AnalysisRequest helpTipRequest(AnalysisSettings settings) {
        CustomerEngine engine = new CustomerEngine(Defaults.signals(), Defaults.policy(), settings);
        CustomerState s = new CustomerState();
        List<AnalysisRequest> asked = new ArrayList<>();
        List<OutputRecord> direct = new ArrayList<>();
        CustomerEngine.Emitter emit = new CustomerEngine.Emitter() {
            @Override
            public void output(OutputRecord r) {
                direct.add(r);
            }

            @Override
            public void analysis(AnalysisRequest r) {
                asked.add(r);
            }
        };
        engine.decideInto(s, struggle("s1", T0, "rage_click"), emit);
        engine.decideInto(s, struggle("s2", T0 + 2_000, "rage_click"), emit);
        assertThat(direct)
                .filteredOn(r -> r.stream.equals(Streams.INTERVENTIONS))
                .isEmpty();
        assertThat(asked).hasSize(1);
        return asked.get(0);
    }

    static String answer(Object exitRisk) {
        return "{\"exitRisk\": " + exitRisk + ", \"engagementLevel\": \"medium\", \"recommendedActions\": "
                + "[\"offer_live_chat\"], \"insights\": [\"Stuck on the form\"], \"message\": \"Need a hand?\"}";
    }

    static JsonNode only(List<OutputRecord> out) {
        assertThat(out).hasSize(1);
        JsonNode n = read(out.get(0).json);
        assertThat(Schemas.validate(Streams.INTERVENTIONS, n))
                .as(out.get(0).json)
                .isEmpty();
        return n;
    }

    static JsonNode read(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static int reasonsSum(JsonNode n) {
        int sum = 0;
        for (JsonNode r : n.get("reasons")) {
            sum += r.get("contribution").asInt();
        }
        return sum;
    }

    @Test
    void aHelpTipAsksTheModelAndAHighExitRiskMakesItALiveChatOffer() {
        AnalysisRequest req = helpTipRequest(BEDROCK);
        assertThat(req.interventionType).isEqualTo("help_tip");
        assertThat(req.ruleScore).isEqualTo(30);
        JsonNode n = only(outcomes.answered(req, answer(75), "bedrock").outputs());
        assertThat(n.get("type").asText()).isEqualTo("live_chat_offer");
        assertThat(n.get("action").asText()).isEqualTo("show_live_chat_popup");
        assertThat(n.get("interventionId").asText()).isEqualTo(req.raisedId).isNotEqualTo(req.interventionId);
        assertThat(n.get("riskScore").asInt()).isEqualTo(60); // 30 + at most 30 points from the model
        assertThat(n.get("riskLevel").asText()).isEqualTo("high");
        JsonNode last = n.get("reasons").get(n.get("reasons").size() - 1);
        assertThat(last.get("code").asText()).isEqualTo("model_exit_risk");
        assertThat(last.get("value").asText()).isEqualTo("75");
        assertThat(last.get("contribution").asInt()).isEqualTo(30);
        assertThat(reasonsSum(n)).isEqualTo(60);
        assertThat(n.at("/analysis/source").asText()).isEqualTo("bedrock");
        assertThat(n.at("/analysis/message").asText())
                .as("the live chat's own text, not the model's words about a tip")
                .isNotEqualTo("Need a hand?");
    }

    @Test
    void aLowOrMissingExitRiskLeavesTheHelpTip() {
        AnalysisRequest req = helpTipRequest(BEDROCK);
        for (String risk : List.of("40", "59", "\"high\"")) {
            String text = risk.startsWith("\"") ? answer(0).replace("\"exitRisk\": 0, ", "") : answer(risk);
            JsonNode n = only(outcomes.answered(req, text, "bedrock").outputs());
            assertThat(n.get("type").asText()).as(risk).isEqualTo("help_tip");
            assertThat(n.get("interventionId").asText()).isEqualTo(req.interventionId);
            assertThat(n.get("riskScore").asInt()).isEqualTo(30);
            assertThat(reasonsSum(n)).isEqualTo(30);
        }
    }

    @Test
    void aFailedOrInvalidAnswerGivesTheRulesHelpTip() {
        AnalysisRequest req = helpTipRequest(BEDROCK);
        List<OutputRecord> out =
                outcomes.answered(req, "{\"exitRisk\": 99}", "bedrock").outputs();
        assertThat(out).extracting(o -> o.stream).containsExactly(Streams.INTERVENTIONS, Streams.DEAD_LETTER);
        assertThat(read(out.get(0).json).get("type").asText()).isEqualTo("help_tip");
        assertThat(outcomes.deadlineExceeded(req).get(0).json).isEqualTo(req.interventionJson);
    }

    @Test
    void withTheKeyAtZeroHelpTipsNeverWait() {
        AnalysisSettings off = BEDROCK.withRaise(new AnalysisSettings.ModelRaise(0, 60, 85));
        CustomerEngine engine = new CustomerEngine(Defaults.signals(), Defaults.policy(), off);
        CustomerState s = new CustomerState();
        List<String> types = new ArrayList<>();
        CustomerEngine.Emitter emit = new CustomerEngine.Emitter() {
            @Override
            public void output(OutputRecord r) {
                types.add(read(r.json).path("type").asText());
            }

            @Override
            public void analysis(AnalysisRequest r) {
                throw new AssertionError("asked the model about " + r.interventionType);
            }
        };
        engine.decideInto(s, struggle("s1", T0, "rage_click"), emit);
        engine.decideInto(s, struggle("s2", T0 + 2_000, "rage_click"), emit);
        assertThat(types).containsExactly("help_tip");
    }

    @Property(tries = 100)
    void theModelNeverLowersAndNeverRaisesPastItsBound(
            @ForAll @IntRange(min = 0, max = 100) int rule, @ForAll @IntRange(min = 0, max = 100) int exitRisk) {
        AnalysisSettings.ModelRaise raise = AnalysisSettings.ModelRaise.DEFAULTS;
        int score = raise.score(rule, exitRisk);
        assertThat(score).isBetween(rule, Math.min(100, Math.max(rule, rule + raise.maxPoints())));
        assertThat(score).isLessThanOrEqualTo(Math.max(rule, exitRisk));
    }
}
