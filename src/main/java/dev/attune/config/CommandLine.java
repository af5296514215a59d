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
public record CommandLine(
        String command,
        String profile,
        Configuration conf,
        Map<String, String> changes,
        Configuration variant,
        Set<String> given) {
    public static final List<String> COMMANDS = List.of("run", "load", "report", "whatif", "config");

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
    /** The profiles shipped in the jar under {@code jobs/}. */
    public static final List<String> SHIPPED_PROFILES = List.of("local", "replay", "kafka", "kinesis");
    /** Keys a what-if keeps: where the history comes from and where the outputs go. */
    static final List<String> WHAT_IF_FIXED = List.of(
            "source.kind",
            "sink.kind",
            "input.path",
            "output.path",
            "analysis.journal.path",
            "generator.seed",
            "generator.customers",
            "generator.start");

    /**
     * Parses {@code args}: the command, {@code --profile}, {@code --set} and the {@code --KEY VALUE}
     * settings; {@code --help} is {@link #help(String[])}'s to answer.
     */
    public static CommandLine parse(String[] args) {
        CommandLineSyntax.Parsed parsed = CommandLineSyntax.parse(args);
        String command = parsed.command();
        String profile = parsed.profile();
        Map<String, String> overrides = new LinkedHashMap<>();
        Map<String, String> changes = new LinkedHashMap<>();
        List<String> settings = parsed.settings();
        if ("run".equals(command)
                && parsed.implicitRun()
                && !settings.isEmpty()
                && !settings.get(0).startsWith("--")) {
            throw new ConfigException(
                    "command", "'" + settings.get(0) + "' is not one of " + String.join(", ", COMMANDS));
        }
        String given = settingsInto(settings, overrides);
        profile = given != null ? given : profile;
        for (String change : parsed.changes()) {
            int is = change.indexOf('=');
            if (is <= 0) {
                throw new ConfigException("set", "expected --set KEY=VALUE, got '" + change + "'");
            }
            changes.put(
                    change.substring(0, is).strip(), change.substring(is + 1).strip());
        }
        Map<String, String> all = loadProfile(profile);
        all.putAll(overrides);
        Configuration conf = ConfigValidator.validate(all);
        if (!"whatif".equals(command)) {
            return new CommandLine(command, profile, conf, overrides.keySet());
        }
        if (changes.isEmpty()) {
            throw new ConfigException("set", "whatif needs at least one --set KEY=VALUE to compare against");
        }
        for (String k : changes.keySet()) {
            if (WHAT_IF_FIXED.contains(k)) {
                throw new ConfigException(
                        k,
                        "a what-if replays the same history to the same place; it cannot change "
                                + String.join(", ", WHAT_IF_FIXED));
            }
        }
        Map<String, String> changed = new LinkedHashMap<>(all);
        changed.putAll(changes);
        return new CommandLine(
                command,
                profile,
                conf,
                java.util.Collections.unmodifiableMap(changes),
                ConfigValidator.validate(changed),
                overrides.keySet());
    }

    /**
     * Puts the {@code --KEY VALUE} (or {@code --KEY=VALUE}) settings into {@code overrides}; returns the
     * {@code --profile} among them, or {@code null}.
     */
    private static String settingsInto(List<String> settings, Map<String, String> overrides) {
        String profile = null;
        for (int i = 0; i < settings.size(); i++) {
            String a = settings.get(i);
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException(a, "expected --key value");
            }
            String k = a.substring(2);
            String v;
            int eq = k.indexOf('=');
            if (eq >= 0) {
                v = k.substring(eq + 1);
                k = k.substring(0, eq);
            } else if (i + 1 < settings.size()) {
                v = settings.get(++i);
            } else {
                throw new ConfigException(k, "no value given");
            }
            if ("profile".equals(k)) {
                profile = v;
            } else if ("set".equals(k)) {
                throw new ConfigException("set", "only the whatif command takes --set");
            } else {
                overrides.put(k, v);
            }
        }
        return profile;
    }

    /**
     * The settings of a plain run (the profile's with the {@code --KEY VALUE}s over them), unchecked,
     * or empty for any other line (another command, help, anything {@link #parse} would refuse): for a
     * decision taken before the JVM loads the job (a short replay's own JVM); the run parses the line
     * itself.
     */
    public static java.util.Optional<Map<String, String>> peekRun(String[] args) {
        List<String> settings = List.of(args);
        if (!settings.isEmpty() && !settings.get(0).startsWith("-")) {
            if (!settings.get(0).equals("run")) {
                return java.util.Optional.empty();
            }
            settings = settings.subList(1, settings.size());
        }
        try {
            Map<String, String> overrides = new LinkedHashMap<>();
            String profile = settingsInto(settings, overrides);
            Map<String, String> all = loadProfile(profile != null ? profile : DEFAULT_PROFILE);
            all.putAll(overrides);
            return java.util.Optional.of(all);
        } catch (ConfigException e) {
            return java.util.Optional.empty();
        }
    }

    /** The usage text when {@code args} ask for help ({@code --help}, {@code -h}, {@code help [COMMAND]}). */
    public static java.util.Optional<String> help(String[] args) {
        return CommandLineSyntax.help(args);
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
                    throw new ConfigException(
                            "profile",
                            "'" + profile + "' is neither a file nor a profile in the jar" + " ("
                                    + String.join(", ", SHIPPED_PROFILES) + ")");
                }
                try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
            }
        } catch (IOException e) {
            throw new ConfigException("profile", "cannot read '" + profile + "': " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream()
                .sorted()
                .forEach(k -> out.put(k, p.getProperty(k).trim()));
        return out;
    }
}
