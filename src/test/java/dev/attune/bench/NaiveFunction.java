package dev.attune.bench;

import dev.attune.contract.Inbound;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.decision.CustomerEngine;
import dev.attune.signals.CustomerState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The naive design the benchmark compares Attune with, deciding the same things the way a
 * function behind a table would: keep every raw event of the customer (heap state, a POJO holding
 * a java.util.List, so Flink falls back to Kryo for it), and on each event re-read the last
 * {@link #WINDOW} raw events, parse and validate each again and run a fresh {@link CustomerEngine}
 * over them from an empty state; only the newest event's decisions go out. Events are decided in
 * arrival order (no event-time buffering).
 */
public class NaiveFunction extends KeyedProcessFunction<String, NaiveFunction.RawEvent, OutputRecord> {
    private static final long serialVersionUID = 1L;
    static final int WINDOW = 20;

    /** One raw record with the key the producer routed it by. A POJO. */
    public static class RawEvent {
        public String stream;
        public String userId;
        public String raw;

        public RawEvent() {}

        public RawEvent(String stream, String userId, String raw) {
            this.stream = stream;
            this.userId = userId;
            this.raw = raw;
        }
    }

    /** Everything held on a customer: the raw events, oldest first. The List makes it a Kryo type. */
    public static class History {
        public List<String> streams = new ArrayList<>();
        public List<String> raws = new ArrayList<>();
    }

    private final CustomerEngine engine;
    private transient ValueState<History> history;

    public NaiveFunction(CustomerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void open(OpenContext ctx) {
        history =
                getRuntimeContext().getState(new ValueStateDescriptor<>("history", TypeInformation.of(History.class)));
    }

    @Override
    public void processElement(RawEvent e, Context ctx, Collector<OutputRecord> out) throws Exception {
        History h = history.value();
        if (h == null) {
            h = new History();
        }
        h.streams.add(e.stream);
        h.raws.add(e.raw);
        history.update(h);
        int n = h.raws.size();
        CustomerState s = new CustomerState();
        for (int i = Math.max(0, n - WINDOW); i < n; i++) {
            Inbound in = RecordParser.parse(
                    h.streams.get(i), "naive#" + i, h.raws.get(i).getBytes(StandardCharsets.UTF_8));
            if (!in.isValid()) {
                continue;
            }
            boolean newest = i == n - 1;
            engine.decide(s, in.record, r -> {
                if (newest) {
                    out.collect(r);
                }
            });
        }
    }
}
