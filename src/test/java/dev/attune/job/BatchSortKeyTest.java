package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The key a batch replay sorts customers by, and what happens when two ids share it. */
class BatchSortKeyTest {
    @Test
    void theSortSeesEightBytesOfDigestForAnyId() throws Exception {
        BatchSortKey.Serializer s = BatchSortKey.Serializer.INSTANCE;
        assertThat(s.getLength()).isEqualTo(8);
        Set<Long> seen = new HashSet<>();
        for (String id : new String[] {
            "user-000080", "user-000081", "", "ü", "f47ac10b-58cc-4372-a567-0e02b2c3d479", "顧客-1", "x".repeat(10_000)
        }) {
            DataOutputSerializer out = new DataOutputSerializer(8);
            s.serialize(id, out);
            assertThat(out.length()).as(id).isEqualTo(8);
            assertThat(out.wrapAsByteBuffer().getLong()).isEqualTo(BatchSortKey.digest(id));
            assertThat(seen.add(BatchSortKey.digest(id))).as("digest of %s", id).isTrue();
        }
        assertThat(BatchSortKey.digest("user-000080")).isEqualTo(BatchSortKey.digest(new String("user-000080")));
    }

    @Test
    void aMillionIdsHaveAMillionDigests() {
        Set<Long> digests = new HashSet<>();
        for (int i = 0; i < 1_000_000; i++) {
            digests.add(BatchSortKey.digest("user-" + i));
        }
        assertThat(digests).hasSize(1_000_000);
    }

    /** A digest of the length, so that ids of one length collide. */
    static CustomerOperator.DigestRun byLength() {
        return new CustomerOperator.DigestRun(String::length);
    }

    @Test
    void customersWhoShareADigestButComeOneAfterTheOtherAreDecidedAsUsual() {
        CustomerOperator.DigestRun run = byLength();
        for (String id : new String[] {"a", "a", "b", "b", "cc", "dd", "dd", "e", "a"}) {
            run.next(id); // "a" again after "e": another run of its digest, as after a digest in between
        }
    }

    @Test
    void aCustomerWhoseRecordsComeBackAfterAnotherWithTheSameDigestStopsTheReplayNamingBoth() {
        CustomerOperator.DigestRun run = byLength();
        run.next("a");
        run.next("b");
        assertThatThrownBy(() -> run.next("a"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'a'")
                .hasMessageContaining("'b'")
                .hasMessageContaining("--flink.execution.runtime-mode STREAMING");
    }
}
