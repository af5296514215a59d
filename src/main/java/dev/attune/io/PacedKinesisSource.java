package dev.attune.io;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.synchronization.FutureCompletingBlockingQueue;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsConfigConstants;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.enumerator.KinesisStreamsSourceEnumeratorState;
import org.apache.flink.connector.kinesis.source.proxy.KinesisStreamProxy;
import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.reader.KinesisStreamsRecordEmitter;
import org.apache.flink.connector.kinesis.source.reader.KinesisStreamsSourceReader;
import org.apache.flink.connector.kinesis.source.reader.PollingKinesisShardSplitReader;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.connector.kinesis.source.split.KinesisShardSplit;
import org.apache.flink.connector.kinesis.source.split.StartingPosition;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.kinesis.shaded.org.apache.flink.connector.aws.util.AWSClientUtil;
import org.apache.flink.kinesis.shaded.org.apache.flink.connector.aws.util.AWSGeneralUtil;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.SdkHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.utils.AttributeMap;

/**
 * The Kinesis source of {@code flink-connector-kinesis} 4.3 with each shard's {@code GetRecords} calls at
 * least {@code kinesis.source.poll-interval} apart. The connector's own reader calls again the moment a
 * call returns, idle shard or not (FLINK-36947, fixed in connector 5.0, which does not resolve for this
 * build), while AWS allows five reads a second per shard, shared by every consumer of the stream. Splits,
 * enumerator and their state are the connector's: a savepoint restores either way. Remove this class
 * when the connector paces its own reads.
 */
final class PacedKinesisSource<T> implements Source<T, KinesisShardSplit, KinesisStreamsSourceEnumeratorState> {
    private static final long serialVersionUID = 1L;

    private final KinesisStreamsSource<T> connector;
    private final Configuration sourceConfig;
    private final KinesisDeserializationSchema<T> deserializer;
    private final long intervalMillis;

    /** {@code deserializer} needs no {@code open}: the connector's reader would call it, this one does not. */
    PacedKinesisSource(
            KinesisStreamsSource<T> connector,
            Configuration sourceConfig,
            KinesisDeserializationSchema<T> deserializer,
            Duration interval) {
        this.connector = connector;
        this.sourceConfig = sourceConfig;
        this.deserializer = deserializer;
        this.intervalMillis = interval.toMillis();
    }

    @Override
    public Boundedness getBoundedness() {
        return connector.getBoundedness();
    }

    @Override
    public SourceReader<T, KinesisShardSplit> createReader(SourceReaderContext context) {
        FutureCompletingBlockingQueue<RecordsWithSplitIds<Record>> queue = new FutureCompletingBlockingQueue<>();
        return new KinesisStreamsSourceReader<>(
                queue,
                new SingleThreadFetcherManager<>(
                        queue,
                        () -> new PollingKinesisShardSplitReader(new Paced(
                                proxy(sourceConfig),
                                Duration.ofMillis(intervalMillis),
                                System::nanoTime,
                                Paced::sleep))),
                new KinesisStreamsRecordEmitter<>(deserializer),
                sourceConfig,
                context);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState> createEnumerator(
            SplitEnumeratorContext<KinesisShardSplit> context) throws Exception {
        return connector.createEnumerator(context);
    }

    @Override
    public SplitEnumerator<KinesisShardSplit, KinesisStreamsSourceEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<KinesisShardSplit> context, KinesisStreamsSourceEnumeratorState state)
            throws Exception {
        return connector.restoreEnumerator(context, state);
    }

    @Override
    public SimpleVersionedSerializer<KinesisShardSplit> getSplitSerializer() {
        return connector.getSplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<KinesisStreamsSourceEnumeratorState> getEnumeratorCheckpointSerializer() {
        return connector.getEnumeratorCheckpointSerializer();
    }

    /** The connector's client for a reader, built as its own reader builds it (region, credentials, endpoint). */
    private static KinesisStreamProxy proxy(Configuration sourceConfig) {
        SdkHttpClient http =
                AWSGeneralUtil.createSyncHttpClient(AttributeMap.builder().build(), ApacheHttpClient.builder());
        Properties p = new Properties();
        sourceConfig.addAllToProperties(p);
        AWSGeneralUtil.validateAwsCredentials(p);
        KinesisClient client = AWSClientUtil.createAwsSyncClient(
                p,
                http,
                KinesisClient.builder(),
                KinesisStreamsConfigConstants.BASE_KINESIS_USER_AGENT_PREFIX_FORMAT,
                KinesisStreamsConfigConstants.KINESIS_CLIENT_USER_AGENT_PREFIX);
        return new KinesisStreamProxy(client, http);
    }

    /**
     * A reader's client that starts a shard's {@code GetRecords} no sooner than {@code interval} after the
     * start of its previous one, waiting in the reader's fetch thread (never the task's). One fetch
     * thread uses it, so it needs no locking.
     */
    static final class Paced implements StreamProxy {
        private final StreamProxy kinesis;
        private final long intervalNanos;
        private final LongSupplier nanoClock;
        private final LongConsumer waitNanos;
        private final Map<String, Long> nextCall = new HashMap<>();

        Paced(StreamProxy kinesis, Duration interval, LongSupplier nanoClock, LongConsumer waitNanos) {
            this.kinesis = kinesis;
            this.intervalNanos = interval.toNanos();
            this.nanoClock = nanoClock;
            this.waitNanos = waitNanos;
        }

        @Override
        public List<Shard> listShards(String streamArn, String lastSeenShardId) {
            return kinesis.listShards(streamArn, lastSeenShardId);
        }

        @Override
        public GetRecordsResponse getRecords(String streamArn, String shardId, StartingPosition from) {
            Long due = nextCall.get(shardId);
            if (due != null) {
                long wait = due - nanoClock.getAsLong();
                if (wait > 0) {
                    waitNanos.accept(wait);
                }
            }
            nextCall.put(shardId, nanoClock.getAsLong() + intervalNanos);
            return kinesis.getRecords(streamArn, shardId, from);
        }

        static void sleep(long nanos) {
            try {
                Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the reader is closing; the call that follows ends at once
            }
        }

        @Override
        public void close() throws IOException {
            kinesis.close();
        }
    }
}
