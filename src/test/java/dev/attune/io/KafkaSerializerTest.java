package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.configuration.Configuration;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class KafkaSerializerTest {
    final Kafka.Serializer serializer = new Kafka.Serializer(Kafka.outputTopics(new Configuration()));

    @Test
    void aDecisionGoesToItsStreamsTopicKeyedByCustomer() {
        ProducerRecord<byte[], byte[]> r = serializer.serialize(
                new OutputRecord(Streams.INTERVENTIONS, "u-1", "i-1", "{\"interventionId\":\"i-1\"}"), null, 1L);
        assertThat(r.topic()).isEqualTo("interventions");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("u-1");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("{\"interventionId\":\"i-1\"}");
    }

    @Test
    void aRecordWithoutCustomerIsKeyedByItsId() {
        ProducerRecord<byte[], byte[]> r =
                serializer.serialize(new OutputRecord(Streams.DEAD_LETTER, null, "d-1", "{}"), null, null);
        assertThat(r.topic()).isEqualTo("dead-letter");
        assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("d-1");
    }

    /**
     * The decisions of a replay of three-week-old history carry that history's event time; as
     * Kafka record timestamps they would be past a 7-day retention.ms and deleted by the broker's
     * next retention check. The producer stamps the time of writing instead.
     */
    @Test
    void theKafkaTimestampIsTheTimeOfWritingNotTheEventTime() {
        long threeWeeksAgo = Instant.now().minusSeconds(21 * 86_400).toEpochMilli();
        ProducerRecord<byte[], byte[]> r =
                serializer.serialize(new OutputRecord(Streams.CAMPAIGN_SENDS, "u-1", "s-1", "{}"), null, threeWeeksAgo);
        assertThat(r.timestamp()).isNull();
    }
}
