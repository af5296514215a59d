package dev.attune.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Reads a finished run's output folders back and prints what a person wants to know first. */
public final class RunSummary {
    private static final Map<String, String> LABELS = Map.of(
            Streams.INTERVENTIONS, "intervention",
            Streams.CAMPAIGN_SENDS, "campaign send",
            Streams.SUPPRESSIONS, "suppression",
            Streams.DEAD_LETTER, "dead letter",
            Streams.CAMPAIGN_SUMMARIES, "campaign summary");
    private static final Map<String, String> BREAKDOWN = Map.of(
            Streams.INTERVENTIONS, "type",
            Streams.CAMPAIGN_SENDS, "channel",
            Streams.SUPPRESSIONS, "reason",
            Streams.DEAD_LETTER, "error.code");

    private RunSummary() {}

    /** All committed records of one output stream, one JSON text each. */
    public static List<String> records(Path out, String stream) throws IOException {
        Path dir = out.resolve(stream);
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(RunSummary::isCommitted).sorted().toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
        }
        return lines;
    }

    static boolean isCommitted(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && !n.startsWith(".") && n.endsWith(".jsonl");
    }

    public static void print(PrintStream out, Path dir, int examples) throws IOException {
        out.println();
        out.println("Outputs under " + dir.toAbsolutePath().normalize() + "/<stream>/");
        List<String[]> shown = new ArrayList<>();
        for (String stream : Streams.OUTPUTS) {
            List<String> records = records(dir, stream);
            if (stream.equals(Streams.CAMPAIGN_SUMMARIES) && records.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format("  %-20s %7d", stream, records.size()));
            String field = BREAKDOWN.get(stream);
            if (field != null && !records.isEmpty()) {
                Map<String, Integer> counts = new TreeMap<>();
                for (String r : records) {
                    counts.merge(field(r, field), 1, Integer::sum);
                }
                line.append("   by ").append(field).append(": ");
                counts.forEach((k, v) -> line.append(k).append(' ').append(v).append(", "));
                line.setLength(line.length() - 2);
            }
            out.println(line);
            records.stream().sorted().limit(examples).forEach(r -> shown.add(new String[] {stream, r}));
        }
        out.println();
        for (String stream : List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS)) {
            if (shown.stream().noneMatch(s -> s[0].equals(stream))) {
                out.println("Example " + LABELS.get(stream) + ": none in this run");
            }
        }
        for (String[] s : shown) {
            out.println("Example " + LABELS.get(s[0]) + ": " + s[1]);
        }
    }

    private static String field(String json, String path) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            for (String part : path.split("\\.")) {
                n = n.path(part);
            }
            return n.isMissingNode() || n.isNull() ? "(none)" : n.asText();
        } catch (IOException e) {
            return "(unreadable)";
        }
    }
}
