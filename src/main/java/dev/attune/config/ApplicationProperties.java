package dev.attune.config;

import java.io.IOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.Configuration;

/**
 * Configuration on Amazon Managed Service for Apache Flink: the application's runtime property
 * groups ({@code KinesisAnalyticsRuntime.getApplicationProperties()}). Every group holds full
 * Attune keys as property names (the group only organises them); {@code profile} in any group
 * picks the base profile in the jar ({@code kinesis} by default). The same keys and the same
 * validation as the profiles and the command line; a bad property stops start-up with a
 * message naming its group and key.
 */
public final class ApplicationProperties {
    public static final String DEFAULT_PROFILE = "kinesis";

    private ApplicationProperties() {}

    /** Where Managed Flink writes the application's property groups. */
    public static final String RUNTIME_FILE = "/etc/flink/application_properties.json";

    /** The property groups when running on Managed Flink; empty elsewhere (no properties file). */
    public static Map<String, Properties> read() {
        return read(RUNTIME_FILE);
    }

    /**
     * The property groups in a file of Managed Flink's format, read by the service's own runtime
     * library (which Managed Flink provides; absent on other clusters, which then have none).
     */
    public static Map<String, Properties> read(String file) {
        try {
            return com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime.getApplicationProperties(
                    file);
        } catch (IOException | RuntimeException | LinkageError e) {
            return Map.of();
        }
    }

    public static CommandLine fromGroups(Map<String, Properties> groups) {
        Map<String, String> keys = new TreeMap<>();
        Map<String, String> groupOf = new TreeMap<>();
        String profile = DEFAULT_PROFILE;
        for (Map.Entry<String, Properties> g : new TreeMap<>(groups).entrySet()) {
            for (String k : new TreeMap<>(g.getValue())
                    .keySet().stream().map(Object::toString).toList()) {
                String v = g.getValue().getProperty(k);
                if ("profile".equals(k)) {
                    profile = v;
                    continue;
                }
                if (groupOf.containsKey(k)) {
                    throw new ConfigException(
                            where(g.getKey(), k), "also set in property group '" + groupOf.get(k) + "'");
                }
                keys.put(k, v);
                groupOf.put(k, g.getKey());
            }
        }
        Map<String, String> all = CommandLine.loadProfile(profile);
        all.putAll(keys);
        try {
            Configuration conf = ConfigValidator.validate(all);
            // The service runs parallelism, checkpoints and state: only keys set in a group override it.
            return new CommandLine("run", profile, conf, keys.keySet());
        } catch (ConfigException e) {
            String group = groupOf.get(e.key());
            if (group == null) {
                throw new ConfigException(
                        e.key() + " (profile '" + profile + "'; set it in a property group)", e.problem());
            }
            throw new ConfigException(where(group, e.key()), e.problem());
        }
    }

    private static String where(String group, String key) {
        return "property group '" + group + "', key '" + key + "'";
    }
}
