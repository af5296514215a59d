package dev.attune.job;

import dev.attune.contract.OutputRecord;
import dev.attune.policy.CampaignFact;
import dev.attune.policy.CampaignTally;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by campaign: folds the facts of each event-time minute into the campaign's tally once
 * the watermark has passed that minute and writes the summary, so at most one summary per
 * minute of event time and the same summaries on every replay. The last is the current one;
 * at the end of bounded input the final minute's timer writes the final summary.
 */
public class CampaignSummaryFunction extends KeyedProcessFunction<String, CampaignFact, OutputRecord> {
    private static final long serialVersionUID = 1L;
    static final long MINUTE = 60_000L;
    private final String currency;
    private transient ValueState<CampaignTally> tally;
    private transient MapState<Long, List<CampaignFact>> pending;

    public CampaignSummaryFunction(String currency) {
        this.currency = currency;
    }

    @Override
    public void open(OpenContext ctx) {
        tally = getRuntimeContext()
                .getState(new ValueStateDescriptor<>("tally", TypeInformation.of(CampaignTally.class)));
        pending = getRuntimeContext()
                .getMapState(new MapStateDescriptor<>(
                        "pending-facts", Types.LONG, Types.LIST(TypeInformation.of(CampaignFact.class))));
    }

    @Override
    public void processElement(CampaignFact f, Context ctx, Collector<OutputRecord> out) throws Exception {
        long minuteEnd = (Math.floorDiv(f.eventTime, MINUTE) + 1) * MINUTE - 1;
        List<CampaignFact> facts = pending.get(minuteEnd);
        if (facts == null) {
            facts = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(minuteEnd);
        }
        facts.add(f);
        pending.put(minuteEnd, facts);
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<OutputRecord> out) throws Exception {
        List<CampaignFact> facts = pending.get(time);
        if (facts == null) {
            return;
        }
        pending.remove(time);
        CampaignTally t = tally.value();
        if (t == null) {
            t = new CampaignTally();
        }
        // Same facts in any arrival order give the same tally.
        facts.sort(Comparator.comparingLong((CampaignFact f) -> f.eventTime)
                .thenComparing(f -> f.requestId)
                .thenComparing(f -> f.duplicate)
                .thenComparing(f -> String.valueOf(f.reason))
                .thenComparing(f -> String.valueOf(f.outcome)));
        facts.forEach(t::add);
        tally.update(t);
        out.collect(t.toOutput(currency));
    }
}
