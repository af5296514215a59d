package dev.attune.config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;

/**
 * The commands and their help, declared for picocli. Picocli parses the command, {@code --profile},
 * {@code --set} and {@code --help}; the {@code --KEY VALUE} settings pass through as they are (there
 * are a hundred keys, declared once in {@link AttuneOptions}) for {@link CommandLine} to check.
 */
final class CommandLineSyntax {
    private CommandLineSyntax() {}

    /** What picocli read: the command ({@code run} when none is given) and its arguments. */
    record Parsed(String command, boolean implicitRun, String profile, List<String> settings, List<String> changes) {}

    static final String FOOTER =
            "%nConfiguration: --KEY VALUE or --KEY=VALUE for any key; `attune config` lists every key"
                    + " with its default and meaning, and --flink.<option> passes any Flink option.%n"
                    + "Exit codes: 0 done, 1 the job failed, 2 the configuration is wrong (one line naming the key).";

    /** Options every command takes. */
    static final class Settings {
        @Option(
                names = "--profile",
                paramLabel = "PROFILE",
                defaultValue = CommandLine.DEFAULT_PROFILE,
                description =
                        "A profile shipped in the jar (local, replay, kafka, kinesis) or a file of key=value lines."
                                + " Default: ${DEFAULT-VALUE}.")
        String profile;

        @Parameters(paramLabel = "--KEY VALUE", description = "Settings that override the profile's.")
        List<String> settings = new ArrayList<>();

        @Option(
                names = {"-h", "--help"},
                usageHelp = true,
                description = "Show this help and exit.")
        boolean help;
    }

    @Command(
            name = "attune",
            synopsisSubcommandLabel = "[COMMAND]",
            footer = FOOTER,
            description = {
                "Real-time customer-engagement decisions on Apache Flink.",
                "Without a command, runs the job on the profile (as `run` does)."
            },
            subcommands = {Run.class, Load.class, Report.class, WhatIf.class, Config.class, HelpCommand.class})
    static final class Attune {
        @Mixin
        Settings settings;
    }

    @Command(
            name = "run",
            footer = FOOTER,
            description = {
                "Runs the job. A bounded source (files, the generator, a bounded Kafka replay) runs to its end,"
                        + " then prints a summary and writes report.html; a live source runs until stopped.",
                "Examples:",
                "  attune run",
                "  attune run --profile replay --input.path history/ --output.path out/"
            })
    static final class Run {
        @Mixin
        Settings settings;
    }

    @Command(
            name = "load",
            footer = FOOTER,
            description = {
                "Writes archived history (input.path) into the profile's input Kafka topics or Kinesis streams,"
                        + " to replay it through a live job.",
                "Example:",
                "  attune load --profile kafka --kafka.bootstrap-servers localhost:9092 --input.path history/"
            })
    static final class Load {
        @Mixin
        Settings settings;
    }

    @Command(
            name = "report",
            footer = FOOTER,
            description = {
                "Writes report.html for the outputs of a finished run under output.path.",
                "Example:",
                "  attune report --output.path out/"
            })
    static final class Report {
        @Mixin
        Settings settings;
    }

    @Command(
            name = "whatif",
            footer = FOOTER,
            description = {
                "Replays the same history twice, as configured and with the --set changes, and writes whatif.html:"
                        + " which decisions move and why.",
                "Example:",
                "  attune whatif --profile replay --input.path history/ --set fatigue.caps=all:1/7d"
            })
    static final class WhatIf {
        @Mixin
        Settings settings;

        @Option(
                names = "--set",
                paramLabel = "KEY=VALUE",
                required = true,
                description = "A change to compare against (repeatable).")
        List<String> changes = new ArrayList<>();
    }

    @Command(
            name = "config",
            footer = FOOTER,
            description = {
                "Lists every configuration key with its default and meaning, and the value the profile and"
                        + " settings give it where that differs.",
                "Example:",
                "  attune config --profile kafka"
            })
    static final class Config {
        @Mixin
        Settings settings;
    }

    static picocli.CommandLine syntax() {
        return new picocli.CommandLine(new Attune())
                .setUnmatchedOptionsArePositionalParams(true)
                .setUnmatchedOptionsAllowedAsOptionParameters(true)
                .setOverwrittenOptionsAllowed(true)
                .setUsageHelpWidth(100)
                .setColorScheme(picocli.CommandLine.Help.defaultColorScheme(Ansi.OFF));
    }

    static Parsed parse(String[] args) {
        ParseResult result;
        try {
            result = syntax().parseArgs(args);
        } catch (ParameterException e) {
            throw new ConfigException(
                    e.getCommandLine().getCommandName().equals("whatif") ? "set" : "command", e.getMessage());
        }
        ParseResult leaf = result;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        Object spec = leaf.commandSpec().userObject();
        String command = leaf == result ? "run" : leaf.commandSpec().name();
        Settings settings;
        if (spec instanceof Attune a) {
            settings = a.settings;
        } else if (spec instanceof Run r) {
            settings = r.settings;
        } else if (spec instanceof Load l) {
            settings = l.settings;
        } else if (spec instanceof Report r) {
            settings = r.settings;
        } else if (spec instanceof WhatIf w) {
            settings = w.settings;
        } else if (spec instanceof Config c) {
            settings = c.settings;
        } else {
            throw new ConfigException(
                    "command", "'" + command + "' is not one of " + String.join(", ", CommandLine.COMMANDS));
        }
        List<String> changes = spec instanceof WhatIf w ? w.changes : List.of();
        return new Parsed(command, leaf == result, settings.profile, List.copyOf(settings.settings), changes);
    }

    static Optional<String> help(String[] args) {
        picocli.CommandLine syntax = syntax();
        ParseResult result;
        try {
            result = syntax.parseArgs(args);
        } catch (ParameterException e) {
            return Optional.empty();
        }
        StringWriter text = new StringWriter();
        syntax.setOut(new PrintWriter(text));
        syntax.setErr(new PrintWriter(text));
        if (!picocli.CommandLine.printHelpIfRequested(result)) {
            return Optional.empty();
        }
        return Optional.of(text.toString());
    }
}
