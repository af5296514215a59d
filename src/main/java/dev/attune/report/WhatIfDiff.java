package dev.attune.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * What changed between two replays of the same history: per campaign the sends gained and lost per
 * channel, suppressions gained and lost per reason, each request's outcome shift (e.g.
 * {@code held:fatigue_cap -> sent:whatsapp}), sends that stay on their channel but go out at another
 * time ({@code rescheduled}, e.g. a quiet-hours change moving 08:00 to 10:00), the cost delta and
 * what followed ({@code results}: conversions, revenue and the uplift against the holdout, from each
 * replay's current summary); interventions gained, lost and changed per type, with their goal
 * reached; intervention suppressions gained and lost per reason. Records are matched by
 * their deterministic ids (campaign outcomes by {@code campaignId} and {@code requestId}), so the
 * diff of a history with itself is empty. The result is ordered and carries no clock: the same two
 * replays always give the same bytes.
 */
public final class WhatIfDiff {
    /** Longest list of individual changed requests or interventions written per campaign or type. */
    static final int LISTED = 1000;

    private WhatIfDiff() {}

    public static ObjectNode diff(Path baseline, Path variant, Map<String, String> changes) throws IOException {
        Side a = Side.read(baseline);
        Side b = Side.read(variant);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode ch = out.putObject("changes");
        new TreeMap<>(changes).forEach(ch::put);
        ObjectNode totals = out.putObject("totals");
        totals.set("sends", pair(a.sendCount, b.sendCount));
        totals.set("campaignSuppressions", pair(a.campaignSuppressionCount, b.campaignSuppressionCount));
        totals.set("interventions", pair(a.interventions.size(), b.interventions.size()));
        ObjectNode cost = totals.putObject("cost");
        cost.put("baseline", round(a.cost))
                .put("variant", round(b.cost))
                .put("delta", round(b.cost - a.cost))
                .put("currency", a.currency.isEmpty() ? b.currency : a.currency);
        ObjectNode campaigns = out.putObject("campaigns");
        TreeMap<String, Boolean> ids = new TreeMap<>();
        a.outcomes.keySet().forEach(k -> ids.put(k.campaignId, true));
        b.outcomes.keySet().forEach(k -> ids.put(k.campaignId, true));
        for (String id : ids.keySet()) {
            campaigns.set(id, campaign(id, a, b));
        }
        out.set("interventions", interventions(a, b));
        ObjectNode goals = out.putObject("interventionResults");
        TreeMap<String, Boolean> types = new TreeMap<>();
        a.summaries.keySet().stream()
                .filter(k -> a.summaries.get(k).has("interventionType"))
                .forEach(k -> types.put(k, true));
        b.summaries.keySet().stream()
                .filter(k -> b.summaries.get(k).has("interventionType"))
                .forEach(k -> types.put(k, true));
        types.keySet()
                .forEach(k ->
                        goals.set(k.substring(k.indexOf(':') + 1), results(a.summaries.get(k), b.summaries.get(k))));
        out.set("interventionSuppressions", gainedLost(a.interventionSuppressions, b.interventionSuppressions));
        return out;
    }

    private static ObjectNode campaign(String id, Side a, Side b) {
        Map<String, Long> sendsA = new TreeMap<>();
        Map<String, Long> sendsB = new TreeMap<>();
        Map<String, Long> heldA = new TreeMap<>();
        Map<String, Long> heldB = new TreeMap<>();
        Map<String, Long> sentGained = new TreeMap<>();
        Map<String, Long> sentLost = new TreeMap<>();
        Map<String, Long> heldGained = new TreeMap<>();
        Map<String, Long> heldLost = new TreeMap<>();
        Map<String, Long> shifts = new TreeMap<>();
        ArrayNode requests = Json.MAPPER.createArrayNode();
        ArrayNode moved = Json.MAPPER.createArrayNode();
        long changedRequests = 0;
        long rescheduled = 0;
        TreeMap<String, Key> keys = new TreeMap<>();
        a.outcomes.keySet().stream().filter(k -> k.campaignId.equals(id)).forEach(k -> keys.put(k.requestId, k));
        b.outcomes.keySet().stream().filter(k -> k.campaignId.equals(id)).forEach(k -> keys.put(k.requestId, k));
        for (Key k : keys.values()) {
            List<String> before = a.outcomes.getOrDefault(k, List.of());
            List<String> after = b.outcomes.getOrDefault(k, List.of());
            before.forEach(o -> tally(o, sendsA, heldA));
            after.forEach(o -> tally(o, sendsB, heldB));
            List<String> lost = minus(before, after);
            List<String> gained = minus(after, before);
            if (lost.isEmpty() && gained.isEmpty()) {
                String at = a.schedules.get(k);
                String later = b.schedules.get(k);
                if (at != null && later != null && !at.equals(later)) {
                    // Same outcome, another time: a change a marketer must see (quiet hours, habits, caps).
                    if (rescheduled++ < LISTED) {
                        ObjectNode r = moved.addObject();
                        r.put("requestId", k.requestId).put("userId", a.users.getOrDefault(k, b.users.get(k)));
                        r.put("baseline", at).put("variant", later);
                    }
                }
                continue;
            }
            lost.forEach(o -> tally(o, sentLost, heldLost));
            gained.forEach(o -> tally(o, sentGained, heldGained));
            for (int i = 0; i < Math.max(lost.size(), gained.size()); i++) {
                String from = i < lost.size() ? lost.get(i) : "none";
                String to = i < gained.size() ? gained.get(i) : "none";
                shifts.merge(from + " -> " + to, 1L, Long::sum);
            }
            if (changedRequests++ < LISTED) {
                ObjectNode r = requests.addObject();
                r.put("requestId", k.requestId).put("userId", a.users.getOrDefault(k, b.users.get(k)));
                r.set("baseline", strings(before));
                r.set("variant", strings(after));
            }
        }
        ObjectNode c = Json.MAPPER.createObjectNode();
        ObjectNode sends = c.putObject("sends");
        sends.set("baseline", counts(sendsA));
        sends.set("variant", counts(sendsB));
        sends.set("gained", counts(sentGained));
        sends.set("lost", counts(sentLost));
        ObjectNode held = c.putObject("suppressions");
        held.set("baseline", counts(heldA));
        held.set("variant", counts(heldB));
        held.set("gained", counts(heldGained));
        held.set("lost", counts(heldLost));
        ArrayNode s = c.putArray("shifts");
        shifts.forEach((fromTo, n) -> {
            String[] p = fromTo.split(" -> ");
            s.addObject().put("from", p[0]).put("to", p[1]).put("count", n);
        });
        double costA = a.campaignCost.getOrDefault(id, 0.0);
        double costB = b.campaignCost.getOrDefault(id, 0.0);
        c.putObject("cost")
                .put("baseline", round(costA))
                .put("variant", round(costB))
                .put("delta", round(costB - costA));
        c.put("changedRequests", changedRequests);
        c.set("requests", requests);
        c.put("rescheduled", rescheduled);
        c.set("rescheduledRequests", moved);
        c.set("results", results(a.summaries.get(id), b.summaries.get(id)));
        return c;
    }

    /**
     * What followed in each replay, from its current summary: the goal reached (conversions for a
     * campaign), revenue, and where there was a holdout the rates and difference against it and the
     * verdict. A send a policy change takes away takes its attributed conversion with it.
     */
    private static ObjectNode results(JsonNode a, JsonNode b) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.set("reached", pair(reached(a), reached(b)));
        double revenueA = a == null ? 0 : a.at("/revenue/amount").asDouble();
        double revenueB = b == null ? 0 : b.at("/revenue/amount").asDouble();
        r.putObject("revenue")
                .put("baseline", round(revenueA))
                .put("variant", round(revenueB))
                .put("delta", round(revenueB - revenueA));
        if ((a != null && a.has("uplift")) || (b != null && b.has("uplift"))) {
            ObjectNode u = r.putObject("uplift");
            for (String field : List.of("conversionRateSent", "conversionRateHeldOut", "difference")) {
                double x = a == null ? 0 : a.at("/uplift/" + field).asDouble();
                double y = b == null ? 0 : b.at("/uplift/" + field).asDouble();
                u.putObject(field).put("baseline", round(x)).put("variant", round(y));
            }
            u.putObject("verdict")
                    .put("baseline", a == null ? "" : a.at("/uplift/verdict").asText())
                    .put("variant", b == null ? "" : b.at("/uplift/verdict").asText());
        }
        return r;
    }

    private static long reached(JsonNode summary) {
        if (summary == null) {
            return 0;
        }
        return summary.has("goal")
                ? summary.at("/goal/reached").asLong()
                : summary.path("converted").asLong();
    }

    private static ObjectNode interventions(Side a, Side b) {
        Map<String, Long> gained = new TreeMap<>();
        Map<String, Long> lost = new TreeMap<>();
        Map<String, Long> changed = new TreeMap<>();
        Map<String, ArrayNode> gainedIds = new TreeMap<>();
        Map<String, ArrayNode> lostIds = new TreeMap<>();
        for (var e : new TreeMap<>(b.interventions).entrySet()) {
            String[] mine = e.getValue();
            String[] theirs = a.interventions.get(e.getKey());
            if (theirs == null) {
                gained.merge(mine[0], 1L, Long::sum);
                list(gainedIds, mine[0], e.getKey());
            } else if (!theirs[1].equals(mine[1])) {
                changed.merge(mine[0], 1L, Long::sum);
            }
        }
        for (var e : new TreeMap<>(a.interventions).entrySet()) {
            if (!b.interventions.containsKey(e.getKey())) {
                lost.merge(e.getValue()[0], 1L, Long::sum);
                list(lostIds, e.getValue()[0], e.getKey());
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("baseline", counts(typeCounts(a)));
        out.set("variant", counts(typeCounts(b)));
        out.set("gained", counts(gained));
        out.set("lost", counts(lost));
        out.set("changed", counts(changed));
        ObjectNode gi = out.putObject("gainedIds");
        gainedIds.forEach(gi::set);
        ObjectNode li = out.putObject("lostIds");
        lostIds.forEach(li::set);
        return out;
    }

    private static Map<String, Long> typeCounts(Side s) {
        Map<String, Long> m = new TreeMap<>();
        s.interventions.values().forEach(v -> m.merge(v[0], 1L, Long::sum));
        return m;
    }

    private static void list(Map<String, ArrayNode> lists, String type, String id) {
        ArrayNode l = lists.computeIfAbsent(type, t -> Json.MAPPER.createArrayNode());
        if (l.size() < LISTED) {
            l.add(id);
        }
    }

    private static ObjectNode gainedLost(Map<String, String> a, Map<String, String> b) {
        Map<String, Long> gained = new TreeMap<>();
        Map<String, Long> lost = new TreeMap<>();
        b.forEach((id, reason) -> {
            if (!a.containsKey(id)) {
                gained.merge(reason, 1L, Long::sum);
            }
        });
        a.forEach((id, reason) -> {
            if (!b.containsKey(id)) {
                lost.merge(reason, 1L, Long::sum);
            }
        });
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("gained", counts(gained));
        out.set("lost", counts(lost));
        return out;
    }

    private static void tally(String outcome, Map<String, Long> sent, Map<String, Long> held) {
        if (outcome.startsWith("sent:")) {
            sent.merge(outcome.substring(5), 1L, Long::sum);
        } else {
            held.merge(outcome.substring(5), 1L, Long::sum);
        }
    }

    /** The multiset difference, sorted. */
    static List<String> minus(List<String> from, List<String> take) {
        List<String> rest = new ArrayList<>(from);
        take.forEach(rest::remove);
        Collections.sort(rest);
        return rest;
    }

    private static ObjectNode counts(Map<String, Long> m) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        m.forEach(n::put);
        return n;
    }

    private static ObjectNode pair(long a, long b) {
        return Json.MAPPER
                .createObjectNode()
                .put("baseline", a)
                .put("variant", b)
                .put("delta", b - a);
    }

    private static ArrayNode strings(List<String> l) {
        ArrayNode n = Json.MAPPER.createArrayNode();
        l.stream().sorted().forEach(n::add);
        return n;
    }

    static BigDecimal round(double v) {
        return BigDecimal.valueOf(v).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

    private record Key(String campaignId, String requestId) {}

    /** One replay's decisions, keyed for matching. */
    private static final class Side {
        final Map<Key, List<String>> outcomes = new HashMap<>();
        final Map<Key, String> users = new HashMap<>();
        /** When each request's send goes out ({@code scheduledAt}). */
        final Map<Key, String> schedules = new HashMap<>();

        final Map<String, Double> campaignCost = new HashMap<>();
        /** interventionId to {type, fingerprint of the record}. */
        final Map<String, String[]> interventions = new HashMap<>();

        final Map<String, String> interventionSuppressions = new HashMap<>();
        /** The current campaign summary per campaign and intervention type. */
        Map<String, JsonNode> summaries = new HashMap<>();

        long sendCount;
        long campaignSuppressionCount;
        double cost;
        String currency = "";

        static Side read(Path out) throws IOException {
            Side s = new Side();
            Records.each(out, Streams.CAMPAIGN_SENDS, n -> {
                Key k = s.key(n);
                s.outcomes
                        .computeIfAbsent(k, x -> new ArrayList<>())
                        .add("sent:" + n.path("channel").asText());
                s.schedules.put(k, n.path("scheduledAt").asText());
                double amount = n.at("/estimatedCost/amount").asDouble();
                s.campaignCost.merge(k.campaignId, amount, Double::sum);
                s.cost += amount;
                s.currency = n.at("/estimatedCost/currency").asText(s.currency);
                s.sendCount++;
            });
            Records.each(out, Streams.SUPPRESSIONS, n -> {
                if (n.hasNonNull("campaignId")) {
                    s.outcomes
                            .computeIfAbsent(s.key(n), x -> new ArrayList<>())
                            .add("held:" + n.path("reason").asText());
                    s.campaignSuppressionCount++;
                } else {
                    s.interventionSuppressions.put(
                            n.path("suppressionId").asText(), n.path("reason").asText());
                }
            });
            Records.each(
                    out,
                    Streams.INTERVENTIONS,
                    n -> s.interventions.put(
                            n.path("interventionId").asText(),
                            new String[] {n.path("type").asText(), fingerprint(n.toString())}));
            List<String> summaries = new ArrayList<>();
            Records.each(out, Streams.CAMPAIGN_SUMMARIES, n -> summaries.add(n.toString()));
            s.summaries = dev.attune.io.RunSummary.currentSummaries(summaries);
            return s;
        }

        /** 64 bits of the record's text: enough to tell a changed intervention, without holding it. */
        static String fingerprint(String text) {
            CRC32 crc = new CRC32();
            crc.update(text.getBytes(StandardCharsets.UTF_8));
            return Long.toHexString(crc.getValue() << 32 ^ (text.hashCode() & 0xffffffffL));
        }

        Key key(JsonNode n) {
            Key k = new Key(n.path("campaignId").asText(), n.path("requestId").asText());
            users.put(k, n.path("userId").asText());
            return k;
        }
    }
}
