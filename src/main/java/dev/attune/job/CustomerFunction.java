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
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
 * <p>Written through (in any operator but {@link CustomerOperator}), per event: one append to
 * {@code held} and one timer; per watermark that makes events due: one read of {@code held} and of
 * the customer and one write of the customer, whatever the number of events. {@code held} is cleared when nothing in it waits any more; while some of it still
 * waits, the decided events stay in it and the customer's {@link CustomerState#heldDecidedThrough}
 * and {@link CustomerState#heldDecidedCount} say which they are (the first so many, at or before
 * that time: an event appended later is never taken for decided, whatever its time), and it is rewritten with only the waiting ones once the decided outnumber
 * them (and are at least {@link #REWRITE_DECIDED}), so it is read whole a bounded number of times.
 * Outputs carry the time of the timer that decided them (the earliest event of that batch) as
 * their Flink record timestamp; their contents hold their own event time.
 *
 * <p>Timers: one per customer with waiting events, at the earliest of them ({@link #wakes}), and one
 * housekeeping timer per customer that clears the state once the customer has been silent for
 * {@code state.ttl}. When that timer fires it decides all of the customer's events the watermark has
 * passed and sets the next one at the earliest event still waiting, so the timers fire for the
 * customers in the order one timer per event time would, with outputs timed the same.
 *
 * <p>In the job's operator ({@link CustomerOperator}, which calls {@link #keepOnHeap}) in a streaming
 * run the state is written back at checkpoints: an event that arrives waits on the heap ({@link #fresh}) rather than
 * in {@code held}, and a customer read or written stays on the heap ({@link #cached}), so an event
 * that is decided before the next checkpoint costs no RocksDB write at all, and a customer with
 * several events in a checkpoint interval is read once and written once. When a checkpoint is taken, before the
 * keyed state is snapshotted, the operator writes what the heap holds into {@code held} and {@code customer} ({@link #writeBack}),
 * so every checkpoint holds exactly what a function writing through would have; after a failure the
 * source re-reads what came after it. Past {@link #CACHED_CUSTOMERS} customers on the heap (per
 * subtask) the least recently used are written and dropped ({@link #evictIfFull}).
 */
public class CustomerFunction extends KeyedProcessFunction<String, InputRecord, OutputRecord> {
    private static final long serialVersionUID = 1L;

    /** The fewest decided events that {@code held} is rewritten for while others in it still wait. */
    static final int REWRITE_DECIDED = 16;

    /** The most customers a subtask keeps on the heap between checkpoints (each as large as its state). */
    static final int CACHED_CUSTOMERS = 10_000;

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
    public static final OutputTag<OutputRecord> LATE = new OutputTag<>("late-events", RecordSerializers.OUTPUT_RECORD);

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
     * In the job's operator ({@link #keepOnHeap}): the keys of this subtask whose {@code held} (in the state
     * backend) has events, so that neither a timer nor an event decided on arrival reads {@code held} to find
     * it empty. Built from the keyed state when the operator opens; null in another operator, and then
     * {@code held} is read and written directly, as are the customers.
     */
    private transient Set<String> stored;
    /**
     * The time of the timer set for each customer's earliest waiting event, while some wait. Not in the state:
     * after a restore the first event of a customer sets a timer at its own time beside the restored ones
     * (an extra timer finds nothing due, or decides what is).
     */
    private transient Map<String, Long> wakes;
    /** Events that came since the last checkpoint and wait, per key, in the order they came (after {@code held}'s). */
    private transient Map<String, List<InputRecord>> fresh;
    /** Customers read or written since they were last written to the state backend, least recently used first. */
    private transient LinkedHashMap<String, Cached> cached;
    /** The most customers kept in {@link #cached}. */
    private transient int cacheCapacity;

    /** A customer on the heap: its state (null: none) and whether the state backend still holds an older one. */
    private static final class Cached {
        CustomerState state;
        boolean dirty;

        Cached(CustomerState state, boolean dirty) {
            this.state = state;
            this.dirty = dirty;
        }
    }

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
        wakes = new HashMap<>();
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
            CustomerState s = load(ctx);
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
            CustomerState s = load(ctx);
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

    /**
     * Puts {@code e} (ahead of the watermark) in {@code held} (an append, a RocksDB merge: no read), or on
     * the heap until the next checkpoint in the job's operator, and sets a timer at its time if it is the
     * customer's earliest waiting event.
     */
    private void hold(InputRecord e, Context ctx) throws Exception {
        String key = ctx.getCurrentKey();
        if (fresh != null) {
            fresh.computeIfAbsent(key, k -> new ArrayList<>(2)).add(e);
        } else {
            held.add(e);
        }
        Long wake = wakes.get(key);
        if (wake == null || e.timestamp < wake) {
            ctx.timerService().registerEventTimeTimer(e.timestamp);
            wakes.put(key, e.timestamp);
        }
    }

    /**
     * After a timer of the customer ({@code key}) fired: a timer at the earliest of the events still waiting
     * ({@code a} and {@code b}, all ahead of the watermark), unless one at or before it is still to fire.
     */
    private void wakeForEarliest(String key, List<InputRecord> a, List<InputRecord> b, Context ctx) {
        long earliest = Long.MAX_VALUE;
        for (List<InputRecord> events : List.of(a, b)) {
            for (InputRecord e : events) {
                earliest = Math.min(earliest, e.timestamp);
            }
        }
        if (earliest == Long.MAX_VALUE) {
            wakes.remove(key);
            return;
        }
        Long wake = wakes.get(key);
        if (wake == null || wake <= ctx.timerService().currentWatermark() || wake > earliest) {
            ctx.timerService().registerEventTimeTimer(earliest);
            wakes.put(key, earliest);
        }
    }

    /** The current customer's state (null: none), from the heap when the operator keeps it there. */
    private CustomerState load(Context ctx) throws Exception {
        if (cached == null) {
            return customer.value();
        }
        String key = ctx.getCurrentKey();
        Cached c = cached.get(key);
        if (c == null) {
            c = new Cached(customer.value(), false);
            cached.put(key, c);
        }
        return c.state;
    }

    /** Stores the current customer's state ({@code null} clears it), on the heap when the operator keeps it there. */
    private void store(Context ctx, CustomerState s) throws Exception {
        if (cached == null) {
            if (s == null) {
                customer.clear();
            } else {
                customer.update(s);
            }
            return;
        }
        String key = ctx.getCurrentKey();
        Cached c = cached.get(key);
        if (c == null) {
            cached.put(key, new Cached(s, true));
        } else {
            c.state = s;
            c.dirty = true;
        }
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

    /** Whether the current customer ({@code key}) has events in {@code held} or waiting on the heap. */
    private boolean holds(String key) throws Exception {
        if (stored != null) {
            return stored.contains(key) || fresh.containsKey(key);
        }
        Iterable<InputRecord> all = held.get();
        return all != null && all.iterator().hasNext();
    }

    /**
     * Starts keeping waiting events and customers on the heap between checkpoints ({@link #fresh},
     * {@link #cached}), and {@link #stored} from the keys that have events in {@code held} now (after a
     * restore: what the savepoint held). {@link CustomerOperator} calls it when it opens, before any record
     * or timer, and calls {@link #writeBack} whenever it is snapshotted.
     */
    void keepOnHeap(KeyedStateBackend<String> backend, int capacity) {
        Set<String> keys = new HashSet<>();
        try (Stream<String> k = backend.getKeys(HELD.getName(), VoidNamespace.INSTANCE)) {
            k.forEach(keys::add);
        }
        stored = keys;
        fresh = new HashMap<>();
        cached = new LinkedHashMap<>(1024, 0.75f, true);
        cacheCapacity = capacity;
    }

    /**
     * Writes what waits on the heap into {@code held} and the customers changed since the last write into
     * {@code customer}, and lets go of them; {@code setKey} makes a key the state backend's current one. A
     * customer is read again after a checkpoint: a heap state backend snapshots the very objects it was given
     * while the job goes on, so the function must not keep changing them in place.
     */
    void writeBack(Consumer<String> setKey) throws Exception {
        if (fresh == null) {
            return;
        }
        for (Map.Entry<String, List<InputRecord>> e : fresh.entrySet()) {
            setKey.accept(e.getKey());
            held.addAll(e.getValue());
            stored.add(e.getKey());
        }
        fresh.clear();
        for (Map.Entry<String, Cached> e : cached.entrySet()) {
            Cached c = e.getValue();
            if (c.dirty) {
                setKey.accept(e.getKey());
                write(c);
            }
        }
        cached.clear();
    }

    /** Writes and drops the least recently used customers beyond the operator's capacity. */
    void evictIfFull(Consumer<String> setKey) throws Exception {
        if (cached == null || cached.size() <= cacheCapacity) {
            return;
        }
        Iterator<Map.Entry<String, Cached>> it = cached.entrySet().iterator();
        while (cached.size() > cacheCapacity) {
            Map.Entry<String, Cached> e = it.next();
            if (e.getValue().dirty) {
                setKey.accept(e.getKey());
                write(e.getValue());
            }
            it.remove();
        }
    }

    private void write(Cached c) throws Exception {
        if (c.state == null) {
            customer.clear();
        } else {
            customer.update(c.state);
        }
        c.dirty = false;
    }

    @Override
    public void onTimer(long time, OnTimerContext ctx, Collector<OutputRecord> out) throws Exception {
        // Everything at or behind the watermark is final (anything older that still comes is late),
        // so the first timer a watermark fires for this customer decides all of it, in event-time
        // order, with one read and one write of the state, and sets the next at the earliest event left.
        long watermark = ctx.timerService().currentWatermark();
        String key = ctx.getCurrentKey();
        CustomerState s = load(ctx);
        long decidedThrough = s == null ? 0 : s.heldDecidedThrough;
        int counted = s == null ? 0 : s.heldDecidedCount;
        List<InputRecord> due = new ArrayList<>();
        List<InputRecord> later = new ArrayList<>();
        int decided = 0;
        int size = 0;
        Iterable<InputRecord> all = stored == null || stored.contains(key) ? held.get() : null;
        if (all != null) {
            for (InputRecord e : all) {
                if (size++ < counted && e.timestamp <= decidedThrough) {
                    decided++; // decided by an earlier watermark, kept in the list until it is rewritten
                } else {
                    (e.timestamp <= watermark ? due : later).add(e);
                }
            }
        }
        // What came since the last checkpoint, after held's (it joins the end of held at the checkpoint).
        List<InputRecord> waiting = fresh == null ? null : fresh.get(key);
        List<InputRecord> stillWaiting = new ArrayList<>(0);
        if (waiting != null) {
            for (InputRecord e : waiting) {
                (e.timestamp <= watermark ? due : stillWaiting).add(e);
            }
        }
        if (due.isEmpty()) {
            // Housekeeping: forget a customer who has been silent for the TTL, except their refusals.
            if (CustomerLifecycle.expired(s, time, ttlMillis)) {
                if (decided > 0) {
                    keepOnly(later, ctx); // what expiry leaves does not say which held events are decided
                }
                store(ctx, CustomerLifecycle.afterExpiry(s));
            }
            wakeForEarliest(key, later, waiting == null ? List.of() : waiting, ctx);
            return;
        }
        if (waiting != null) {
            if (stillWaiting.isEmpty()) {
                fresh.remove(key);
            } else {
                fresh.put(key, stillWaiting);
            }
        }
        if (size == 0) {
            decidedThrough = 0; // held is empty: none of it is decided
            counted = 0;
        } else if (later.isEmpty()
                || (decided + due.size() >= REWRITE_DECIDED && decided + due.size() > later.size())) {
            keepOnly(later, ctx);
            decidedThrough = 0;
            counted = 0;
        } else {
            // The due events stay in held, marked decided (all of it now, at or before the watermark): no rewrite.
            decidedThrough = watermark;
            counted = size;
        }
        due.sort(CustomerLifecycle.EVENT_TIME_ORDER);
        wakeForEarliest(key, later, stillWaiting, ctx);
        decide(s == null ? new CustomerState() : s, due, ctx, out, decidedThrough, counted);
    }

    /** Rewrites {@code held} with {@code waiting} only (clears it when that is empty). */
    private void keepOnly(List<InputRecord> waiting, Context ctx) throws Exception {
        if (waiting.isEmpty()) {
            held.clear();
            if (stored != null) {
                stored.remove(ctx.getCurrentKey());
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
        store(ctx, s);
        if (housekeepingTime(s.lastEventTime) != housekeeping) {
            // One housekeeping timer per customer, on the hour: moved once an hour at most, not per event.
            if (!Long.valueOf(housekeeping).equals(wakes.get(ctx.getCurrentKey()))) {
                ctx.timerService().deleteEventTimeTimer(housekeeping); // unless it is also the wake of a waiting event
            }
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
