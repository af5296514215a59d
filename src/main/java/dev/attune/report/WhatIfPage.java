package dev.attune.report;

import static dev.attune.report.Html.esc;
import static dev.attune.report.Html.num;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code OUT/whatif/index.html}: the baseline and the variant side by side, from the diff and both runs. */
public final class WhatIfPage {
    private WhatIfPage() {}

    public static Path write(
            Path file, JsonNode diff, ReportData baseline, ReportData variant, Path baselinePage, Path variantPage)
            throws IOException {
        String changes = changes(diff);
        Html h = new Html("Attune what-if: " + changes);
        h.el("h1", "What-if");
        h.raw("<ul class=\"changes\">");
        diff.path("changes")
                .fields()
                .forEachRemaining(e -> h.raw("<li><code>" + esc(e.getKey()) + " = "
                        + esc(e.getValue().asText()) + "</code></li>"));
        h.raw("</ul>\n<p class=\"meta\">The same history replayed twice: as configured (baseline) and with the changes"
                + " above (variant). Full reports: <a href=\"" + esc(relative(file, baselinePage))
                + "\">baseline</a>, <a href=\""
                + esc(relative(file, variantPage)) + "\">variant</a>; machine-readable diff: "
                + "<a href=\"diff.json\">diff.json</a>.</p>\n");
        JsonNode t = diff.path("totals");
        h.raw(
                "<table><tr><th></th><th class=\"n\">baseline</th><th class=\"n\">variant</th><th class=\"n\">change</th></tr>");
        total(h, "campaign sends", t.path("sends"));
        total(h, "campaign requests held", t.path("campaignSuppressions"));
        total(h, "interventions", t.path("interventions"));
        JsonNode cost = t.path("cost");
        h.raw("<tr><td>estimated send cost</td><td class=\"n\">"
                + esc(cost.path("baseline").asText()) + "</td><td class=\"n\">"
                + esc(cost.path("variant").asText()) + "</td><td class=\"n\" data-total=\"cost\">"
                + signed(cost.path("delta"))
                + " " + esc(cost.path("currency").asText()) + "</td></tr></table>\n");
        h.el("h2", "Campaigns");
        diff.path("campaigns")
                .fields()
                .forEachRemaining(e -> campaign(
                        h,
                        e.getKey(),
                        e.getValue(),
                        baseline.campaigns.get(e.getKey()),
                        variant.campaigns.get(e.getKey())));
        interventions(h, diff.path("interventions"), diff.path("interventionSuppressions"));
        if (!diff.path("interventionResults").isEmpty()) {
            h.raw("<table><tr><th>what followed the interventions</th><th class=\"n\">baseline</th>"
                    + "<th class=\"n\">variant</th><th class=\"n\">change</th></tr>");
            diff.path("interventionResults").fields().forEachRemaining(e -> {
                h.raw("<tr><th colspan=\"4\">" + esc(e.getKey()) + "</th></tr>");
                results(h, e.getValue(), "reached its goal");
            });
            h.raw("</table>\n");
        }
        h.write(file);
        return file;
    }

    /** A few lines for the terminal. */
    public static String summary(JsonNode diff) {
        StringBuilder sb = new StringBuilder("What-if " + changes(diff) + ":\n");
        diff.path("campaigns").fields().forEachRemaining(e -> {
            JsonNode c = e.getValue();
            sb.append("  ")
                    .append(e.getKey())
                    .append(": sends gained ")
                    .append(counts(c.at("/sends/gained")))
                    .append(", lost ")
                    .append(counts(c.at("/sends/lost")))
                    .append("; held gained ")
                    .append(counts(c.at("/suppressions/gained")))
                    .append(", lost ")
                    .append(counts(c.at("/suppressions/lost")))
                    .append("; cost ")
                    .append(signed(c.at("/cost/delta")))
                    .append("; converted ")
                    .append(signed(c.at("/results/reached/delta")))
                    .append('\n');
        });
        JsonNode i = diff.path("interventions");
        sb.append("  interventions: gained ")
                .append(counts(i.path("gained")))
                .append(", lost ")
                .append(counts(i.path("lost")))
                .append(", changed ")
                .append(counts(i.path("changed")))
                .append('\n');
        sb.append("  total cost change: ")
                .append(signed(diff.at("/totals/cost/delta")))
                .append(' ')
                .append(diff.at("/totals/cost/currency").asText());
        return sb.toString();
    }

    private static void campaign(Html h, String id, JsonNode c, ReportData.Campaign a, ReportData.Campaign b) {
        h.raw("<div class=\"card\">");
        h.el("h3", "Campaign " + id);
        h.raw(
                "<div class=\"row\"><div><table><tr><th>funnel</th><th class=\"n\">baseline</th><th class=\"n\">variant</th>"
                        + "<th class=\"n\">change</th></tr>");
        List<String> stages = new ArrayList<>();
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        long reqA = requests(a);
        long reqB = requests(b);
        row(h, id, "requests", "requests", reqA, reqB, stages, before, after);
        for (String reason : keys(c.at("/suppressions/baseline"), c.at("/suppressions/variant"))) {
            row(
                    h,
                    id,
                    "suppressed:" + reason,
                    "held: " + reason,
                    c.at("/suppressions/baseline").path(reason).asLong(),
                    c.at("/suppressions/variant").path(reason).asLong(),
                    stages,
                    before,
                    after);
        }
        for (String channel : keys(c.at("/sends/baseline"), c.at("/sends/variant"))) {
            row(
                    h,
                    id,
                    "sent:" + channel,
                    "sent on " + channel,
                    c.at("/sends/baseline").path(channel).asLong(),
                    c.at("/sends/variant").path(channel).asLong(),
                    stages,
                    before,
                    after);
        }
        JsonNode cost = c.path("cost");
        h.raw("<tr><td>estimated cost</td><td class=\"n\">"
                + esc(cost.path("baseline").asText()) + "</td><td class=\"n\">"
                + esc(cost.path("variant").asText()) + "</td><td class=\"n\">" + signed(cost.path("delta"))
                + "</td></tr>");
        results(h, c.path("results"), "converted");
        h.raw("</table>");
        if (c.path("shifts").size() > 0) {
            h.raw("<table><tr><th>requests whose outcome moved</th><th class=\"n\">count</th></tr>");
            for (JsonNode s : c.path("shifts")) {
                h.raw("<tr><td>" + esc(s.path("from").asText()) + " &rarr; "
                        + esc(s.path("to").asText()) + "</td><td class=\"n\">"
                        + num(s.path("count").asLong()) + "</td></tr>");
            }
            h.raw("</table>");
        } else {
            h.el("p", "No request's outcome changed.");
        }
        long moved = c.path("rescheduled").asLong();
        if (moved > 0) {
            h.el(
                    "p",
                    num(moved) + (moved == 1 ? " send goes" : " sends go")
                            + " out at another time on the same channel (quiet hours, habits or caps moved it).");
        }
        h.raw("</div>");
        Map<String, List<? extends Number>> series = new LinkedHashMap<>();
        series.put("baseline", before);
        series.put("variant", after);
        h.chart(Charts.bars("Funnel, baseline and variant", "", "customers", stages, series, false, 620, 320));
        h.raw("</div></div>\n");
    }

    /** What followed, baseline against variant: goal reached, revenue, and the uplift where there was a holdout. */
    private static void results(Html h, JsonNode r, String goal) {
        if (r.isMissingNode()) {
            return;
        }
        h.raw("<tr><td>" + esc(goal) + "</td><td class=\"n\">"
                + num(r.at("/reached/baseline").asLong())
                + "</td><td class=\"n\">" + num(r.at("/reached/variant").asLong()) + "</td><td class=\"n\">"
                + signed(r.at("/reached/delta")) + "</td></tr>");
        h.raw("<tr><td>revenue</td><td class=\"n\">"
                + esc(r.at("/revenue/baseline").asText())
                + "</td><td class=\"n\">" + esc(r.at("/revenue/variant").asText()) + "</td><td class=\"n\">"
                + signed(r.at("/revenue/delta")) + "</td></tr>");
        JsonNode u = r.path("uplift");
        if (!u.isMissingNode()) {
            h.raw("<tr><td>difference against the holdout</td><td class=\"n\">"
                    + esc(points(u.at("/difference/baseline")) + " ("
                            + u.at("/verdict/baseline").asText().replace('_', ' ') + ")")
                    + "</td><td class=\"n\">"
                    + esc(points(u.at("/difference/variant")) + " ("
                            + u.at("/verdict/variant").asText().replace('_', ' ') + ")")
                    + "</td><td></td></tr>");
        }
    }

    private static String points(JsonNode rate) {
        return String.format(java.util.Locale.ROOT, "%+.1f points", 100 * rate.asDouble());
    }

    /** Distinct requests from the summary; without one, every outcome counted. */
    private static long requests(ReportData.Campaign c) {
        return c == null ? 0 : c.requests >= 0 ? c.requests : c.sends() + c.suppressions();
    }

    private static void row(
            Html h,
            String id,
            String stage,
            String label,
            long a,
            long b,
            List<String> stages,
            List<Long> before,
            List<Long> after) {
        stages.add(stage.replace("suppressed:", "").replace("sent:", "sent "));
        before.add(a);
        after.add(b);
        String cls = b > a ? "gain" : b < a ? "loss" : "muted";
        h.raw("<tr><td>" + esc(label) + "</td><td class=\"n\" data-campaign=\"" + esc(id) + "\" data-stage=\""
                + esc(stage)
                + "\" data-side=\"baseline\">" + num(a) + "</td><td class=\"n\" data-campaign=\"" + esc(id)
                + "\" data-stage=\"" + esc(stage) + "\" data-side=\"variant\">" + num(b) + "</td><td class=\"n " + cls
                + "\">" + (b - a > 0 ? "+" : "") + num(b - a) + "</td></tr>");
    }

    private static void interventions(Html h, JsonNode i, JsonNode held) {
        h.el("h2", "Interventions");
        h.raw(
                "<table><tr><th>type</th><th class=\"n\">baseline</th><th class=\"n\">variant</th><th class=\"n\">gained</th>"
                        + "<th class=\"n\">lost</th><th class=\"n\">changed</th></tr>");
        for (String type : keys(i.path("baseline"), i.path("variant"))) {
            h.raw("<tr><td>" + esc(type) + "</td><td class=\"n\">"
                    + num(i.path("baseline").path(type).asLong())
                    + "</td><td class=\"n\">" + num(i.path("variant").path(type).asLong())
                    + "</td><td class=\"n gain\">"
                    + num(i.path("gained").path(type).asLong()) + "</td><td class=\"n loss\">"
                    + num(i.path("lost").path(type).asLong()) + "</td><td class=\"n\">"
                    + num(i.path("changed").path(type).asLong()) + "</td></tr>");
        }
        h.raw(
                "</table>\n<table><tr><th>interventions held because</th><th class=\"n\">gained</th><th class=\"n\">lost</th></tr>");
        for (String reason : keys(held.path("gained"), held.path("lost"))) {
            h.raw("<tr><td>" + esc(reason) + "</td><td class=\"n\">"
                    + num(held.path("gained").path(reason).asLong()) + "</td><td class=\"n\">"
                    + num(held.path("lost").path(reason).asLong()) + "</td></tr>");
        }
        h.raw("</table>\n");
    }

    private static void total(Html h, String label, JsonNode p) {
        h.raw("<tr><td>" + esc(label) + "</td><td class=\"n\">"
                + num(p.path("baseline").asLong()) + "</td><td class=\"n\">"
                + num(p.path("variant").asLong()) + "</td><td class=\"n\">" + signed(p.path("delta")) + "</td></tr>");
    }

    private static List<String> keys(JsonNode a, JsonNode b) {
        TreeSet<String> keys = new TreeSet<>();
        a.fieldNames().forEachRemaining(keys::add);
        b.fieldNames().forEachRemaining(keys::add);
        return new ArrayList<>(keys);
    }

    private static String changes(JsonNode diff) {
        List<String> l = new ArrayList<>();
        diff.path("changes")
                .fields()
                .forEachRemaining(e -> l.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(", ", l);
    }

    private static String counts(JsonNode n) {
        List<String> l = new ArrayList<>();
        n.fields().forEachRemaining(e -> l.add(e.getKey() + " " + e.getValue().asText()));
        return l.isEmpty() ? "none" : String.join(", ", l);
    }

    private static String signed(JsonNode n) {
        String s = n.isNumber() ? n.decimalValue().toPlainString() : n.asText();
        return (n.isNumber() && n.decimalValue().signum() > 0 ? "+" : "") + s;
    }

    private static String relative(Path from, Path to) {
        Path base = from.toAbsolutePath().normalize().getParent();
        return base.relativize(to.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
