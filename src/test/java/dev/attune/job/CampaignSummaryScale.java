package dev.attune.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.policy.CampaignFact;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The benchmark's {@code campaign} section: the shipped campaign-summary operator on RocksDB (as the
 * live profiles run it) in Flink's operator test harness (a shortcut: no job, no network), handed
 * one campaign's facts all in one minute of event time, as a campaign sent to many customers at once
 * gives them; then the watermark. Reports the time for each size: it grows with the number of
 * facts, not with its square.
 */
public final class CampaignSummaryScale {
    private CampaignSummaryScale() {}

    /** Seconds and facts per second for each number of facts; fails if the summary does not count them all. */
    public static Map<String, Object> run(List<Integer> sizes) throws Exception {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int n : sizes) {
            var h = new KeyedOneInputStreamOperatorTestHarness<>(
                    new CampaignSummaryFunction.Operator(new CampaignSummaryFunction("USD"), false),
                    (CampaignFact f) -> f.campaignId,
                    Types.STRING);
            h.setStateBackend(new EmbeddedRocksDBStateBackend());
            h.open();
            long t0 = CampaignSummaryHarnessTest.T0;
            long started = System.nanoTime();
            for (int i = 0; i < n; i++) {
                CampaignFact f = CampaignSummaryHarnessTest.fact("r" + i, t0 + i % 60_000, "sms", null, false);
                h.processElement(new StreamRecord<>(f, f.eventTime));
            }
            h.processWatermark(t0 + 10 * 60_000);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<OutputRecord> out = h.extractOutputValues();
            JsonNode summary = Json.MAPPER.readTree(out.get(out.size() - 1).json);
            if (out.size() != 1 || summary.get("requests").asInt() != n) {
                throw new IllegalStateException("the summary of " + n + " facts: " + out);
            }
            h.close();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("facts", n);
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("factsPerSecond", Math.round(n / seconds));
            d.put(Integer.toString(n), m);
        }
        return d;
    }
}
