package dev.attune.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.io.RunSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what a run under faults committed (read with {@code read_committed}) with a fault-free replay of the
 * same input.
 *
 * <ul>
 *   <li><b>duplicated</b>: a record id the fault run committed more than once (every id is deterministic, so
 *       exactly-once means each id once); on the at-least-once interventions stream the same record written
 *       again after a restore is <b>repeated</b>, not duplicated (subscribers drop it by id);
 *   <li><b>lost</b>: a reference record the fault run does not have;
 *   <li><b>differing</b>: a record both have, with different content; <b>model</b> when only what the model
 *       decides differs (an intervention's {@code analysis} block, the dead letter of a model call, an
 *       {@code llm_budget} suppression), <b>other</b> for anything else;
 *   <li><b>unexpected</b>: a fault-run record the reference does not have (model or other, as above).
 * </ul>
 *
 * Records are matched by their id, except dead letters of stages {@code parse} and {@code validate}, whose ids
 * name the position read from (a Kafka offset, a file line): those match by stream, stage, code and raw record,
 * as many times as they occur. A model-related record present on one side only counts as differing (model),
 * not as lost or unexpected: the model, not the pipeline, decided it. A replay from the live run's journal says
 * {@code replay-cache} where the live run said {@code bedrock}; that alone is no difference.
 */
public final class FaultRunChecker {
    /** The id field of each output stream. */
    static final Map<String, String> ID_FIELD = Map.of(
            Streams.INTERVENTIONS, "interventionId",
            Streams.CAMPAIGN_SENDS, "sendId",
            Streams.SUPPRESSIONS, "suppressionId",
            Streams.DEAD_LETTER, "deadLetterId",
            Streams.CAMPAIGN_SUMMARIES, "summaryId");

    /** What one comparison found, per output stream and in total; examples name a few records of each kind. */
    public static final class Result {
        public final Map<String, Integer> referenceRecords = new LinkedHashMap<>();
        public final Map<String, Integer> runRecords = new LinkedHashMap<>();
        public long lost;
        public long duplicated;
        public long repeated;
        public long differingModel;
        public long differingOther;
        public long unexpectedModel;
        public long unexpectedOther;
        public final Map<String, List<String>> examples = new TreeMap<>();

        /** Lost, duplicated, differing (other) or unexpected (other): what exactly-once and determinism forbid. */
        public boolean failed() {
            return lost > 0 || duplicated > 0 || differingOther > 0 || unexpectedOther > 0;
        }

        void example(String kind, String stream, String key) {
            List<String> list = examples.computeIfAbsent(kind, k -> new ArrayList<>());
            if (list.size() < 5) {
                list.add(stream + " " + key);
            }
        }

        public void print(PrintStream out) {
            out.printf("%-34s %12s %12s%n", "output stream", "reference", "fault run");
            for (String stream : referenceRecords.keySet()) {
                out.printf("%-34s %,12d %,12d%n", stream, referenceRecords.get(stream), runRecords.get(stream));
            }
            out.printf("%-34s %,12d%n", "lost", lost);
            out.printf("%-34s %,12d%n", "duplicated", duplicated);
            out.printf("%-34s %,12d%n", "repeated (at-least-once)", repeated);
            out.printf("%-34s %,12d%n", "differing (model answer)", differingModel + unexpectedModel);
            out.printf("%-34s %,12d%n", "differing (other)", differingOther + unexpectedOther);
            examples.forEach((kind, list) -> list.forEach(e -> out.println("  e.g. " + kind + ": " + e)));
        }
    }

    private FaultRunChecker() {}

    /** Compares two output folders ({@code DIR/<stream>/*.jsonl}). */
    public static Result compare(Path reference, Path run) {
        Map<String, List<String>> ref = new LinkedHashMap<>();
        Map<String, List<String>> got = new LinkedHashMap<>();
        try {
            for (String stream : Streams.OUTPUTS) {
                ref.put(stream, RunSummary.records(reference, stream));
                got.put(stream, RunSummary.records(run, stream));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compare(ref, got);
    }

    /** Compares records per output stream: the reference (fault-free) and the fault run's committed ones. */
    public static Result compare(Map<String, List<String>> reference, Map<String, List<String>> run) {
        Result r = new Result();
        for (String stream : Streams.OUTPUTS) {
            List<JsonNode> ref = parse(reference.getOrDefault(stream, List.of()));
            List<JsonNode> got = parse(run.getOrDefault(stream, List.of()));
            r.referenceRecords.put(stream, ref.size());
            r.runRecords.put(stream, got.size());
            compareStream(stream, ref, got, r);
        }
        return r;
    }

    private static void compareStream(String stream, List<JsonNode> ref, List<JsonNode> got, Result r) {
        String idField = ID_FIELD.get(stream);
        // Exactly-once: each id committed once.
        Map<String, JsonNode> once = new LinkedHashMap<>();
        for (JsonNode n : got) {
            String id = n.path(idField).asText();
            JsonNode first = once.putIfAbsent(id, n);
            if (first != null
                    && Streams.INTERVENTIONS.equals(stream)
                    && normalised(stream, first).equals(normalised(stream, n))) {
                r.repeated++;
            } else if (first != null) {
                r.duplicated++;
                r.example("duplicated", stream, id);
            }
        }
        Map<String, List<JsonNode>> refByKey = byKey(stream, ref);
        Map<String, List<JsonNode>> gotByKey = byKey(stream, new ArrayList<>(once.values()));
        Set<String> keys = new LinkedHashSet<>(refByKey.keySet());
        keys.addAll(gotByKey.keySet());
        for (String key : keys) {
            List<JsonNode> want = refByKey.getOrDefault(key, List.of());
            List<JsonNode> have = gotByKey.getOrDefault(key, List.of());
            int both = Math.min(want.size(), have.size());
            for (int i = 0; i < both; i++) {
                JsonNode a = normalised(stream, want.get(i));
                JsonNode b = normalised(stream, have.get(i));
                if (a.equals(b)) {
                    continue;
                }
                if (modelOnly(stream, a, b)) {
                    r.differingModel++;
                    r.example("differing (model)", stream, key);
                } else {
                    r.differingOther++;
                    r.example("differing (other)", stream, key);
                }
            }
            for (int i = both; i < want.size(); i++) {
                if (modelDecided(stream, want.get(i))) {
                    r.differingModel++;
                    r.example("reference only (model)", stream, key);
                } else {
                    r.lost++;
                    r.example("lost", stream, key);
                }
            }
            for (int i = both; i < have.size(); i++) {
                if (modelDecided(stream, have.get(i))) {
                    r.unexpectedModel++;
                    r.example("fault run only (model)", stream, key);
                } else {
                    r.unexpectedOther++;
                    r.example("fault run only (other)", stream, key);
                }
            }
        }
    }

    /** The key two runs' records are matched by: the id, or for input dead letters what was read and why. */
    static String key(String stream, JsonNode n) {
        if (Streams.DEAD_LETTER.equals(stream) && isInputDeadLetter(n)) {
            return String.join(
                    "|",
                    n.path("source").path("stream").asText(),
                    n.path("stage").asText(),
                    n.path("error").path("code").asText(),
                    n.path("raw").asText());
        }
        return n.path(ID_FIELD.get(stream)).asText();
    }

    private static boolean isInputDeadLetter(JsonNode n) {
        String stage = n.path("stage").asText();
        return "parse".equals(stage) || "validate".equals(stage);
    }

    private static Map<String, List<JsonNode>> byKey(String stream, List<JsonNode> records) {
        Map<String, List<JsonNode>> out = new HashMap<>();
        for (JsonNode n : records) {
            out.computeIfAbsent(key(stream, n), k -> new ArrayList<>()).add(n);
        }
        return out;
    }

    /** Without what names the system read from, and with a journal's answer counted as the model's. */
    static JsonNode normalised(String stream, JsonNode n) {
        ObjectNode c = n.deepCopy();
        if (Streams.DEAD_LETTER.equals(stream) && isInputDeadLetter(c)) {
            c.remove("deadLetterId");
            ((ObjectNode) c.path("source")).remove("position");
        }
        if (c.path("analysis") instanceof ObjectNode a
                && "replay-cache".equals(a.path("source").asText())) {
            a.put("source", "bedrock");
        }
        return c;
    }

    /** Equal once the model's part is left out: an intervention's analysis, a model call's dead letter. */
    static boolean modelOnly(String stream, JsonNode a, JsonNode b) {
        if (Streams.INTERVENTIONS.equals(stream)) {
            ObjectNode x = a.deepCopy();
            ObjectNode y = b.deepCopy();
            x.remove("analysis");
            y.remove("analysis");
            return x.equals(y);
        }
        return modelDecided(stream, a) && modelDecided(stream, b);
    }

    /** A record that exists because of what the model (or its budget) did. */
    static boolean modelDecided(String stream, JsonNode n) {
        return switch (stream) {
            case Streams.DEAD_LETTER -> "analysis".equals(n.path("stage").asText());
            case Streams.SUPPRESSIONS -> "llm_budget".equals(n.path("reason").asText());
            default -> false;
        };
    }

    private static List<JsonNode> parse(List<String> lines) {
        List<JsonNode> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            try {
                out.add(Json.MAPPER.readTree(line));
            } catch (IOException e) {
                throw new IllegalArgumentException("not a JSON record: " + line, e);
            }
        }
        return out;
    }

    /** {@code FaultRunChecker REFERENCE_DIR RUN_DIR}: prints the comparison; exit 1 when it failed. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: FaultRunChecker REFERENCE_DIR RUN_DIR (each holding <stream>/*.jsonl)");
            System.exit(2);
        }
        Result r = compare(Path.of(args[0]), Path.of(args[1]));
        r.print(System.out);
        System.exit(r.failed() ? 1 : 0);
    }
}
