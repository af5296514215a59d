package dev.attune.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The values of Attune's choice keys. Each prints as it is written in a profile ({@code
 * exactly-once}, {@code end-of-input}); Flink reads a value back through {@code toString},
 * ignoring case, and rejects anything else.
 */
public final class Choices {
    private Choices() {}

    /** The values of an enum option, as a user writes them. */
    public static List<String> values(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }

    static String token(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public enum SourceKind {
        GENERATOR,
        FILES,
        KAFKA,
        KINESIS;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum SinkKind {
        FILES,
        KAFKA,
        KINESIS,
        STDOUT,
        DISCARD;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum KafkaStart {
        COMMITTED,
        EARLIEST,
        LATEST;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum Delivery {
        EXACTLY_ONCE,
        AT_LEAST_ONCE;

        @Override
        public String toString() {
            return token(this);
        }
    }

    /** Kinesis's own names, as the connector spells them. */
    public enum InitialPosition {
        LATEST,
        TRIM_HORIZON,
        AT_TIMESTAMP
    }

    public enum StateBackend {
        ROCKSDB,
        HASHMAP;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum WatermarkStrategy {
        BOUNDED,
        END_OF_INPUT;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum ConsentMode {
        OPT_IN,
        OPT_OUT;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum AnalysisMode {
        HEURISTIC,
        BEDROCK,
        REPLAY;

        @Override
        public String toString() {
            return token(this);
        }
    }

    public enum RiskLevel {
        LOW,
        MEDIUM,
        HIGH,
        CRITICAL;

        @Override
        public String toString() {
            return token(this);
        }
    }
}
