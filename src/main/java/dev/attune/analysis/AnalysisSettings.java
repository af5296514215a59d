package dev.attune.analysis;

import java.io.Serializable;
import java.time.Duration;

/** How and when a model is asked; built from the analysis.* and bedrock.* keys. */
public record AnalysisSettings(
        String mode,
        String modelId,
        String region,
        String endpoint,
        int capacity,
        Duration deadline,
        Duration callTimeout,
        int retries,
        Duration retryBackoff,
        int circuitWindow,
        float circuitFailureRate,
        Duration circuitOpenFor,
        int tokensPerMinute,
        Duration cooldown,
        String journalPath,
        String minRiskLevel,
        ModelRaise raise)
        implements Serializable {

    /** These settings with another bound on the model's exit risk. */
    public AnalysisSettings withRaise(ModelRaise r) {
        return new AnalysisSettings(
                mode,
                modelId,
                region,
                endpoint,
                capacity,
                deadline,
                callTimeout,
                retries,
                retryBackoff,
                circuitWindow,
                circuitFailureRate,
                circuitOpenFor,
                tokensPerMinute,
                cooldown,
                journalPath,
                minRiskLevel,
                r);
    }

    /**
     * How far a model's exit risk may raise a help tip: by at most {@code maxPoints} over the
     * rules' score, and to a live-chat offer where that reaches {@code high} (the rules' cut-offs).
     * {@code maxPoints} 0: the model's exit risk is never used.
     */
    public record ModelRaise(int maxPoints, int high, int critical) implements Serializable {
        public static final ModelRaise DEFAULTS = new ModelRaise(30, 60, 85);

        /** The raised score for the rules' score and the model's exit risk (never below the rules'). */
        public int score(int ruleScore, int exitRisk) {
            return Math.max(ruleScore, Math.min(exitRisk, Math.min(100, ruleScore + maxPoints)));
        }

        public String level(int score) {
            return score >= critical ? "critical" : "high";
        }
    }

    public boolean usesModel() {
        return !"heuristic".equals(mode);
    }
}
