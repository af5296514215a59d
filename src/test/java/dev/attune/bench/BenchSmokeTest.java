package dev.attune.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the benchmark from rotting: the quick mode's code path on tiny sizes. No timing is
 * asserted, only that every section ran and the summary has its keys with sane values.
 */
class BenchSmokeTest {
    static final List<String> KEYS = List.of(
            "eventsPerSecondPerCore",
            "eventsPerCpuSecondP1",
            "eventsPerCpuSecondP2",
            "ratioToParse",
            "ratioToNaive",
            "latencyP99Ms",
            "modelCallsPer1000",
            "atRiskRecall",
            "stateBytesPerQuietCustomer",
            "restoreSecondsPerMillionCustomers");

    @Test
    void theQuickPathRunsOnTinySizesAndWritesTheSummary(@TempDir Path out) throws Exception {
        Map<String, Object> summary =
                Bench.run(Bench.Sizes.tiny(), List.of(), out, null, new PrintStream(OutputStream.nullOutputStream()));
        assertThat(summary).containsKeys(KEYS.toArray(String[]::new)).containsKey("detail");
        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        for (String k : KEYS) {
            assertThat(json.has(k)).as(k).isTrue();
        }
        for (String k : List.of(
                "eventsPerSecondPerCore",
                "eventsPerCpuSecondP2",
                "ratioToParse",
                "ratioToNaive",
                "modelCallsPer1000",
                "atRiskRecall",
                "stateBytesPerQuietCustomer",
                "restoreSecondsPerMillionCustomers")) {
            assertThat(json.get(k).isNumber()).as(k).isTrue();
            assertThat(json.get(k).asDouble()).as(k).isGreaterThanOrEqualTo(0);
        }
        // Tiny runs may see no struggle burst decided in time; when there is a latency it is not negative.
        if (json.get("latencyP99Ms").isNumber()) {
            assertThat(json.get("latencyP99Ms").asDouble()).isGreaterThanOrEqualTo(0);
        }
        assertThat(json.get("atRiskRecall").asDouble()).isLessThanOrEqualTo(1.0);
        assertThat(json.get("stateBytesPerQuietCustomer").asDouble()).isPositive();
        assertThat(out.resolve("throughput.png")).exists();
    }
}
