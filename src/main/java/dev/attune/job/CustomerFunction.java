package dev.attune.job;

import dev.attune.analysis.AnalysisRequest;
import dev.attune.contract.DeadLetter;
import dev.attune.contract.DeadLetters;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.decision.CustomerEngine;
import dev.attune.decision.CustomerLifecycle;
import dev.attune.decision.Identity;
import dev.attune.io.RecordSerializers;
import dev.attune.policy.CampaignFact;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Dedup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The keyed operator: holds one customer's state and feeds their events to the
 * {@link CustomerEngine} in event-time order. An event waits in {@code held} until the
 * watermark passes its time, so the same history gives the same decisions whatever order it
 * arrived in within the out-of-orderness bound. An event older than the watermark is late: a
 * duplicate if its id was seen, else a {@code late_event} dead letter on the side output
 * {@link #LATE} (counted in {@code eventsLate}); never dropped silently. With {@code decide.on-arrival},
 * an event that can lead to in-product help at most is decided when it arrives instead, if the
 * watermark could only put it where it already is (see {@link #processElement}).
 *
 * <p>Per event: one append to {@code held} and one timer. Per watermark that makes events due:
 * one read of {@code held} and of the customer and one write of the customer, whatever the number
 * of events. {@code held} is cleared when nothing in it waits any more; while some of it still
 * waits, the decided events stay in it and the customer's {@link CustomerState#heldDecidedThrough}
 * and {@link CustomerState#heldDecidedCount} say which they are (the first so many, at or before
 * that time: an event appended later is never taken for decided, whatever its time), and it is rewritten with only the waiting ones once the decided outnumber
 * them (and are at least {@link #REWRITE_DECIDED}), so it is read whole a bounded number of times.
 * Outputs carry the time of the timer that decided them (the earliest event of that batch) as
 * their Flink record timestamp; their contents hold their own event time.
 *
 * <p>Timers: one per distinct held event time, and one housekeeping timer per customer that
 * clears the state once the customer has been silent for {@code state.ttl}.
 */
public class CustomerFunction extends KeyedProcessFunction<String, InputRecord, OutputRecord> {
    private static final long serialVersionUID = 1L;

    /** The fewest decided events that {@code held} is rewritten for while others in it still wait. */
    static final int REWRITE_DECIDED = 16;

    /**
     * Events that wait for the watermark to pass their time, in the order they came, and possibly some already
     * decided ({@link CustomerState#heldDecidedThrough}).
     */
    static final ListStateDescriptor<InputRecord> HELD =
            new ListStateDescriptor<>("held", RecordSerializers.InputRecordSerializer.INSTANCE);

    /** All that is kept on the customer ({@link CustomerStateSerializer}; POJO-written state migrates on restore). */
    static final ValueStateDescriptor<CustomerState> CUSTOMER =
            new ValueStateDescriptor<>("customer", CustomerStateSerializer.INSTANCE);

    /** Where version 1 kept them (event time to records); emptied on restore, see {@link #moveV1Pending}. */
    static final MapStateDescriptor<Long, List<InputRecord>> V1_PENDING =
            new MapStateDescriptor<>("pending", Types.LONG, Types.LIST(TypeInformation.of(InputRecord.class)));

    /** Side output: what became of each campaign request, for the campaign summaries. */
    public static final OutputTag<CampaignFact> FACTS =
            new OutputTag<>("campaign-facts", TypeInformation.of(CampaignFact.class));

    /**
     * Side output: events behind the watermark (beyond {@code watermark.out-of-orderness}), as
     * {@code late_event} dead letters. {@link AttuneJob#decide} writes them to {@code dead-letter} with
     * the other dead letters; apart here so that they can be counted or routed on their own.
     */
    public static final OutputTag<OutputRecord> LATE =
            new OutputTag<>("late-events", TypeInformation.of(OutputRecord.class));

    /**
     * Side output of the visitor stage: records for the customer operator (a visitor's records once
     * linked, rewritten to the customer, and the handover of what was known of the visitor).
     */
    public static final OutputTag<InputRecord> FOR_CUSTOMERS =
            new OutputTag<>("for-customers", RecordSerializers.INPUT_RECORD);

    /** Side output: interventions that wait for a model's analysis. */
    public static final OutputTag<AnalysisRequest> ANALYSIS =
            new OutputTag<>("analysis-requests", TypeInformation.of(AnalysisRequest.class));

    private final CustomerEngine engine;
    private final long ttlMillis;
    /** Keyed by anonymousId: decides visitors, routes linked ones to {@link #FOR_CUSTOMERS} ({@link Identity}). */
    private final boolean visitors;
    /**
     * Decides an event that can lead to in-product help at most ({@link CustomerEngine#decidableOnArrival})
     * when it arrives, if it is in order for the customer and none of theirs waits; see {@link #processElement}.
     */
    private final boolean onArrival;
    /** Only events at most this old by the processing clock are decided on arrival ({@code decide.arrival-max-age}). */
    private final long arrivalMaxAgeMillis;

    private transient ValueState<CustomerState> customer;
    private transient ListState<InputRecord> held;
    /**
     * With {@code decide.on-arrival}: the keys of this subtask whose {@code held} has events, so that an
     * event decided on arrival needs no read of {@code held} to see it is empty. Built from the keyed state
     * by {@link CustomerOperator} when it opens ({@link #trackHolding}); null when nothing built it (the
     * function in another operator), and then {@code held} is read.
     */
    private transient Set<String> holding;

    private transient Counter used;
    private transient Counter duplicates;
    private transient Counter late;
    private transient Counter forgotten;
    private transient Counter analysisRequests;
    private transient Counter decidedOnArrival;
    private transient Counter outOfOrder;

    public CustomerFunction(CustomerEngine engine, long ttlMillis) {
        this(engine, ttlMillis, false, false, 0);
    }

    private CustomerFunction(
            CustomerEngine engine, long ttlMillis, boolean visitors, boolean onArrival, long arrivalMaxAgeMillis) {
        this.engine = engine;
        this.ttlMillis = ttlMillis;
        this.visitors = visitors;
        this.onArrival = onArrival;
        this.arrivalMaxAgeMillis = arrivalMaxAgeMillis;
    }

    /**
     * The same function deciding in-product events dated at most {@code maxAge} before the
     * processing clock on arrival ({@code decide.on-arrival}): a struggle is answered as soon as it
     * is read instead of when the watermark passes it.
     */
    public CustomerFunction decidingOnArrival(boolean on, Duration maxAge) {
        return new CustomerFunction(engine, ttlMillis, visitors, on, maxAge.toMillis());
    }

    /**
     * The visitor stage, keyed by anonymousId: a visitor's records and the links that name the
     * customer they are, in event-time order ({@link Identity}).
     */
    public static CustomerFunction forVisitors(CustomerEngine engine, long ttlMillis) {
        return new CustomerFunction(engine, ttlMillis, true, false, 0);
    }

    @Override
    public void open(OpenContext ctx) {
        customer = getRuntimeContext().getState(CUSTOMER);
        held = getRuntimeContext().getListState(HELD);
        dev.attune.text.AngerModel.warmUp();
        used = metrics().counter("eventsUsed");
        duplicates = metrics().counter("eventsDeduplicated");
        late = metrics().counter("eventsLate");
        forgotten = metrics().counter("eventsForgotten");
        analysisRequests = metrics().counter("analysisRequests");
        decidedOnArrival = metrics().counter("eventsDecidedOnArrival");
        outOfOrder = metrics().counter("eventsOutOfOrder");
        // Model calls asked per 1,000 events decided: the figure the budget is sized by.
        metrics()
                .gauge(
                        "analysisRequestsPer1000Events",
                        () -> used.getCount() == 0 ? 0.0 : 1000.0 * analysisRequests.getCount() / used.getCount());
    }

    /** The first whole hour at or after the customer's expiry. */
    long housekeepingTime(long lastEventTime) {
        return CustomerLifecycle.expiresAt(lastEventTime, ttlMillis);
    }

    /** Managed Flink publishes to CloudWatch only the metrics under the group "kinesisanalytics". */
    private org.apache.flink.metrics.MetricGroup metrics() {
        return getRuntimeContext().getMetricGroup().addGroup("kinesisanalytics");
    }

    @Override
    public void processElement(InputRecord e, Context ctx, Collector<OutputRecord> out) throws Exception {
        if (Identity.isPending(e)) {
            if (e.timestamp > ctx.timerService().currentWatermark()) {
                hold(e, ctx); // the customer's next events wait for the link's handover
            }
            return;
        }
        if (e.timestamp <= ctx.timerService().currentWatermark()) {
            CustomerState s = customer.value();
            if (Dedup.seen(s, e.messageId)) {
                duplicates.inc();
                // A repeated campaign request is answered even when it comes late: the marketer's
                // summary counts it, and its suppression id is the one every repeat shares.
                engine.lateDuplicate(e, out::collect, fact -> ctx.output(FACTS, fact));
            } else if (s != null && e.timestamp <= s.forgottenAt) {
                forgotten.inc(); // erased history: no output may name the customer
            } else {
                late.inc();
                DeadLetter d = DeadLetter.of(
                        e.stream,
                        e.position,
                        Json.MAPPER.writeValueAsString(e),
                        false,
                        "validate",
                        "late_event",
                        "event time is behind the watermark by more than watermark.out-of-orderness");
                d.userId = e.userId;
                d.eventTime = e.timestamp;
                ctx.output(LATE, DeadLetters.toOutput(d));
            }
            return;
        }
        boolean live = onArrival && recent(e, ctx.timerService().currentProcessingTime());
        boolean inProduct = live && engine.decidableOnArrival(e);
        if (inProduct || (live && visitors)) {
            // In order for the customer (newer than all they have had decided) and nothing of theirs waiting:
            // the watermark could only put this event where it already is, so it is decided now. The visitor
            // stage also hands a linked visitor's records on at once, so they reach the customer in order; a
            // link waits (an older record of the visitor may still come), and says so to the customer.
            CustomerState s = customer.value();
            boolean now = forwarded(s, e) ? e.timestamp > s.lastEventTime : inProduct && inOrder(s, e);
            if (now && !holds(ctx.getCurrentKey())) {
                // held is empty: none of it is decided.
                decide(s == null ? new CustomerState() : s, List.of(e), ctx, out, 0, 0);
                decidedOnArrival.inc();
                return;
            }
            if (s != null && e.timestamp <= s.lastEventTime) {
                outOfOrder.inc(); // decided after the customer's newer events: a replay may differ here
            }
            if (links(s, e)) {
                // The handover comes with the watermark: until then the customer's own events wait.
                ctx.output(FOR_CUSTOMERS, Identity.pending(e));
            }
        }
        hold(e, ctx);
    }

    /** Puts {@code e} in {@code held}: an append (a RocksDB merge: no read) and a timer at its time. */
    private void hold(InputRecord e, Context ctx) throws Exception {
        held.add(e);
        if (holding != null) {
            holding.add(ctx.getCurrentKey());
        }
        ctx.timerService().registerEventTimeTimer(e.timestamp);
    }

    /**
     * Whether the visitor stage hands this record to the customer the visitor is linked to (a link
     * outlives the TTL, so what expiry leaves routes it the same way).
     */
    private boolean forwarded(CustomerState visitor, InputRecord e) {
        return visitors
                && visitor != null
                && visitor.forgottenAt < e.timestamp
                && Identity.route(visitor, e) == Identity.Route.FORWARD;
    }

    /** Whether, in the visitor stage, this record links the visitor to a customer (and hands its state over). */
    private boolean links(CustomerState visitor, InputRecord e) {
        return visitors
                && (visitor == null || visitor.forgottenAt < e.timestamp)
                && Identity.route(visitor, e) == Identity.Route.LINK;
    }

    /**
     * Newer than every event of the customer decided so far, and not the first after a silence as
     * long as the TTL: what expiry forgets, an event that comes later but is older must still find.
     */
    private boolean inOrder(CustomerState s, InputRecord e) {
        return s == null || (e.timestamp > s.lastEventTime && !CustomerLifecycle.expired(s, e.timestamp, ttlMillis));
    }

    /** Dated at most {@code decide.arrival-max-age} before {@code clock} (or after it). */
    private boolean recent(InputRecord e, long clock) {
        return clock <= e.timestamp || clock - e.timestamp <= arrivalMaxAgeMillis;
    }

    /** Whether the current customer ({@code key}) has events in {@code held}. */
    private boolean holds(String key) throws Exception {
        if (holding != null) {
            return holding.contains(key);
        }
        Iterable<InputRecord> all = held.get();
        return all != null && all.iterator().hasNext();
    }

    /**
     * Starts keeping {@link #holding}, from the keys that have events in {@code held} now (after a restore:
     * what the savepoint held). Only with {@code decide.on-arrival}; {@link CustomerOperator} calls it when
     * it opens, before any record or timer.
     */
    void trackHolding(KeyedStateBackend<String> backend) {
        if (!onArrival) {
            return;
        }
        Set<String> keys = new HashSet<>();
        try (Stream<String> k = backend.getKeys(HELD.getName(), VoidNamespace.INSTANCE)) {
            k.forEach(keys::add);
        }
        holding = keys;
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<OutputRecord> out) throws Exception {
        // Everything at or behind the watermark is final (anything older that still comes is late),
        // so the first timer a watermark fires for this customer decides all of it, in event-time
        // order, with one read and one write of the state; the timers of the events it decides go.
        long watermark = ctx.timerService().currentWatermark();
        CustomerState s = customer.value();
        long decidedThrough = s == null ? 0 : s.heldDecidedThrough;
        int counted = s == null ? 0 : s.heldDecidedCount;
        List<InputRecord> due = new ArrayList<>();
        List<InputRecord> later = new ArrayList<>();
        int decided = 0;
        int size = 0;
        Iterable<InputRecord> all = held.get();
        if (all != null) {
            for (InputRecord e : all) {
                if (size++ < counted && e.timestamp <= decidedThrough) {
                    decided++; // decided by an earlier watermark, kept in the list until it is rewritten
                } else {
                    (e.timestamp <= watermark ? due : later).add(e);
                }
            }
        }
        if (due.isEmpty()) {
            // Housekeeping: forget a customer who has been silent for the TTL, except their refusals.
            if (CustomerLifecycle.expired(s, time, ttlMillis)) {
                if (decided > 0) {
                    keepOnly(later, ctx); // what expiry leaves does not say which held events are decided
                }
                CustomerState kept = CustomerLifecycle.afterExpiry(s);
                if (kept == null) {
                    customer.clear();
                } else {
                    customer.update(kept);
                }
            }
            return;
        }
        if (later.isEmpty() || (decided + due.size() >= REWRITE_DECIDED && decided + due.size() > later.size())) {
            keepOnly(later, ctx);
            decidedThrough = 0;
            counted = 0;
        } else {
            // The due events stay in held, marked decided (all of it now, at or before the watermark): no rewrite.
            decidedThrough = watermark;
            counted = size;
        }
        due.sort(CustomerLifecycle.EVENT_TIME_ORDER);
        long previous = time;
        for (InputRecord e : due) {
            if (e.timestamp != previous) {
                ctx.timerService().deleteEventTimeTimer(e.timestamp);
                previous = e.timestamp;
            }
        }
        decide(s == null ? new CustomerState() : s, due, ctx, out, decidedThrough, counted);
    }

    /** Rewrites {@code held} with {@code waiting} only (clears it when that is empty). */
    private void keepOnly(List<InputRecord> waiting, Context ctx) throws Exception {
        if (waiting.isEmpty()) {
            held.clear();
            if (holding != null) {
                holding.remove(ctx.getCurrentKey());
            }
        } else {
            held.update(waiting);
        }
    }

    /**
     * Decides {@code events}, in the order given, for the customer whose state is {@code s}; stores
     * what they leave, with which of {@code held} are decided ({@link CustomerState#heldDecidedThrough}),
     * and moves the housekeeping timer.
     */
    private void decide(
            CustomerState s,
            List<InputRecord> events,
            Context ctx,
            Collector<OutputRecord> out,
            long heldDecidedThrough,
            int heldDecidedCount)
            throws Exception {
        long housekeeping = housekeepingTime(s.lastEventTime);
        CustomerEngine.Emitter emitter = new CustomerEngine.Emitter() {
            @Override
            public void output(OutputRecord r) {
                out.collect(r);
            }

            @Override
            public void fact(CampaignFact f) {
                ctx.output(FACTS, f);
            }

            @Override
            public void analysis(AnalysisRequest r) {
                analysisRequests.inc();
                ctx.output(ANALYSIS, r);
            }
        };
        for (InputRecord e : events) {
            if (Identity.isPending(e)) {
                continue; // it only made the customer's events wait for the handover
            }
            if (CustomerLifecycle.expired(s, e.timestamp, ttlMillis)) {
                // Silent for the TTL before this event: it finds what expiry leaves, however the watermark moved.
                CustomerState kept = CustomerLifecycle.afterExpiry(s);
                s = kept == null ? new CustomerState() : kept;
            }
            if (visitors && s.forgottenAt < e.timestamp) {
                Identity.Route route = Identity.route(s, e);
                if (route == Identity.Route.LINK) {
                    if (Identity.isNewLink(s, e)) {
                        InputRecord handover = Identity.handover(s, e);
                        if (handover != null) {
                            ctx.output(FOR_CUSTOMERS, handover);
                        }
                        s = Identity.linked(s, e);
                    }
                    s.lastEventTime = Math.max(s.lastEventTime, e.timestamp);
                    continue;
                }
                if (route == Identity.Route.FORWARD) {
                    ctx.output(FOR_CUSTOMERS, e.asCustomer(s.linkedTo));
                    s.lastEventTime = Math.max(s.lastEventTime, e.timestamp);
                    continue;
                }
            }
            switch (engine.decideInto(s, e, emitter)) {
                case DUPLICATE -> duplicates.inc();
                case FORGOTTEN -> forgotten.inc();
                case FORGET -> {
                    // Forget Me: everything held on the customer goes but their refusals; a tombstone
                    // keeps erased history that arrives late from bringing them back.
                    forgotten.inc();
                    s = CustomerLifecycle.afterForgetMe(s, e.timestamp);
                }
                default -> used.inc();
            }
        }
        s.heldDecidedThrough = heldDecidedThrough;
        s.heldDecidedCount = heldDecidedCount;
        customer.update(s);
        if (housekeepingTime(s.lastEventTime) != housekeeping) {
            // One housekeeping timer per customer, on the hour: moved once an hour at most, not per event.
            ctx.timerService().deleteEventTimeTimer(housekeeping);
            ctx.timerService().registerEventTimeTimer(housekeepingTime(s.lastEventTime));
        }
    }

    /**
     * Moves the events a version-1 savepoint holds in {@code pending} (a map of event time to
     * records, with a timer each) into {@code held}; their timers are restored with them. Run once
     * per restore by {@link CustomerOperator}, before any record or timer.
     */
    static void moveV1Pending(KeyedStateBackend<String> backend) throws Exception {
        MapState<Long, List<InputRecord>> v1 =
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, V1_PENDING);
        ListState<InputRecord> into =
                backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, HELD);
        List<String> keys;
        try (Stream<String> k = backend.getKeys(V1_PENDING.getName(), VoidNamespace.INSTANCE)) {
            keys = k.collect(Collectors.toList());
        }
        for (String key : keys) {
            backend.setCurrentKey(key);
            for (List<InputRecord> atTime : v1.values()) {
                into.addAll(atTime);
            }
            v1.clear();
        }
    }
}
