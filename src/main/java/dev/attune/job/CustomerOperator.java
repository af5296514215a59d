package dev.attune.job;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;

/**
 * {@link CustomerFunction} as the job runs it: a plain keyed process operator that, when restored,
 * first moves what a version-1 savepoint held in {@code pending} into {@code held} (see
 * {@link CustomerFunction#moveV1Pending}). A function cannot list the keys of its state; an
 * operator can.
 */
public class CustomerOperator extends KeyedProcessOperator<String, InputRecord, OutputRecord> {
    private static final long serialVersionUID = 1L;

    public CustomerOperator(CustomerFunction function) {
        super(function);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        if (context.isRestored()) {
            CustomerFunction.moveV1Pending(getKeyedStateBackend());
        }
    }
}
