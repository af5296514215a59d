package dev.attune.job;

import dev.attune.contract.OutputRecord;
import dev.attune.policy.CampaignFact;
import dev.attune.policy.CampaignTally;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.runtime.state.internal.InternalListState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OperatorAttributes;
import org.apache.flink.streaming.api.operators.OperatorAttributesBuilder;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

/**
 * Keyed by campaign: folds the facts of each event-time minute into the campaign's tally once
 * the watermark has passed that minute and writes the summary, so at most one summary per
 * minute of event time and the same summaries on every replay. The last is the current one;
 * at the end of bounded input the final minute's timer writes the final summary.
 *
 * <p>A minute's facts wait in a list of their own ({@link #minuteFacts}, the minute as the state's
 * namespace), each fact appended and the list read once, at the minute's timer: a campaign sent to a
 * hundred thousand customers in one minute costs each fact one append (a list kept as one value would
 * be read and written whole for every fact, a cost growing with the square of the facts).
 */
public class CampaignSummaryFunction extends KeyedProcessFunction<String, CampaignFact, OutputRecord> {
    private static final long serialVersionUID = 1L;
    static final long MINUTE = 60_000L;
    private final String currency;
    private transient ValueState<CampaignTally> tally;
    /**
     * Facts kept as one list per minute in a map, as savepoints of earlier versions hold them: moved into
     * {@link #minuteFacts} when the operator is restored ({@link Operator#moveSavedLists}), never written.
     */
    static final MapStateDescriptor<Long, List<CampaignFact>> SAVED_LISTS =
            new MapStateDescriptor<>("pending-facts", Types.LONG, Types.LIST(TypeInformation.of(CampaignFact.class)));
    /** Each minute's waiting facts; set by {@link Operator#open}. */
    transient InternalListState<String, Long, CampaignFact> minuteFacts;

    public CampaignSummaryFunction(String currency) {
        this.currency = currency;
    }

    @Override
    public void open(OpenContext ctx) {
        tally = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("tally", TypeInformation.of(CampaignTally.class)));
    }

    /** The last millisecond of the event-time minute of {@code eventTime}: when that minute's facts are folded. */
    static long minuteEnd(long eventTime) {
        return (Math.floorDiv(eventTime, MINUTE) + 1) * MINUTE - 1;
    }

    /** Folds one minute's facts into the tally. Same facts in any arrival order give the same tally. */
    static void fold(CampaignTally t, List<CampaignFact> facts) {
        facts.sort(Comparator.comparingLong((CampaignFact f) -> f.eventTime)
                .thenComparing(f -> f.requestId)
                .thenComparing(f -> f.duplicate)
                .thenComparing(f -> String.valueOf(f.reason))
                .thenComparing(f -> String.valueOf(f.outcome)));
        facts.forEach(t::add);
    }

    @Override
    public void processElement(CampaignFact f, Context ctx, Collector<OutputRecord> out) throws Exception {
        long minuteEnd = minuteEnd(f.eventTime);
        minuteFacts.setCurrentNamespace(minuteEnd);
        minuteFacts.add(f);
        ctx.timerService().registerEventTimeTimer(minuteEnd); // a minute's timer is kept once, however often set
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<OutputRecord> out) throws Exception {
        List<CampaignFact> facts = new ArrayList<>();
        minuteFacts.setCurrentNamespace(time);
        Iterable<CampaignFact> appended = minuteFacts.get();
        if (appended != null) {
            appended.forEach(facts::add);
            minuteFacts.clear();
        }
        if (facts.isEmpty()) {
            return;
        }
        CampaignTally t = tally.value();
        if (t == null) {
            t = new CampaignTally();
        }
        fold(t, facts);
        tally.update(t);
        out.collect(t.toOutput(currency));
    }

    /**
     * The keyed operator that runs it. In a streaming job it is a keyed process operator that gives the
     * function its lists of each minute's facts (state under the minute as namespace). In a batch
     * run it takes its facts unsorted and folds each campaign's minutes in order at the end of its input,
     * on the heap (one list of facts per campaign and minute, as the keyed state holds them while they
     * wait for the watermark): Flink's batch sort of every fact by campaign and time compared nearly every
     * pair whole (a campaign id leaves no room for the time in the sort's 16-byte key), and the summaries
     * waited for it until the last customer was decided. Its keyed state and timers are unused there: a
     * batch run's keyed state follows the sorted keys, and an unsorted input's watermarks say nothing.
     */
    static final class Operator extends KeyedProcessOperator<String, CampaignFact, OutputRecord>
            implements BoundedOneInput {
        private static final long serialVersionUID = 1L;
        private final boolean batch;
        private final String currency;
        private transient Map<String, TreeMap<Long, List<CampaignFact>>> waiting;

        /** {@code batch}: the job runs in Flink's batch runtime mode. */
        Operator(CampaignSummaryFunction function, boolean batch) {
            super(function);
            this.batch = batch;
            this.currency = function.currency;
        }

        @Override
        public OperatorAttributes getOperatorAttributes() {
            return new OperatorAttributesBuilder()
                    .setInternalSorterSupported(batch)
                    .build();
        }

        @Override
        @SuppressWarnings("unchecked")
        public void open() throws Exception {
            super.open();
            waiting = new HashMap<>();
            InternalListState<String, Long, CampaignFact> minuteFacts =
                    (InternalListState<String, Long, CampaignFact>) getOrCreateKeyedState(
                            LongSerializer.INSTANCE,
                            new ListStateDescriptor<>("minute-facts", TypeInformation.of(CampaignFact.class)));
            ((CampaignSummaryFunction) userFunction).minuteFacts = minuteFacts;
            if (!batch) {
                moveSavedLists(minuteFacts);
            }
        }

        /**
         * Moves the lists a savepoint of an earlier version holds in {@link #SAVED_LISTS} into the minutes'
         * lists, before any record or timer; their timers are restored with them. Nothing to move on a
         * fresh start.
         */
        private void moveSavedLists(InternalListState<String, Long, CampaignFact> minuteFacts) throws Exception {
            org.apache.flink.runtime.state.KeyedStateBackend<String> backend = getKeyedStateBackend();
            MapState<Long, List<CampaignFact>> saved =
                    backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, SAVED_LISTS);
            List<String> keys;
            try (Stream<String> k = backend.getKeys(SAVED_LISTS.getName(), VoidNamespace.INSTANCE)) {
                keys = k.collect(Collectors.toList());
            }
            for (String key : keys) {
                setCurrentKey(key);
                for (Map.Entry<Long, List<CampaignFact>> minute : saved.entries()) {
                    minuteFacts.setCurrentNamespace(minute.getKey());
                    minuteFacts.addAll(minute.getValue());
                }
                saved.clear();
            }
        }

        @Override
        public void processElement(StreamRecord<CampaignFact> element) throws Exception {
            if (!batch) {
                super.processElement(element);
                return;
            }
            CampaignFact f = element.getValue();
            waiting.computeIfAbsent(f.campaignId, k -> new TreeMap<>())
                    .computeIfAbsent(minuteEnd(f.eventTime), k -> new ArrayList<>())
                    .add(f);
        }

        @Override
        public void processWatermark(Watermark mark) throws Exception {
            if (!batch) {
                super.processWatermark(mark);
            }
        }

        @Override
        public void endInput() {
            if (!batch) {
                return;
            }
            for (Map.Entry<String, TreeMap<Long, List<CampaignFact>>> campaign : new TreeMap<>(waiting).entrySet()) {
                CampaignTally t = new CampaignTally();
                for (Map.Entry<Long, List<CampaignFact>> minute :
                        campaign.getValue().entrySet()) {
                    fold(t, minute.getValue());
                    output.collect(new StreamRecord<>(t.toOutput(currency), minute.getKey()));
                }
            }
            waiting.clear();
            output.emitWatermark(Watermark.MAX_WATERMARK);
        }
    }
}
