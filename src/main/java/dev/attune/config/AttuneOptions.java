package dev.attune.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import dev.attune.config.Choices.AnalysisMode;
import dev.attune.config.Choices.ConsentMode;
import dev.attune.config.Choices.Delivery;
import dev.attune.config.Choices.InitialPosition;
import dev.attune.config.Choices.KafkaStart;
import dev.attune.config.Choices.RiskLevel;
import dev.attune.config.Choices.SinkKind;
import dev.attune.config.Choices.SourceKind;
import dev.attune.config.Choices.StateBackend;
import dev.attune.config.Choices.WatermarkStrategy;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every configuration key of Attune: one {@link ConfigOption} each, with its default and meaning.
 * Profiles ({@code jobs/*.properties}), {@code --key value} arguments and Managed Flink property
 * groups all set these keys; {@link ConfigValidator} checks them. The table in docs/configuration.md is generated
 * from this class ({@code ConfigDocsTest} keeps it in step).
 */
public final class AttuneOptions {
    private AttuneOptions() {}

    // ---- Sources and sinks
    public static final ConfigOption<SourceKind> SOURCE_KIND = key("source.kind")
            .enumType(SourceKind.class)
            .defaultValue(SourceKind.GENERATOR)
            .withDescription("Where input comes from: generator (seeded synthetic customers, bounded), files "
                    + "(IN/user-events/, IN/engagement-events/, IN/campaign-requests/ holding .jsonl or .jsonl.gz), "
                    + "kafka (the kafka.topic.* input topics) or kinesis (the kinesis.stream.* input streams).");
    public static final ConfigOption<SinkKind> SINK_KIND = key("sink.kind")
            .enumType(SinkKind.class)
            .defaultValue(SinkKind.FILES)
            .withDescription("Where outputs go: files (OUT/<stream>/part-*.jsonl), kafka, kinesis, stdout, or discard "
                    + "(benchmarks). Dead letters go to the same system as the outputs.");
    public static final ConfigOption<Boolean> SOURCE_BOUNDED = key("source.bounded")
            .booleanType()
            .defaultValue(false)
            .withDescription("kafka only: stop at the offsets that are latest when the job starts, so a replay "
                    + "through Kafka ends by itself (and may use watermark.strategy=end-of-input).");
    public static final ConfigOption<String> INPUT_PATH = key("input.path")
            .stringType()
            .noDefaultValue()
            .withDescription("Folder of archived input for source.kind=files; required there.");
    public static final ConfigOption<String> OUTPUT_PATH = key("output.path")
            .stringType()
            .defaultValue("attune-out")
            .withDescription("Folder the file sink writes into, one sub-folder per output stream.");
    public static final ConfigOption<Boolean> OUTPUT_CLEAN = key("output.clean")
            .booleanType()
            .defaultValue(true)
            .withDescription(
                    "Empty the output stream folders before a bounded run, so a run's outputs are only its own.");

    // ---- Generator
    public static final ConfigOption<Long> GENERATOR_SEED = key("generator.seed")
            .longType()
            .defaultValue(42L)
            .withDescription("Seed of the synthetic generator: the same seed gives the same customers and events.");
    public static final ConfigOption<Integer> GENERATOR_CUSTOMERS =
            key("generator.customers").intType().defaultValue(2000).withDescription("Number of synthetic customers.");
    public static final ConfigOption<String> GENERATOR_START = key("generator.start")
            .stringType()
            .defaultValue("2026-11-21T08:00:00Z")
            .withDescription("Event time of the first generated event (ISO-8601).");
    public static final ConfigOption<Double> GENERATOR_RATE = key("generator.rate")
            .doubleType()
            .defaultValue(0d)
            .withDescription("Events per second the generator emits; 0 means as fast as the job takes them.");
    public static final ConfigOption<Double> GENERATOR_MALFORMED_RATIO = key("generator.malformed-ratio")
            .doubleType()
            .defaultValue(0.002)
            .withDescription("Share of generated records that are deliberately malformed (they go to dead-letter).");
    public static final ConfigOption<Double> GENERATOR_DUPLICATE_RATIO = key("generator.duplicate-ratio")
            .doubleType()
            .defaultValue(0.01)
            .withDescription("Share of generated records sent twice, as a producer retry would.");

    // ---- Kafka (source.kind or sink.kind = kafka)
    public static final ConfigOption<String> KAFKA_BOOTSTRAP = key("kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Kafka bootstrap servers, host:port[,host:port]; required when a source or sink is kafka.");
    public static final ConfigOption<String> KAFKA_GROUP = key("kafka.group-id")
            .stringType()
            .defaultValue("attune")
            .withDescription(
                    "Consumer group of the Kafka source (offsets are committed on checkpoints, for monitoring).");
    public static final ConfigOption<KafkaStart> KAFKA_START = key("kafka.starting-offsets")
            .enumType(KafkaStart.class)
            .defaultValue(KafkaStart.COMMITTED)
            .withDescription("Where a job without a checkpoint starts: committed (the group's offsets, else earliest), "
                    + "earliest or latest. A restore always continues from the checkpoint.");
    public static final ConfigOption<Delivery> KAFKA_DELIVERY = key("kafka.delivery")
            .enumType(Delivery.class)
            .defaultValue(Delivery.EXACTLY_ONCE)
            .withDescription("exactly-once (Kafka transactions committed on checkpoints; consumers read with "
                    + "isolation.level=read_committed) or at-least-once.");
    public static final ConfigOption<Delivery> KAFKA_INTERVENTIONS_DELIVERY = key("kafka.interventions-delivery")
            .enumType(Delivery.class)
            .defaultValue(Delivery.AT_LEAST_ONCE)
            .withDescription("Delivery of the interventions topic when kafka.delivery is exactly-once: at-least-once "
                    + "(written the moment it is decided and visible to every consumer at once; after a restore a record "
                    + "may come again with the same interventionId, which subscribers drop) or exactly-once (in the "
                    + "checkpoint's transaction: read_committed consumers see it only when the checkpoint completes).");
    public static final ConfigOption<String> KAFKA_TX_PREFIX = key("kafka.transactional-id-prefix")
            .stringType()
            .defaultValue("attune")
            .withDescription("Transactional-id prefix of the exactly-once sink; unique per job on a cluster.");
    public static final ConfigOption<Duration> KAFKA_TX_TIMEOUT = key("kafka.transaction-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Producer transaction.timeout.ms; must not exceed the broker's transaction.max.timeout.ms "
                    + "(15 min by default) and must exceed the checkpoint interval plus restart time.");
    public static final ConfigOption<String> KAFKA_TOPIC_USER_EVENTS = topic("user-events");
    public static final ConfigOption<String> KAFKA_TOPIC_ENGAGEMENT_EVENTS = topic("engagement-events");
    public static final ConfigOption<String> KAFKA_TOPIC_CAMPAIGN_REQUESTS = topic("campaign-requests");
    public static final ConfigOption<String> KAFKA_TOPIC_INTERVENTIONS = topic("interventions");
    public static final ConfigOption<String> KAFKA_TOPIC_CAMPAIGN_SENDS = topic("campaign-sends");
    public static final ConfigOption<String> KAFKA_TOPIC_SUPPRESSIONS = topic("suppressions");
    public static final ConfigOption<String> KAFKA_TOPIC_DEAD_LETTER = topic("dead-letter");
    public static final ConfigOption<String> KAFKA_TOPIC_CAMPAIGN_SUMMARIES = topic("campaign-summaries");

    // ---- Kinesis (source.kind or sink.kind = kinesis)
    public static final ConfigOption<String> KINESIS_REGION = key("kinesis.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of the streams; required when a source or sink is kinesis.");
    public static final ConfigOption<String> KINESIS_ENDPOINT = key("kinesis.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override, e.g. http://127.0.0.1:4567 for a local Kinesis-compatible server.");
    public static final ConfigOption<Duration> KINESIS_SINK_BUFFER_TIME = key("kinesis.sink.max-time-in-buffer")
            .durationType()
            .defaultValue(Duration.ofMillis(10))
            .withDescription("Longest an output record waits in a Kinesis sink's buffer before it is written (the "
                    + "connector's default, 5 s, is what a subscriber would wait at low traffic; a busy sink still "
                    + "writes full batches of up to 500 records at once, and Kinesis bills by record, not by call).");
    public static final ConfigOption<Duration> KINESIS_POLL_INTERVAL = key("kinesis.source.poll-interval")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("Least time between two GetRecords calls of the source on one shard (AWS allows 5 a "
                    + "second per shard, shared by every consumer of the stream; the connector's own reader does not "
                    + "wait at all; 0 is that). A record waits up to this long more before it is read.");
    public static final ConfigOption<InitialPosition> KINESIS_INITIAL_POSITION = key("kinesis.initial-position")
            .enumType(InitialPosition.class)
            .defaultValue(InitialPosition.LATEST)
            .withDescription("Where a job without a checkpoint starts reading: LATEST, TRIM_HORIZON or AT_TIMESTAMP "
                    + "(with kinesis.initial-timestamp, for replays).");
    public static final ConfigOption<String> KINESIS_INITIAL_TIMESTAMP = key("kinesis.initial-timestamp")
            .stringType()
            .noDefaultValue()
            .withDescription("ISO-8601 time to start from when kinesis.initial-position is AT_TIMESTAMP.");
    public static final ConfigOption<String> KINESIS_STREAM_USER_EVENTS = stream("user-events");
    public static final ConfigOption<String> KINESIS_STREAM_ENGAGEMENT_EVENTS = stream("engagement-events");
    public static final ConfigOption<String> KINESIS_STREAM_CAMPAIGN_REQUESTS = stream("campaign-requests");
    public static final ConfigOption<String> KINESIS_STREAM_INTERVENTIONS = stream("interventions");
    public static final ConfigOption<String> KINESIS_STREAM_CAMPAIGN_SENDS = stream("campaign-sends");
    public static final ConfigOption<String> KINESIS_STREAM_SUPPRESSIONS = stream("suppressions");
    public static final ConfigOption<String> KINESIS_STREAM_DEAD_LETTER = stream("dead-letter");
    public static final ConfigOption<String> KINESIS_STREAM_CAMPAIGN_SUMMARIES = stream("campaign-summaries");

    /** Prefix of properties handed to the Kafka clients, e.g. {@code kafka.client.security.protocol}. */
    public static final String KAFKA_CLIENT_PREFIX = "kafka.client.";
    /** Prefix of properties handed to the Kinesis connector, e.g. {@code kinesis.client.aws.credentials.provider}. */
    public static final String KINESIS_CLIENT_PREFIX = "kinesis.client.";

    public static ConfigOption<String> kafkaTopic(String stream) {
        return key("kafka.topic." + stream).stringType().defaultValue(stream);
    }

    public static ConfigOption<String> kinesisStream(String stream) {
        return key("kinesis.stream." + stream).stringType().noDefaultValue();
    }

    private static ConfigOption<String> topic(String stream) {
        return kafkaTopic(stream).withDescription("Kafka topic of the " + stream + " stream.");
    }

    private static ConfigOption<String> stream(String stream) {
        return kinesisStream(stream)
                .withDescription(
                        "Kinesis stream of " + stream + ": an ARN "
                                + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME; the source needs one) or, for outputs, a name.");
    }

    // ---- Runtime
    public static final ConfigOption<Integer> PARALLELISM = key("parallelism")
            .intType()
            .defaultValue(2)
            .withDescription("Parallelism of every operator. On a Flink cluster only when given explicitly "
                    + "(argument or property group); otherwise the cluster's (flink run -p, parallelism.default).");
    public static final ConfigOption<StateBackend> STATE_BACKEND = key("state.backend")
            .enumType(StateBackend.class)
            .defaultValue(StateBackend.ROCKSDB)
            .withDescription(
                    "Keyed state backend: rocksdb (incremental checkpoints), or hashmap (heap; only for small "
                            + "tests). On a Flink cluster only when given explicitly; otherwise the cluster's state.backend.type.");
    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL = key("checkpoint.interval")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("Checkpoint interval. File outputs are committed on checkpoints and at the end of input. "
                    + "On a Flink cluster only when given explicitly, or when the cluster sets no interval at all.");
    public static final ConfigOption<String> CHECKPOINT_DIR = key("checkpoint.dir")
            .stringType()
            .noDefaultValue()
            .withDescription(
                    "Checkpoint storage URI; unset means a temporary folder removed after a bounded run (java -jar) "
                            + "or the cluster's execution.checkpointing.dir (on a Flink cluster).");

    // ---- Event time
    public static final ConfigOption<Duration> MAX_CLOCK_SKEW = key("input.max-clock-skew")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("How far ahead of the reader's clock a record read from Kafka or Kinesis may be dated; "
                    + "a later one is a future_timestamp dead letter (it would drag the watermark ahead and make "
                    + "every later event late). Files and the generator are history and are not checked.");
    public static final ConfigOption<WatermarkStrategy> WATERMARK_STRATEGY = key("watermark.strategy")
            .enumType(WatermarkStrategy.class)
            .defaultValue(WatermarkStrategy.BOUNDED)
            .withDescription("bounded: watermarks trail the newest event by watermark.out-of-orderness (live); "
                    + "end-of-input: no watermark until bounded input ends, so every customer's whole history is "
                    + "decided in event-time order whatever the file order (replay).");
    public static final ConfigOption<Duration> WATERMARK_OUT_OF_ORDERNESS = key("watermark.out-of-orderness")
            .durationType()
            .defaultValue(Duration.ofMillis(500))
            .withDescription("How late an event may arrive and still be decided in event-time order; later ones go "
                    + "to dead-letter as late_event.");
    public static final ConfigOption<Duration> WATERMARK_IDLENESS = key("watermark.idleness")
            .durationType()
            .defaultValue(Duration.ofSeconds(5))
            .withDescription("A source split silent this long stops holding back the watermark; when every split of "
                    + "a source reader is silent, its watermark moves to the newest event time it has read less "
                    + "watermark.out-of-orderness (Flink 1.20 alone would keep the oldest split's: FLINK-38454).");
    public static final ConfigOption<Duration> WATERMARK_INTERVAL = key("watermark.interval")
            .durationType()
            .defaultValue(Duration.ofMillis(50))
            .withDescription("How often watermarks are emitted: a floor on decision latency in bounded mode.");
    public static final ConfigOption<Boolean> DECIDE_ON_ARRIVAL = key("decide.on-arrival")
            .booleanType()
            .defaultValue(false)
            .withDescription("With watermark.strategy=bounded: an event that can lead to in-product help at most "
                    + "(a page view, struggle, error, checkout or order) is decided when it arrives, if it is newer than "
                    + "all of its customer's events decided so far, none of theirs waits for the watermark and it is "
                    + "recent (decide.arrival-max-age); so a "
                    + "help tip or live chat comes without waiting for watermark.out-of-orderness. Everything else "
                    + "(consent, message events, tickets, surveys, cancellations, campaign requests) still waits. A "
                    + "live run decides as a replay does when each customer's events arrive in event-time order; one "
                    + "that arrives after a newer one of its customer is decided after it (metric eventsOutOfOrder).");
    public static final ConfigOption<Duration> DECIDE_ARRIVAL_MAX_AGE = key("decide.arrival-max-age")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription(
                    "With decide.on-arrival: only an event dated at most this long before the reader's clock is "
                            + "decided on arrival. Older ones are history being caught up on (a backlog after an outage, a "
                            + "replay through Kafka or Kinesis), where the streams are read at different speeds, so they wait "
                            + "for the watermark and are decided in event-time order, as a replay from files would.");

    // ---- Per-customer state
    public static final ConfigOption<Duration> DEDUP_WINDOW = key("dedup.window")
            .durationType()
            .defaultValue(Duration.ofDays(1))
            .withDescription("Event-time window over which a repeated messageId or requestId is a duplicate.");
    public static final ConfigOption<Duration> STATE_TTL = key("state.ttl")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("A customer silent this long in event time is forgotten; their state costs nothing.");

    // ---- Signals and risk (issue: per-customer signals and interventions)
    public static final ConfigOption<String> EVENTS_ALIASES = key("events.aliases")
            .stringType()
            .defaultValue("")
            .withDescription(
                    "Extra event names mapped to signal kinds, e.g. 'Rage Click=struggle,Payment Failed=error'. "
                            + "Kinds: view, feature, struggle, error, checkout_started, order_completed, subscription_cancelled, "
                            + "support_ticket, survey, message_sent, message_opened, unsubscribed, forget_me, ...");
    public static final ConfigOption<Integer> RISK_STRUGGLE_WEIGHT = key("risk.struggle.weight")
            .intType()
            .defaultValue(12)
            .withDescription("Risk points per struggle signal within risk.signal-window, for kinds "
                    + "risk.struggle.kind-weights does not name.");
    public static final ConfigOption<Integer> RISK_STRUGGLE_CAP = key("risk.struggle.cap")
            .intType()
            .defaultValue(48)
            .withDescription("Most risk points struggle signals can add.");
    public static final ConfigOption<String> RISK_STRUGGLE_KIND_WEIGHTS = key("risk.struggle.kind-weights")
            .stringType()
            .defaultValue(dev.attune.signals.RiskSettings.Struggles.DEFAULT_KIND_WEIGHTS)
            .withDescription("Risk points of one struggle signal by properties.kind (kind=points, 0-100; other kinds "
                    + "weigh risk.struggle.weight); a signal with attempts 2 counts twice.");
    public static final ConfigOption<Integer> RISK_DECISIVE_ATTEMPTS = key("risk.struggle.decisive-attempts")
            .intType()
            .defaultValue(3)
            .withDescription("A single Struggle Signal with at least this many properties.attempts is decisive on "
                    + "its own (reason decisive_struggle).");
    public static final ConfigOption<Duration> RISK_DECISIVE_STUCK = key("risk.struggle.decisive-stuck")
            .durationType()
            .defaultValue(Duration.ofSeconds(60))
            .withDescription("A single Struggle Signal whose properties.durationMs (time stuck) is at least this "
                    + "long is decisive on its own; 0 turns this off.");
    public static final ConfigOption<Integer> RISK_DECISIVE_WEIGHT = key("risk.struggle.decisive.weight")
            .intType()
            .defaultValue(75)
            .withDescription("Risk points of a decisive struggle within risk.signal-window (at the default cut-offs, "
                    + "a live-chat offer in that event, as the journey-analysis seed scored it).");
    public static final ConfigOption<Integer> RISK_PAYMENT_ERROR_WEIGHT = key("risk.error.payment.weight")
            .intType()
            .defaultValue(30)
            .withDescription("Risk points per payment or checkout error (code matching risk.error.payment-codes, "
                    + "or any error shown while a checkout is open) within risk.signal-window.");
    public static final ConfigOption<String> RISK_PAYMENT_CODES = key("risk.error.payment-codes")
            .stringType()
            .defaultValue(dev.attune.signals.RiskSettings.Struggles.DEFAULT_PAYMENT_CODES)
            .withDescription("Regular expression found (case-insensitively) in the properties.code of an Error Shown "
                    + "that is a payment or checkout failure.");
    public static final ConfigOption<Integer> RISK_ERROR_WEIGHT = key("risk.error.weight")
            .intType()
            .defaultValue(10)
            .withDescription("Risk points per error shown within risk.signal-window.");
    public static final ConfigOption<Integer> RISK_ERROR_CAP =
            key("risk.error.cap").intType().defaultValue(60).withDescription("Most risk points errors can add.");
    public static final ConfigOption<Duration> RISK_SIGNAL_WINDOW = key("risk.signal-window")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("Sliding event-time window for struggles and errors.");
    public static final ConfigOption<Integer> RISK_CANCEL_PAGE_WEIGHT = key("risk.cancel-page.weight")
            .intType()
            .defaultValue(25)
            .withDescription("Risk points per visit to a billing, cancel or downgrade page.");
    public static final ConfigOption<Integer> RISK_CANCEL_PAGE_CAP = key("risk.cancel-page.cap")
            .intType()
            .defaultValue(50)
            .withDescription("Most risk points cancel-intent visits can add.");
    public static final ConfigOption<Duration> RISK_CANCEL_WINDOW = key("risk.cancel-window")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("Sliding window for billing/cancel page visits.");
    public static final ConfigOption<Integer> RISK_CHECKOUT_WEIGHT = key("risk.checkout-open.weight")
            .intType()
            .defaultValue(8)
            .withDescription("Risk points while a checkout is started and not completed.");
    public static final ConfigOption<Duration> RISK_CHECKOUT_WINDOW = key("risk.checkout-window")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription("How long an open checkout counts.");
    public static final ConfigOption<Integer> RISK_SENTIMENT_WEIGHT = key("risk.negative-sentiment.weight")
            .intType()
            .defaultValue(30)
            .withDescription("Risk points at sentiment -1 (scaled by how negative it is).");
    public static final ConfigOption<Integer> RISK_TICKET_WEIGHT = key("risk.urgent-ticket.weight")
            .intType()
            .defaultValue(15)
            .withDescription("Risk points for an urgent or very negative support ticket.");
    public static final ConfigOption<Duration> RISK_TICKET_WINDOW = key("risk.ticket-window")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("How long an urgent ticket counts.");
    public static final ConfigOption<Integer> RISK_CANCELLED_WEIGHT = key("risk.cancelled.weight")
            .intType()
            .defaultValue(60)
            .withDescription("Risk points after a Subscription Cancelled.");
    public static final ConfigOption<Duration> RISK_CANCELLED_WINDOW = key("risk.cancelled-window")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("How long a cancellation counts.");
    public static final ConfigOption<Integer> RISK_LEVEL_MEDIUM = key("risk.level.medium")
            .intType()
            .defaultValue(30)
            .withDescription("Lowest score of riskLevel medium (help_tip cut-off).");
    public static final ConfigOption<Integer> RISK_LEVEL_HIGH = key("risk.level.high")
            .intType()
            .defaultValue(60)
            .withDescription("Lowest score of riskLevel high (live_chat_offer cut-off).");
    public static final ConfigOption<Integer> RISK_LEVEL_CRITICAL = key("risk.level.critical")
            .intType()
            .defaultValue(85)
            .withDescription("Lowest score of riskLevel critical.");
    public static final ConfigOption<Integer> INTERVENTION_HYSTERESIS = key("intervention.hysteresis")
            .intType()
            .defaultValue(15)
            .withDescription("Points the risk must fall below a cut-off before that intervention can fire again.");
    public static final ConfigOption<Duration> COOLDOWN_LIVE_CHAT = key("intervention.cooldown.live-chat-offer")
            .durationType()
            .defaultValue(Duration.ofMinutes(30))
            .withDescription("Least time between two live_chat_offer.");
    public static final ConfigOption<Duration> COOLDOWN_HELP_TIP = key("intervention.cooldown.help-tip")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Least time between two help_tip.");
    public static final ConfigOption<Duration> COOLDOWN_RETENTION = key("intervention.cooldown.retention-offer")
            .durationType()
            .defaultValue(Duration.ofHours(24))
            .withDescription("Least time between two retention_offer.");
    public static final ConfigOption<Duration> COOLDOWN_WIN_BACK = key("intervention.cooldown.win-back")
            .durationType()
            .defaultValue(Duration.ofDays(30))
            .withDescription("Least time between two win_back.");
    public static final ConfigOption<Duration> COOLDOWN_SERVICE_RECOVERY = key("intervention.cooldown.service-recovery")
            .durationType()
            .defaultValue(Duration.ofHours(4))
            .withDescription("Least time between two service_recovery.");
    public static final ConfigOption<Duration> SENTIMENT_HALF_LIFE = key("sentiment.half-life")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("Half-life of the decaying sentiment score, in event time.");
    public static final ConfigOption<Double> SENTIMENT_ANGRY = key("sentiment.angry-threshold")
            .doubleType()
            .defaultValue(-0.3)
            .withDescription("Ticket sentiment at or below which an urgent ticket gets service_recovery.");

    // ---- Campaign policy (issue: campaign decisions)
    public static final ConfigOption<String> FATIGUE_CAPS = key("fatigue.caps")
            .stringType()
            .defaultValue(dev.attune.policy.PolicySettings.DEFAULT_CAPS)
            .withDescription(
                    "Promotional frequency caps, channel:count/window (all = every channel; windows in d, h, m). "
                            + "Checked the moment a send is decided; Message Sent from other systems counts too.");
    public static final ConfigOption<String> QUIET_START = key("quiet-hours.start")
            .stringType()
            .defaultValue("21:00")
            .withDescription("Local time quiet hours begin (no scheduledAt inside them).");
    public static final ConfigOption<String> QUIET_END =
            key("quiet-hours.end").stringType().defaultValue("08:00").withDescription("Local time quiet hours end.");
    public static final ConfigOption<String> DEFAULT_TIMEZONE = key("timezone.default")
            .stringType()
            .defaultValue("Europe/London")
            .withDescription("IANA time zone for customers whose traits and context give none.");
    public static final ConfigOption<Double> NEGATIVE_SENTIMENT = key("policy.negative-sentiment-threshold")
            .doubleType()
            .defaultValue(-0.3)
            .withDescription("Decayed sentiment below which a customer gets no promotional message.");
    public static final ConfigOption<ConsentMode> CONSENT_MODE = key("consent.mode")
            .enumType(ConsentMode.class)
            .defaultValue(ConsentMode.OPT_IN)
            .withDescription(
                    "opt-in: promotional sends need consent true for the channel; opt-out: only consent "
                            + "false blocks. Transactional and service sends are blocked by false consent and unsubscribes only.");
    public static final ConfigOption<Boolean> REQUIRE_KNOWN_ADDRESS = key("contact.require-known-address")
            .booleanType()
            .defaultValue(false)
            .withDescription(
                    "true: email, SMS, WhatsApp and voice are closed for a customer whose traits never carried "
                            + "an email address or phone number. false: an address not seen is not a closed channel (many "
                            + "producers keep addresses out of the event stream); only a hard bounce closes one.");
    public static final ConfigOption<String> WIN_BACK_CHANNELS = key("intervention.channels.win-back")
            .stringType()
            .defaultValue("email,sms,whatsapp")
            .withDescription("Channels a win_back sequence may go out on, in order; it takes the best one the contact "
                    + "policy leaves open, or becomes a suppression with the reason.");
    public static final ConfigOption<String> SERVICE_RECOVERY_CHANNELS = key("intervention.channels.service-recovery")
            .stringType()
            .defaultValue("voice,email,sms")
            .withDescription("Channels an agent's service_recovery follow-up may use, in order (as for win-back).");
    public static final ConfigOption<Duration> WIN_BACK_WINDOW = key("arbitration.win-back-window")
            .durationType()
            .defaultValue(Duration.ofDays(21))
            .withDescription("After a win_back goes out, promotional campaign sends are suppressed as "
                    + "win_back_in_progress for this long (the heuristic sequence's last step is on day 21).");
    public static final ConfigOption<Duration> SERVICE_RECOVERY_WINDOW = key("arbitration.service-recovery-window")
            .durationType()
            .defaultValue(Duration.ofDays(3))
            .withDescription("After a service_recovery goes out, win-backs and promotional campaign sends are "
                    + "suppressed as service_recovery_in_progress for this long.");
    public static final ConfigOption<Double> HOLDOUT_SHARE = key("holdout.share")
            .doubleType()
            .defaultValue(0.0)
            .withDescription("Share (0 to 0.5) of each campaign's eligible customers held out: a holdout suppression, "
                    + "nothing sent, their orders measured, so campaign-summaries can show the uplift. The same "
                    + "customer is in the same group in every run. 0: no holdout.");
    public static final ConfigOption<String> HOLDOUT_CAMPAIGNS = key("holdout.campaigns")
            .stringType()
            .defaultValue("")
            .withDescription("Holdout share per campaign, overriding holdout.share: 'winter-sale=0.1,renewal=0'.");
    public static final ConfigOption<String> HOLDOUT_INTERVENTIONS = key("holdout.interventions")
            .stringType()
            .defaultValue("")
            .withDescription("Holdout share (0 to 0.5) per intervention type: 'live_chat_offer=0.1,win_back=0.2'. A "
                    + "customer the type would be given to who is in its holdout gets a holdout suppression and "
                    + "nothing is shown or sent; what they do next is measured for the held-out group.");
    public static final ConfigOption<Duration> ATTRIBUTION_WINDOW = key("attribution.window")
            .durationType()
            .defaultValue(Duration.ofDays(7))
            .withDescription("How long after a send (or a holdout) its receipts, unsubscribes and orders count for "
                    + "the campaign (an order goes to the latest touch before it).");
    public static final ConfigOption<String> ATTRIBUTION_WINDOWS = key("attribution.windows")
            .stringType()
            .defaultValue("")
            .withDescription("Attribution window per campaign or intervention type, overriding attribution.window "
                    + "for campaigns and the types' own (help_tip and live_chat_offer 1 h; retention_offer, "
                    + "service_recovery and win_back 30 d): 'winter-sale=14 d,live_chat_offer=2 h'.");
    public static final ConfigOption<String> ATTRIBUTION_GOAL_EVENTS = key("attribution.goal-events")
            .stringType()
            .defaultValue("Order Completed")
            .withDescription("Event names that count as a conversion for campaigns, as completing what a struggler "
                    + "was doing (help_tip, live_chat_offer) and as coming back (win_back): 'Order Completed,"
                    + "Application Submitted'. An Order Completed's revenue is attributed.");
    public static final ConfigOption<Double> COST_SMS =
            key("cost.sms").doubleType().defaultValue(0.00645).withDescription("Cost of one SMS.");
    public static final ConfigOption<Double> COST_WHATSAPP =
            key("cost.whatsapp").doubleType().defaultValue(0.0042).withDescription("Cost of one WhatsApp message.");
    public static final ConfigOption<Double> COST_EMAIL =
            key("cost.email").doubleType().defaultValue(0.0001).withDescription("Cost of one email.");
    public static final ConfigOption<Double> COST_VOICE = key("cost.voice")
            .doubleType()
            .defaultValue(0.018)
            .withDescription("Cost of one voice message (one minute).");
    public static final ConfigOption<Double> COST_PUSH =
            key("cost.push").doubleType().defaultValue(0d).withDescription("Cost of one push notification.");
    public static final ConfigOption<Double> COST_IN_APP =
            key("cost.in-app").doubleType().defaultValue(0d).withDescription("Cost of one in-app message.");
    public static final ConfigOption<String> COST_CURRENCY =
            key("cost.currency").stringType().defaultValue("USD").withDescription("ISO 4217 currency of the costs.");
    public static final ConfigOption<String> POPULATION_RATES = key("channel.population-rates")
            .stringType()
            .defaultValue("sms:0.30,whatsapp:0.45,email:0.20,voice:0.25,push:0.08,in_app:0.15")
            .withDescription(
                    "Engagement rate per channel across all customers: the prior a customer's own rate is smoothed toward.");
    public static final ConfigOption<Double> PRIOR_STRENGTH = key("channel.prior-strength")
            .doubleType()
            .defaultValue(5d)
            .withDescription("How many sends of evidence the population prior is worth.");
    public static final ConfigOption<Double> COST_WEIGHT = key("channel.cost-weight")
            .doubleType()
            .defaultValue(10d)
            .withDescription("Engagement-rate points one currency unit of cost is worth when ranking channels.");
    public static final ConfigOption<String> DEFAULT_CHANNEL_ORDER = key("channels.default-order")
            .stringType()
            .defaultValue("sms,whatsapp,email,voice,push,in_app")
            .withDescription(
                    "Channels (and preference order) for a request that names none; its first is the first choice.");

    // ---- Model analysis (issue: Bedrock journey analysis and win-back writing)
    public static final ConfigOption<AnalysisMode> ANALYSIS_MODE = key("analysis.mode")
            .enumType(AnalysisMode.class)
            .defaultValue(AnalysisMode.HEURISTIC)
            .withDescription("heuristic (no AWS needed), bedrock (Amazon Bedrock Converse, credentials from the SDK's "
                    + "default chain), or replay (answers from the journal; no calls).");
    public static final ConfigOption<String> BEDROCK_MODEL_ID = key("bedrock.model-id")
            .stringType()
            .defaultValue("amazon.nova-micro-v1:0")
            .withDescription("Bedrock model id for analysis.");
    public static final ConfigOption<String> BEDROCK_REGION = key("bedrock.region")
            .stringType()
            .noDefaultValue()
            .withDescription("AWS region of Bedrock; unset means the SDK's default region chain.");
    public static final ConfigOption<String> BEDROCK_ENDPOINT = key("bedrock.endpoint")
            .stringType()
            .noDefaultValue()
            .withDescription("Endpoint override, e.g. http://127.0.0.1:8099 for the local Bedrock-compatible server.");
    public static final ConfigOption<Boolean> BEDROCK_ALLOW_PLAIN_HTTP = key("bedrock.allow-plain-http")
            .booleanType()
            .defaultValue(false)
            .withDescription("Allow an http:// bedrock.endpoint on another machine (signed requests in the clear); "
                    + "http to this machine (127.0.0.1, localhost) is always allowed.");
    public static final ConfigOption<Double> BEDROCK_PRICE_INPUT = key("bedrock.price.input-per-1k")
            .doubleType()
            .defaultValue(0.000035)
            .withDescription("USD per 1,000 prompt tokens, for the report's model cost estimate "
                    + "(default: Amazon Nova Micro on demand).");
    public static final ConfigOption<Double> BEDROCK_PRICE_OUTPUT = key("bedrock.price.output-per-1k")
            .doubleType()
            .defaultValue(0.00014)
            .withDescription("USD per 1,000 answer tokens, for the report's model cost estimate.");
    public static final ConfigOption<Integer> REPORT_PRIORITY_LIST = key("report.priority-list")
            .intType()
            .defaultValue(25)
            .withDescription("Customers on the report's priority list (the most at risk first).");
    public static final ConfigOption<Integer> ANALYSIS_CAPACITY = key("analysis.capacity")
            .intType()
            .defaultValue(8)
            .withDescription("Model calls in flight per parallel instance (Async I/O capacity).");
    public static final ConfigOption<Duration> ANALYSIS_DEADLINE = key("analysis.deadline")
            .durationType()
            .defaultValue(Duration.ofMillis(800))
            .withDescription("How long an intervention waits for the model; past it the heuristic one goes out.");
    public static final ConfigOption<Duration> ANALYSIS_CALL_TIMEOUT = key("analysis.call-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("Longest a single model call may take (a late answer is only journaled).");
    public static final ConfigOption<Integer> ANALYSIS_RETRIES = key("analysis.retries")
            .intType()
            .defaultValue(2)
            .withDescription("Retries after throttling or a server error, with jittered exponential backoff.");
    public static final ConfigOption<Duration> ANALYSIS_RETRY_BACKOFF = key("analysis.retry-backoff")
            .durationType()
            .defaultValue(Duration.ofMillis(200))
            .withDescription("First retry pause; doubles, with 50% jitter.");
    public static final ConfigOption<Integer> ANALYSIS_CIRCUIT_WINDOW = key("analysis.circuit.window")
            .intType()
            .defaultValue(20)
            .withDescription("Calls the circuit breaker judges the failure rate over.");
    public static final ConfigOption<Double> ANALYSIS_CIRCUIT_FAILURE_RATE = key("analysis.circuit.failure-rate")
            .doubleType()
            .defaultValue(50d)
            .withDescription("Failure percentage that opens the circuit (everything goes to the heuristic).");
    public static final ConfigOption<Duration> ANALYSIS_CIRCUIT_OPEN_FOR = key("analysis.circuit.open-for")
            .durationType()
            .defaultValue(Duration.ofSeconds(30))
            .withDescription("How long the circuit stays open before one probe call is let through.");
    public static final ConfigOption<Integer> ANALYSIS_BUDGET = key("analysis.budget.tokens-per-minute")
            .intType()
            .defaultValue(20_000)
            .withDescription("Model tokens per minute for the whole job (split across parallel instances); a call "
                    + "over it is an llm_budget suppression and the heuristic answer is used.");
    public static final ConfigOption<Duration> ANALYSIS_COOLDOWN = key("analysis.cooldown")
            .durationType()
            .defaultValue(Duration.ofMinutes(10))
            .withDescription("Least time between two model calls about one customer (so at most one in flight).");
    public static final ConfigOption<Integer> ANALYSIS_EXIT_RISK_POINTS = key("analysis.model-exit-risk.max-points")
            .intType()
            .defaultValue(30)
            .withDescription(
                    "With a model: a help tip asks it (waiting at most analysis.deadline), and its exitRisk "
                            + "may raise the score by up to this many points (reason model_exit_risk); at risk.level.high the "
                            + "help tip becomes a live_chat_offer. 0: the model's exit risk is not used and help tips never ask.");
    public static final ConfigOption<RiskLevel> ANALYSIS_MIN_RISK_LEVEL = key("analysis.min-risk-level")
            .enumType(RiskLevel.class)
            .defaultValue(RiskLevel.CRITICAL)
            .withDescription(
                    "Least risk level at which a live_chat_offer or service_recovery asks the model (a win_back "
                            + "always does: its churn category and message sequence are the model's); below it the heuristic "
                            + "analysis goes out at once. low asks for every one.");
    public static final ConfigOption<String> ANALYSIS_JOURNAL = key("analysis.journal.path")
            .stringType()
            .defaultValue("attune-journal")
            .withDescription(
                    "Folder (local path or s3://bucket/prefix) of the response journal, keyed by prompt hash.");

    // ---- Customer-facing texts
    public static final ConfigOption<String> TEXTS_CATALOGUE = key("texts.catalogue")
            .stringType()
            .noDefaultValue()
            .withDescription("Folder (local path or s3://bucket/prefix) of attune.properties / attune_en_US / _de / "
                    + "_fr / _es .properties files whose texts replace the bundled ones, key by key; read and checked "
                    + "once at start-up (an unknown key, file or placeholder stops it). See docs/decisions.md, "
                    + "'Customer-facing texts', and docs/examples/texts/.");

    // ---- Local run
    public static final ConfigOption<Integer> SUMMARY_EXAMPLES = key("summary.examples")
            .intType()
            .defaultValue(2)
            .withDescription("Example records per output stream printed in the run summary.");

    /** Prefix of keys handed to Flink unchanged, e.g. {@code flink.taskmanager.numberOfTaskSlots}. */
    public static final String FLINK_PREFIX = "flink.";

    /** Every option declared above, in declaration order. */
    public static List<ConfigOption<?>> all() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Field f : AttuneOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    out.add((ConfigOption<?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return Collections.unmodifiableList(out);
    }
}
