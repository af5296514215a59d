package dev.attune.report;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import dev.attune.contract.Times;
import dev.attune.io.OutputRecords;
import dev.attune.io.RunSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a replay's outputs say, counted for people: per campaign its funnel, cost and local send
 * hours; interventions per type and risk level over event time and their top reasons; the customers
 * most at risk; model use. Every figure is counted from the output records themselves (the campaign
 * summaries give only the request count and the first-choice cost), so a page built from this
 * agrees with the streams its readers subscribe to.
 */
public final class ReportData {
    /** What became of one campaign's requests. */
    public static final class Campaign {
        public final String campaignId;
        /** Distinct requests, from the campaign's current summary (-1 where no summary was written). */
        public long requests = -1;

        public final Map<String, Long> suppressed = new TreeMap<>();
        public final Map<String, Long> sent = new TreeMap<>();
        public double cost;
        /** Had every send gone on the request's first channel (from the summary; NaN where absent). */
        public double costIfFirstChoice = Double.NaN;

        public String currency = "";
        /** Sends per hour of the day in the customer's own time zone. */
        public final long[] localHours = new long[24];

        Campaign(String campaignId) {
            this.campaignId = campaignId;
        }

        public long sends() {
            return sent.values().stream().mapToLong(Long::longValue).sum();
        }

        public long suppressions() {
            return suppressed.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A customer on the agent's priority list: the riskiest intervention made for them. */
    public record AtRisk(
            String userId,
            int riskScore,
            String riskLevel,
            String type,
            String eventTime,
            List<String> reasons,
            String churnCategory,
            int interventions) {}

    /**
     * What a campaign or an intervention type changed, from its current summary where it had a
     * holdout: the share of the customers acted on and of those held out who reached its goal
     * (converted; for an intervention type completed, stayed or came back), the difference with its
     * 95% interval, and the verdict ({@code too_few_customers} where there is none).
     */
    public record Effect(
            String name,
            boolean intervention,
            String goal,
            int treated,
            int heldOut,
            double treatedRate,
            double heldOutRate,
            double difference,
            double low,
            double high,
            double revenuePerTreated,
            double revenuePerHeldOut,
            double revenueLow,
            double revenueHigh,
            String currency,
            String verdict) {}

    public final Map<String, Campaign> campaigns = new TreeMap<>();
    /** Campaigns first, then intervention types, each by name. */
    public final List<Effect> effects = new ArrayList<>();

    public final Map<String, Long> streamCounts = new TreeMap<>();
    public final Map<String, Long> interventionTypes = new TreeMap<>();
    public final Map<String, Long> interventionLevels = new TreeMap<>(ReportData::byLevel);
    /** Bucket start (ISO instant) to type to count; buckets are hours or days, see {@link #bucket}. */
    public final Map<String, Map<String, Long>> typesOverTime = new TreeMap<>();

    public final Map<String, Map<String, Long>> levelsOverTime = new TreeMap<>();
    private static final List<String> LEVELS = List.of("low", "medium", "high", "critical");
    public final Map<String, Long> reasonCodes = new TreeMap<>();
    public final Map<String, Long> interventionSuppressions = new TreeMap<>();
    public final Map<String, Long> deadLetters = new TreeMap<>();
    public final Map<String, Long> analysisSources = new TreeMap<>();
    public final Map<String, Long> modelFallbacks = new TreeMap<>();
    public long budgetRefusals;
    public final List<AtRisk> priority = new ArrayList<>();
    /** Width of a time bucket: the smallest of 1, 3, 6, 12 hours, a day or a week that gives at most 40 bars. */
    public Duration bucket = Duration.ofHours(1);

    public Instant firstEvent;
    public Instant lastEvent;

    private ReportData() {}

    /** Reads every committed record under {@code out/<stream>/}. */
    public static ReportData read(Path out, int priorityListSize) throws IOException {
        Reading reading = new Reading(priorityListSize);
        OutputRecords.read(out, List.of(reading));
        return reading.result();
    }

    /**
     * The report's reading of a run's outputs, offered record by record by {@link OutputRecords} (so
     * one pass can serve the console summary too); {@link #result} when every stream was read. A
     * record that is not JSON stops this reading only: {@link #result} throws for it.
     */
    public static final class Reading implements OutputRecords.Reader {
        private static final Map<String, Set<String>> MEMBERS = Map.of(
                Streams.INTERVENTIONS,
                Set.of(
                        "userId",
                        "eventTime",
                        "type",
                        "riskScore",
                        "riskLevel",
                        "reasons",
                        "analysis.source",
                        "analysis.churnCategory"),
                Streams.CAMPAIGN_SENDS,
                Set.of("eventTime", "campaignId", "channel", "estimatedCost", "scheduledAt", "timezone"),
                Streams.SUPPRESSIONS,
                Set.of("eventTime", "reason", "campaignId"),
                Streams.DEAD_LETTER,
                Set.of("error.code", "stage"));

        private final int priorityListSize;
        private final ReportData d = new ReportData();
        private final List<JsonNode> interventions = new ArrayList<>();
        private final Map<String, AtRiskBuilder> users = new HashMap<>();
        private final RunSummary.Current current = new RunSummary.Current();
        private IOException failure;

        public Reading(int priorityListSize) {
            this.priorityListSize = priorityListSize;
            for (String stream : Streams.OUTPUTS) {
                d.streamCounts.put(stream, 0L);
            }
        }

        @Override
        public Set<String> members(String stream) {
            return stream.equals(Streams.CAMPAIGN_SUMMARIES)
                    ? RunSummary.CHOOSING
                    : MEMBERS.getOrDefault(stream, Set.of());
        }

        @Override
        public void record(String stream, String line, JsonNode n) {
            if (failure != null) {
                return;
            }
            if (n == null) {
                failure = new IOException(stream + ": a record that is not JSON");
                return;
            }
            d.count(stream);
            switch (stream) {
                case Streams.INTERVENTIONS -> {
                    d.seen(n);
                    JsonNode kept = slim(n);
                    interventions.add(kept);
                    users.computeIfAbsent(n.path("userId").asText(), AtRiskBuilder::new)
                            .add(kept);
                }
                case Streams.CAMPAIGN_SENDS -> {
                    d.seen(n);
                    Campaign c = d.campaign(n.path("campaignId").asText());
                    c.sent.merge(n.path("channel").asText(), 1L, Long::sum);
                    c.cost += n.at(COST_AMOUNT).asDouble();
                    c.currency = n.at(COST_CURRENCY).asText(c.currency);
                    c.localHours[localHour(n)]++;
                }
                case Streams.SUPPRESSIONS -> {
                    d.seen(n);
                    String reason = n.path("reason").asText();
                    if (n.hasNonNull("campaignId")) {
                        d.campaign(n.path("campaignId").asText()).suppressed.merge(reason, 1L, Long::sum);
                    } else {
                        d.interventionSuppressions.merge(reason, 1L, Long::sum);
                        if ("llm_budget".equals(reason)) {
                            d.budgetRefusals++;
                        }
                    }
                }
                case Streams.DEAD_LETTER -> {
                    String code = n.at(ERROR_CODE).asText("unknown");
                    d.deadLetters.merge(n.path("stage").asText("?") + ": " + code, 1L, Long::sum);
                    if ("analysis".equals(n.path("stage").asText())) {
                        d.modelFallbacks.merge(code, 1L, Long::sum);
                    }
                }
                case Streams.CAMPAIGN_SUMMARIES -> current.offer(n, line);
                default -> {}
            }
        }

        /** What was read, worked out (the time buckets, the priority list, the current summaries). */
        public ReportData result() throws IOException {
            if (failure != null) {
                throw failure;
            }
            d.bucket = bucketFor(d.firstEvent == null ? Duration.ZERO : Duration.between(d.firstEvent, d.lastEvent));
            for (JsonNode n : interventions) {
                d.intervention(n);
            }
            users.values().stream()
                    .map(AtRiskBuilder::build)
                    .sorted(Comparator.comparingInt(AtRisk::riskScore)
                            .reversed()
                            .thenComparing(AtRisk::eventTime, Comparator.reverseOrder())
                            .thenComparing(AtRisk::userId))
                    .limit(priorityListSize)
                    .forEach(d.priority::add);
            for (JsonNode s : current.summaries().values()) {
                if (s.has("uplift")) {
                    d.effects.add(effect(s));
                }
                if (s.has("interventionType")) {
                    continue;
                }
                Campaign c = d.campaign(s.path("campaignId").asText());
                c.requests = s.path("requests").asLong();
                c.costIfFirstChoice = s.at("/costIfFirstChoice/amount").asDouble();
                if (c.currency.isEmpty()) {
                    c.currency = s.at("/costIfFirstChoice/currency").asText();
                }
            }
            return d;
        }
    }

    private static final JsonPointer COST_AMOUNT = JsonPointer.compile("/estimatedCost/amount");
    private static final JsonPointer COST_CURRENCY = JsonPointer.compile("/estimatedCost/currency");
    private static final JsonPointer ERROR_CODE = JsonPointer.compile("/error/code");
    private static final JsonPointer ANALYSIS_SOURCE = JsonPointer.compile("/analysis/source");
    private static final JsonPointer ANALYSIS_CHURN_CATEGORY = JsonPointer.compile("/analysis/churnCategory");

    private static Effect effect(JsonNode s) {
        JsonNode u = s.get("uplift");
        boolean intervention = s.has("interventionType");
        int treated = RunSummary.sends(s);
        return new Effect(
                intervention
                        ? s.get("interventionType").asText()
                        : s.get("campaignId").asText(),
                intervention,
                intervention ? s.at("/goal/name").asText() : "converted",
                treated,
                s.at("/holdout/customers").asInt(),
                u.path("conversionRateSent").asDouble(),
                u.path("conversionRateHeldOut").asDouble(),
                u.path("difference").asDouble(),
                u.at("/ci95/0").asDouble(),
                u.at("/ci95/1").asDouble(),
                u.path("revenuePerCustomerSent").asDouble(),
                u.path("revenuePerCustomerHeldOut").asDouble(),
                u.at("/revenueCi95/0").asDouble(),
                u.at("/revenueCi95/1").asDouble(),
                s.at("/revenue/currency").asText(),
                u.path("verdict").asText());
    }

    /** Model calls whose answer was used, and those whose answer was not (fallbacks), from the outputs. */
    public long modelAnswersUsed() {
        return analysisSources.getOrDefault("bedrock", 0L) + analysisSources.getOrDefault("replay-cache", 0L);
    }

    public long modelFallbackCount() {
        return modelFallbacks.values().stream().mapToLong(Long::longValue).sum();
    }

    private void intervention(JsonNode n) {
        String type = n.path("type").asText();
        String level = n.path("riskLevel").asText();
        interventionTypes.merge(type, 1L, Long::sum);
        interventionLevels.merge(level, 1L, Long::sum);
        Instant t = instant(n.path("eventTime").asText());
        long width = bucket.toSeconds();
        String b = Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), width) * width)
                .toString();
        typesOverTime.computeIfAbsent(b, k -> new TreeMap<>()).merge(type, 1L, Long::sum);
        levelsOverTime
                .computeIfAbsent(b, k -> new TreeMap<>(ReportData::byLevel))
                .merge(level, 1L, Long::sum);
        for (JsonNode r : n.path("reasons")) {
            reasonCodes.merge(r.path("code").asText(), 1L, Long::sum);
        }
        analysisSources.merge(n.at(ANALYSIS_SOURCE).asText("none"), 1L, Long::sum);
    }

    static Duration bucketFor(Duration span) {
        for (long hours : new long[] {1, 3, 6, 12, 24}) {
            if (span.toHours() / hours < 40) {
                return Duration.ofHours(hours);
            }
        }
        return Duration.ofDays(7);
    }

    /** Risk levels from low to critical; anything else after them, alphabetically. */
    static int byLevel(String a, String b) {
        int ia = LEVELS.indexOf(a);
        int ib = LEVELS.indexOf(b);
        ia = ia < 0 ? LEVELS.size() : ia;
        ib = ib < 0 ? LEVELS.size() : ib;
        return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
    }

    private Campaign campaign(String id) {
        return campaigns.computeIfAbsent(id, Campaign::new);
    }

    private void count(String stream) {
        streamCounts.merge(stream, 1L, Long::sum);
    }

    private void seen(JsonNode n) {
        Instant t = instant(n.path("eventTime").asText());
        firstEvent = firstEvent == null || t.isBefore(firstEvent) ? t : firstEvent;
        lastEvent = lastEvent == null || t.isAfter(lastEvent) ? t : lastEvent;
    }

    /** The fields the report keeps of an intervention, so a long replay's analyses are not all held. */
    private static JsonNode slim(JsonNode n) {
        var s = Json.MAPPER.createObjectNode();
        for (String f : List.of("type", "riskScore", "riskLevel", "eventTime", "reasons")) {
            s.set(f, n.path(f));
        }
        s.putObject("analysis")
                .put("source", n.at(ANALYSIS_SOURCE).asText("none"))
                .put("churnCategory", n.at(ANALYSIS_CHURN_CATEGORY).asText(""));
        return s;
    }

    /**
     * An ISO instant: Attune's own {@code 2026-11-03T04:16:40.286Z} read field by field ({@link
     * Times#parseUtc}, a tenth of what {@link Instant#parse} costs), any other form by {@link Instant#parse}.
     */
    static Instant instant(String text) {
        long millis = text.length() == 24 ? Times.parseUtc(text) : Long.MIN_VALUE;
        return millis != Long.MIN_VALUE ? Instant.ofEpochMilli(millis) : Instant.parse(text);
    }

    static int localHour(JsonNode send) {
        Instant at =
                instant(send.path("scheduledAt").asText(send.path("eventTime").asText()));
        ZoneId zone;
        try {
            zone = ZoneId.of(send.path("timezone").asText("UTC"));
        } catch (DateTimeException e) {
            zone = ZoneId.of("UTC");
        }
        return at.atZone(zone).getHour();
    }

    private static final class AtRiskBuilder {
        final String userId;
        JsonNode top;
        int count;

        AtRiskBuilder(String userId) {
            this.userId = userId;
        }

        void add(JsonNode n) {
            count++;
            if (top == null
                    || n.path("riskScore").asInt() > top.path("riskScore").asInt()
                    || (n.path("riskScore").asInt() == top.path("riskScore").asInt()
                            && n.path("eventTime")
                                            .asText()
                                            .compareTo(top.path("eventTime").asText())
                                    > 0)) {
                top = n;
            }
        }

        AtRisk build() {
            List<String> reasons = new ArrayList<>();
            for (JsonNode r : top.path("reasons")) {
                reasons.add(r.path("code").asText()
                        + (r.hasNonNull("value") ? " " + r.path("value").asText() : ""));
            }
            return new AtRisk(
                    userId,
                    top.path("riskScore").asInt(),
                    top.path("riskLevel").asText(),
                    top.path("type").asText(),
                    top.path("eventTime").asText(),
                    reasons,
                    top.at(ANALYSIS_CHURN_CATEGORY).asText(""),
                    count);
        }
    }
}
