package dev.attune.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.FallbackKey;

/**
 * The configuration keys Flink itself defines, so that {@code --state.backend.type rocksdb} or a
 * profile line {@code execution.checkpointing.interval = 30 s} reaches Flink as it is, next to
 * Attune's own keys. Read from Flink's own option classes (keys, deprecated and fallback keys),
 * plus the families Flink reads by prefix (metric reporters, file system plugins, Kubernetes).
 */
public final class FlinkKeys {
    private static final List<String> OPTION_CLASSES = List.of(
            "org.apache.flink.client.cli.ClientOptions",
            "org.apache.flink.configuration.AkkaOptions",
            "org.apache.flink.configuration.BatchExecutionOptions",
            "org.apache.flink.configuration.BlobServerOptions",
            "org.apache.flink.configuration.CheckpointingOptions",
            "org.apache.flink.configuration.CleanupOptions",
            "org.apache.flink.configuration.ClusterOptions",
            "org.apache.flink.configuration.CoreOptions",
            "org.apache.flink.configuration.DeploymentOptions",
            "org.apache.flink.configuration.ExecutionOptions",
            "org.apache.flink.configuration.HeartbeatManagerOptions",
            "org.apache.flink.configuration.HighAvailabilityOptions",
            "org.apache.flink.configuration.JMXServerOptions",
            "org.apache.flink.configuration.JobManagerOptions",
            "org.apache.flink.configuration.MetricOptions",
            "org.apache.flink.configuration.NettyShuffleEnvironmentOptions",
            "org.apache.flink.configuration.PipelineOptions",
            "org.apache.flink.configuration.ResourceManagerOptions",
            "org.apache.flink.configuration.RestOptions",
            "org.apache.flink.configuration.RestartStrategyOptions",
            "org.apache.flink.configuration.RpcOptions",
            "org.apache.flink.configuration.SecurityOptions",
            "org.apache.flink.configuration.StateBackendOptions",
            "org.apache.flink.configuration.StateChangelogOptions",
            "org.apache.flink.configuration.StateLatencyTrackOptions",
            "org.apache.flink.configuration.StateRecoveryOptions",
            "org.apache.flink.configuration.TaskManagerOptions",
            "org.apache.flink.configuration.TraceOptions",
            "org.apache.flink.configuration.WebOptions",
            "org.apache.flink.contrib.streaming.state.RocksDBConfigurableOptions",
            "org.apache.flink.contrib.streaming.state.RocksDBOptions",
            "org.apache.flink.runtime.highavailability.JobResultStoreOptions",
            "org.apache.flink.runtime.jobgraph.SavepointConfigOptions",
            "org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions",
            "org.apache.flink.streaming.api.environment.StreamPipelineOptions");

    /** Families of keys Flink and its plugins read by prefix. */
    private static final List<String> PREFIXES = List.of(
            "metrics.reporter.",
            "s3.",
            "fs.",
            "kubernetes.",
            "external-resource.",
            "high-availability.",
            "env.java.opts");

    private static final Set<String> KEYS = load();

    private FlinkKeys() {}

    /** True when Flink defines this key (or reads it by a documented prefix). */
    public static boolean isFlinkKey(String key) {
        return KEYS.contains(key) || PREFIXES.stream().anyMatch(key::startsWith);
    }

    static Set<String> keys() {
        return KEYS;
    }

    private static Set<String> load() {
        Set<String> keys = new TreeSet<>();
        ClassLoader loader = FlinkKeys.class.getClassLoader();
        for (String name : OPTION_CLASSES) {
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                continue; // a class this Flink build does not ship
            }
            for (Field f : c.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && ConfigOption.class.isAssignableFrom(f.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) f.get(null);
                        keys.add(option.key());
                        for (FallbackKey k : option.fallbackKeys()) {
                            keys.add(k.getKey());
                        }
                    } catch (IllegalAccessException | RuntimeException e) {
                        // not a readable option constant
                    }
                }
            }
        }
        return Set.copyOf(keys);
    }
}
