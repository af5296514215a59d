package dev.attune.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scores a run's outputs against the labels of the evaluation set ({@code src/test/resources/eval}). Plain
 * Java over parsed records: labels, the input records (for the event time of each first strong sign) and the
 * output streams. A journey whose {@code mustNot} is {@code ["*"]} is a calm customer: any intervention is a
 * false alarm.
 */
public final class Scorer {
    static final ObjectMapper MAPPER = new ObjectMapper();
    /** Intervention types that are messages (they pass consent and refusals). */
    static final Set<String> MESSAGE_TYPES = Set.of("win_back", "service_recovery");

    private final List<JsonNode> labels;
    private final Map<String, Instant> eventTimes;
    private final Map<String, List<JsonNode>> interventions = new HashMap<>();
    private final Map<String, List<JsonNode>> byRequest = new HashMap<>();
    private final Map<String, List<JsonNode>> sendsByUser = new HashMap<>();
    private final List<JsonNode> deadLetters;

    /**
     * @param labels one per journey
     * @param inputs every input record of the split (messageId and timestamp are read)
     * @param outputs output stream name to its records
     */
    public Scorer(List<JsonNode> labels, List<JsonNode> inputs, Map<String, List<JsonNode>> outputs) {
        if (labels.isEmpty()) {
            throw new IllegalStateException("evaluation: no labels (an empty set proves nothing)");
        }
        int decisions =
                size(outputs, "interventions") + size(outputs, "campaign-sends") + size(outputs, "suppressions");
        if (decisions == 0) {
            throw new IllegalStateException("evaluation: the run wrote no interventions, sends or suppressions");
        }
        this.labels = labels;
        this.eventTimes = new HashMap<>();
        for (JsonNode r : inputs) {
            if (r.hasNonNull("messageId") && r.hasNonNull("timestamp")) {
                eventTimes.put(r.get("messageId").asText(), time(r.get("timestamp")));
            }
        }
        for (JsonNode i : outputs.getOrDefault("interventions", List.of())) {
            interventions
                    .computeIfAbsent(i.path("userId").asText(), k -> new ArrayList<>())
                    .add(i);
        }
        for (String s : List.of("campaign-sends", "suppressions")) {
            for (JsonNode r : outputs.getOrDefault(s, List.of())) {
                if (r.hasNonNull("requestId")) {
                    byRequest
                            .computeIfAbsent(r.get("requestId").asText(), k -> new ArrayList<>())
                            .add(r);
                }
                if (s.equals("campaign-sends")) {
                    sendsByUser
                            .computeIfAbsent(r.path("userId").asText(), k -> new ArrayList<>())
                            .add(r);
                }
            }
        }
        this.deadLetters = outputs.getOrDefault("dead-letter", List.of());
    }

    private static int size(Map<String, List<JsonNode>> outputs, String stream) {
        return outputs.getOrDefault(stream, List.of()).size();
    }

    static Instant time(JsonNode t) {
        if (t.isNumber()) {
            return Instant.ofEpochMilli(t.asLong());
        }
        return OffsetDateTime.parse(t.asText()).toInstant();
    }

    /** The figures, as a JSON-ready map (also printed by {@link #table}). */
    public Map<String, Object> score() {
        Map<String, int[]> kinds = new TreeMap<>(); // journeys, detected, falseAlarms
        Map<String, int[]> churn = new TreeMap<>(); // n, correct
        List<Long> delays = new ArrayList<>();
        int calm = 0;
        int calmAlarms = 0;
        int requests = 0;
        int requestsRight = 0;
        int violations = 0;
        List<String> misses = new ArrayList<>();
        List<String> alarms = new ArrayList<>();
        List<String> late = new ArrayList<>();
        List<String> wrongChurn = new ArrayList<>();
        List<String> wrongCampaign = new ArrayList<>();
        List<String> violationList = new ArrayList<>();
        for (JsonNode l : labels) {
            String id = l.get("journeyId").asText();
            String user = l.get("userId").asText();
            String kind = l.get("kind").asText();
            JsonNode expect = l.get("expect");
            List<JsonNode> mine = interventions.getOrDefault(user, List.of());
            Set<String> types = new java.util.TreeSet<>();
            mine.forEach(i -> types.add(i.path("type").asText()));
            int[] k = kinds.computeIfAbsent(kind, x -> new int[3]);
            k[0]++;
            boolean calmCustomer = l.get("mustNot").size() == 1
                    && l.get("mustNot").get(0).asText().equals("*");
            if (calmCustomer) {
                calm++;
                if (!mine.isEmpty()) {
                    calmAlarms++;
                    k[2]++;
                    alarms.add(id + " " + kind + " got " + types);
                }
            } else {
                Set<String> mustNot = new java.util.HashSet<>();
                l.get("mustNot").forEach(m -> mustNot.add(m.asText()));
                List<String> wrong = types.stream().filter(mustNot::contains).toList();
                if (!wrong.isEmpty()) {
                    k[2]++;
                    alarms.add(id + " " + kind + " got wrong " + wrong);
                }
            }
            Set<String> acceptable = new java.util.HashSet<>();
            expect.path("types").forEach(t -> acceptable.add(t.asText()));
            if (!acceptable.isEmpty()) {
                List<JsonNode> good = mine.stream()
                        .filter(i -> acceptable.contains(i.path("type").asText()))
                        .sorted(Comparator.comparing(i -> time(i.get("eventTime"))))
                        .toList();
                if (good.isEmpty()) {
                    misses.add(id + " " + kind + " wanted " + acceptable + " got " + types);
                } else {
                    k[1]++;
                    Instant sign = eventTimes.get(expect.path("firstStrongSign").asText());
                    if (sign == null) {
                        throw new IllegalStateException(id + ": first strong sign not among the inputs");
                    }
                    long d = Math.max(0, time(good.get(0).get("eventTime")).toEpochMilli() - sign.toEpochMilli());
                    delays.add(d);
                    if (d > expect.path("maxDelayMs").asLong(5000)) {
                        late.add(id + " " + kind + " " + d + " ms");
                    }
                }
            }
            if (expect.hasNonNull("churnCategory")) {
                String lang = l.path("language").asText("none");
                int[] c = churn.computeIfAbsent(lang, x -> new int[2]);
                c[0]++;
                String want = expect.get("churnCategory").asText();
                String got = mine.stream()
                        .filter(i -> i.path("type").asText().equals("win_back"))
                        .map(i -> i.at("/analysis/churnCategory").asText(""))
                        .findFirst()
                        .orElse("(no win_back)");
                if (want.equals(got)) {
                    c[1]++;
                } else {
                    wrongChurn.add(id + " " + lang + " want " + want + " got " + got);
                }
            }
            var it = expect.path("campaign").fields();
            while (it.hasNext()) {
                var e = it.next();
                requests++;
                String why = campaignMismatch(e.getKey(), e.getValue());
                if (why == null) {
                    requestsRight++;
                } else {
                    wrongCampaign.add(id + " " + kind + " " + e.getKey() + ": " + why);
                }
            }
            Set<String> refused = new java.util.HashSet<>();
            l.path("expect").path("refusedChannels").forEach(c -> refused.add(c.asText()));
            for (JsonNode m : mine) {
                if (MESSAGE_TYPES.contains(m.path("type").asText())
                        && refused.contains(m.path("channel").asText())) {
                    violations++;
                    violationList.add(id + " " + m.path("type").asText() + " on refused "
                            + m.path("channel").asText());
                }
            }
            for (JsonNode s : sendsByUser.getOrDefault(user, List.of())) {
                if (refused.contains(s.path("channel").asText())) {
                    violations++;
                    violationList.add(id + " campaign send on refused "
                            + s.path("channel").asText());
                }
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("journeys", labels.size());
        out.put("calmJourneys", calm);
        out.put("atRiskJourneys", labels.size() - calm);
        Map<String, Object> perKind = new LinkedHashMap<>();
        for (var e : kinds.entrySet()) {
            int[] k = e.getValue();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("journeys", k[0]);
            boolean atRisk = !e.getKey().startsWith("calm") && !e.getKey().startsWith("campaign");
            if (atRisk) {
                m.put("detected", k[1]);
                m.put("recall", ratio(k[1], k[0]));
            }
            m.put("falseAlarms", k[2]);
            m.put("falseAlarmRate", ratio(k[2], k[0]));
            perKind.put(e.getKey(), m);
        }
        out.put("perKind", perKind);
        out.put("falseAlarmRate", ratio(calmAlarms, calm));
        out.put("falseAlarms", calmAlarms);
        Map<String, Object> churnOut = new LinkedHashMap<>();
        for (var e : churn.entrySet()) {
            churnOut.put(
                    e.getKey(),
                    Map.of(
                            "journeys",
                            e.getValue()[0],
                            "correct",
                            e.getValue()[1],
                            "accuracy",
                            ratio(e.getValue()[1], e.getValue()[0])));
        }
        out.put("churnCategory", churnOut);
        delays.sort(null);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("helped", delays.size());
        d.put("p50Ms", percentile(delays, 0.50));
        d.put("p95Ms", percentile(delays, 0.95));
        d.put("maxMs", delays.isEmpty() ? null : delays.get(delays.size() - 1));
        d.put("late", late.size());
        out.put("delay", d);
        Map<String, Object> campaign = new LinkedHashMap<>();
        campaign.put("requests", requests);
        campaign.put("right", requestsRight);
        campaign.put("share", ratio(requestsRight, requests));
        out.put("campaign", campaign);
        out.put("invariantViolations", violations);
        out.put("deadLetters", deadLetters.size());
        Map<String, Object> lists = new LinkedHashMap<>();
        lists.put("misses", misses);
        lists.put("falseAlarms", alarms);
        lists.put("late", late);
        lists.put("wrongChurnCategory", wrongChurn);
        lists.put("wrongCampaign", wrongCampaign);
        lists.put("violations", violationList);
        lists.put(
                "deadLetterCodes",
                deadLetters.stream()
                        .map(n -> n.at("/error/code").asText())
                        .distinct()
                        .toList());
        out.put("details", lists);
        return out;
    }

    /** Why the outcome of one request differs from its label, or null when it is right. */
    private String campaignMismatch(String requestId, JsonNode want) {
        List<JsonNode> got = byRequest.getOrDefault(requestId, List.of());
        if (got.size() != 1) {
            return got.size() + " outcomes";
        }
        JsonNode r = got.get(0);
        boolean isSend = r.has("sendId");
        if (want.path("decision").asText().equals("suppress")) {
            if (isSend) {
                return "sent on " + r.path("channel").asText() + ", want suppression "
                        + want.path("reason").asText();
            }
            String reason = r.path("reason").asText();
            return reason.equals(want.path("reason").asText())
                    ? null
                    : "suppressed " + reason + ", want " + want.path("reason").asText();
        }
        if (!isSend) {
            return "suppressed " + r.path("reason").asText() + ", want a send";
        }
        String channel = r.path("channel").asText();
        if (want.hasNonNull("channel") && !want.get("channel").asText().equals(channel)) {
            return "sent on " + channel + ", want " + want.get("channel").asText();
        }
        if (want.has("channelIn")) {
            boolean ok = false;
            for (JsonNode c : want.get("channelIn")) {
                ok |= c.asText().equals(channel);
            }
            if (!ok) {
                return "sent on " + channel + ", want one of " + want.get("channelIn");
            }
        }
        Instant at = time(r.get("scheduledAt"));
        JsonNode q = want.path("quietHours");
        if (!q.isMissingNode()) {
            LocalTime local = at.atZone(ZoneId.of(q.get("zone").asText())).toLocalTime();
            LocalTime start = LocalTime.parse(q.get("start").asText());
            LocalTime end = LocalTime.parse(q.get("end").asText());
            if (!local.isBefore(start) || local.isBefore(end)) {
                return "scheduled at " + local + " local, inside quiet hours";
            }
        }
        if (want.hasNonNull("scheduledNotBefore") && at.isBefore(time(want.get("scheduledNotBefore")))) {
            return "scheduled at " + at + ", want not before "
                    + want.get("scheduledNotBefore").asText();
        }
        return null;
    }

    static Double ratio(int a, int b) {
        return b == 0 ? null : Math.round(1000.0 * a / b) / 1000.0;
    }

    static Long percentile(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return null;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
    }

    /** A plain-text table of the figures in {@code score}. */
    public static String table(String split, Map<String, Object> s) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                "evaluation %s: %s journeys (%s at risk, %s calm)%n",
                split, s.get("journeys"), s.get("atRiskJourneys"), s.get("calmJourneys")));
        b.append(String.format("  %-28s %8s %8s %8s %12s%n", "kind", "journeys", "detected", "recall", "false alarms"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) s.get("perKind");
        for (var e : kinds.entrySet()) {
            Map<String, Object> k = e.getValue();
            b.append(String.format(
                    "  %-28s %8s %8s %8s %12s%n",
                    e.getKey(),
                    k.get("journeys"),
                    k.getOrDefault("detected", "-"),
                    k.getOrDefault("recall", "-"),
                    k.get("falseAlarms")));
        }
        b.append(String.format(
                "  false-alarm rate on calm customers: %s (%s)   target <= 0.02%n",
                s.get("falseAlarmRate"), s.get("falseAlarms")));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> churn = (Map<String, Map<String, Object>>) s.get("churnCategory");
        for (var e : churn.entrySet()) {
            b.append(String.format(
                    "  churn category %s: %s of %s = %s   target >= %s%n",
                    e.getKey(),
                    e.getValue().get("correct"),
                    e.getValue().get("journeys"),
                    e.getValue().get("accuracy"),
                    e.getKey().equals("en") ? "0.9" : "0.8"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> d = (Map<String, Object>) s.get("delay");
        b.append(String.format(
                "  delay from first strong sign: p50 %s ms, p95 %s ms, max %s ms, %s late   target <= 5000%n",
                d.get("p50Ms"), d.get("p95Ms"), d.get("maxMs"), d.get("late")));
        @SuppressWarnings("unchecked")
        Map<String, Object> c = (Map<String, Object>) s.get("campaign");
        b.append(String.format(
                "  campaign decisions right: %s of %s = %s%n", c.get("right"), c.get("requests"), c.get("share")));
        b.append(String.format(
                "  messages to refused channels: %s   dead letters: %s%n",
                s.get("invariantViolations"), s.get("deadLetters")));
        return b.toString();
    }
}
