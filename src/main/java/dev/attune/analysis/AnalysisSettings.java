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
        String minRiskLevel)
        implements Serializable {

    /** Live chat and service recovery ask the model from critical risk on; win-back always. */
    public AnalysisSettings(
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
            String journalPath) {
        this(
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
                "critical");
    }

    public boolean usesModel() {
        return !"heuristic".equals(mode);
    }
}
