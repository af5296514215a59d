package dev.attune.report;

import static dev.attune.report.Html.esc;
import static dev.attune.report.Html.num;

import dev.attune.io.RunSummary;
import dev.attune.report.ReportData.AtRisk;
import dev.attune.report.ReportData.Campaign;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * {@code OUT/report/index.html}: a replay's outputs for a marketer (each campaign's funnel, cost,
 * local send hours), a product analyst (interventions by type and risk level over event time, top
 * reasons), an agent (the customers most at risk, with reasons) and whoever pays for the model.
 * Funnel figures carry {@code data-campaign}/{@code data-stage} so tools can read them back.
 */
public final class ReportPage {
    private ReportPage() {}

    /**
     * Starts what drawing the page's first chart would (Java's 2D graphics, its fonts: a third of a
     * second), so that a run can have it done while its job runs.
     */
    public static void prepare() {
        Charts.bars("", "", "", List.of("a"), Map.of("a", List.of(1)), false, 40, 40);
    }

    /** Writes the page and returns its path. */
    public static Path write(Path out, ReportData d, ModelUse model) throws IOException {
        Html h = new Html("Attune replay report");
        h.el("h1", "Attune replay report");
        h.raw("<p class=\"meta\">Outputs under "
                + esc(out.toAbsolutePath().normalize().toString()) + "; event time "
                + esc(d.firstEvent == null ? "–" : d.firstEvent + " to " + d.lastEvent) + ".</p>\n");
        h.raw("<table><tr><th>stream</th><th class=\"n\">records</th></tr>");
        d.streamCounts.forEach((s, n) -> h.raw(
                "<tr><td>" + esc(s) + "</td><td class=\"n\" data-stream=\"" + esc(s) + "\">" + num(n) + "</td></tr>"));
        h.raw("</table>\n");
        campaigns(h, d);
        interventions(h, d);
        effects(h, d);
        priority(h, d);
        model(h, d, model);
        other(h, d);
        Path file = out.resolve("report").resolve("index.html");
        h.write(file);
        return file;
    }

    private static void campaigns(Html h, ReportData d) {
        h.el("h2", "Campaigns");
        if (d.campaigns.isEmpty()) {
            h.el("p", "No campaign requests in this run.");
            return;
        }
        h.raw(
                "<table><tr><th>campaign</th><th class=\"n\">requests</th><th class=\"n\">held</th><th class=\"n\">sent</th>"
                        + "<th class=\"n\">estimated cost</th><th class=\"n\">first-choice cost</th><th class=\"n\">saved</th></tr>");
        for (Campaign c : d.campaigns.values()) {
            boolean first = !Double.isNaN(c.costIfFirstChoice);
            h.raw("<tr><td>" + esc(c.campaignId) + "</td><td class=\"n\">" + (c.requests >= 0 ? num(c.requests) : "–")
                    + "</td><td class=\"n\">" + num(c.suppressions()) + "</td><td class=\"n\">" + num(c.sends())
                    + "</td><td class=\"n\">" + esc(Html.money(c.cost, c.currency)) + "</td><td class=\"n\">"
                    + (first ? esc(Html.money(c.costIfFirstChoice, c.currency)) : "–") + "</td><td class=\"n\">"
                    + (first ? Html.pct(c.costIfFirstChoice - c.cost, c.costIfFirstChoice) : "–") + "</td></tr>");
        }
        h.raw("</table>\n");
        for (Campaign c : d.campaigns.values()) {
            h.raw("<div class=\"card\" data-campaign-card=\"" + esc(c.campaignId) + "\">");
            h.el("h3", "Campaign " + c.campaignId);
            h.raw("<div class=\"row\"><div>");
            h.raw("<table><tr><th>funnel</th><th class=\"n\">customers</th><th class=\"n\">share</th></tr>");
            long base = c.requests >= 0 ? c.requests : c.sends() + c.suppressions();
            stage(h, c, "requests", "Requests", c.requests >= 0 ? c.requests : base, base);
            c.suppressed.forEach((reason, n) -> stage(h, c, "suppressed:" + reason, "held: " + reason, n, base));
            c.sent.forEach((channel, n) -> stage(h, c, "sent:" + channel, "sent on " + channel, n, base));
            stage(h, c, "sent", "sent in all", c.sends(), base);
            h.raw("</table>");
            h.raw("<p>Estimated cost <b data-campaign=\"" + esc(c.campaignId) + "\" data-stage=\"cost\">"
                    + esc(Html.money(c.cost, c.currency)) + "</b>");
            if (!Double.isNaN(c.costIfFirstChoice)) {
                h.raw(" against " + esc(Html.money(c.costIfFirstChoice, c.currency)) + " had every send gone on the"
                        + " request's first channel: <b>" + Html.pct(c.costIfFirstChoice - c.cost, c.costIfFirstChoice)
                        + " saved</b>");
            }
            h.raw(".</p></div>\n");
            List<String> cats = new ArrayList<>();
            List<Long> held = new ArrayList<>();
            List<Long> sent = new ArrayList<>();
            cats.add("requests");
            held.add(0L);
            sent.add(base);
            c.suppressed.forEach((r, n) -> {
                cats.add(r);
                held.add(n);
                sent.add(0L);
            });
            c.sent.forEach((ch, n) -> {
                cats.add(ch);
                held.add(0L);
                sent.add(n);
            });
            Map<String, List<? extends Number>> series = new LinkedHashMap<>();
            series.put("requests and sends", sent);
            series.put("held", held);
            h.chart(Charts.bars("Funnel", "", "customers", cats, series, true, 560, 300));
            List<String> hours = IntStream.range(0, 24)
                    .mapToObj(i -> String.format("%02d", i))
                    .toList();
            List<Long> perHour =
                    IntStream.range(0, 24).mapToObj(i -> c.localHours[i]).toList();
            h.chart(Charts.bars(
                    "Sends by local hour (customer's time zone)",
                    "hour",
                    "sends",
                    hours,
                    Map.of("sends", perHour),
                    false,
                    560,
                    260));
            h.raw("</div></div>\n");
        }
    }

    private static void stage(Html h, Campaign c, String stage, String label, long n, long base) {
        h.raw("<tr><td>" + esc(label) + "</td><td class=\"n\" data-campaign=\"" + esc(c.campaignId)
                + "\" data-stage=\"" + esc(stage) + "\">" + num(n) + "</td><td class=\"n\">" + Html.pct(n, base)
                + "</td></tr>");
    }

    private static void interventions(Html h, ReportData d) {
        h.el("h2", "Interventions");
        long total =
                d.interventionTypes.values().stream().mapToLong(Long::longValue).sum();
        h.raw("<div class=\"row\"><div><table><tr><th>type</th><th class=\"n\">count</th></tr>");
        d.interventionTypes.forEach((t, n) -> h.raw("<tr><td>" + esc(t) + "</td><td class=\"n\" data-intervention=\""
                + esc(t) + "\">" + num(n) + "</td></tr>"));
        h.raw("<tr><th>all</th><th class=\"n\">" + num(total) + "</th></tr></table>");
        h.raw("<table><tr><th>risk level</th><th class=\"n\">count</th></tr>");
        d.interventionLevels.forEach(
                (t, n) -> h.raw("<tr><td>" + esc(t) + "</td><td class=\"n\">" + num(n) + "</td></tr>"));
        h.raw("</table></div><div>");
        h.el("h3", "Top reasons");
        h.raw("<table><tr><th>reason</th><th class=\"n\">interventions</th><th class=\"n\">share</th></tr>");
        d.reasonCodes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10)
                .forEach(e -> h.raw("<tr><td>" + esc(e.getKey()) + "</td><td class=\"n\">" + num(e.getValue())
                        + "</td><td class=\"n\">" + Html.pct(e.getValue(), total) + "</td></tr>"));
        h.raw("</table></div></div>\n");
        long hours = d.bucket.toHours();
        String unit = hours == 1 ? "hour" : hours < 24 ? hours + " hours" : hours == 24 ? "day" : "week";
        h.chart(overTime("Interventions per type over event time (per " + unit + ", UTC)", d.typesOverTime));
        h.chart(overTime("Interventions per risk level over event time (per " + unit + ", UTC)", d.levelsOverTime));
    }

    /**
     * Did it work: per campaign and intervention type with a holdout, the goal reached by the
     * customers acted on against those held out, the difference with its 95% interval, and a chart
     * of the two rates. A verdict of too few customers is shown as such, not as a result.
     */
    private static void effects(Html h, ReportData d) {
        h.el("h2", "Did it work? Against the holdout");
        if (d.effects.isEmpty()) {
            h.el(
                    "p",
                    "No campaign or intervention type had a holdout in this run (holdout.share, holdout.campaigns, "
                            + "holdout.interventions), so nothing here says what Attune changed.");
            return;
        }
        h.raw("<table><tr><th>campaign or intervention</th><th>goal</th><th class=\"n\">acted on</th>"
                + "<th class=\"n\">reached</th><th class=\"n\">held out</th><th class=\"n\">reached</th>"
                + "<th class=\"n\">difference (95% interval)</th><th class=\"n\">revenue per customer</th>"
                + "<th>verdict</th></tr>");
        for (ReportData.Effect e : d.effects) {
            boolean noVerdict = e.verdict().equals("too_few_customers");
            String diff = noVerdict
                    ? "–"
                    : String.format(
                            java.util.Locale.ROOT,
                            "%+.1f points (%+.1f to %+.1f)",
                            100 * e.difference(),
                            100 * e.low(),
                            100 * e.high());
            h.raw("<tr><td>" + esc((e.intervention() ? "intervention " : "campaign ") + e.name()) + "</td><td>"
                    + esc(e.goal().replace('_', ' ')) + "</td><td class=\"n\">" + num(e.treated())
                    + "</td><td class=\"n\" data-effect=\"" + esc(e.name()) + "\" data-group=\"treated\">"
                    + pct(e.treatedRate()) + "</td><td class=\"n\">" + num(e.heldOut())
                    + "</td><td class=\"n\" data-effect=\"" + esc(e.name()) + "\" data-group=\"held-out\">"
                    + pct(e.heldOutRate()) + "</td><td class=\"n\">" + esc(diff) + "</td><td class=\"n\">"
                    + esc(Html.money(e.revenuePerTreated(), e.currency())) + " vs "
                    + esc(Html.money(e.revenuePerHeldOut(), e.currency()))
                    + (noVerdict
                            ? ""
                            : esc(String.format(
                                    java.util.Locale.ROOT, " (95%% %+.2f to %+.2f)", e.revenueLow(), e.revenueHigh())))
                    + "</td><td data-verdict=\""
                    + esc(e.name()) + "\">" + esc(verdict(e)) + "</td></tr>");
        }
        h.raw("</table>\n");
        h.el(
                "p",
                "Held-out customers were chosen by a fixed hash of customer and campaign (or the customer alone, for "
                        + "interventions), after every other check, and got nothing; their goal events are counted "
                        + "within the same attribution window. A difference whose interval spans zero is no evidence "
                        + "either way; fewer than 30 customers in a group or 10 goal events in all give no verdict.");
        List<String> cats = d.effects.stream().map(ReportData.Effect::name).toList();
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put(
                "acted on", d.effects.stream().map(e -> 100 * e.treatedRate()).toList());
        series.put(
                "held out", d.effects.stream().map(e -> 100 * e.heldOutRate()).toList());
        h.chart(Charts.bars(
                "Goal reached, acted on against held out (%)", "", "% reached", cats, series, false, 1100, 340));
    }

    private static String verdict(ReportData.Effect e) {
        return e.verdict().equals("too_few_customers")
                ? "too few customers to tell"
                : RunSummary.verdict(e.verdict(), e.intervention() ? "given" : "sent");
    }

    private static String pct(double rate) {
        return String.format(java.util.Locale.ROOT, "%.1f%%", 100 * rate);
    }

    private static String overTime(String title, Map<String, Map<String, Long>> buckets) {
        List<String> cats = new ArrayList<>();
        TreeSet<String> names = new TreeSet<>(ReportData::byLevel);
        buckets.forEach((b, m) -> {
            cats.add(b.substring(5, 16).replace('T', ' '));
            names.addAll(m.keySet());
        });
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        for (String name : names) {
            series.put(
                    name,
                    buckets.values().stream().map(m -> m.getOrDefault(name, 0L)).toList());
        }
        return Charts.bars(title, "", "interventions", cats, series, true, 1100, 340);
    }

    private static void priority(Html h, ReportData d) {
        h.el("h2", "Customers most at risk");
        h.el(
                "p",
                "An agent's priority list: each customer's riskiest intervention, highest risk first, latest first"
                        + " on ties.");
        h.raw("<table><tr><th>customer</th><th class=\"n\">risk</th><th>level</th><th>intervention</th>"
                + "<th>churn category</th><th>reasons</th><th>at</th><th class=\"n\">interventions</th></tr>");
        for (AtRisk a : d.priority) {
            h.raw("<tr data-user=\"" + esc(a.userId()) + "\"><td class=\"nw\">" + esc(a.userId())
                    + "</td><td class=\"n\">"
                    + a.riskScore() + "</td><td>" + esc(a.riskLevel()) + "</td><td>" + esc(a.type()) + "</td><td>"
                    + esc(a.churnCategory()) + "</td><td>" + esc(String.join("; ", a.reasons()))
                    + "</td><td class=\"nw\">"
                    + esc(shortTime(a.eventTime())) + "</td><td class=\"n\">" + a.interventions() + "</td></tr>");
        }
        h.raw("</table>\n");
    }

    private static void model(Html h, ReportData d, ModelUse m) {
        h.el("h2", "Model use");
        h.raw("<table>");
        row(h, "analysis mode", m.mode());
        row(h, "model", m.modelId());
        d.analysisSources.forEach((s, n) -> row(h, "interventions analysed by " + s, num(n)));
        row(h, "fallbacks to the heuristic (model answer not used)", num(d.modelFallbackCount()));
        d.modelFallbacks.forEach((code, n) -> row(h, "  fallback: " + code, num(n)));
        row(h, "calls refused by the token budget (llm_budget)", num(d.budgetRefusals));
        if (!"heuristic".equals(m.mode())) {
            row(h, "calls in the journal " + m.journalPath(), num(m.calls()));
            m.outcomes().forEach((o, n) -> row(h, "  journal: " + o, num(n)));
            row(h, "estimated tokens (prompt / answer)", num(m.promptTokens()) + " / " + num(m.answerTokens()));
            row(h, "estimated cost of those calls", String.format(java.util.Locale.ROOT, "%.6f USD", m.estimatedUsd()));
        } else {
            row(h, "calls", "0 (heuristic analysis needs no model)");
        }
        h.raw("</table>\n");
        if ("replay".equals(m.mode())) {
            h.el(
                    "p",
                    "This run answered from the journal and made no call; the cost is that of the run that"
                            + " recorded the journal.");
        }
    }

    private static void other(Html h, ReportData d) {
        h.el("h2", "Interventions held, and dead letters");
        h.raw("<div class=\"row\"><table><tr><th>intervention held because</th><th class=\"n\">count</th></tr>");
        d.interventionSuppressions.forEach(
                (r, n) -> h.raw("<tr><td>" + esc(r) + "</td><td class=\"n\">" + num(n) + "</td></tr>"));
        h.raw("</table><table><tr><th>dead letter (stage: code)</th><th class=\"n\">count</th></tr>");
        d.deadLetters.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.naturalOrder())))
                .forEach(e -> h.raw(
                        "<tr><td>" + esc(e.getKey()) + "</td><td class=\"n\">" + num(e.getValue()) + "</td></tr>"));
        h.raw("</table></div>\n");
    }

    /** {@code 2026-11-21 10:10} from {@code 2026-11-21T10:10:00.000Z}. */
    static String shortTime(String iso) {
        return iso.length() >= 16 ? iso.substring(0, 16).replace('T', ' ') : iso;
    }

    private static void row(Html h, String label, String value) {
        h.raw("<tr><td>" + esc(label) + "</td><td class=\"n\">" + esc(value) + "</td></tr>");
    }
}
