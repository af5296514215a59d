package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.api.common.typeutils.base.StringSerializer;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.api.operators.SimpleOperatorFactory;
import org.junit.jupiter.api.Test;

/** The shape of the job graph a replay builds: which operators share a task. */
class AttuneJobGraphTest {
    static final Path INPUT = ReplayITCase.FIXTURE.resolve("input");

    static StreamGraph replayGraph(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--profile",
                "jobs/replay.properties",
                "--input.path",
                INPUT.toString(),
                "--output.path",
                out.toString()));
        args.addAll(List.of(extra));
        Configuration conf = CommandLine.parse(args.toArray(String[]::new)).conf();
        StreamExecutionEnvironment env = AttuneJob.environment(conf, null);
        Sinks.attach(AttuneJob.decide(Sources.inputs(env, conf), conf), conf);
        return env.getStreamGraph();
    }

    static StreamNode customerStage(StreamGraph graph) {
        return graph.getStreamNodes().stream()
                .filter(n -> n.getOperatorName().equals("decide per customer"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aBatchRunKeysCustomersBySortKeyAndAStreamingRunById() {
        StreamNode batch = customerStage(replayGraph(Path.of("target/graph-test-out")));
        assertThat(batch.getStateKeySerializer()).isInstanceOf(LongSerializer.class);
        assertThat(((SimpleOperatorFactory<?>) batch.getOperatorFactory()).getOperator())
                .isInstanceOf(BatchCustomerOperator.class);
        StreamNode streaming = customerStage(
                replayGraph(Path.of("target/graph-test-out"), "--flink.execution.runtime-mode", "STREAMING"));
        assertThat(streaming.getStateKeySerializer()).isInstanceOf(StringSerializer.class);
        assertThat(((SimpleOperatorFactory<?>) streaming.getOperatorFactory()).getOperator())
                .isExactlyInstanceOf(CustomerOperator.class);
    }

    @Test
    void eachSourceSplitsAndRoutesItsOwnRecords() {
        JobGraph graph = replayGraph(Path.of("target/graph-test-out")).getJobGraph();
        List<String> names = new ArrayList<>();
        for (JobVertex v : graph.getVertices()) {
            names.add(v.getName());
        }
        List<String> split =
                names.stream().filter(n -> n.contains("valid records")).toList();
        // One task per input stream (the fixture has all three), each starting at its source.
        assertThat(split).hasSize(3);
        assertThat(split)
                .allSatisfy(n -> assertThat(n)
                        .startsWith("Source: read ")
                        .contains("valid records and dead letters", "unwrap", "visitors and links", "customers"));
        assertThat(names.stream().filter(n -> n.contains("Source: read "))).hasSize(3);
    }
}
