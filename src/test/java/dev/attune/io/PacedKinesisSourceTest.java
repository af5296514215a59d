package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.config.ConfigException;
import dev.attune.config.ConfigValidator;
import dev.attune.io.PacedKinesisSource.Paced;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.connector.kinesis.source.proxy.StreamProxy;
import org.apache.flink.connector.kinesis.source.split.StartingPosition;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;
import org.junit.jupiter.api.Test;

/** A shard's reads are spaced by the interval; other shards, and reads that came late anyway, do not wait. */
class PacedKinesisSourceTest {
    private static final long MS = 1_000_000L;

    /** A server that answers at once, recording at what (fake) time each shard was read. */
    private static final class Server implements StreamProxy {
        final List<String> calls = new ArrayList<>();
        long now;

        @Override
        public List<Shard> listShards(String streamArn, String lastSeenShardId) {
            return List.of();
        }

        @Override
        public GetRecordsResponse getRecords(String streamArn, String shardId, StartingPosition from) {
            calls.add(shardId + "@" + now / MS);
            return GetRecordsResponse.builder()
                    .records(List.of())
                    .nextShardIterator("next")
                    .build();
        }

        @Override
        public void close() {}
    }

    private final Server server = new Server();
    private final List<Long> waits = new ArrayList<>();
    private final Paced paced = new Paced(server, Duration.ofMillis(200), () -> server.now, nanos -> {
        waits.add(nanos / MS);
        server.now += nanos;
    });

    private void read(String shard) {
        paced.getRecords("arn", shard, StartingPosition.fromStart());
    }

    @Test
    void aShardReadAgainAtOnceWaitsTheRestOfTheInterval() {
        read("shard-0");
        server.now += 30 * MS; // the records of the first call took 30 ms to hand on
        read("shard-0");
        read("shard-0");

        assertThat(waits).containsExactly(170L, 200L);
        assertThat(server.calls).containsExactly("shard-0@0", "shard-0@200", "shard-0@400");
    }

    @Test
    void shardsArePacedApart() {
        read("shard-0");
        read("shard-1");
        server.now += 50 * MS;
        read("shard-1");

        assertThat(waits).containsExactly(150L);
        assertThat(server.calls).containsExactly("shard-0@0", "shard-1@0", "shard-1@200");
    }

    @Test
    void aReadLaterThanTheIntervalGoesAtOnce() {
        read("shard-0");
        server.now += 350 * MS;
        read("shard-0");

        assertThat(waits).isEmpty();
        assertThat(server.calls).containsExactly("shard-0@0", "shard-0@350");
    }

    @Test
    void noIntervalNeverWaits() {
        Paced unpaced = new Paced(server, Duration.ZERO, () -> server.now, nanos -> waits.add(nanos));
        for (int i = 0; i < 5; i++) {
            unpaced.getRecords("arn", "shard-0", StartingPosition.fromStart());
        }
        assertThat(waits).isEmpty();
        assertThat(server.calls).hasSize(5);
    }

    @Test
    void aNegativeIntervalStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> ConfigValidator.validate(Map.of("kinesis.source.poll-interval", "-1 ms")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kinesis.source.poll-interval");
    }
}
