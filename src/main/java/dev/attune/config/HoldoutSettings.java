package dev.attune.config;

import static dev.attune.config.AttuneOptions.ATTRIBUTION_GOAL_EVENTS;
import static dev.attune.config.AttuneOptions.ATTRIBUTION_WINDOW;
import static dev.attune.config.AttuneOptions.ATTRIBUTION_WINDOWS;
import static dev.attune.config.AttuneOptions.HOLDOUT_CAMPAIGNS;
import static dev.attune.config.AttuneOptions.HOLDOUT_INTERVENTIONS;
import static dev.attune.config.AttuneOptions.HOLDOUT_SHARE;

import dev.attune.policy.Holdouts;
import java.util.function.Supplier;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.util.TimeUtils;

/** The job's {@link Holdouts} from the {@code holdout.*} and {@code attribution.*} keys. */
public final class HoldoutSettings {
    private HoldoutSettings() {}

    /** The holdouts the configuration asks for; a {@link ConfigException} naming the key if one is unusable. */
    public static Holdouts from(Configuration conf) {
        double share = conf.get(HOLDOUT_SHARE);
        if (!(share >= 0 && share <= 0.5)) {
            throw new ConfigException(HOLDOUT_SHARE.key(), "must be between 0 and 0.5");
        }
        return new Holdouts(
                share,
                parsed(HOLDOUT_CAMPAIGNS, () -> Holdouts.perCampaign(conf.get(HOLDOUT_CAMPAIGNS))),
                parsed(HOLDOUT_INTERVENTIONS, () -> Holdouts.perIntervention(conf.get(HOLDOUT_INTERVENTIONS))),
                conf.get(ATTRIBUTION_WINDOW).toMillis(),
                parsed(
                        ATTRIBUTION_WINDOWS,
                        () -> Holdouts.windows(
                                conf.get(ATTRIBUTION_WINDOWS),
                                v -> TimeUtils.parseDuration(v).toMillis())),
                parsed(ATTRIBUTION_GOAL_EVENTS, () -> Holdouts.goalEvents(conf.get(ATTRIBUTION_GOAL_EVENTS))));
    }

    private static <T> T parsed(ConfigOption<?> key, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.key(), e.getMessage());
        }
    }
}
