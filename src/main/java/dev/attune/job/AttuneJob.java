package dev.attune.job;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.analysis.AnalysisSettings;
import dev.attune.config.Choices.ConsentMode;
import dev.attune.config.Choices.WatermarkStrategy;
import dev.attune.config.HoldoutSettings;
import dev.attune.config.TextCatalogues;
import dev.attune.contract.Channel;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.decision.CustomerEngine;
import dev.attune.io.RecordSerializers;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.policy.FatigueCap;
import dev.attune.policy.PolicySettings;
import dev.attune.policy.QuietHours;
import dev.attune.signals.EventNames;
import dev.attune.signals.RiskSettings;
import dev.attune.signals.SignalSettings;
import java.time.LocalTime;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.client.program.StreamContextEnvironment;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one wiring class: sources, parse and validate, dead letters, keyBy customer, decide,
 * sinks. Everything it wires is a plain class or a thin operator.
 */
public final class AttuneJob {
    private static final Logger LOG = LoggerFactory.getLogger(AttuneJob.class);

    private AttuneJob() {}

    /**
     * Builds and runs the job. Embedded it returns when a bounded run ends; on a cluster when the
     * job is submitted (detached: the result is then not a {@link JobExecutionResult#isJobExecutionResult
     * job's result}) or, attached, when it ends.
     */
    public static JobExecutionResult run(Configuration conf, Set<String> given, String checkpointDir) throws Exception {
        StreamExecutionEnvironment env = environment(conf, given, checkpointDir);
        build(env, conf);
        return env.execute("attune");
    }

    /** Builds and starts the job without waiting for it (embedded runs follow it with {@link Progress}). */
    static JobClient start(Configuration conf, Set<String> given, String checkpointDir) throws Exception {
        StreamExecutionEnvironment env = environment(conf, given, checkpointDir);
        build(env, conf);
        return env.executeAsync("attune");
    }

    /** The whole job on {@code env}: every source of {@code conf}, the decisions, every sink. */
    public static void build(StreamExecutionEnvironment env, Configuration conf) {
        Sinks.attach(decide(Sources.inputs(env, conf), conf), conf);
    }

    /**
     * The decision graph from one stream of inbound records (tests and benchmarks that put a probe
     * after the sources); the job itself splits each source's records in its own task ({@link #build}).
     */
    public static DataStream<OutputRecord> decide(DataStream<Inbound> inbound, Configuration conf) {
        return decide(List.of(inbound), conf);
    }

    /**
     * The decision graph from the records of each source ({@link Sources#inputs}). Each source's
     * records are split (valid records on, dead letters to a side output) and routed to the visitor
     * and customer stages in the source's own task: an operator after a union of sources cannot be
     * chained to them, and would cost every record a hop to another task.
     */
    public static DataStream<OutputRecord> decide(List<DataStream<Inbound>> inputs, Configuration conf) {
        EventNames names = new EventNames(conf.get(EVENTS_ALIASES));
        DataStream<OutputRecord> deadLetters = null;
        DataStream<InputRecord> forVisitors = null;
        DataStream<InputRecord> forCustomers = null;
        for (DataStream<Inbound> inbound : inputs) {
            SingleOutputStreamOperator<Inbound> valid = inbound.process(new Progress.ValidRecords(names))
                    .returns(RecordSerializers.INBOUND)
                    .name("valid records and dead letters");
            DataStream<InputRecord> records =
                    valid.map(in -> in.record).name("unwrap").returns(RecordSerializers.INPUT_RECORD);
            deadLetters = union(deadLetters, valid.getSideOutput(Progress.ValidRecords.DEAD_LETTERS));
            forVisitors = union(
                    forVisitors,
                    records.flatMap(new VisitorRecords())
                            .name("visitors and links")
                            .returns(RecordSerializers.INPUT_RECORD));
            forCustomers = union(
                    forCustomers, records.filter(VisitorRecords::forCustomers).name("customers"));
        }
        PolicySettings policy = policySettings(conf);
        AnalysisSettings analysis = analysisSettings(conf);
        CustomerEngine engine = new CustomerEngine(signalSettings(conf), policy, analysis, TextCatalogues.load(conf));
        long ttl = conf.get(STATE_TTL).toMillis();
        boolean onArrival = conf.get(DECIDE_ON_ARRIVAL) && conf.get(WATERMARK_STRATEGY) == WatermarkStrategy.BOUNDED;
        // Identity: visitors are decided under their anonymousId until a record names them; from then
        // on their records, and what was known of them, go to the customer (decision/Identity).
        boolean batch = forVisitors.getExecutionEnvironment().getConfiguration().get(ExecutionOptions.RUNTIME_MODE)
                == RuntimeExecutionMode.BATCH;
        SingleOutputStreamOperator<OutputRecord> visitors = byCustomer(forVisitors, VisitorRecords::key, batch)
                .transform(
                        "decide per visitor",
                        RecordSerializers.OUTPUT_RECORD,
                        new CustomerOperator(CustomerFunction.forVisitors(engine, ttl)
                                .decidingOnArrival(onArrival, conf.get(DECIDE_ARRIVAL_MAX_AGE))))
                .uid("visitor-decisions");
        SingleOutputStreamOperator<OutputRecord> decisions = byCustomer(
                        forCustomers.union(visitors.getSideOutput(CustomerFunction.FOR_CUSTOMERS)),
                        r -> r.userId,
                        batch)
                .transform(
                        "decide per customer",
                        RecordSerializers.OUTPUT_RECORD,
                        new CustomerOperator(new CustomerFunction(engine, ttl)
                                .decidingOnArrival(onArrival, conf.get(DECIDE_ARRIVAL_MAX_AGE))))
                .uid("customer-decisions");
        DataStream<OutputRecord> summaries = decisions
                .getSideOutput(CustomerFunction.FACTS)
                .union(visitors.getSideOutput(CustomerFunction.FACTS))
                .keyBy(f -> f.campaignId)
                .transform(
                        "summarise campaigns and interventions",
                        RecordSerializers.OUTPUT_RECORD,
                        new CampaignSummaryFunction.Operator(new CampaignSummaryFunction(policy.currency()), batch))
                .uid("campaign-summaries");
        DataStream<OutputRecord> late =
                decisions.getSideOutput(CustomerFunction.LATE).union(visitors.getSideOutput(CustomerFunction.LATE));
        DataStream<OutputRecord> decided = decisions.union(visitors);
        if (!analysis.usesModel()) {
            return decided.union(deadLetters, late, summaries);
        }
        // Unordered: a slow answer for one customer holds up no other; capacity bounds what is in flight.
        DataStream<OutputRecord> analysed = AsyncDataStream.unorderedWait(
                        decisions
                                .getSideOutput(CustomerFunction.ANALYSIS)
                                .union(visitors.getSideOutput(CustomerFunction.ANALYSIS)),
                        new AnalysisFunction(analysis),
                        analysis.deadline().plus(analysis.callTimeout()).toMillis(),
                        TimeUnit.MILLISECONDS,
                        analysis.capacity())
                .returns(RecordSerializers.OUTPUT_RECORD)
                .name("analyse with model")
                .uid("model-analysis");
        return decided.union(deadLetters, late, summaries, analysed);
    }

    /** Keyed by {@code id}; in a batch run sorted by a digest of it ({@link BatchSortKey}). */
    private static KeyedStream<InputRecord, String> byCustomer(
            DataStream<InputRecord> records, KeySelector<InputRecord, String> id, boolean batch) {
        return batch ? records.keyBy(id, BatchSortKey.TYPE) : records.keyBy(id);
    }

    private static <T> DataStream<T> union(DataStream<T> all, DataStream<T> more) {
        return all == null ? more : all.union(more);
    }

    public static AnalysisSettings analysisSettings(Configuration conf) {
        return new AnalysisSettings(
                conf.get(ANALYSIS_MODE).toString(),
                conf.get(BEDROCK_MODEL_ID),
                conf.get(BEDROCK_REGION),
                conf.get(BEDROCK_ENDPOINT),
                conf.get(ANALYSIS_CAPACITY),
                conf.get(ANALYSIS_DEADLINE),
                conf.get(ANALYSIS_CALL_TIMEOUT),
                conf.get(ANALYSIS_RETRIES),
                conf.get(ANALYSIS_RETRY_BACKOFF),
                conf.get(ANALYSIS_CIRCUIT_WINDOW),
                conf.get(ANALYSIS_CIRCUIT_FAILURE_RATE).floatValue(),
                conf.get(ANALYSIS_CIRCUIT_OPEN_FOR),
                conf.get(ANALYSIS_BUDGET),
                conf.get(ANALYSIS_COOLDOWN),
                conf.get(ANALYSIS_JOURNAL),
                conf.get(ANALYSIS_MIN_RISK_LEVEL).toString(),
                new AnalysisSettings.ModelRaise(
                        conf.get(ANALYSIS_EXIT_RISK_POINTS), conf.get(RISK_LEVEL_HIGH), conf.get(RISK_LEVEL_CRITICAL)));
    }

    public static PolicySettings policySettings(Configuration conf) {
        double[] costs = new double[Channel.values().length];
        costs[Channel.SMS.ordinal()] = conf.get(COST_SMS);
        costs[Channel.WHATSAPP.ordinal()] = conf.get(COST_WHATSAPP);
        costs[Channel.EMAIL.ordinal()] = conf.get(COST_EMAIL);
        costs[Channel.VOICE.ordinal()] = conf.get(COST_VOICE);
        costs[Channel.PUSH.ordinal()] = conf.get(COST_PUSH);
        costs[Channel.IN_APP.ordinal()] = conf.get(COST_IN_APP);
        return new PolicySettings(
                FatigueCap.parseAll(conf.get(FATIGUE_CAPS)),
                new QuietHours(LocalTime.parse(conf.get(QUIET_START)), LocalTime.parse(conf.get(QUIET_END))),
                conf.get(DEFAULT_TIMEZONE),
                conf.get(NEGATIVE_SENTIMENT),
                conf.get(CONSENT_MODE) == ConsentMode.OPT_IN,
                costs,
                conf.get(COST_CURRENCY),
                PolicySettings.rates(conf.get(POPULATION_RATES)),
                conf.get(PRIOR_STRENGTH),
                conf.get(COST_WEIGHT),
                PolicySettings.order(conf.get(DEFAULT_CHANNEL_ORDER)),
                conf.get(REQUIRE_KNOWN_ADDRESS),
                PolicySettings.order(conf.get(WIN_BACK_CHANNELS)),
                PolicySettings.order(conf.get(SERVICE_RECOVERY_CHANNELS)),
                conf.get(WIN_BACK_WINDOW).toMillis(),
                conf.get(SERVICE_RECOVERY_WINDOW).toMillis(),
                HoldoutSettings.from(conf));
    }

    public static SignalSettings signalSettings(Configuration conf) {
        RiskSettings risk = new RiskSettings(
                conf.get(RISK_STRUGGLE_WEIGHT),
                conf.get(RISK_STRUGGLE_CAP),
                conf.get(RISK_ERROR_WEIGHT),
                conf.get(RISK_ERROR_CAP),
                conf.get(RISK_SIGNAL_WINDOW).toMillis(),
                conf.get(RISK_CANCEL_PAGE_WEIGHT),
                conf.get(RISK_CANCEL_PAGE_CAP),
                conf.get(RISK_CANCEL_WINDOW).toMillis(),
                conf.get(RISK_CHECKOUT_WEIGHT),
                conf.get(RISK_CHECKOUT_WINDOW).toMillis(),
                conf.get(RISK_SENTIMENT_WEIGHT),
                conf.get(RISK_TICKET_WEIGHT),
                conf.get(RISK_TICKET_WINDOW).toMillis(),
                conf.get(RISK_CANCELLED_WEIGHT),
                conf.get(RISK_CANCELLED_WINDOW).toMillis(),
                conf.get(RISK_LEVEL_MEDIUM),
                conf.get(RISK_LEVEL_HIGH),
                conf.get(RISK_LEVEL_CRITICAL),
                new RiskSettings.Struggles(
                        RiskSettings.Struggles.kindWeights(conf.get(RISK_STRUGGLE_KIND_WEIGHTS)),
                        conf.get(RISK_DECISIVE_ATTEMPTS),
                        conf.get(RISK_DECISIVE_STUCK).toMillis(),
                        conf.get(RISK_DECISIVE_WEIGHT),
                        conf.get(RISK_PAYMENT_ERROR_WEIGHT),
                        RiskSettings.Struggles.paymentCodes(conf.get(RISK_PAYMENT_CODES))));
        long[] cooldowns = {
            conf.get(COOLDOWN_LIVE_CHAT).toMillis(), conf.get(COOLDOWN_HELP_TIP).toMillis(),
            conf.get(COOLDOWN_RETENTION).toMillis(), conf.get(COOLDOWN_WIN_BACK).toMillis(),
            conf.get(COOLDOWN_SERVICE_RECOVERY).toMillis()
        };
        return new SignalSettings(
                risk,
                new EventNames(conf.get(EVENTS_ALIASES)),
                conf.get(DEDUP_WINDOW).toMillis(),
                conf.get(SENTIMENT_HALF_LIFE).toMillis(),
                conf.get(SENTIMENT_ANGRY),
                conf.get(INTERVENTION_HYSTERESIS),
                cooldowns);
    }

    /** A streaming environment where every key of the configuration counts as set by the user. */
    public static StreamExecutionEnvironment environment(Configuration conf, String checkpointDir) {
        return environment(conf, conf.keySet(), checkpointDir);
    }

    /**
     * A streaming environment with Kryo switched off and the runtime settings {@link RuntimeSettings}
     * picks: the profile's when embedded, the cluster's (less what the user gave) on a cluster.
     */
    public static StreamExecutionEnvironment environment(Configuration conf, Set<String> given, String checkpointDir) {
        StreamExecutionEnvironment probe = StreamExecutionEnvironment.getExecutionEnvironment();
        boolean cluster = onCluster(probe);
        RuntimeSettings settings = RuntimeSettings.plan(conf, given, cluster, probe.getConfiguration(), checkpointDir);
        settings.notes().forEach(n -> LOG.info("Attune on a Flink cluster: {}", n));
        Configuration flink = new Configuration();
        flink.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        // No operator changes or keeps a record it was handed (each one makes new records), so
        // chained operators may pass records on without a copy: the copy was 8 % of the source's time.
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        flink.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, conf.get(WATERMARK_INTERVAL));
        flink.addAll(settings.flink());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        if (settings.parallelism() != null) {
            env.setParallelism(settings.parallelism());
        }
        return env;
    }

    /**
     * True when the program runs inside a Flink cluster's client or JobManager ({@code flink run},
     * application mode, the Kubernetes Operator, Managed Flink), false for {@code java -jar} and tests.
     */
    public static boolean onCluster() {
        return onCluster(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    private static boolean onCluster(StreamExecutionEnvironment env) {
        return env instanceof StreamContextEnvironment;
    }
}
