package dev.attune.job;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.analysis.AnalysisSettings;
import dev.attune.contract.Channel;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import dev.attune.contract.DeadLetters;
import dev.attune.policy.FatigueCap;
import dev.attune.policy.PolicySettings;
import dev.attune.policy.QuietHours;
import java.time.LocalTime;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.io.Sinks;
import dev.attune.io.Sources;
import dev.attune.signals.CustomerEngine;
import dev.attune.signals.EventNames;
import dev.attune.signals.RiskSettings;
import dev.attune.signals.SignalSettings;
import java.util.Map;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The one wiring class: sources, parse and validate, dead letters, keyBy customer, decide,
 * sinks. Everything it wires is a plain class or a thin operator.
 */
public final class AttuneJob {
    private AttuneJob() {}

    public static JobExecutionResult run(Configuration conf, String checkpointDir) throws Exception {
        StreamExecutionEnvironment env = environment(conf, checkpointDir);
        Sinks.attach(decide(Sources.inbound(env, conf), conf), conf);
        return env.execute("attune");
    }

    /** The decision graph from inbound records to output records, for any source and sink. */
    public static DataStream<OutputRecord> decide(DataStream<Inbound> inbound, Configuration conf) {
        DataStream<OutputRecord> deadLetters = inbound
                .filter(in -> !in.isValid()).name("dead letters")
                .map(in -> DeadLetters.toOutput(in.deadLetter)).name("format dead letters")
                .returns(TypeInformation.of(OutputRecord.class));
        PolicySettings policy = policySettings(conf);
        AnalysisSettings analysis = analysisSettings(conf);
        SingleOutputStreamOperator<OutputRecord> decisions = inbound
                .filter(Inbound::isValid).name("valid records")
                .map(in -> in.record).name("unwrap").returns(TypeInformation.of(InputRecord.class))
                .keyBy(r -> r.userId)
                .transform("decide per customer", TypeInformation.of(OutputRecord.class),
                        new CustomerOperator(new CustomerFunction(
                                new CustomerEngine(signalSettings(conf), policy, analysis), conf.get(STATE_TTL).toMillis())))
                .uid("customer-decisions");
        DataStream<OutputRecord> summaries = decisions.getSideOutput(CustomerFunction.FACTS)
                .keyBy(f -> f.campaignId)
                .process(new CampaignSummaryFunction(policy.currency()))
                .returns(TypeInformation.of(OutputRecord.class))
                .name("summarise campaigns").uid("campaign-summaries");
        DataStream<OutputRecord> late = decisions.getSideOutput(CustomerFunction.LATE);
        if (!analysis.usesModel()) {
            return decisions.union(deadLetters, late, summaries);
        }
        // Unordered: a slow answer for one customer holds up no other; capacity bounds what is in flight.
        DataStream<OutputRecord> analysed = AsyncDataStream.unorderedWait(
                        decisions.getSideOutput(CustomerFunction.ANALYSIS), new AnalysisFunction(analysis),
                        analysis.deadline().plus(analysis.callTimeout()).toMillis(), TimeUnit.MILLISECONDS,
                        analysis.capacity())
                .returns(TypeInformation.of(OutputRecord.class))
                .name("analyse with model").uid("model-analysis");
        return decisions.union(deadLetters, late, summaries, analysed);
    }

    public static AnalysisSettings analysisSettings(Configuration conf) {
        return new AnalysisSettings(conf.get(ANALYSIS_MODE), conf.get(BEDROCK_MODEL_ID), conf.get(BEDROCK_REGION),
                conf.get(BEDROCK_ENDPOINT), conf.get(ANALYSIS_CAPACITY), conf.get(ANALYSIS_DEADLINE),
                conf.get(ANALYSIS_CALL_TIMEOUT), conf.get(ANALYSIS_RETRIES), conf.get(ANALYSIS_RETRY_BACKOFF),
                conf.get(ANALYSIS_CIRCUIT_WINDOW), conf.get(ANALYSIS_CIRCUIT_FAILURE_RATE).floatValue(),
                conf.get(ANALYSIS_CIRCUIT_OPEN_FOR), conf.get(ANALYSIS_BUDGET), conf.get(ANALYSIS_COOLDOWN),
                conf.get(ANALYSIS_JOURNAL), conf.get(ANALYSIS_MIN_RISK_LEVEL));
    }

    public static PolicySettings policySettings(Configuration conf) {
        double[] costs = new double[Channel.values().length];
        costs[Channel.SMS.ordinal()] = conf.get(COST_SMS);
        costs[Channel.WHATSAPP.ordinal()] = conf.get(COST_WHATSAPP);
        costs[Channel.EMAIL.ordinal()] = conf.get(COST_EMAIL);
        costs[Channel.VOICE.ordinal()] = conf.get(COST_VOICE);
        costs[Channel.PUSH.ordinal()] = conf.get(COST_PUSH);
        costs[Channel.IN_APP.ordinal()] = conf.get(COST_IN_APP);
        return new PolicySettings(FatigueCap.parseAll(conf.get(FATIGUE_CAPS)),
                new QuietHours(LocalTime.parse(conf.get(QUIET_START)), LocalTime.parse(conf.get(QUIET_END))),
                conf.get(DEFAULT_TIMEZONE), conf.get(NEGATIVE_SENTIMENT), "opt-in".equals(conf.get(CONSENT_MODE)),
                costs, conf.get(COST_CURRENCY), PolicySettings.rates(conf.get(POPULATION_RATES)),
                conf.get(PRIOR_STRENGTH), conf.get(COST_WEIGHT), PolicySettings.order(conf.get(DEFAULT_CHANNEL_ORDER)));
    }

    public static SignalSettings signalSettings(Configuration conf) {
        RiskSettings risk = new RiskSettings(
                conf.get(RISK_STRUGGLE_WEIGHT), conf.get(RISK_STRUGGLE_CAP), conf.get(RISK_ERROR_WEIGHT),
                conf.get(RISK_ERROR_CAP), conf.get(RISK_SIGNAL_WINDOW).toMillis(),
                conf.get(RISK_CANCEL_PAGE_WEIGHT), conf.get(RISK_CANCEL_PAGE_CAP), conf.get(RISK_CANCEL_WINDOW).toMillis(),
                conf.get(RISK_CHECKOUT_WEIGHT), conf.get(RISK_CHECKOUT_WINDOW).toMillis(),
                conf.get(RISK_SENTIMENT_WEIGHT), conf.get(RISK_TICKET_WEIGHT), conf.get(RISK_TICKET_WINDOW).toMillis(),
                conf.get(RISK_CANCELLED_WEIGHT), conf.get(RISK_CANCELLED_WINDOW).toMillis(),
                conf.get(RISK_LEVEL_MEDIUM), conf.get(RISK_LEVEL_HIGH), conf.get(RISK_LEVEL_CRITICAL));
        long[] cooldowns = {
            conf.get(COOLDOWN_LIVE_CHAT).toMillis(), conf.get(COOLDOWN_HELP_TIP).toMillis(),
            conf.get(COOLDOWN_RETENTION).toMillis(), conf.get(COOLDOWN_WIN_BACK).toMillis(),
            conf.get(COOLDOWN_SERVICE_RECOVERY).toMillis()
        };
        return new SignalSettings(risk, new EventNames(conf.get(EVENTS_ALIASES)), conf.get(DEDUP_WINDOW).toMillis(),
                conf.get(SENTIMENT_HALF_LIFE).toMillis(), conf.get(SENTIMENT_ANGRY), conf.get(INTERVENTION_HYSTERESIS),
                cooldowns);
    }

    private static void passThrough(Configuration conf, Configuration flink) {
        for (Map.Entry<String, String> e : conf.toMap().entrySet()) {
            if (e.getKey().startsWith(FLINK_PREFIX)) {
                flink.setString(e.getKey().substring(FLINK_PREFIX.length()), e.getValue());
            }
        }
    }

    /** A streaming environment with the profile's runtime settings and Kryo switched off. */
    public static StreamExecutionEnvironment environment(Configuration conf, String checkpointDir) {
        Configuration flink = new Configuration();
        flink.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.STREAMING);
        flink.set(PipelineOptions.GENERIC_TYPES, false);
        // No operator changes or keeps a record it was handed (each one makes new records), so
        // chained operators may pass records on without a copy: the copy was 8 % of the source's time.
        flink.set(PipelineOptions.OBJECT_REUSE, true);
        flink.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, conf.get(WATERMARK_INTERVAL));
        if (conf.get(RUNTIME_MANAGED)) {
            // Managed Flink owns parallelism, checkpointing, the state backend and restarts.
            passThrough(conf, flink);
            return StreamExecutionEnvironment.getExecutionEnvironment(flink);
        }
        flink.set(StateBackendOptions.STATE_BACKEND, conf.get(STATE_BACKEND));
        flink.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, conf.get(CHECKPOINT_INTERVAL));
        // RocksDB checkpoints upload only new files: a full copy of a million customers' state
        // (~200 MB) every interval took most of the job's time in the benchmark. flink.* overrides.
        flink.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, "rocksdb".equals(conf.get(STATE_BACKEND)));
        // A bounded run fails fast on a real bug instead of restarting forever; a live job keeps
        // recovering (a broker or stream that goes away) with growing pauses. flink.* overrides.
        boolean live = "kinesis".equals(conf.get(SOURCE_KIND))
                || ("kafka".equals(conf.get(SOURCE_KIND)) && !conf.get(SOURCE_BOUNDED));
        if (live) {
            flink.setString("restart-strategy.type", "exponential-delay");
            flink.setString("restart-strategy.exponential-delay.initial-backoff", "1 s");
            flink.setString("restart-strategy.exponential-delay.max-backoff", "1 min");
        } else {
            flink.setString("restart-strategy.type", "fixed-delay");
            flink.setString("restart-strategy.fixed-delay.attempts", "3");
            flink.setString("restart-strategy.fixed-delay.delay", "2 s");
        }
        if (checkpointDir != null) {
            flink.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpointDir);
        }
        passThrough(conf, flink);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
        env.setParallelism(conf.get(PARALLELISM));
        return env;
    }
}
