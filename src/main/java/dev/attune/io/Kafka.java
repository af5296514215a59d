package dev.attune.io;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices.Delivery;
import dev.attune.config.Choices.SinkKind;
import dev.attune.config.Choices.SourceKind;
import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Kafka source and sink built from configuration: records keyed by userId, exactly-once out. */
public final class Kafka {
    private Kafka() {}

    /** Input topic → stream name. */
    public static Map<String, String> inputTopics(Configuration conf) {
        Map<String, String> topics = new HashMap<>();
        for (String stream : Streams.INPUTS) {
            topics.put(conf.get(kafkaTopic(stream)), stream);
        }
        return topics;
    }

    /** Output stream name → topic. */
    public static Map<String, String> outputTopics(Configuration conf) {
        Map<String, String> topics = new HashMap<>();
        for (String stream : Streams.OUTPUTS) {
            topics.put(stream, conf.get(kafkaTopic(stream)));
        }
        return topics;
    }

    public static KafkaSource<Inbound> source(Configuration conf) {
        Map<String, String> topics = inputTopics(conf);
        KafkaSourceBuilder<Inbound> b = KafkaSource.<Inbound>builder()
                .setBootstrapServers(conf.get(KAFKA_BOOTSTRAP))
                .setGroupId(conf.get(KAFKA_GROUP))
                .setTopics(new ArrayList<>(topics.keySet()))
                .setDeserializer(
                        new Deserializer(topics, conf.get(MAX_CLOCK_SKEW).toMillis()))
                .setStartingOffsets(
                        switch (conf.get(KAFKA_START)) {
                            case EARLIEST -> OffsetsInitializer.earliest();
                            case LATEST -> OffsetsInitializer.latest();
                            default -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
                        })
                .setProperties(sourceProperties(conf));
        if (conf.get(SOURCE_BOUNDED)) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /**
     * The source's consumer settings: committed records only, partitions discovered every minute, and a
     * fetch that waits at most {@value #FETCH_MAX_WAIT_MS} ms for data; then whatever {@code kafka.client.*}
     * gives. One consumer reads all three input topics and has one fetch in flight per broker: when
     * the busy topic's records are still being handed on, the next fetch asks only for the idle topics
     * and the broker holds it for {@code fetch.max.wait.ms} (Kafka's default 500 ms) while the busy topic's
     * records pile up, a rhythm of a few large fetches a second that a busy job can stay in (BENCHMARKS.md).
     */
    static Properties sourceProperties(Configuration conf) {
        Properties p = new Properties();
        p.setProperty("isolation.level", "read_committed");
        p.setProperty("partition.discovery.interval.ms", "60000");
        p.setProperty("fetch.max.wait.ms", Integer.toString(FETCH_MAX_WAIT_MS));
        p.putAll(clientProperties(conf));
        return p;
    }

    static final int FETCH_MAX_WAIT_MS = 100;

    /** The delivery of each output stream: {@code kafka.delivery}, but for the interventions' own key. */
    public static Delivery delivery(Configuration conf, String stream) {
        Delivery all = conf.get(KAFKA_DELIVERY);
        return Streams.INTERVENTIONS.equals(stream) && all == Delivery.EXACTLY_ONCE
                ? conf.get(KAFKA_INTERVENTIONS_DELIVERY)
                : all;
    }

    public static KafkaSink<OutputRecord> sink(Configuration conf, Delivery delivery) {
        boolean exactlyOnce = delivery == Delivery.EXACTLY_ONCE;
        return KafkaSink.<OutputRecord>builder()
                .setBootstrapServers(conf.get(KAFKA_BOOTSTRAP))
                .setRecordSerializer(new Serializer(outputTopics(conf)))
                .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
                .setTransactionalIdPrefix(conf.get(KAFKA_TX_PREFIX))
                .setProperty(
                        "transaction.timeout.ms",
                        Long.toString(conf.get(KAFKA_TX_TIMEOUT).toMillis()))
                .setKafkaProducerConfig(clientProperties(conf))
                .build();
    }

    public static Properties clientProperties(Configuration conf) {
        Properties p = new Properties();
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(KAFKA_CLIENT_PREFIX)) {
                p.setProperty(k.substring(KAFKA_CLIENT_PREFIX.length()), v);
            }
        });
        return p;
    }

    /** Parses each record where it is read; the position is topic-partition@offset. */
    static final class Deserializer implements KafkaRecordDeserializationSchema<Inbound> {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> topicToStream;
        private final long maxSkewMillis;

        Deserializer(Map<String, String> topicToStream, long maxSkewMillis) {
            this.topicToStream = new HashMap<>(topicToStream);
            this.maxSkewMillis = maxSkewMillis;
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Inbound> out) {
            String stream = topicToStream.getOrDefault(record.topic(), record.topic());
            byte[] value = record.value() == null ? new byte[0] : record.value();
            out.collect(RecordParser.parse(
                    stream,
                    record.topic() + "-" + record.partition() + "@" + record.offset(),
                    value,
                    System.currentTimeMillis() + maxSkewMillis));
        }

        @Override
        public TypeInformation<Inbound> getProducedType() {
            return RecordSerializers.INBOUND;
        }
    }

    /**
     * Routes each output record to its stream's topic, keyed by customer. The Kafka record
     * timestamp is left to the producer (the time of writing), not the event time: a topic's
     * time-based retention ({@code retention.ms}, 7 days by default) counts from the record
     * timestamp, so the decisions of a replay of older history would be deleted by the broker's
     * next retention check, minutes after they were written. The event time is the record's own
     * {@code eventTime} field.
     */
    static final class Serializer implements KafkaRecordSerializationSchema<OutputRecord> {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> streamToTopic;

        Serializer(Map<String, String> streamToTopic) {
            this.streamToTopic = new HashMap<>(streamToTopic);
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(OutputRecord r, KafkaSinkContext ctx, Long timestamp) {
            String key = r.key == null || r.key.isEmpty() ? r.id : r.key;
            return new ProducerRecord<>(
                    streamToTopic.get(r.stream),
                    null,
                    null,
                    key.getBytes(StandardCharsets.UTF_8),
                    r.json.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Start-up check: the brokers answer and every topic the job reads or writes exists, so a
     * wrong setting stops start-up with the key's name instead of a job that waits forever.
     */
    public static void preflight(Configuration conf, boolean load) {
        Properties p = clientProperties(conf);
        p.setProperty("bootstrap.servers", conf.get(KAFKA_BOOTSTRAP));
        p.setProperty("request.timeout.ms", "10000");
        p.setProperty("default.api.timeout.ms", "10000");
        List<String> streams = new ArrayList<>();
        if (conf.get(SOURCE_KIND) == SourceKind.KAFKA) {
            streams.addAll(Streams.INPUTS); // the loader writes these, the job reads them
        }
        if (conf.get(SINK_KIND) == SinkKind.KAFKA && !load) {
            streams.addAll(Streams.OUTPUTS);
        }
        java.util.Set<String> existing = java.util.Set.of();
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            // A topic created a moment ago may take a little while to be listed: ask a few times.
            for (int attempt = 0; attempt < 10; attempt++) {
                existing = admin.listTopics().names().get(15, java.util.concurrent.TimeUnit.SECONDS);
                java.util.Set<String> seen = existing;
                if (streams.stream().allMatch(st -> seen.contains(conf.get(kafkaTopic(st))))) {
                    break;
                }
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new dev.attune.config.ConfigException(
                    KAFKA_BOOTSTRAP.key(),
                    "no Kafka broker answered at '" + conf.get(KAFKA_BOOTSTRAP) + "' ("
                            + e.getClass().getSimpleName() + ")");
        }
        for (String stream : streams) {
            String topic = conf.get(kafkaTopic(stream));
            if (!existing.contains(topic)) {
                throw new dev.attune.config.ConfigException(
                        "kafka.topic." + stream,
                        "topic '" + topic + "' does not exist on " + conf.get(KAFKA_BOOTSTRAP));
            }
        }
    }

    /** All topics of a configuration, inputs then outputs. */
    public static List<String> allTopics(Configuration conf) {
        List<String> out = new ArrayList<>(inputTopics(conf).keySet());
        out.addAll(outputTopics(conf).values());
        return out;
    }
}
