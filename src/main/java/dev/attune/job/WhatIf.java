package dev.attune.job;

import static dev.attune.config.AttuneOptions.*;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.config.Choices.AnalysisMode;
import dev.attune.config.Choices.SinkKind;
import dev.attune.config.Choices.SourceKind;
import dev.attune.config.CommandLine;
import dev.attune.contract.Json;
import dev.attune.io.Journal;
import dev.attune.report.ReportData;
import dev.attune.report.WhatIfDiff;
import dev.attune.report.WhatIfPage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;

/**
 * {@code attune whatif --profile P --input.path IN --output.path OUT --set KEY=VALUE...}: the same
 * history replayed as configured ({@code OUT/baseline/}) and with the changed keys
 * ({@code OUT/variant/}), each with its report, then {@code OUT/whatif/diff.json} and a side-by-side
 * page ({@code OUT/whatif/index.html}). A profile that calls Bedrock answers from its journal instead
 * ({@code analysis.mode=replay}), so a what-if makes no model call.
 */
final class WhatIf {
    private WhatIf() {}

    static int run(CommandLine cli, PrintStream out, PrintStream err) {
        Configuration conf = cli.conf();
        if (!List.of(SourceKind.FILES, SourceKind.GENERATOR).contains(conf.get(SOURCE_KIND))) {
            err.println("attune: configuration error: source.kind: a what-if replays history from files (or the seeded"
                    + " generator), not " + conf.get(SOURCE_KIND));
            return 2;
        }
        if (conf.get(SOURCE_KIND) == SourceKind.FILES && conf.get(INPUT_PATH) == null) {
            err.println("attune: configuration error: input.path: required for whatif");
            return 2;
        }
        Path root = Path.of(conf.get(OUTPUT_PATH));
        Path baselineOut = root.resolve("baseline");
        Path variantOut = root.resolve("variant");
        Configuration baseline = sideOf(conf, baselineOut);
        Configuration variant = sideOf(cli.variant(), variantOut);
        try {
            if (baseline.get(ANALYSIS_MODE) == AnalysisMode.REPLAY && conf.get(ANALYSIS_MODE) != AnalysisMode.REPLAY) {
                long answers = new Journal(conf.get(ANALYSIS_JOURNAL)).readAll().size();
                out.println("Model answers come from the journal " + conf.get(ANALYSIS_JOURNAL) + " (" + answers
                        + " prompts); no model is called.");
            }
            out.println("What-if: " + cli.changes());
            out.println("Baseline replay, as configured, into " + baselineOut);
            Main.runJob(baseline, baseline.keySet(), out);
            Path baselinePage = Main.writeReport(baseline, baselineOut);
            out.println("Variant replay, with " + cli.changes() + ", into " + variantOut);
            Main.runJob(variant, variant.keySet(), out);
            Path variantPage = Main.writeReport(variant, variantOut);
            ObjectNode diff = WhatIfDiff.diff(baselineOut, variantOut, cli.changes());
            Path dir = root.resolve("whatif");
            Files.createDirectories(dir);
            Path diffFile = dir.resolve("diff.json");
            Files.writeString(
                    diffFile,
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(diff) + "\n",
                    StandardCharsets.UTF_8);
            int listed = conf.get(REPORT_PRIORITY_LIST);
            Path page = WhatIfPage.write(
                    dir.resolve("index.html"),
                    diff,
                    ReportData.read(baselineOut, listed),
                    ReportData.read(variantOut, listed),
                    baselinePage,
                    variantPage);
            out.println();
            out.println(WhatIfPage.summary(diff));
            out.println("Diff: " + diffFile.toAbsolutePath().normalize());
            out.println("Report: " + page.toAbsolutePath().normalize());
            return 0;
        } catch (Exception e) {
            err.println("attune: whatif failed: " + e);
            e.printStackTrace(err);
            return 1;
        }
    }

    /** One side's configuration: its own output folder, files out, and no model calls. */
    static Configuration sideOf(Configuration conf, Path output) {
        Configuration c = new Configuration(conf);
        c.set(OUTPUT_PATH, output.toString());
        c.set(SINK_KIND, SinkKind.FILES);
        c.set(OUTPUT_CLEAN, true);
        if (c.get(ANALYSIS_MODE) == AnalysisMode.BEDROCK) {
            c.set(ANALYSIS_MODE, AnalysisMode.REPLAY);
        }
        return c;
    }
}
