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
 *       again after a restore is <b>repeated</b>, not duplicated (subscribers drop it by id), also when only its
 *       {@code analysis} differs (the repeated model call had another outcome: also counted as differing, model);
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
 *
 * <p>It cannot pass vacuously: an empty reference or fault run, or a reference without interventions or campaign
 * sends, is a problem; so is a scheduled fault without evidence that it happened ({@link #requireFaults}), and any
 * difference from what the {@link Oracle} (the plain-Java engine over the sorted history, no Flink) expects of either
 * run ({@link #requireOracle}).
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
        /** Why the comparison proves nothing or the oracle disagrees: empty sides, faults not seen, oracle ids. */
        public final List<String> problems = new ArrayList<>();

        /**
         * Lost, duplicated, differing (other) or unexpected (other): what exactly-once and determinism forbid; or
         * any problem.
         */
        public boolean failed() {
            return lost > 0 || duplicated > 0 || differingOther > 0 || unexpectedOther > 0 || !problems.isEmpty();
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
            out.printf("%-34s %,12d%n", "problems", problems.size());
            problems.forEach(p -> out.println("  PROBLEM: " + p));
        }
    }

    private FaultRunChecker() {}

    /** Compares two output folders ({@code DIR/<stream>/*.jsonl}). */
    public static Result compare(Path reference, Path run) {
        return compare(read(reference), read(run));
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
        int refTotal =
                r.referenceRecords.values().stream().mapToInt(Integer::intValue).sum();
        int runTotal =
                r.runRecords.values().stream().mapToInt(Integer::intValue).sum();
        if (refTotal == 0) {
            r.problems.add("the reference is empty: nothing to compare with");
        }
        if (runTotal == 0) {
            r.problems.add("the fault run committed nothing");
        }
        for (String stream : List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS)) {
            if (refTotal > 0 && r.referenceRecords.get(stream) == 0) {
                r.problems.add("the reference has no " + stream + ": the history decides too little to prove much");
            }
        }
        return r;
    }

    /**
     * What a fault run saw of one fault it injected: {@code observed} only when the effect was seen (a process's exit
     * by SIGKILL, a stopped process's state, a job restart the JobManager reported, a model server's answer to a
     * mode switch), with the detail that shows it.
     */
    public record Evidence(String fault, boolean observed, String detail) {}

    /** Each scheduled fault needs evidence that it happened; a fault run whose faults did not happen proves nothing. */
    public static void requireFaults(Result r, List<String> scheduled, List<Evidence> evidence) {
        if (scheduled.isEmpty()) {
            r.problems.add("no fault was scheduled");
        }
        Map<String, Integer> seen = new HashMap<>();
        evidence.stream().filter(Evidence::observed).forEach(e -> seen.merge(e.fault(), 1, Integer::sum));
        Map<String, Integer> wanted = new LinkedHashMap<>();
        scheduled.forEach(f -> wanted.merge(f, 1, Integer::sum));
        wanted.forEach((fault, times) -> {
            int got = seen.getOrDefault(fault, 0);
            if (got < times) {
                String why = evidence.stream()
                        .filter(e -> e.fault().equals(fault) && !e.observed())
                        .map(Evidence::detail)
                        .findFirst()
                        .orElse("no evidence recorded");
                r.problems.add(String.format(
                        "fault \"%s\" scheduled %d times, seen to happen %d times (%s)", fault, times, got, why));
            }
        });
    }

    /** Both the reference and the fault run must commit the ids the {@link Oracle} expects, no more, no fewer. */
    static void requireOracle(
            Result r, Oracle.Expected want, Map<String, List<String>> reference, Map<String, List<String>> run) {
        if (want.records() == 0) {
            r.problems.add("the oracle read no input records");
        }
        r.problems.addAll(Oracle.problems("reference vs oracle", want, reference));
        r.problems.addAll(Oracle.problems("fault run vs oracle", want, run));
    }

    /** Every output stream's records in {@code DIR/<stream>/*.jsonl}. */
    static Map<String, List<String>> read(Path dir) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        try {
            for (String stream : Streams.OUTPUTS) {
                out.put(stream, RunSummary.records(dir, stream));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
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
            } else if (first != null
                    && Streams.INTERVENTIONS.equals(stream)
                    && modelOnly(stream, normalised(stream, first), normalised(stream, n))) {
                // Written before a restore with the model's answer, again after it with another outcome of the
                // repeated call (a fallback): at-least-once, and only the model's part differs.
                r.repeated++;
                r.differingModel++;
                r.example("repeated with another model answer", stream, id);
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
                    r.example("differing (other)", stream, key + " in " + differingFields(a, b));
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

    /** The top-level fields whose values differ, with both values (shortened). */
    static String differingFields(JsonNode a, JsonNode b) {
        Set<String> names = new LinkedHashSet<>();
        a.fieldNames().forEachRemaining(names::add);
        b.fieldNames().forEachRemaining(names::add);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            if (!a.path(name).equals(b.path(name))) {
                out.add(name + ": " + shorten(a.path(name)) + " / " + shorten(b.path(name)));
            }
        }
        return out.toString();
    }

    private static String shorten(JsonNode n) {
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
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
