package dev.attune.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

class FlinkKeysTest {
    @Test
    void knowsFlinksKeysAndTheFamiliesItReadsByPrefix() {
        assertThat(FlinkKeys.isFlinkKey("state.backend.type")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("execution.checkpointing.interval")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("state.checkpoints.dir")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("parallelism.default")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("restart-strategy.type")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("state.backend.rocksdb.memory.managed")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("metrics.reporter.prom.factory.class")).isTrue();
        assertThat(FlinkKeys.isFlinkKey("fatigue.caps")).isFalse();
        assertThat(FlinkKeys.isFlinkKey("state.backend.typo")).isFalse();
    }

    /** Attune's key that is also Flink's (deprecated) name means the same there: a backend's name. */
    @Test
    void theOnlyKeyAttuneSharesWithFlinkIsTheStateBackend() {
        Set<String> shared = new TreeSet<>();
        for (ConfigOption<?> o : AttuneOptions.all()) {
            if (FlinkKeys.isFlinkKey(o.key())) {
                shared.add(o.key());
            }
        }
        assertThat(shared).containsExactly("state.backend");
    }

    @Test
    void theValidatorTakesFlinksKeysAndStillNamesAnUnknownOne() {
        assertThat(ConfigValidator.validate(
                                Map.of("state.backend.type", "rocksdb", "execution.checkpointing.interval", "30 s"))
                        .getString("state.backend.type", null))
                .isEqualTo("rocksdb");
        assertThatThrownBy(() -> ConfigValidator.validate(Map.of("state.backend.typo", "rocksdb")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("state.backend.typo: unknown key");
    }
}
