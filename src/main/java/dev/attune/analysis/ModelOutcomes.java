package dev.attune.analysis;

import dev.attune.contract.Analysis;
import dev.attune.contract.DeadLetter;
import dev.attune.contract.DeadLetters;
import dev.attune.contract.Ids;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Outputs;
import dev.attune.contract.Reason;
import dev.attune.contract.Streams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What goes out for an intervention that waited for a model, whatever became of the call: the
 * model's analysis in the intervention; or the heuristic intervention and a dead letter (stage
 * {@code analysis}) saying why the answer was not used; or, where the budget allowed no call, the
 * heuristic intervention and an {@code llm_budget} suppression. In replay, the journal's record of
 * the live call decides, so a replay gives what the live run gave. Plain Java; the async operator
 * only calls, times and counts.
 */
public final class ModelOutcomes {
    private final AnalysisSettings settings;

    public ModelOutcomes(AnalysisSettings settings) {
        this.settings = settings;
    }

    /** What an answer gives: the outputs, and why the answer was not used (null when it was). */
    public record Answer(List<OutputRecord> outputs, String invalid) {}

    /** The model answered in time: its analysis, checked, in the intervention; else the fallback. */
    public Answer answered(AnalysisRequest req, String text, String source) {
        try {
            Analysis a = AnswerParser.parse(text, req.kind, settings.modelId(), source, null);
            if (req.raisedJson != null) {
                int exitRisk = AnswerParser.exitRisk(text);
                int score = settings.raise().score(req.ruleScore, exitRisk);
                if (exitRisk >= 0 && score >= settings.raise().high()) {
                    Reason why = new Reason("model_exit_risk", String.valueOf(exitRisk), score - req.ruleScore);
                    return new Answer(
                            List.of(new OutputRecord(
                                    Streams.INTERVENTIONS,
                                    req.userId,
                                    req.raisedId,
                                    Enrichment.raised(
                                            req.raisedJson,
                                            a,
                                            score,
                                            settings.raise().level(score),
                                            why))),
                            null);
                }
            }
            return new Answer(List.of(enriched(req, a)), null);
        } catch (AnswerParser.InvalidAnswer e) {
            return new Answer(fallback(req, "invalid_answer", e.getMessage()), e.getMessage());
        }
    }

    /** The heuristic intervention, and a dead letter saying why the model's answer was not used. */
    public List<OutputRecord> fallback(AnalysisRequest req, String code, String message) {
        List<OutputRecord> out = new ArrayList<>(2);
        out.add(heuristic(req));
        DeadLetter d = DeadLetter.of(
                Streams.INTERVENTIONS,
                req.interventionId,
                req.interventionJson,
                false,
                "analysis",
                code,
                message == null ? code : message);
        d.userId = req.userId;
        d.eventTime = req.eventTime;
        out.add(DeadLetters.toOutput(d));
        return out;
    }

    /** No answer within {@code analysis.deadline}. */
    public List<OutputRecord> deadlineExceeded(AnalysisRequest req) {
        return fallback(
                req,
                "deadline_exceeded",
                "no answer within analysis.deadline (" + millis(settings.deadline()) + " ms)");
    }

    /** The budget allowed no call: the heuristic intervention and an {@code llm_budget} suppression. */
    public List<OutputRecord> overBudget(AnalysisRequest req) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tokensPerMinute", settings.tokensPerMinute());
        details.put("tokensNeeded", ModelGate.estimateTokens(req.prompt));
        details.put("analysis", "heuristic");
        String id = Ids.of(Streams.SUPPRESSIONS, req.userId, req.interventionType, "llm_budget", req.triggerMessageId);
        return List.of(
                heuristic(req),
                Outputs.interventionSuppression(
                        id,
                        req.userId,
                        req.eventTime,
                        req.interventionType,
                        req.triggerMessageId,
                        "llm_budget",
                        details));
    }

    /**
     * The live run's outcome again, from its journal record ({@code outcome} null where the journal
     * has none: the heuristic intervention, counted as {@code not_in_journal}).
     */
    public List<OutputRecord> replayed(AnalysisRequest req, String outcome, String text, String code, String message) {
        if (outcome == null) {
            return List.of(heuristic(req));
        }
        return switch (outcome) {
            case "answered" -> answered(req, text, "replay-cache").outputs();
            case "budget" -> overBudget(req);
            case "late" -> deadlineExceeded(req);
            default -> fallback(req, code, message);
        };
    }

    private static OutputRecord enriched(AnalysisRequest req, Analysis a) {
        return new OutputRecord(
                Streams.INTERVENTIONS,
                req.userId,
                req.interventionId,
                Enrichment.withAnalysis(req.interventionJson, a));
    }

    private static OutputRecord heuristic(AnalysisRequest req) {
        return new OutputRecord(Streams.INTERVENTIONS, req.userId, req.interventionId, req.interventionJson);
    }

    private static long millis(Duration d) {
        return d.toMillis();
    }
}
