package dev.attune.job;

import dev.attune.contract.InputRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The customer operator of a batch run, keyed by {@link CustomerSortKey}: Flink sorts its input
 * by key, so every record of one key comes in a row. Two customer ids that share a sort key would
 * arrive in one row; it fails the run at the first such record instead of deciding them as one
 * customer.
 */
final class BatchCustomerOperator extends CustomerOperator {
    private static final long serialVersionUID = 1L;
    private transient Object lastKey;
    private transient String lastId;

    BatchCustomerOperator(CustomerFunction function) {
        super(function);
    }

    @Override
    public void processElement(StreamRecord<InputRecord> element) throws Exception {
        String id = element.getValue().userId;
        Object key = getCurrentKey();
        if (key.equals(lastKey) && !id.equals(lastId)) {
            throw new IllegalStateException(CustomerSortKey.collision(lastId, id));
        }
        lastKey = key;
        lastId = id;
        super.processElement(element);
    }
}
