package dev.attune.testing;

import dev.attune.analysis.AnalysisSettings;
import dev.attune.config.ConfigValidator;
import dev.attune.decision.CustomerEngine;
import dev.attune.job.AttuneJob;
import dev.attune.policy.PolicySettings;
import dev.attune.signals.RiskSettings;
import dev.attune.signals.SignalSettings;
import java.util.Map;
import org.apache.flink.configuration.Configuration;

/** The settings an empty configuration gives: the options' own defaults, written nowhere else. */
public final class Defaults {
    private Defaults() {}

    public static final Configuration CONF = ConfigValidator.validate(Map.of());

    public static PolicySettings policy() {
        return AttuneJob.policySettings(CONF);
    }

    /** The policy settings the defaults with these keys changed give. */
    public static PolicySettings policy(Map<String, String> changed) {
        return AttuneJob.policySettings(ConfigValidator.validate(changed));
    }

    public static SignalSettings signals() {
        return AttuneJob.signalSettings(CONF);
    }

    public static RiskSettings risk() {
        return signals().risk();
    }

    public static AnalysisSettings heuristic() {
        return AttuneJob.analysisSettings(CONF);
    }

    /** The defaults with {@code analysis.mode=bedrock}, no region or endpoint, and the given capacity and level. */
    public static AnalysisSettings bedrock(int capacity, String minRiskLevel) {
        AnalysisSettings h = heuristic();
        return new AnalysisSettings(
                "bedrock",
                h.modelId(),
                null,
                null,
                capacity,
                h.deadline(),
                h.callTimeout(),
                h.retries(),
                h.retryBackoff(),
                h.circuitWindow(),
                h.circuitFailureRate(),
                h.circuitOpenFor(),
                h.tokensPerMinute(),
                h.cooldown(),
                h.journalPath(),
                minRiskLevel,
                AnalysisSettings.ModelRaise.DEFAULTS);
    }

    public static CustomerEngine engine(SignalSettings signals) {
        return new CustomerEngine(signals, policy(), heuristic());
    }

    public static CustomerEngine engine(SignalSettings signals, PolicySettings policy) {
        return new CustomerEngine(signals, policy, heuristic());
    }
}
