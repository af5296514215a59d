package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code main} inside a Flink cluster's program context, as {@code flink run} sets it up (the
 * remote executor, a real cluster behind its REST address), attached and detached: it returns
 * (when the job ends, or once it is submitted), never exits the process and prints no summary;
 * the job's outputs are there all the same.
 */
class MainOnClusterITCase {
    static MiniCluster cluster;
    static URI rest;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new MiniCluster(new MiniClusterConfiguration.Builder()
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(2)
                .build());
        cluster.start();
        rest = cluster.getRestAddress().get();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    @AfterEach
    void leaveTheContext() {
        StreamContextEnvironment.unsetAsContext();
    }

    static void enterTheClientContext(boolean attached) {
        Configuration client = new Configuration();
        client.set(DeploymentOptions.TARGET, "remote");
        client.set(DeploymentOptions.ATTACHED, attached);
        client.set(RestOptions.ADDRESS, rest.getHost());
        client.set(RestOptions.PORT, rest.getPort());
        StreamContextEnvironment.setAsContext(
                new DefaultExecutorServiceLoader(), client, MainOnClusterITCase.class.getClassLoader(), true, false);
    }

    static String main(Path out) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.main(new String[] {
                "--profile",
                "replay",
                "--input.path",
                "src/test/resources/replay/input",
                "--output.path",
                out.toString(),
                "--parallelism",
                "2"
            });
        } finally {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    static long interventions(Path out) throws Exception {
        Path dir = out.resolve("interventions");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            long n = 0;
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
                    .toList()) {
                n += Files.readAllLines(f).size();
            }
            return n;
        }
    }

    @Test
    void attachedMainReturnsWhenTheJobHasEnded(@TempDir Path out) throws Exception {
        enterTheClientContext(true);
        String printed = main(out);
        assertThat(printed)
                .contains("on a Flink cluster")
                .containsPattern("Attune: job [0-9a-f]{32} finished")
                .doesNotContain("Outputs under")
                .doesNotContain("Report:")
                .doesNotContain("Finished in");
        assertThat(interventions(out)).isPositive();
    }

    @Test
    void detachedMainReturnsOnSubmissionAndTheJobRunsOn(@TempDir Path out) throws Exception {
        enterTheClientContext(false);
        String printed = main(out);
        assertThat(printed)
                .containsPattern("Attune: job [0-9a-f]{32} submitted")
                .doesNotContain("Outputs under");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (cluster.listJobs().get().stream().anyMatch(j -> !j.getJobState().isGloballyTerminalState())) {
            assertThat(System.nanoTime()).as("the job ends within 3 min").isLessThan(deadline);
            Thread.sleep(200);
        }
        assertThat(cluster.listJobs().get())
                .extracting(JobStatusMessage::getJobState)
                .allMatch(s -> s.name().equals("FINISHED"));
        assertThat(interventions(out)).isPositive();
    }
}
