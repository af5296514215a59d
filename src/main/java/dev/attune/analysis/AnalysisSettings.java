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

    public boolean usesModel() {
        return !"heuristic".equals(mode);
    }
}
