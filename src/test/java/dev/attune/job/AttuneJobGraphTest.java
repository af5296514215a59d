package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.CommandLine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/** The shape of the job graph a replay builds: which operators share a task. */
class AttuneJobGraphTest {
    static final Path INPUT = ReplayITCase.FIXTURE.resolve("input");

    static JobGraph replayGraph(Path out) {
        Configuration conf = CommandLine.parse(new String[] {
                    "--profile",
                    "jobs/replay.properties",
                    "--input.path",
                    INPUT.toString(),
                    "--output.path",
                    out.toString()
                })
                .conf();
        StreamExecutionEnvironment env = AttuneJob.environment(conf, null);
        AttuneJob.build(env, conf);
        return env.getStreamGraph().getJobGraph();
    }

    @Test
    void eachSourceSplitsAndRoutesItsOwnRecords() {
        JobGraph graph = replayGraph(Path.of("target/graph-test-out"));
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
