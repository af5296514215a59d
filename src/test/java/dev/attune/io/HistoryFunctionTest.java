package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class HistoryFunctionTest {
    @Test
    void interleavingIsAPermutationAndEachReaderWalksTheHistoryInOrder() {
        for (int readers : new int[] {1, 2, 3, 4, 6}) {
            long size = 480;
            BitSet seen = new BitSet();
            long block = size / readers;
            for (int r = 0; r < readers; r++) {
                long previous = -1;
                for (long i = r * block; i < (r + 1) * block; i++) {
                    long record = Sources.HistoryFunction.interleave(i, size, readers);
                    assertThat(record).isGreaterThan(previous).isLessThan(size);
                    assertThat(seen.get((int) record))
                            .as("record %d twice", record)
                            .isFalse();
                    seen.set((int) record);
                    previous = record;
                }
            }
            assertThat(seen.cardinality()).isEqualTo((int) size);
        }
    }

    @Test
    void timestampsOfEachReaderNeverGoBackMoreThanAWaveAllows() {
        SyntheticHistory h = new SyntheticHistory(1, 500, "2026-11-21T08:00:00Z", 0, 0);
        long size = h.size();
        long block = size / 2;
        for (int r = 0; r < 2; r++) {
            long last = Long.MIN_VALUE;
            for (long i = r * block; i < (r + 1) * block; i++) {
                long t = h.at(Sources.HistoryFunction.interleave(i, size, 2)).timestamp();
                assertThat(t).isGreaterThanOrEqualTo(last);
                last = t;
            }
        }
    }
}
