package dev.attune.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.flink.configuration.Configuration;

/**
 * {@code attune [command] [--profile P] [--key value | --key=value]... [--set KEY=VALUE]...}: a
 * profile (a file, or the name of one shipped in the jar under {@code jobs/}; {@code local} by
 * default) overlaid by the arguments, then validated. {@code --set} gives the keys a what-if
 * changes; {@link #variant()} is the configuration with them applied.
 */
public record CommandLine(String command, String profile, Configuration conf, Map<String, String> changes,
        Configuration variant, Set<String> given) {
    public static final List<String> COMMANDS = List.of("run", "load", "report", "whatif");

    /**
     * @param given the keys the user set explicitly (arguments, property groups), as opposed to the
     *     profile's: on a Flink cluster only these override the cluster's own runtime settings
     */
    public CommandLine {
        given = Set.copyOf(given);
    }

    public CommandLine(String command, String profile, Configuration conf, Set<String> given) {
        this(command, profile, conf, Map.of(), null, given);
    }
    public static final String DEFAULT_PROFILE = "local";
    /** Keys a what-if keeps: where the history comes from and where the outputs go. */
    static final List<String> WHAT_IF_FIXED = List.of("source.kind", "sink.kind", "input.path", "output.path",
            "analysis.journal.path", "generator.seed", "generator.customers", "generator.start");

    public static CommandLine parse(String[] args) {
        String command = "run";
        String profile = DEFAULT_PROFILE;
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> changes = new LinkedHashMap<>();
        int i = 0;
        if (args.length > 0 && !args[0].startsWith("--")) {
            command = args[0];
            if (!COMMANDS.contains(command)) {
                throw new ConfigException("command", "'" + command + "' is not one of " + String.join(", ", COMMANDS));
            }
            i = 1;
        }
        for (; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException(a, "expected --key value");
            }
            String k = a.substring(2);
            String v;
            int eq = k.indexOf('=');
            if (eq >= 0) {
                v = k.substring(eq + 1);
                k = k.substring(0, eq);
            } else if (i + 1 < args.length) {
                v = args[++i];
            } else {
                throw new ConfigException(k, "no value given");
            }
            if ("profile".equals(k)) {
                profile = v;
            } else if ("set".equals(k)) {
                int is = v.indexOf('=');
                if (is <= 0) {
                    throw new ConfigException("set", "expected --set KEY=VALUE, got '" + v + "'");
                }
                changes.put(v.substring(0, is).strip(), v.substring(is + 1).strip());
            } else {
                overrides.put(k, v);
            }
        }
        Map<String, String> all = loadProfile(profile);
        all.putAll(overrides);
        Configuration conf = ConfigValidator.validate(all);
        if (!"whatif".equals(command)) {
            if (!changes.isEmpty()) {
                throw new ConfigException("set", "only the whatif command takes --set");
            }
            return new CommandLine(command, profile, conf, overrides.keySet());
        }
        if (changes.isEmpty()) {
            throw new ConfigException("set", "whatif needs at least one --set KEY=VALUE to compare against");
        }
        for (String k : changes.keySet()) {
            if (WHAT_IF_FIXED.contains(k)) {
                throw new ConfigException(k, "a what-if replays the same history to the same place; it cannot change "
                        + String.join(", ", WHAT_IF_FIXED));
            }
        }
        Map<String, String> changed = new LinkedHashMap<>(all);
        changed.putAll(changes);
        return new CommandLine(command, profile, conf, java.util.Collections.unmodifiableMap(changes),
                ConfigValidator.validate(changed), overrides.keySet());
    }

    /** Reads a profile from a file path, else from {@code jobs/<name>[.properties]} in the jar. */
    public static Map<String, String> loadProfile(String profile) {
        Properties p = new Properties();
        Path file = Path.of(profile);
        try {
            if (Files.isRegularFile(file)) {
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            } else {
                String name = profile.endsWith(".properties") ? profile : profile + ".properties";
                name = name.startsWith("jobs/") ? name : "jobs/" + name;
                InputStream in = CommandLine.class.getClassLoader().getResourceAsStream(name);
                if (in == null) {
                    throw new ConfigException("profile", "'" + profile + "' is neither a file nor a profile in the jar"
                            + " (local, replay)");
                }
                try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("profile", "cannot read '" + profile + "': " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }
}
