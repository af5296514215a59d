package dev.attune.config;

import static dev.attune.config.AttuneOptions.*;

import dev.attune.config.Choices.AnalysisMode;
import dev.attune.config.Choices.InitialPosition;
import dev.attune.config.Choices.SinkKind;
import dev.attune.config.Choices.SourceKind;
import dev.attune.config.Choices.WatermarkStrategy;
import dev.attune.contract.Streams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

/**
 * Checks a set of key/value pairs against {@link AttuneOptions}: unknown keys, values that do not
 * parse, values out of range, and keys required by others. Fails on the first problem with a
 * message that names the key.
 */
public final class ConfigValidator {
    /** Keys whose value must be one of a fixed set. */
    /** The values each choice key takes, from its enum. */
    static final Map<ConfigOption<?>, List<String>> CHOICES = new LinkedHashMap<>();

    static {
        for (ConfigOption<?> o : AttuneOptions.all()) {
            if (o.hasDefaultValue() && o.defaultValue() instanceof Enum<?> e) {
                CHOICES.put(o, Choices.values(e.getDeclaringClass()));
            }
        }
    }

    private ConfigValidator() {}

    /** Validates raw key/value pairs and returns the Flink configuration holding them. */
    public static Configuration validate(Map<String, String> raw) {
        Map<String, ConfigOption<?>> known = AttuneOptions.all().stream()
                .collect(Collectors.toMap(ConfigOption::key, o -> o, (a, b) -> a, LinkedHashMap::new));
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String k = e.getKey();
            boolean passThrough = false;
            for (String prefix : List.of(FLINK_PREFIX, KAFKA_CLIENT_PREFIX, KINESIS_CLIENT_PREFIX)) {
                if (k.startsWith(prefix)) {
                    if (k.length() == prefix.length()) {
                        throw new ConfigException(k, "a key must follow the '" + prefix + "' prefix");
                    }
                    passThrough = true;
                }
            }
            if (passThrough || (!known.containsKey(k) && FlinkKeys.isFlinkKey(k))) {
                continue;
            }
            if (!known.containsKey(k)) {
                throw new ConfigException(
                        k,
                        "unknown key" + suggestion(k, known.keySet())
                                + "; neither an Attune key nor one of Flink's; list them with 'attune config' or see docs/configuration.md");
            }
            if (e.getValue() == null || e.getValue().isBlank()) {
                throw new ConfigException(k, "empty value");
            }
        }
        Configuration conf = new Configuration();
        raw.forEach(conf::setString);
        for (ConfigOption<?> option : known.values()) {
            try {
                conf.get(option);
            } catch (RuntimeException ex) {
                throw new ConfigException(option.key(), "'" + raw.get(option.key()) + "' is not " + typeName(option));
            }
        }
        checkRanges(conf);
        checkSources(conf);
        TextCatalogues.load(conf);
        return conf;
    }

    private static void checkRanges(Configuration conf) {
        atLeast(conf, PARALLELISM, 1);
        atLeast(conf, GENERATOR_CUSTOMERS, 1);
        atLeast(conf, SUMMARY_EXAMPLES, 0);
        atLeast(conf, REPORT_PRIORITY_LIST, 1);
        share(conf, GENERATOR_MALFORMED_RATIO);
        share(conf, GENERATOR_DUPLICATE_RATIO);
        if (conf.get(GENERATOR_RATE) < 0) {
            throw new ConfigException(GENERATOR_RATE.key(), "must be 0 (unlimited) or more");
        }
        for (ConfigOption<Integer> w : List.of(
                RISK_STRUGGLE_WEIGHT,
                RISK_STRUGGLE_CAP,
                RISK_ERROR_WEIGHT,
                RISK_ERROR_CAP,
                RISK_CANCEL_PAGE_WEIGHT,
                RISK_CANCEL_PAGE_CAP,
                RISK_CHECKOUT_WEIGHT,
                RISK_SENTIMENT_WEIGHT,
                RISK_TICKET_WEIGHT,
                RISK_CANCELLED_WEIGHT,
                RISK_DECISIVE_WEIGHT,
                RISK_PAYMENT_ERROR_WEIGHT,
                ANALYSIS_EXIT_RISK_POINTS,
                INTERVENTION_HYSTERESIS)) {
            between(conf, w, 0, 100);
        }
        between(conf, RISK_LEVEL_MEDIUM, 1, 100);
        between(conf, RISK_LEVEL_HIGH, 1, 100);
        between(conf, RISK_LEVEL_CRITICAL, 1, 100);
        if (conf.get(RISK_LEVEL_HIGH) <= conf.get(RISK_LEVEL_MEDIUM)) {
            throw new ConfigException(RISK_LEVEL_HIGH.key(), "must be above risk.level.medium");
        }
        if (conf.get(RISK_LEVEL_CRITICAL) <= conf.get(RISK_LEVEL_HIGH)) {
            throw new ConfigException(RISK_LEVEL_CRITICAL.key(), "must be above risk.level.high");
        }
        for (ConfigOption<Duration> d : List.of(
                RISK_SIGNAL_WINDOW,
                RISK_CANCEL_WINDOW,
                RISK_CHECKOUT_WINDOW,
                RISK_TICKET_WINDOW,
                RISK_CANCELLED_WINDOW,
                COOLDOWN_LIVE_CHAT,
                COOLDOWN_HELP_TIP,
                COOLDOWN_RETENTION,
                COOLDOWN_WIN_BACK,
                COOLDOWN_SERVICE_RECOVERY,
                SENTIMENT_HALF_LIFE,
                KINESIS_SINK_BUFFER_TIME)) {
            positive(conf, d);
        }
        if (conf.get(SENTIMENT_ANGRY) < -1 || conf.get(SENTIMENT_ANGRY) > 1) {
            throw new ConfigException(SENTIMENT_ANGRY.key(), "must be between -1 and 1");
        }
        if (conf.get(RISK_DECISIVE_ATTEMPTS) < 2) {
            throw new ConfigException(RISK_DECISIVE_ATTEMPTS.key(), "must be 2 or more (one attempt is no struggle)");
        }
        if (conf.get(KINESIS_POLL_INTERVAL).isNegative()) {
            throw new ConfigException(KINESIS_POLL_INTERVAL.key(), "must be 0 (no wait) or more");
        }
        if (conf.get(RISK_DECISIVE_STUCK).isNegative()) {
            throw new ConfigException(RISK_DECISIVE_STUCK.key(), "must be 0 (off) or more");
        }
        HoldoutSettings.from(conf);
        positive(conf, ATTRIBUTION_WINDOW);
        try {
            dev.attune.signals.RiskSettings.Struggles.kindWeights(conf.get(RISK_STRUGGLE_KIND_WEIGHTS));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RISK_STRUGGLE_KIND_WEIGHTS.key(), e.getMessage());
        }
        try {
            dev.attune.signals.RiskSettings.Struggles.paymentCodes(conf.get(RISK_PAYMENT_CODES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(RISK_PAYMENT_CODES.key(), "not a regular expression: " + e.getMessage());
        }
        try {
            new dev.attune.signals.EventNames(conf.get(EVENTS_ALIASES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(EVENTS_ALIASES.key(), e.getMessage());
        }
        checkPolicy(conf);
        atLeast(conf, ANALYSIS_CAPACITY, 1);
        atLeast(conf, ANALYSIS_RETRIES, 0);
        atLeast(conf, ANALYSIS_CIRCUIT_WINDOW, 1);
        atLeast(conf, ANALYSIS_BUDGET, 1);
        for (ConfigOption<Duration> d : List.of(
                ANALYSIS_DEADLINE,
                ANALYSIS_CALL_TIMEOUT,
                ANALYSIS_RETRY_BACKOFF,
                ANALYSIS_CIRCUIT_OPEN_FOR,
                ANALYSIS_COOLDOWN)) {
            positive(conf, d);
        }
        double rate = conf.get(ANALYSIS_CIRCUIT_FAILURE_RATE);
        if (!(rate > 0 && rate <= 100)) {
            throw new ConfigException(
                    ANALYSIS_CIRCUIT_FAILURE_RATE.key(), "must be a percentage above 0 and at most 100");
        }
        if (conf.get(BEDROCK_ENDPOINT) != null && !conf.get(BEDROCK_ENDPOINT).matches("https?://.+")) {
            throw new ConfigException(
                    BEDROCK_ENDPOINT.key(), "'" + conf.get(BEDROCK_ENDPOINT) + "' is not an http(s) URL");
        }
        checkBedrockEndpoint(conf);
        positive(conf, DEDUP_WINDOW);
        positive(conf, STATE_TTL);
        if (conf.get(DEDUP_WINDOW).compareTo(conf.get(STATE_TTL)) > 0) {
            throw new ConfigException(
                    DEDUP_WINDOW.key(),
                    "is longer than state.ttl (" + conf.get(STATE_TTL).toDays() + " d): a customer's seen ids expire "
                            + "with their state, so a repeat after the TTL would not be known");
        }
        if (conf.get(SINK_KIND) == SinkKind.KAFKA
                && conf.get(KAFKA_TX_TIMEOUT).compareTo(BROKER_MAX_TRANSACTION_TIMEOUT) > 0) {
            throw new ConfigException(
                    KAFKA_TX_TIMEOUT.key(),
                    "is above 15 min, the broker's default transaction.max.timeout.ms: the broker refuses the "
                            + "producer (raise the broker's maximum first, then this)");
        }
        if (conf.get(SINK_KIND) == SinkKind.KAFKA
                && conf.get(KAFKA_TX_TIMEOUT).compareTo(conf.get(CHECKPOINT_INTERVAL)) <= 0) {
            throw new ConfigException(
                    KAFKA_TX_TIMEOUT.key(),
                    "must be longer than checkpoint.interval: a transaction stays open from one checkpoint to the next");
        }
        positive(conf, WATERMARK_IDLENESS);
        positive(conf, WATERMARK_INTERVAL);
        if (conf.get(WATERMARK_OUT_OF_ORDERNESS).isNegative()) {
            throw new ConfigException(WATERMARK_OUT_OF_ORDERNESS.key(), "must not be negative");
        }
        if (conf.get(CHECKPOINT_INTERVAL).toMillis() < 10) {
            throw new ConfigException(CHECKPOINT_INTERVAL.key(), "must be at least 10 ms");
        }
        try {
            Instant.parse(conf.get(GENERATOR_START));
        } catch (DateTimeParseException e) {
            throw new ConfigException(
                    GENERATOR_START.key(),
                    "'" + conf.get(GENERATOR_START) + "' is not an ISO-8601 UTC time such as 2026-11-21T08:00:00Z");
        }
    }

    private static void checkPolicy(Configuration conf) {
        try {
            if (dev.attune.policy.FatigueCap.parseAll(conf.get(FATIGUE_CAPS)).isEmpty()) {
                throw new ConfigException(FATIGUE_CAPS.key(), "no cap given; write e.g. all:2/1d");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(FATIGUE_CAPS.key(), e.getMessage());
        }
        for (ConfigOption<String> t : List.of(QUIET_START, QUIET_END)) {
            try {
                java.time.LocalTime.parse(conf.get(t));
            } catch (java.time.format.DateTimeParseException e) {
                throw new ConfigException(t.key(), "'" + conf.get(t) + "' is not a local time such as 21:00");
            }
        }
        try {
            java.time.ZoneId.of(conf.get(DEFAULT_TIMEZONE));
        } catch (RuntimeException e) {
            throw new ConfigException(
                    DEFAULT_TIMEZONE.key(),
                    "'" + conf.get(DEFAULT_TIMEZONE) + "' is not an IANA time zone such as Europe/London");
        }
        for (ConfigOption<Double> c : List.of(
                COST_SMS,
                COST_WHATSAPP,
                COST_EMAIL,
                COST_VOICE,
                COST_PUSH,
                COST_IN_APP,
                PRIOR_STRENGTH,
                COST_WEIGHT,
                BEDROCK_PRICE_INPUT,
                BEDROCK_PRICE_OUTPUT)) {
            if (!(conf.get(c) >= 0) || conf.get(c).isInfinite()) {
                throw new ConfigException(c.key(), "must be a number of 0 or more");
            }
        }
        if (!conf.get(COST_CURRENCY).matches("[A-Z]{3}")) {
            throw new ConfigException(
                    COST_CURRENCY.key(), "'" + conf.get(COST_CURRENCY) + "' is not an ISO 4217 code such as USD");
        }
        if (conf.get(NEGATIVE_SENTIMENT) < -1 || conf.get(NEGATIVE_SENTIMENT) > 1) {
            throw new ConfigException(NEGATIVE_SENTIMENT.key(), "must be between -1 and 1");
        }
        try {
            dev.attune.policy.PolicySettings.rates(conf.get(POPULATION_RATES));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(POPULATION_RATES.key(), e.getMessage());
        }
        try {
            dev.attune.policy.PolicySettings.order(conf.get(DEFAULT_CHANNEL_ORDER));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(DEFAULT_CHANNEL_ORDER.key(), e.getMessage());
        }
        for (var key : List.of(WIN_BACK_CHANNELS, SERVICE_RECOVERY_CHANNELS)) {
            List<dev.attune.contract.Channel> channels;
            try {
                channels = dev.attune.policy.PolicySettings.order(conf.get(key));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key.key(), e.getMessage());
            }
            if (channels.contains(dev.attune.contract.Channel.IN_APP)) {
                throw new ConfigException(
                        key.key(), "in_app is in-product help, not a channel a message can go out on");
            }
        }
    }

    private static void checkSources(Configuration conf) {
        if (conf.get(SOURCE_KIND) == SourceKind.FILES || conf.get(INPUT_PATH) != null) {
            String in = conf.get(INPUT_PATH);
            if (in == null) {
                throw new ConfigException(INPUT_PATH.key(), "required when source.kind is files, and for load");
            }
            Path p = Path.of(in);
            if (!Files.isDirectory(p)) {
                throw new ConfigException(INPUT_PATH.key(), "'" + in + "' is not a folder");
            }
            boolean any = Streams.INPUTS.stream().anyMatch(s -> Files.isDirectory(p.resolve(s)));
            if (!any) {
                throw new ConfigException(
                        INPUT_PATH.key(), "'" + in + "' holds none of " + String.join("/, ", Streams.INPUTS) + "/");
            }
        }
        boolean kafka = conf.get(SOURCE_KIND) == SourceKind.KAFKA || conf.get(SINK_KIND) == SinkKind.KAFKA;
        if (kafka
                && (conf.get(KAFKA_BOOTSTRAP) == null
                        || conf.get(KAFKA_BOOTSTRAP).isBlank())) {
            throw new ConfigException(KAFKA_BOOTSTRAP.key(), "required when source.kind or sink.kind is kafka");
        }
        if (kafka) {
            for (String stream : Streams.INPUTS) {
                String t = conf.get(kafkaTopic(stream));
                if (!t.matches("[a-zA-Z0-9._-]{1,249}")) {
                    throw new ConfigException("kafka.topic." + stream, "'" + t + "' is not a legal Kafka topic name");
                }
            }
        }
        boolean kinesis = conf.get(SOURCE_KIND) == SourceKind.KINESIS || conf.get(SINK_KIND) == SinkKind.KINESIS;
        if (kinesis && conf.get(KINESIS_REGION) == null) {
            throw new ConfigException(KINESIS_REGION.key(), "required when source.kind or sink.kind is kinesis");
        }
        if (conf.get(SOURCE_KIND) == SourceKind.KINESIS) {
            boolean any = false;
            for (String stream : Streams.INPUTS) {
                String v = conf.get(kinesisStream(stream));
                if (v != null && !v.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/[a-zA-Z0-9_.-]{1,128}")) {
                    throw new ConfigException(
                            "kinesis.stream." + stream,
                            "'" + v + "' is not a Kinesis stream ARN "
                                    + "(arn:aws:kinesis:REGION:ACCOUNT:stream/NAME), which the source needs");
                }
                any |= v != null;
            }
            if (!any) {
                throw new ConfigException(
                        "kinesis.stream.user-events",
                        "no input stream ARN given "
                                + "(kinesis.stream.user-events, kinesis.stream.engagement-events, kinesis.stream.campaign-requests)");
            }
            if (conf.get(KINESIS_INITIAL_POSITION) == InitialPosition.AT_TIMESTAMP) {
                String ts = conf.get(KINESIS_INITIAL_TIMESTAMP);
                try {
                    Instant.parse(ts == null ? "" : ts);
                } catch (DateTimeParseException e) {
                    throw new ConfigException(
                            KINESIS_INITIAL_TIMESTAMP.key(),
                            "required as an ISO-8601 UTC time such as "
                                    + "2026-11-01T00:00:00Z when kinesis.initial-position is AT_TIMESTAMP");
                }
            }
        }
        if (conf.get(SINK_KIND) == SinkKind.KINESIS) {
            for (String stream : Streams.OUTPUTS) {
                if (conf.get(kinesisStream(stream)) == null) {
                    throw new ConfigException("kinesis.stream." + stream, "required when sink.kind is kinesis");
                }
            }
        }
        if (conf.get(SOURCE_BOUNDED) && conf.get(SOURCE_KIND) != SourceKind.KAFKA) {
            throw new ConfigException(
                    SOURCE_BOUNDED.key(),
                    "only a kafka source can be bounded; " + conf.get(SOURCE_KIND) + " is "
                            + (conf.get(SOURCE_KIND) == SourceKind.KINESIS ? "unbounded" : "bounded already"));
        }
        boolean unbounded = conf.get(SOURCE_KIND) == SourceKind.KINESIS
                || (conf.get(SOURCE_KIND) == SourceKind.KAFKA && !conf.get(SOURCE_BOUNDED));
        if (unbounded && conf.get(WATERMARK_STRATEGY) == WatermarkStrategy.END_OF_INPUT) {
            throw new ConfigException(
                    WATERMARK_STRATEGY.key(),
                    "end-of-input needs a bounded source; " + conf.get(SOURCE_KIND)
                            + " never ends (use bounded, or source.bounded=true with kafka)");
        }
        if (conf.get(SINK_KIND) == SinkKind.FILES && conf.get(OUTPUT_PATH).isBlank()) {
            throw new ConfigException(OUTPUT_PATH.key(), "required when sink.kind is files");
        }
    }

    private static void atLeast(Configuration conf, ConfigOption<Integer> o, int min) {
        if (conf.get(o) < min) {
            throw new ConfigException(o.key(), "must be at least " + min + ", was " + conf.get(o));
        }
    }

    private static void between(Configuration conf, ConfigOption<Integer> o, int min, int max) {
        int v = conf.get(o);
        if (v < min || v > max) {
            throw new ConfigException(o.key(), "must be between " + min + " and " + max + ", was " + v);
        }
    }

    private static void share(Configuration conf, ConfigOption<Double> o) {
        double v = conf.get(o);
        if (!(v >= 0 && v <= 1)) {
            throw new ConfigException(o.key(), "must be between 0 and 1, was " + v);
        }
    }

    /** The broker's default {@code transaction.max.timeout.ms}. */
    static final Duration BROKER_MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    /**
     * Signed requests travel in the clear over {@code http://}: only to this machine (the local
     * Bedrock-compatible server of the tests), unless {@code bedrock.allow-plain-http} says so. And in
     * Bedrock mode a region must be known before the job starts, not found missing at the first call.
     */
    private static void checkBedrockEndpoint(Configuration conf) {
        String endpoint = conf.get(BEDROCK_ENDPOINT);
        if (endpoint != null && endpoint.startsWith("http://") && !conf.get(BEDROCK_ALLOW_PLAIN_HTTP)) {
            String host;
            try {
                host = java.net.URI.create(endpoint).getHost();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(BEDROCK_ENDPOINT.key(), "'" + endpoint + "' is not a URL");
            }
            boolean loopback = host != null
                    && (host.equals("localhost")
                            || host.equals("127.0.0.1")
                            || host.equals("::1")
                            || host.equals("[::1]")
                            || host.startsWith("127."));
            if (!loopback) {
                throw new ConfigException(
                        BEDROCK_ENDPOINT.key(),
                        "'" + endpoint + "' is plain http to another machine: signed requests and customer data "
                                + "would travel in the clear (use https, or set bedrock.allow-plain-http true)");
            }
        }
        if (conf.get(ANALYSIS_MODE) == AnalysisMode.BEDROCK
                && conf.get(BEDROCK_REGION) == null
                && System.getenv("AWS_REGION") == null
                && System.getenv("AWS_DEFAULT_REGION") == null
                && System.getProperty("aws.region") == null) {
            throw new ConfigException(
                    BEDROCK_REGION.key(),
                    "is required with analysis.mode bedrock (none in AWS_REGION, AWS_DEFAULT_REGION or aws.region "
                            + "either)");
        }
    }

    private static void positive(Configuration conf, ConfigOption<Duration> o) {
        if (conf.get(o).isZero() || conf.get(o).isNegative()) {
            throw new ConfigException(o.key(), "must be a positive duration such as '10 s' or '1 d'");
        }
    }

    static String typeName(ConfigOption<?> o) {
        String desc = o.hasDefaultValue() ? o.defaultValue().getClass().getSimpleName() : "String";
        if (CHOICES.containsKey(o)) {
            return "one of " + String.join(", ", CHOICES.get(o));
        }
        return switch (desc) {
            case "Integer" -> "an integer";
            case "Long" -> "an integer";
            case "Double" -> "a number";
            case "Boolean" -> "true or false";
            case "Duration" -> "a duration such as '500 ms', '10 s', '5 min' or '1 d'";
            default -> "a valid " + desc.toLowerCase();
        };
    }

    private static String suggestion(String k, Set<String> keys) {
        return keys.stream()
                .min(Comparator.comparingInt(c -> distance(k, c)))
                .filter(c -> distance(k, c) <= Math.max(2, k.length() / 4))
                .map(c -> " (did you mean '" + c + "'?)")
                .orElse("");
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
