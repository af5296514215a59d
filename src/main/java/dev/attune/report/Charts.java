package dev.attune.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Bar charts drawn by XChart and inlined as PNG data URIs, so the page needs no network. (XChart
 * draws its text as outlines, which makes an SVG of the same chart ten times the size.)
 */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {}

    /**
     * One bar group per category, one bar per series ({@code stacked} piles them up).
     *
     * @param series series name to one value per category, in category order
     */
    static String bars(
            String title,
            String xTitle,
            String yTitle,
            List<String> categories,
            Map<String, List<? extends Number>> series,
            boolean stacked,
            int width,
            int height) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(width)
                .height(height)
                .title(title)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        var style = chart.getStyler();
        style.setStacked(stacked);
        style.setLegendPosition(LegendPosition.OutsideE);
        style.setLegendVisible(series.size() > 1);
        style.setChartBackgroundColor(java.awt.Color.WHITE);
        style.setPlotGridVerticalLinesVisible(false);
        style.setXAxisLabelRotation(categories.size() > 3 ? 45 : 0);
        style.setDecimalPattern("#,###");
        List<String> cats = categories.isEmpty() ? List.of("(none)") : categories;
        series.forEach((name, values) -> {
            List<Number> ys = new ArrayList<>(values);
            while (ys.size() < cats.size()) {
                ys.add(0);
            }
            chart.addSeries(name, cats, ys);
        });
        if (series.isEmpty()) {
            chart.addSeries("none", cats, List.of(0));
        }
        return img(chart, title);
    }

    /** The chart as an {@code <img>} whose source is the PNG itself. */
    static String img(CategoryChart chart, String alt) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapFormat.PNG);
            return "<img alt=\"" + Html.esc(alt) + "\" width=\"" + chart.getWidth() + "\" height=\"" + chart.getHeight()
                    + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\">";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
