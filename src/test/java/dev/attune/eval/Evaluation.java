package dev.attune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Streams;
import dev.attune.io.RunMarkers;
import dev.attune.io.RunSummary;
import dev.attune.job.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs Attune over one half of the evaluation set exactly as a user replays history ({@code Main.run} with
 * {@code --profile jobs/replay.properties --input.path ... --output.path ...}), then scores the outputs with
 * {@link Scorer}. With {@code every > 1} only
 * every n-th journey of each kind ({@link #sample}) and its records are used.
 */
public final class Evaluation {
    /** The committed set: {@code tune/} and {@code heldout/} below it. */
    public static final Path SET = Path.of("src/test/resources/eval");

    private Evaluation() {}

    /** The split's figures and the table printed for them. */
    public record Result(String split, Map<String, Object> figures, String table) {}

    public static Result run(String split, int every, Path work, PrintStream log) throws IOException {
        Path dir = SET.resolve(split);
        List<JsonNode> labels = sample(readLines(dir.resolve("labels.jsonl")), every);
        if (labels.isEmpty()) {
            throw new IllegalStateException("evaluation: no labels in " + dir);
        }
        Set<String> users = new HashSet<>();
        labels.forEach(l -> users.add(l.get("userId").asText()));
        Path in = work.resolve("input");
        Path out = work.resolve("output");
        List<JsonNode> inputs = new ArrayList<>();
        for (String stream : Streams.INPUTS) {
            List<String> kept = new ArrayList<>();
            for (Path f : files(dir.resolve(stream))) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    JsonNode r = Scorer.MAPPER.readTree(line);
                    String who = r.hasNonNull("userId")
                            ? r.get("userId").asText()
                            : r.path("anonymousId").asText();
                    if (users.contains(who)) {
                        kept.add(line);
                        inputs.add(r);
                    }
                }
            }
            Files.createDirectories(in.resolve(stream));
            Files.write(in.resolve(stream).resolve("part-0.jsonl"), kept, StandardCharsets.UTF_8);
        }
        if (inputs.isEmpty()) {
            throw new IllegalStateException("evaluation: no input records for the chosen journeys of " + dir);
        }
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = Main.run(
                new String[] {
                    "--profile", "jobs/replay.properties",
                    "--input.path", in.toString(),
                    "--output.path", out.toString()
                },
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (code != 0 || !Files.exists(out.resolve(RunMarkers.SUCCESS))) {
            throw new IllegalStateException("evaluation: replay of " + split + " failed with exit code " + code + ": "
                    + stderr.toString(StandardCharsets.UTF_8));
        }
        Map<String, List<JsonNode>> outputs = new LinkedHashMap<>();
        for (String stream : Streams.OUTPUTS) {
            List<JsonNode> records = new ArrayList<>();
            for (String r : RunSummary.records(out, stream)) {
                records.add(Scorer.MAPPER.readTree(r));
            }
            outputs.put(stream, records);
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("split", split);
        figures.put("every", every);
        figures.put("inputRecords", inputs.size());
        figures.put("replaySeconds", Math.round(seconds * 10) / 10.0);
        figures.putAll(new Scorer(labels, inputs, outputs).score());
        String table = Scorer.table(split + (every > 1 ? " (every " + every + "th journey)" : ""), figures);
        log.print(table);
        return new Result(split, figures, table);
    }

    /**
     * Every n-th journey of each group in label order, starting with the first, so that a small sample still holds
     * every at-risk kind, each language of the churn reasons, calm customers and campaign decisions. A group is the
     * kind (calm and campaign kinds count as one group each) and the language.
     */
    static List<JsonNode> sample(List<JsonNode> all, int every) {
        Map<String, Integer> seen = new java.util.HashMap<>();
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode l : all) {
            String kind = l.get("kind").asText();
            String group = (kind.startsWith("calm_") ? "calm" : kind.startsWith("campaign_") ? "campaign" : kind) + "/"
                    + l.path("language").asText("");
            int n = seen.merge(group, 1, Integer::sum) - 1;
            if (n % every == 0) {
                out.add(l);
            }
        }
        return out;
    }

    static List<JsonNode> readLines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(Scorer.MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
        }
    }
}
