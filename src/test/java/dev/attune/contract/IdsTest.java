package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdsTest {
    private static Pattern idPattern;

    @BeforeAll
    static void readPatternFromSchema() throws Exception {
        try (InputStream in = IdsTest.class.getClassLoader().getResourceAsStream("schemas/outputs.defs.json")) {
            assertThat(in).as("schemas/outputs.defs.json on the classpath").isNotNull();
            JsonNode defs = Json.MAPPER.readTree(in);
            String pattern = defs.at("/$defs/id/pattern").textValue();
            assertThat(pattern).isNotBlank();
            idPattern = Pattern.compile(pattern);
        }
    }

    @Test
    void sameIdForSameParts() {
        assertThat(Ids.of("interventions", "u1", "m1")).isEqualTo(Ids.of("interventions", "u1", "m1"));
        assertThat(Ids.of("x")).isEqualTo(Ids.of(new String[] {"x"}));
    }

    @Test
    void knownValueIsStableAcrossRuns() {
        // Changing the derivation would silently change every id a consumer deduplicates on.
        // Value computed independently: SHA-256 over (4-byte big-endian length, UTF-8 bytes) per part,
        // version nibble 8, IETF variant.
        assertThat(Ids.of("dead-letter", "user-events", "f:1")).isEqualTo("a3197a17-d799-859f-bf1e-8aaa8f80bb1b");
        assertThat(Ids.of()).isEqualTo("e3b0c442-98fc-8c14-9afb-f4c8996fb924").matches(idPattern);
    }

    @Test
    void differentPartsGiveDifferentIds() {
        assertThat(Ids.of("a", "b")).isNotEqualTo(Ids.of("a", "c"));
        assertThat(Ids.of("a", "b")).isNotEqualTo(Ids.of("b", "a"));
        assertThat(Ids.of("a")).isNotEqualTo(Ids.of("a", ""));
        assertThat(Ids.of("")).isNotEqualTo(Ids.of());
    }

    @Test
    void differentSplittingGivesDifferentIds() {
        assertThat(Ids.of("ab", "c")).isNotEqualTo(Ids.of("a", "bc"));
        assertThat(Ids.of("abc")).isNotEqualTo(Ids.of("ab", "c"));
        assertThat(Ids.of("a", "", "b")).isNotEqualTo(Ids.of("a", "b", ""));
    }

    @Test
    void formatMatchesTheOutputSchema() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String id = Ids.of("stream", "user-" + i, "é€😀", Integer.toString(i * 31));
            assertThat(id).hasSize(36).matches(idPattern);
            seen.add(id);
        }
        assertThat(seen).hasSize(2000);
    }

    @Test
    void nullPartIsHandled() {
        String withNull = Ids.of("a", null, "b");
        assertThat(withNull).matches(idPattern).isEqualTo(Ids.of("a", null, "b"));
        assertThat(withNull).isNotEqualTo(Ids.of("a", "null", "b"));
        assertThat(withNull).isNotEqualTo(Ids.of("a", "", "b"));
        assertThat(withNull).isNotEqualTo(Ids.of("a", "b"));
        assertThat(Ids.of((String) null)).matches(idPattern);
    }
}
