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
        String journalPath) implements Serializable {

    public static AnalysisSettings heuristic() {
        return new AnalysisSettings("heuristic", "amazon.nova-micro-v1:0", null, null, 8, Duration.ofMillis(800),
                Duration.ofSeconds(10), 2, Duration.ofMillis(200), 20, 50f, Duration.ofSeconds(30), 20_000,
                Duration.ofMinutes(10), "attune-journal");
    }

    public boolean usesModel() {
        return !"heuristic".equals(mode);
    }
}
