package dev.attune.io;

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
import java.util.List;
import java.util.Map;
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
        out.println();
        out.println("Outputs under " + dir.toAbsolutePath().normalize() + "/<stream>/");
        List<String[]> shown = new ArrayList<>();
        List<String> summaries = List.of();
        for (String stream : Streams.OUTPUTS) {
            List<String> records = records(dir, stream);
            if (stream.equals(Streams.CAMPAIGN_SUMMARIES)) {
                summaries = records; // read once: the campaigns below are worked out from the same records
            }
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
            if (stream.equals(Streams.INTERVENTIONS) || stream.equals(Streams.CAMPAIGN_SENDS)) {
                out.println(String.format("  %-20s %7s   by locale: %s", "", "", byLocale(records)));
            }
            records.stream().sorted().limit(examples).forEach(r -> shown.add(new String[] {stream, r}));
        }
        printCampaigns(out, summaries);
        out.println();
        for (String stream : List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS)) {
            if (shown.stream().noneMatch(s -> s[0].equals(stream))) {
                out.println("Example " + LABELS.get(stream) + ": none in this run");
            }
        }
        for (String[] s : shown) {
            out.println("Example " + LABELS.get(s[0]) + ": "
                    + (Streams.DEAD_LETTER.equals(s[0]) ? withoutRaw(s[1]) : s[1]));
        }
    }

    /** {@code en-GB 812, de-DE 95, ...}: records per {@code locale} (the language their texts are in), most first. */
    static String byLocale(List<String> records) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String r : records) {
            counts.merge(field(r, "locale"), 1, Integer::sum);
        }
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
        Map<String, JsonNode> chosen = new TreeMap<>();
        Map<JsonNode, String> lines = new java.util.IdentityHashMap<>();
        for (String r : summaries) {
            JsonNode n = choosingMembers(r);
            lines.put(n, r);
            keepCurrent(chosen, n);
        }
        Map<String, JsonNode> current = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : chosen.entrySet()) {
            current.put(e.getKey(), Json.MAPPER.readTree(lines.get(e.getValue())));
        }
        return current;
    }

    /**
     * The members of a summary that {@link #keepCurrent} reads (campaign, event time, and what {@link #weight}
     * adds up), each read as the whole record's tree would hold it; the others are skipped, not built.
     */
    static JsonNode choosingMembers(String summary) throws IOException {
        try (com.fasterxml.jackson.core.JsonParser p = Json.MAPPER.createParser(summary)) {
            if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return Json.MAPPER.readTree(summary); // not an object: read as before, and fail as before
            }
            com.fasterxml.jackson.databind.node.ObjectNode n = Json.MAPPER.createObjectNode();
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (CHOOSING.contains(name)) {
                    JsonNode v = MEMBER.readTree(p);
                    n.set(name, v == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : v);
                } else {
                    p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                return Json.MAPPER.readTree(summary); // trailing content: read as before, and fail as before
            }
            return n;
        }
    }

    /** Reads one member's value where the parser stands (the record goes on after it). */
    private static final com.fasterxml.jackson.databind.ObjectReader MEMBER =
            Json.MAPPER.reader().without(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
        return w
                + n.at("/holdout/converted").asLong()
                + n.at("/holdout/cancelled").asLong();
    }

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
    private static final java.util.Set<String> CHOOSING = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of("campaignId", "eventTime", "requests", "suppressions", "holdout"),
                    OUTCOMES.stream())
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static void printCampaigns(PrintStream out, List<String> summaries) throws IOException {
        Map<String, JsonNode> current = currentSummaries(summaries);
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
