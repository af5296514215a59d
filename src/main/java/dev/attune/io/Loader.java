package dev.attune.io;

import static dev.attune.config.AttuneOptions.*;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.config.Choices.SourceKind;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code attune load --profile P --input.path IN}: copies archived {@code .jsonl}/{@code .jsonl.gz}
 * history, line for line and byte for byte, into the profile's input topics or streams (the
 * system named by {@code source.kind}), keyed by userId, each file's lines in order, so a replay
 * through the real pipeline is one command. A bounded Flink job using the same connectors as Attune.
 */
public final class Loader {
    private Loader() {}

    public static JobExecutionResult run(StreamExecutionEnvironment env, Configuration conf) throws Exception {
        String input = conf.get(INPUT_PATH);
        SourceKind target = conf.get(SOURCE_KIND);
        for (String stream : Streams.INPUTS) {
            java.nio.file.Path dir = java.nio.file.Path.of(input, stream);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            FileSource<byte[]> files = FileSource.forRecordStreamFormat(
                            new JsonLinesFormat.RawLines(), new Path(dir.toUri()))
                    .setFileEnumerator(() -> new NonSplittingRecursiveEnumerator(JsonLinesFormat::isInputFile))
                    .build();
            DataStream<byte[]> lines = env.fromSource(
                    files,
                    WatermarkStrategy.noWatermarks(),
                    "read " + stream,
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
            if (target == SourceKind.KAFKA) {
                String topic = conf.get(kafkaTopic(stream));
                lines.sinkTo(KafkaSink.<byte[]>builder()
                                .setBootstrapServers(conf.get(KAFKA_BOOTSTRAP))
                                .setKafkaProducerConfig(Kafka.clientProperties(conf))
                                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                                .setRecordSerializer((line, ctx, ts) ->
                                        new ProducerRecord<>(topic, key(line).getBytes(StandardCharsets.UTF_8), line))
                                .build())
                        .name("load " + topic);
            } else if (target == SourceKind.KINESIS) {
                lines.sinkTo(Kinesis.<byte[]>sink(
                                conf, conf.get(kinesisStream(stream)), line -> line, Loader::key, true))
                        .name("load " + stream);
            } else {
                throw new IllegalArgumentException("source.kind must be kafka or kinesis to load, was " + target);
            }
        }
        return env.execute("attune load");
    }

    /** The partition key of a raw record: its userId, else anonymousId, else requestId or messageId. */
    static String key(byte[] line) {
        try {
            JsonNode n = Json.MAPPER.readTree(line);
            for (String f : new String[] {"userId", "anonymousId", "requestId", "messageId"}) {
                if (n.path(f).isTextual() && !n.get(f).textValue().isEmpty()) {
                    String k = n.get(f).textValue();
                    return k.length() > 256 ? k.substring(0, 256) : k;
                }
            }
        } catch (Exception e) {
            // not JSON: it still goes in, and the job dead-letters it
        }
        return "unparsed";
    }
}
