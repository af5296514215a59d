package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.contract.InputRecord;
import dev.attune.testing.Defaults;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class CustomerSortKeyTest {

    @Test
    void eachCustomerGoesToTheSubtaskItsIdGoesTo() {
        for (int i = 0; i < 20_000; i++) {
            String id = (i % 3 == 0 ? "cust-" : i % 3 == 1 ? "u_" : "customer-000") + i;
            Long key = CustomerSortKey.of(id);
            assertThat(key.hashCode()).isEqualTo(id.hashCode());
            for (int parallelism : new int[] {1, 2, 3, 8}) {
                assertThat(KeyGroupRangeAssignment.assignKeyToParallelOperator(key, 128, parallelism))
                        .isEqualTo(KeyGroupRangeAssignment.assignKeyToParallelOperator(id, 128, parallelism));
            }
        }
    }

    @Test
    void idsWithOneHashCodeGetTwoKeys() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        assertThat(CustomerSortKey.of("Aa")).isNotEqualTo(CustomerSortKey.of("BB"));
        assertThat("AaAa".hashCode()).isEqualTo("BBBB".hashCode());
        assertThat(CustomerSortKey.of("AaAa")).isNotEqualTo(CustomerSortKey.of("BBBB"));
        Set<Long> keys = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            keys.add(CustomerSortKey.of("customer-" + i));
        }
        assertThat(keys).hasSize(200_000);
    }

    static InputRecord record(String userId, long time) {
        InputRecord r = new InputRecord();
        r.messageId = userId + "-" + time;
        r.userId = userId;
        r.type = "track";
        r.event = "Page Viewed";
        r.stream = "user-events";
        r.timestamp = time;
        return r;
    }

    @Test
    void twoIdsUnderOneKeyStopTheRun() throws Exception {
        BatchCustomerOperator op = new BatchCustomerOperator(
                new CustomerFunction(Defaults.engine(Defaults.signals()), CustomerFunctionTest.TTL));
        // Every record under one key, as two ids whose sort keys collided would come.
        try (var h = new KeyedOneInputStreamOperatorTestHarness<Long, InputRecord, dev.attune.contract.OutputRecord>(
                op, r -> 7L, Types.LONG)) {
            h.open();
            h.processElement(record("a", 1_000), 1_000);
            h.processElement(record("a", 2_000), 2_000);
            assertThatThrownBy(() -> h.processElement(record("b", 3_000), 3_000))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("share the batch sort key");
        }
    }

    @Test
    void oneIdAfterAnotherUnderTheirOwnKeysIsNoCollision() throws Exception {
        BatchCustomerOperator op = new BatchCustomerOperator(
                new CustomerFunction(Defaults.engine(Defaults.signals()), CustomerFunctionTest.TTL));
        try (var h = new KeyedOneInputStreamOperatorTestHarness<Long, InputRecord, dev.attune.contract.OutputRecord>(
                op, CustomerSortKey::of, Types.LONG)) {
            h.open();
            h.processElement(record("a", 1_000), 1_000);
            h.processElement(record("b", 1_000), 1_000);
            h.processElement(record("a", 2_000), 2_000);
            h.processWatermark(Long.MAX_VALUE);
        }
    }
}
