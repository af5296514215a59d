package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

class KafkaSourcePropertiesTest {
    @Test
    void theSourceWaitsAtMostATenthOfASecondForAFetchUnlessTheOperatorSaysOtherwise() {
        Properties p = Kafka.sourceProperties(new Configuration());
        assertThat(p.getProperty("fetch.max.wait.ms")).isEqualTo("100");
        assertThat(p.getProperty("isolation.level")).isEqualTo("read_committed");

        Configuration given = new Configuration();
        given.setString("kafka.client.fetch.max.wait.ms", "300");
        given.setString("kafka.client.max.poll.records", "200");
        Properties q = Kafka.sourceProperties(given);
        assertThat(q.getProperty("fetch.max.wait.ms")).isEqualTo("300");
        assertThat(q.getProperty("max.poll.records")).isEqualTo("200");
    }
}
