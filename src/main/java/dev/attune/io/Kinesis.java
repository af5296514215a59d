package dev.attune.io;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices.InitialPosition;
import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSinkBuilder;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

/**
 * Kinesis sources and sinks from {@code flink-connector-kinesis} 4.3 built from configuration:
 * one source per input stream (the 4.3 source reads by stream ARN), one sink per output stream,
 * partition key userId. Kinesis sinks are at-least-once: subscribers drop repeats by record id.
 */
public final class Kinesis {
    private Kinesis() {}

    /** Properties for the connector's AWS client: region, endpoint, and kinesis.client.* keys. */
    public static Properties clientProperties(Configuration conf) {
        Properties p = new Properties();
        p.setProperty("aws.region", conf.get(KINESIS_REGION));
        if (conf.get(KINESIS_ENDPOINT) != null) {
            p.setProperty("aws.endpoint", conf.get(KINESIS_ENDPOINT));
        }
        conf.toMap().forEach((k, v) -> {
            if (k.startsWith(KINESIS_CLIENT_PREFIX)) {
                p.setProperty(k.substring(KINESIS_CLIENT_PREFIX.length()), v);
            }
        });
        return p;
    }

    /** The connector's parse pattern (SimpleDateFormat) and the same pattern for writing the instant. */
    static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    /** The source's configuration: client properties, initial position and, for AT_TIMESTAMP, the time. */
    public static Configuration sourceConfig(Configuration conf) {
        Configuration c = new Configuration();
        clientProperties(conf).forEach((k, v) -> c.setString((String) k, (String) v));
        c.set(
                KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION,
                KinesisStreamsSourceConfigConstants.InitialPosition.valueOf(
                        conf.get(KINESIS_INITIAL_POSITION).name()));
        if (conf.get(KINESIS_INITIAL_POSITION) == InitialPosition.AT_TIMESTAMP) {
            // The connector parses with SimpleDateFormat, which reads only a prefix of the text: a time
            // with fractions of a second failed the job and an offset's minutes (+05:30) were dropped.
            // Hand it the validated ISO-8601 instant in one fixed UTC form that its pattern reads whole.
            c.set(
                    KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    DateTimeFormatter.ofPattern(TIMESTAMP_PATTERN)
                            .withZone(ZoneOffset.UTC)
                            .format(Instant.parse(conf.get(KINESIS_INITIAL_TIMESTAMP))));
            c.set(KinesisStreamsSourceConfigConstants.STREAM_TIMESTAMP_DATE_FORMAT, TIMESTAMP_PATTERN);
        }
        return c;
    }

    /** The source of one input stream: the connector's, its reads of a shard {@code kinesis.source.poll-interval} apart. */
    public static Source<Inbound, ?, ?> source(Configuration conf, String stream) {
        Configuration sourceConfig = sourceConfig(conf);
        Deserializer deserializer =
                new Deserializer(stream, conf.get(MAX_CLOCK_SKEW).toMillis());
        KinesisStreamsSource<Inbound> connector = KinesisStreamsSource.<Inbound>builder()
                .setStreamArn(conf.get(kinesisStream(stream)))
                .setSourceConfig(sourceConfig)
                .setDeserializationSchema(deserializer)
                .build();
        return new PacedKinesisSource<>(connector, sourceConfig, deserializer, conf.get(KINESIS_POLL_INTERVAL));
    }

    /** A sink for one stream (an ARN or a name), of records whose partition key is their key. */
    public static <T> KinesisStreamsSink<T> sink(
            Configuration conf,
            String streamNameOrArn,
            SerializationSchema<T> serializer,
            org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator<T> keys) {
        return sink(conf, streamNameOrArn, serializer, keys, false);
    }

    /**
     * As {@link #sink(Configuration, String, SerializationSchema,
     * org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator)}; {@code inOrder} keeps one
     * request in flight, so a key's records reach its shard in the order written (unless a put is
     * retried): what {@code attune load} needs for a customer's history.
     */
    public static <T> KinesisStreamsSink<T> sink(
            Configuration conf,
            String streamNameOrArn,
            SerializationSchema<T> serializer,
            org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator<T> keys,
            boolean inOrder) {
        KinesisStreamsSinkBuilder<T> b = KinesisStreamsSink.<T>builder()
                .setKinesisClientProperties(clientProperties(conf))
                .setSerializationSchema(serializer)
                .setPartitionKeyGenerator(keys)
                .setMaxTimeInBufferMS(conf.get(KINESIS_SINK_BUFFER_TIME).toMillis())
                .setFailOnError(false);
        if (inOrder) {
            b.setMaxInFlightRequests(1);
        }
        if (streamNameOrArn.startsWith("arn:")) {
            b.setStreamArn(streamNameOrArn);
            b.setStreamName(streamNameOrArn.substring(streamNameOrArn.lastIndexOf('/') + 1));
        } else {
            b.setStreamName(streamNameOrArn);
        }
        return b.build();
    }

    public static KinesisStreamsSink<OutputRecord> outputSink(Configuration conf, String stream) {
        return sink(
                conf,
                conf.get(kinesisStream(stream)),
                r -> r.json.getBytes(StandardCharsets.UTF_8),
                Kinesis::partitionKey);
    }

    /** Kinesis partition keys are 1-256 characters: the customer, else the record's id. */
    static String partitionKey(OutputRecord r) {
        String k = r.key == null || r.key.isEmpty() ? r.id : r.key;
        return k.length() > 256 ? k.substring(0, 256) : k;
    }

    /** Parses each record where it is read; the position is shard@sequence number. */
    static final class Deserializer implements KinesisDeserializationSchema<Inbound> {
        private static final long serialVersionUID = 1L;
        private final String stream;
        private final long maxSkewMillis;

        Deserializer(String stream, long maxSkewMillis) {
            this.stream = stream;
            this.maxSkewMillis = maxSkewMillis;
        }

        @Override
        public void deserialize(Record record, String streamArn, String shardId, Collector<Inbound> out)
                throws IOException {
            out.collect(RecordParser.parse(
                    stream,
                    shardId + "@" + record.sequenceNumber(),
                    record.data().asByteArray(),
                    System.currentTimeMillis() + maxSkewMillis));
        }

        @Override
        public TypeInformation<Inbound> getProducedType() {
            return RecordSerializers.INBOUND;
        }
    }

    static boolean isInput(String stream) {
        return Streams.INPUTS.contains(stream);
    }
}
