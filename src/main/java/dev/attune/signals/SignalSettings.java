package dev.attune.signals;

import java.io.Serializable;

/** Everything the per-customer logic is configured with; built from the job configuration. */
public record SignalSettings(
        RiskSettings risk,
        EventNames names,
        long dedupWindow,
        long sentimentHalfLife,
        double angryThreshold,
        int hysteresis,
        long[] cooldowns)
        implements Serializable {

    public long cooldown(InterventionType t) {
        return cooldowns[t.ordinal()];
    }
}
