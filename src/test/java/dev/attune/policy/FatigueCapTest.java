package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.attune.contract.Channel;
import dev.attune.testing.Defaults;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Parsing of {@code fatigue.caps}: good specs, and every bad one named in its error. */
class FatigueCapTest {
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;

    @Test
    void parsesTheDefaults() {
        List<FatigueCap> caps = FatigueCap.parseAll(PolicySettings.DEFAULT_CAPS);
        assertThat(caps).hasSize(12);
        assertThat(caps.get(0)).isEqualTo(new FatigueCap(null, 2, DAY));
        assertThat(caps.get(1)).isEqualTo(new FatigueCap(null, 5, 7 * DAY));
        assertThat(caps.get(2)).isEqualTo(new FatigueCap(Channel.EMAIL, 1, DAY));
        assertThat(caps).contains(new FatigueCap(Channel.VOICE, 1, 7 * DAY), new FatigueCap(Channel.IN_APP, 3, DAY));
        assertThat(Defaults.policy().ledgerRetention()).isEqualTo(7 * DAY);
    }

    @Test
    void acceptsHoursMinutesSpacesUpperCaseUnitsAndEmptyParts() {
        assertThat(FatigueCap.parseAll(" sms : 1 / 12H ,, push:0/30m , all:10/2d,"))
                .containsExactly(
                        new FatigueCap(Channel.SMS, 1, 12 * HOUR),
                        new FatigueCap(Channel.PUSH, 0, 30 * MINUTE),
                        new FatigueCap(null, 10, 2 * DAY));
        assertThat(FatigueCap.parseAll("")).isEmpty();
        assertThat(FatigueCap.parseAll("in_app:3/1d")).containsExactly(new FatigueCap(Channel.IN_APP, 3, DAY));
    }

    @Test
    void describeGivesBackTheSpec() {
        for (String part : PolicySettings.DEFAULT_CAPS.split(",")) {
            assertThat(FatigueCap.parseAll(part).get(0).describe()).isEqualTo(part);
        }
        assertThat(FatigueCap.parseAll("sms:1/12h").get(0).describe()).isEqualTo("sms:1/12h");
        assertThat(FatigueCap.parseAll("push:1/30m").get(0).describe()).isEqualTo("push:1/30m");
        assertThat(FatigueCap.parseAll("all:2/48h").get(0).describe()).isEqualTo("all:2/2d");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "all:2/90m    | all:2/90m",
                "sms:1/36h    | sms:1/36h",
                "email:1/1500m| email:1/25h",
                "push:2/1441m | push:2/1441m",
            })
    void describeKeepsWindowsThatAreNotWholeHoursOrDays(String spec, String described) {
        FatigueCap cap = FatigueCap.parseAll(spec).get(0);
        assertThat(cap.describe()).isEqualTo(described);
        assertThat(FatigueCap.parseAll(cap.describe()))
                .as("the description parses back to the same cap")
                .containsExactly(cap);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "email1/1d                | 'email1/1d'",
                "email:1                  | 'email:1'",
                "email/1:1d               | 'email/1:1d'",
                "fax:1/1d                 | 'fax'",
                "ALL:1/1d                 | 'ALL'",
                ":1/1d                    | ''",
                "email:x/1d               | 'email:x/1d'",
                "email:/1d                | 'email:/1d'",
                "email:1.5/1d             | 'email:1.5/1d'",
                "email:-1/1d              | 'email:-1/1d'",
                "email:99999999999/1d     | 'email:99999999999/1d'",
                "email:1/1w               | 'email:1/1w'",
                "email:1/d                | 'email:1/d'",
                "email:1/                 | 'email:1/'",
                "email:1/xd               | 'email:1/xd'",
                "email:1/0d               | 'email:1/0d'",
                "email:1/-5h              | 'email:1/-5h'",
                "email:1/1d/2             | 'email:1/1d/2'",
                "email:1/1000000000000d   | 'email:1/1000000000000d'",
                "email:1/9999999999999999h| 'email:1/9999999999999999h'",
                "all:2/1d,sms:two/1d      | 'sms:two/1d'",
            })
    void aBadSpecIsAnIllegalArgumentNamingTheBadPart(String spec, String quoted) {
        assertThatThrownBy(() -> FatigueCap.parseAll(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(quoted);
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> FatigueCap.parseAll("email:1/0d")).hasMessageContaining("positive");
        assertThatThrownBy(() -> FatigueCap.parseAll("email:-1/1d")).hasMessageContaining("negative");
        assertThatThrownBy(() -> FatigueCap.parseAll("email:1/1w")).hasMessageContaining("1d, 12h or 30m");
        assertThatThrownBy(() -> FatigueCap.parseAll("fax:1/1d")).hasMessageContaining("is not all or a channel");
        assertThatThrownBy(() -> FatigueCap.parseAll("email")).hasMessageContaining("channel:count/window");
    }
}
