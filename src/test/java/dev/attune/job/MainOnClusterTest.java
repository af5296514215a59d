package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.config.ConfigException;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.DefaultExecutorServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inside a Flink cluster's program context (what {@code flink run} and an application-mode
 * JobManager set up) {@code main} throws what is wrong instead of exiting the process. The job
 * really submitted to real clusters is {@code ClusterModesITCase}'s.
 */
class MainOnClusterTest {
    @AfterEach
    void leaveTheContext() {
        StreamContextEnvironment.unsetAsContext();
    }

    static void enterAClusterContext() {
        Configuration cluster = new Configuration();
        cluster.set(DeploymentOptions.TARGET, "remote");
        StreamContextEnvironment.setAsContext(
                new DefaultExecutorServiceLoader(), cluster, MainOnClusterTest.class.getClassLoader(), true, false);
    }

    @Test
    void javaJarIsNotACluster() {
        assertThat(AttuneJob.onCluster()).isFalse();
    }

    @Test
    void aClusterContextIsOne() {
        enterAClusterContext();
        assertThat(AttuneJob.onCluster()).isTrue();
    }

    @Test
    void aBadConfigurationOnAClusterIsAnExceptionNamingTheKeyNotAnExit() {
        enterAClusterContext();
        assertThatThrownBy(() -> Main.main(new String[] {"--profile", "kafka", "--fatigue.caps", "lots"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("fatigue.caps: ");
        assertThatThrownBy(() -> Main.main(new String[] {"report", "--profile", "local"}))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("command: 'report' runs with java -jar");
    }
}
