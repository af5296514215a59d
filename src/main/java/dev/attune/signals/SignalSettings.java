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
        long[] cooldowns) implements Serializable {

    public static SignalSettings defaults() {
        return new SignalSettings(RiskSettings.defaults(), new EventNames(null), 24 * 3_600_000L,
                7 * 24 * 3_600_000L, -0.3, 15,
                new long[] {30 * 60_000L, 10 * 60_000L, 24 * 3_600_000L, 30 * 24 * 3_600_000L, 4 * 3_600_000L});
    }

    public long cooldown(InterventionType t) {
        return cooldowns[t.ordinal()];
    }
}
