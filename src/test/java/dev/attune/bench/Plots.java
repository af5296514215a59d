package dev.attune.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of a benchmark run (XChart): throughput and state against customers; the latency distribution. */
final class Plots {
    private Plots() {}

    @SuppressWarnings("unchecked")
    static List<Path> write(Map<String, Object> detail, Path out) {
        System.setProperty("java.awt.headless", "true");
        List<Path> written = new ArrayList<>();
        try {
            List<Map<String, Object>> scale = (List<Map<String, Object>>) detail.get("scale");
            if (scale != null && !scale.isEmpty()) {
                double[] x = new double[scale.size()];
                double[] rate = new double[scale.size()];
                double[] bytes = new double[scale.size()];
                for (int i = 0; i < scale.size(); i++) {
                    x[i] = ((Number) scale.get(i).get("customers")).doubleValue();
                    rate[i] = ((Number) scale.get(i).get("eventsPerSecond")).doubleValue();
                    bytes[i] = ((Number) scale.get(i).get("stateBytesPerCustomer")).doubleValue();
                }
                XYChart c = new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title("Attune end to end (p=1, RocksDB) against customers held in state")
                        .xAxisTitle("customers")
                        .yAxisTitle("events/s")
                        .build();
                c.getStyler().setXAxisLogarithmic(x.length > 1 && x[x.length - 1] / x[0] >= 10);
                c.getStyler().setYAxisMin(0.0);
                XYSeries s = c.addSeries("events/s", x, rate);
                s.setMarker(SeriesMarkers.CIRCLE);
                Path p = out.resolve("throughput.png");
                BitmapEncoder.saveBitmap(c, p.toString(), BitmapEncoder.BitmapFormat.PNG);
                written.add(p);

                XYChart st = new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title("Savepoint bytes per quiet customer")
                        .xAxisTitle("customers")
                        .yAxisTitle("bytes")
                        .build();
                st.getStyler().setXAxisLogarithmic(x.length > 1 && x[x.length - 1] / x[0] >= 10);
                st.getStyler().setYAxisMin(0.0);
                st.addSeries("bytes per customer", x, bytes).setMarker(SeriesMarkers.CIRCLE);
                st.addSeries("goal: 1 KiB", new double[] {x[0], x[x.length - 1]}, new double[] {1024, 1024})
                        .setMarker(SeriesMarkers.NONE);
                Path ps = out.resolve("state.png");
                BitmapEncoder.saveBitmap(st, ps.toString(), BitmapEncoder.BitmapFormat.PNG);
                written.add(ps);
            }
            List<Map<String, Object>> latency = (List<Map<String, Object>>) detail.get("latency");
            if (latency != null && !latency.isEmpty()) {
                XYChart c = new XYChartBuilder()
                        .width(800)
                        .height(500)
                        .title("Struggle event to intervention: latency distribution (p=1, half of max throughput)")
                        .xAxisTitle("latency (ms)")
                        .yAxisTitle("share of interventions at or below")
                        .build();
                c.getStyler().setYAxisMin(0.0);
                c.getStyler().setYAxisMax(1.0);
                for (Map<String, Object> l : latency) {
                    List<Number> ms = (List<Number>) l.get("samplesMs");
                    if (ms == null || ms.isEmpty()) {
                        continue;
                    }
                    double[] x = new double[ms.size()];
                    double[] y = new double[ms.size()];
                    for (int i = 0; i < ms.size(); i++) {
                        x[i] = ms.get(i).doubleValue();
                        y[i] = ms.size() == 1 ? 1 : (double) (i + 1) / ms.size();
                    }
                    c.addSeries(String.valueOf(l.get("settings")), x, y).setMarker(SeriesMarkers.NONE);
                }
                if (!c.getSeriesMap().isEmpty()) {
                    Path p = out.resolve("latency.png");
                    BitmapEncoder.saveBitmap(c, p.toString(), BitmapEncoder.BitmapFormat.PNG);
                    written.add(p);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write plots: " + e.getMessage(), e);
        }
        return written;
    }
}
