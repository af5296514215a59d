package dev.attune.io;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices.Delivery;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.PrintSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** The output side: one sink for all output streams, routed by {@link OutputRecord#stream}. */
public final class Sinks {
    private Sinks() {}

    public static void attach(DataStream<OutputRecord> outputs, Configuration conf) {
        switch (conf.get(SINK_KIND)) {
            case FILES ->
                outputs.sinkTo(files(conf.get(OUTPUT_PATH))).name("write files").uid("sink-files");
            case STDOUT ->
                outputs.map(o -> o.stream + " " + o.json)
                        .name("format")
                        .sinkTo(new PrintSink<>())
                        .name("print")
                        .uid("sink-stdout");
            case DISCARD ->
                outputs.sinkTo(new DiscardingSink<>()).name("discard").uid("sink-discard");
            case KAFKA -> {
                // Interventions at-least-once go out the moment they are decided; the other streams keep
                // kafka.delivery (exactly-once: committed with each checkpoint), under the sink's old uid.
                Delivery interventions = Kafka.delivery(conf, Streams.INTERVENTIONS);
                if (interventions == conf.get(KAFKA_DELIVERY)) {
                    outputs.sinkTo(Kafka.sink(conf, interventions))
                            .name("write kafka")
                            .uid("sink-kafka");
                } else {
                    outputs.filter(o -> Streams.INTERVENTIONS.equals(o.stream))
                            .name("only interventions")
                            .sinkTo(Kafka.sink(conf, interventions))
                            .name("write kafka interventions")
                            .uid("sink-kafka-interventions");
                    outputs.filter(o -> !Streams.INTERVENTIONS.equals(o.stream))
                            .name("all but interventions")
                            .sinkTo(Kafka.sink(conf, conf.get(KAFKA_DELIVERY)))
                            .name("write kafka")
                            .uid("sink-kafka");
                }
            }
            case KINESIS -> {
                for (String stream : Streams.OUTPUTS) {
                    outputs.filter(o -> stream.equals(o.stream))
                            .name("only " + stream)
                            .sinkTo(Kinesis.outputSink(conf, stream))
                            .name("write kinesis " + stream)
                            .uid("sink-kinesis-" + stream);
                }
            }
        }
    }

    /** JSON lines under {@code OUT/<stream>/part-*.jsonl}, committed on each checkpoint. */
    public static FileSink<OutputRecord> files(String outputPath) {
        Encoder<OutputRecord> encoder = (record, stream) -> {
            stream.write(record.json.getBytes(StandardCharsets.UTF_8));
            stream.write('\n');
        };
        return FileSink.forRowFormat(
                        new Path(java.nio.file.Path.of(outputPath)
                                .toAbsolutePath()
                                .toUri()),
                        encoder)
                .withBucketAssigner(new ByStream())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix("part")
                        .withPartSuffix(".jsonl")
                        .build())
                .build();
    }

    static final class ByStream implements BucketAssigner<OutputRecord, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getBucketId(OutputRecord element, Context context) {
            return element.stream;
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
