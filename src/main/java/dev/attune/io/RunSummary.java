package dev.attune.io;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
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
        List<String> lines = new ArrayList<>();
        forEachLine(out, stream, lines::add);
        return lines;
    }

    /** Each committed record of one output stream in turn, without holding the stream in memory. */
    public static void forEachLine(Path out, String stream, Consumer<String> action) throws IOException {
        Path dir = out.resolve(stream);
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> committed;
        try (Stream<Path> files = Files.list(dir)) {
            committed = files.filter(RunSummary::isCommitted).sorted().toList();
        }
        for (Path f : committed) {
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!line.isBlank()) {
                        action.accept(line);
                    }
                }
            }
        }
    }

    static boolean isCommitted(Path f) {
        String n = f.getFileName().toString();
        return Files.isRegularFile(f) && !n.startsWith(".") && n.endsWith(".jsonl");
    }

    public static void print(PrintStream out, Path dir, int examples) throws IOException {
        Tally tally = new Tally(examples);
        OutputRecords.read(dir, List.of(tally));
        tally.print(out, dir);
    }

    /**
     * What the summary counts of a run's outputs, offered record by record by {@link OutputRecords}
     * (so one pass can serve the report page too); {@link #print} when every stream was read.
     */
    public static final class Tally implements OutputRecords.Reader {
        private final int examples;
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, Map<String, Integer>> breakdowns = new HashMap<>();
        private final Map<String, Map<String, Integer>> locales = new HashMap<>();
        /** The first {@code examples} records of each stream in sorted order, the last of them on top. */
        private final Map<String, PriorityQueue<String>> shown = new HashMap<>();

        private final Current current = new Current();

        public Tally(int examples) {
            this.examples = examples;
        }

        @Override
        public Set<String> members(String stream) {
            if (stream.equals(Streams.CAMPAIGN_SUMMARIES)) {
                return CHOOSING;
            }
            Set<String> m = new HashSet<>();
            if (BREAKDOWN.containsKey(stream)) {
                m.add(BREAKDOWN.get(stream));
            }
            if (LOCALES.contains(stream)) {
                m.add("locale");
            }
            return m;
        }

        @Override
        public void record(String stream, String line, JsonNode n) throws IOException {
            counts.merge(stream, 1, Integer::sum);
            String field = BREAKDOWN.get(stream);
            if (field != null) {
                breakdowns.computeIfAbsent(stream, k -> new TreeMap<>()).merge(value(n, field), 1, Integer::sum);
            }
            if (LOCALES.contains(stream)) {
                locales.computeIfAbsent(stream, k -> new TreeMap<>()).merge(value(n, "locale"), 1, Integer::sum);
            }
            if (examples > 0) {
                PriorityQueue<String> q =
                        shown.computeIfAbsent(stream, k -> new PriorityQueue<>(Comparator.reverseOrder()));
                if (q.size() < examples) {
                    q.add(line);
                } else if (line.compareTo(q.peek()) < 0) {
                    q.poll();
                    q.add(line);
                }
            }
            if (stream.equals(Streams.CAMPAIGN_SUMMARIES)) {
                if (n == null) {
                    throw new IOException(Streams.CAMPAIGN_SUMMARIES + ": a record that is not JSON");
                }
                current.offer(n, line);
            }
        }

        /** Prints what was counted; {@code dir} is the folder the outputs were read from. */
        public void print(PrintStream out, Path dir) throws IOException {
            out.println();
            out.println("Outputs under " + dir.toAbsolutePath().normalize() + "/<stream>/");
            List<String[]> examplesShown = new ArrayList<>();
            for (String stream : Streams.OUTPUTS) {
                int count = counts.getOrDefault(stream, 0);
                if (stream.equals(Streams.CAMPAIGN_SUMMARIES) && count == 0) {
                    continue;
                }
                StringBuilder line = new StringBuilder(String.format("  %-20s %7d", stream, count));
                String field = BREAKDOWN.get(stream);
                if (field != null && count > 0) {
                    line.append("   by ").append(field).append(": ");
                    breakdowns
                            .get(stream)
                            .forEach((k, v) ->
                                    line.append(k).append(' ').append(v).append(", "));
                    line.setLength(line.length() - 2);
                }
                out.println(line);
                if (LOCALES.contains(stream)) {
                    out.println(String.format(
                            "  %-20s %7s   by locale: %s", "", "", byLocale(locales.getOrDefault(stream, Map.of()))));
                }
                shown.getOrDefault(stream, new PriorityQueue<>()).stream()
                        .sorted()
                        .forEach(r -> examplesShown.add(new String[] {stream, r}));
            }
            printCampaigns(out, current.summaries());
            out.println();
            for (String stream : List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS)) {
                if (examplesShown.stream().noneMatch(s -> s[0].equals(stream))) {
                    out.println("Example " + LABELS.get(stream) + ": none in this run");
                }
            }
            for (String[] s : examplesShown) {
                out.println("Example " + LABELS.get(s[0]) + ": "
                        + (Streams.DEAD_LETTER.equals(s[0]) ? withoutRaw(s[1]) : s[1]));
            }
        }
    }

    /** The streams whose records the summary also counts per locale. */
    private static final Set<String> LOCALES = Set.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS);

    /**
     * The current summary per campaign (see {@link #currentSummaries}), chosen as summaries are offered in
     * the order of the output: each offered as the members that choose it, with its line, which is read
     * whole only for the ones chosen in the end.
     */
    public static final class Current {
        private final Map<String, JsonNode> chosen = new TreeMap<>();
        private final Map<String, String> lines = new HashMap<>();

        /** Offers one summary: {@code n} holds at least its {@link #CHOOSING} members, {@code line} is its record. */
        public void offer(JsonNode n, String line) {
            keepCurrent(chosen, n);
            String id = n.get("campaignId").asText();
            if (chosen.get(id) == n) {
                lines.put(id, line);
            }
        }

        /** The current summaries by campaign, each read whole. */
        public Map<String, JsonNode> summaries() throws IOException {
            Map<String, JsonNode> current = new TreeMap<>();
            for (String id : chosen.keySet()) {
                current.put(id, OutputRecords.OWN.readTree(lines.get(id)));
            }
            return current;
        }
    }

    /** {@code en-GB 812, de-DE 95, ...}: records per {@code locale} (the language their texts are in), most first. */
    static String byLocale(List<String> records) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String r : records) {
            counts.merge(value(OutputRecords.members(r, Set.of("locale")), "locale"), 1, Integer::sum);
        }
        return byLocale(counts);
    }

    private static String byLocale(Map<String, Integer> counts) {
        StringBuilder sb = new StringBuilder();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e ->
                        sb.append(e.getKey()).append(' ').append(e.getValue()).append(", "));
        return sb.length() == 0 ? "none" : sb.substring(0, sb.length() - 2);
    }

    /**
     * A dead letter for the console: its raw record (the input as read, contact details and all) is
     * left in the output file, not printed.
     */
    static String withoutRaw(String deadLetter) {
        try {
            JsonNode n = Json.MAPPER.readTree(deadLetter);
            if (n instanceof com.fasterxml.jackson.databind.node.ObjectNode o && o.has("raw")) {
                o.put("raw", "(" + o.get("raw").asText().length() + " characters, in the output file)");
            }
            return n.toString();
        } catch (IOException e) {
            return "(a dead letter that is not JSON)";
        }
    }

    /** The current summary per campaign: the one covering the most decisions and outcomes, latest on ties. */
    public static Map<String, JsonNode> currentSummaries(List<String> summaries) throws IOException {
        // Each record is read for the members that choose the current one only; the chosen ones whole.
        Current current = new Current();
        for (String r : summaries) {
            JsonNode n = OutputRecords.members(r, CHOOSING);
            if (n == null) {
                throw new IOException(Streams.CAMPAIGN_SUMMARIES + ": a record that is not JSON");
            }
            current.offer(n, r);
        }
        return current.summaries();
    }

    /**
     * Keeps {@code n} in {@code current} if it is the current summary of its campaign so far (see {@link
     * #currentSummaries}); summaries already parsed are offered one by one, in the order of the output.
     */
    public static void keepCurrent(Map<String, JsonNode> current, JsonNode n) {
        String id = n.get("campaignId").asText();
        JsonNode old = current.get(id);
        if (old == null
                || weight(n) > weight(old)
                || (weight(n) == weight(old)
                        && n.get("eventTime")
                                        .asText()
                                        .compareTo(old.get("eventTime").asText())
                                > 0)) {
            current.put(id, n);
        }
    }

    /** Grows with every decision and every outcome counted, so the current summary weighs the most. */
    private static long weight(JsonNode n) {
        long w = n.get("requests").asLong();
        for (JsonNode v : n.get("suppressions")) {
            w += v.asLong();
        }
        for (String outcome : OUTCOMES) {
            w += n.path(outcome).asLong();
        }
        return w + n.at(HOLDOUT_CONVERTED).asLong() + n.at(HOLDOUT_CANCELLED).asLong();
    }

    private static final JsonPointer HOLDOUT_CONVERTED = JsonPointer.compile("/holdout/converted");
    private static final JsonPointer HOLDOUT_CANCELLED = JsonPointer.compile("/holdout/cancelled");

    private static final List<String> OUTCOMES = List.of(
            "delivered",
            "opened",
            "clicked",
            "replied",
            "bounced",
            "complained",
            "unsubscribed",
            "converted",
            "cancelled");

    /** The members {@link #keepCurrent} reads: the rest of a summary is skipped until it is chosen. */
    public static final java.util.Set<String> CHOOSING = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("campaignId", "eventTime", "requests", "suppressions", "holdout"),
                    OUTCOMES.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static void printCampaigns(PrintStream out, Map<String, JsonNode> current) {
        if (current.isEmpty()) {
            return;
        }
        out.println();
        if (current.values().stream().anyMatch(n -> !n.has("interventionType"))) {
            out.println("Campaigns (requests -> suppressed by reason -> sent per channel; cost against first choice):");
        }
        for (JsonNode n : current.values()) {
            if (!n.has("interventionType")) {
                out.println("  " + n.get("campaignId").asText() + ": "
                        + n.get("requests").asInt() + " requests" + decisions(n, "sent") + cost(n));
                if (n.path("delivered").asInt()
                                        + n.path("opened").asInt()
                                        + n.path("converted").asInt()
                                > 0
                        || n.has("uplift")) {
                    out.println(outcomes(n));
                }
            }
        }
        if (current.values().stream().anyMatch(n -> n.has("interventionType"))) {
            out.println();
            out.println(
                    "Interventions (called for -> suppressed by reason -> given per channel; the goal, given against "
                            + "held out):");
            for (JsonNode n : current.values()) {
                if (n.has("interventionType")) {
                    out.println("  " + n.get("interventionType").asText() + ": "
                            + n.get("requests").asInt() + " called for" + decisions(n, "given") + cost(n));
                    out.println(goal(n));
                }
            }
        }
    }

    private static String decisions(JsonNode n, String sent) {
        StringBuilder sb = new StringBuilder();
        if (!n.get("suppressions").isEmpty()) {
            sb.append(" -> suppressed ");
            n.get("suppressions")
                    .fields()
                    .forEachRemaining(e -> sb.append(e.getKey())
                            .append(' ')
                            .append(e.getValue().asInt())
                            .append(", "));
            sb.setLength(sb.length() - 2);
        }
        sb.append(" -> ").append(sent).append(' ');
        n.get("sends")
                .fields()
                .forEachRemaining(e -> sb.append(e.getKey())
                        .append(' ')
                        .append(e.getValue().asInt())
                        .append(", "));
        return sb.toString();
    }

    private static String cost(JsonNode n) {
        double cost = n.at("/estimatedCost/amount").asDouble();
        double first = n.at("/costIfFirstChoice/amount").asDouble();
        StringBuilder sb = new StringBuilder(String.format(
                java.util.Locale.ROOT,
                "cost %.4f %s vs %.4f first choice",
                cost,
                n.at("/estimatedCost/currency").asText(),
                first));
        if (first > 0 && cost != first) {
            double saved = 100 * (first - cost) / first;
            sb.append(String.format(
                    java.util.Locale.ROOT, saved > 0 ? " (%.0f%% saved)" : " (%.0f%% more)", Math.abs(saved)));
        }
        return sb.toString();
    }

    /** What followed the sends: receipts, orders and revenue, and the uplift against the holdout if any. */
    static String outcomes(JsonNode n) {
        return String.format(
                        java.util.Locale.ROOT,
                        "      then: delivered %d, opened %d, clicked %d, replied %d, converted %d (%.2f %s)",
                        n.path("delivered").asInt(),
                        n.path("opened").asInt(),
                        n.path("clicked").asInt(),
                        n.path("replied").asInt(),
                        n.path("converted").asInt(),
                        n.at("/revenue/amount").asDouble(),
                        n.at("/revenue/currency").asText())
                + uplift(n, "conversion", "sent");
    }

    /** Sends (interventions given, for an intervention type) over every channel of a campaign summary. */
    public static int sends(JsonNode summary) {
        int n = 0;
        for (JsonNode c : summary.get("sends")) {
            n += c.asInt();
        }
        return n;
    }

    /** An intervention type's goal: how many given reached it, and the uplift against the holdout if any. */
    static String goal(JsonNode n) {
        int given = sends(n);
        String name = n.at("/goal/name").asText().replace('_', ' ');
        return String.format(
                        java.util.Locale.ROOT,
                        "      then: %s %d of %d given, orders %d (%.2f %s)",
                        name,
                        n.at("/goal/reached").asInt(),
                        given,
                        n.path("converted").asInt(),
                        n.at("/revenue/amount").asDouble(),
                        n.at("/revenue/currency").asText())
                + uplift(n, name, "given");
    }

    /** The rates acted on and held out, their difference and interval, and the verdict; empty without a holdout. */
    private static String uplift(JsonNode n, String what, String acted) {
        JsonNode u = n.path("uplift");
        if (u.isMissingNode()) {
            return "";
        }
        return String.format(
                java.util.Locale.ROOT,
                "; held out %d: %s %.1f%% %s vs %.1f%% held out, difference %+.1f points (95%% %+.1f to %+.1f): %s",
                n.at("/holdout/customers").asInt(),
                what,
                100 * u.path("conversionRateSent").asDouble(),
                acted,
                100 * u.path("conversionRateHeldOut").asDouble(),
                100 * u.path("difference").asDouble(),
                100 * u.at("/ci95/0").asDouble(),
                100 * u.at("/ci95/1").asDouble(),
                verdict(u.path("verdict").asText(), acted));
    }

    /** An uplift verdict in words: a campaign's as written, an intervention type's ({@code acted} "given") of its goal. */
    public static String verdict(String v, String acted) {
        if (acted.equals("sent")) {
            return v.replace('_', ' ');
        }
        return switch (v) {
            case "more_conversions_when_sent" -> "reached more often when given";
            case "fewer_conversions_when_sent" -> "reached less often when given";
            default -> v.replace('_', ' ');
        };
    }

    /** A member's text as the summary shows it: {@code (none)} where absent or null. */
    private static String value(JsonNode n, String path) {
        if (n == null) {
            return "(unreadable)";
        }
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n.isMissingNode() || n.isNull() ? "(none)" : n.asText();
    }
}
