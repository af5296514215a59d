package dev.attune.signals;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.attune.contract.Reason;
import dev.attune.testing.Defaults;
import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The risk model on hand-set state: each contribution, its weight, cap and window; levels; the 100 cap. */
class RiskModelTest {
    private static final long NOW = T0 + DAY;
    private static final long HALF_LIFE = 7 * DAY;
    private final RiskModel model = new RiskModel(Defaults.risk(), HALF_LIFE);

    /** Distinct weights and caps, so a hard-coded default could not pass for the configured one. */
    private static final RiskSettings CUSTOM = new RiskSettings(
            7,
            20,
            3,
            5,
            2 * MINUTE,
            11,
            13,
            2 * HOUR,
            4,
            10 * MINUTE,
            50,
            9,
            3 * HOUR,
            33,
            2 * DAY,
            10,
            20,
            40,
            RiskSettings.Struggles.DEFAULTS);

    private static long[] times(long... t) {
        return t;
    }

    private static Risk only(Risk r, String code) {
        assertThat(r.reasons()).extracting(Reason::code).containsExactly(code);
        assertThat(r.score()).isEqualTo(r.reasons().get(0).contribution());
        return r;
    }

    @Nested
    class Contributions {
        @Test
        void nothingRecentIsZeroAndLow() {
            Risk r = model.assess(new CustomerState(), NOW);
            assertThat(r.score()).isZero();
            assertThat(r.level()).isEqualTo("low");
            assertThat(r.reasons()).isEmpty();
        }

        @Test
        void struggleBurst() {
            CustomerState s = new CustomerState();
            s.struggleTimes = times(NOW - 13 * SECOND, NOW - 10 * SECOND, NOW - 5 * SECOND, NOW);
            s.lastStruggleKind = "rage_click";
            Risk r = only(model.assess(s, NOW), "struggle_burst");
            // 4 x 12 = 48, which is also the cap
            assertThat(r.reasons()).containsExactly(new Reason("struggle_burst", "4 in 13 s (rage_click)", 48));

            s.struggleTimes = times(NOW - 3 * SECOND, NOW);
            assertThat(model.assess(s, NOW).reasons())
                    .containsExactly(new Reason("struggle_burst", "2 in 3 s (rage_click)", 24));

            s.struggleTimes = times(NOW - 4 * SECOND, NOW - 3 * SECOND, NOW - 2 * SECOND, NOW - SECOND, NOW, NOW);
            assertThat(model.assess(s, NOW).reasons())
                    .containsExactly(new Reason("struggle_burst", "6 in 4 s (rage_click)", 48)); // capped

            s.struggleTimes = times(NOW);
            s.lastStruggleKind = null;
            assertThat(model.assess(s, NOW).reasons()).containsExactly(new Reason("struggle_burst", "1 in 0 s", 12));
        }

        @Test
        void struggleWindowExpires() {
            CustomerState s = new CustomerState();
            s.lastStruggleKind = "dead_click";
            s.struggleTimes = times(NOW - 6 * MINUTE);
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
            s.struggleTimes = times(NOW - 5 * MINUTE); // the window is (now - 5 min, now]
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
            s.struggleTimes = times(NOW - 5 * MINUTE + 1);
            assertThat(model.assess(s, NOW).score()).isEqualTo(12);
            // Only the recent ones of a mixed history count, and the span covers those only.
            s.struggleTimes = times(NOW - 6 * MINUTE, NOW - 20 * SECOND, NOW);
            assertThat(model.assess(s, NOW).reasons())
                    .containsExactly(new Reason("struggle_burst", "2 in 20 s (dead_click)", 24));
        }

        @Test
        void errorsShown() {
            CustomerState s = new CustomerState();
            s.errorTimes = times(NOW - MINUTE, NOW);
            s.lastErrorCode = "E42";
            assertThat(only(model.assess(s, NOW), "errors_shown").reasons())
                    .containsExactly(new Reason("errors_shown", "2 in 5 min (E42)", 20));
            s.errorTimes = times(
                    NOW - 6 * SECOND,
                    NOW - 5 * SECOND,
                    NOW - 4 * SECOND,
                    NOW - 3 * SECOND,
                    NOW - 2 * SECOND,
                    NOW - SECOND,
                    NOW);
            assertThat(model.assess(s, NOW).reasons())
                    .containsExactly(new Reason("errors_shown", "7 in 5 min (E42)", 60)); // capped
            s.errorPoints = new byte[] {30, 30, -1, -1, -1, -1, -1};
            s.errorTimes = times(NOW - 2 * SECOND, NOW - SECOND, NOW);
            assertThat(model.assess(s, NOW).reasons())
                    .as("each error's own points; -1 counts the default weight")
                    .containsExactly(new Reason("errors_shown", "3 in 5 min (E42)", 60)); // 30 + 30 + 10, capped
            s.errorTimes = times(NOW - 6 * MINUTE);
            s.errorPoints = null;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void checkoutNotCompleted() {
            CustomerState s = new CustomerState();
            s.checkoutOpenSince = NOW - 90 * SECOND;
            assertThat(only(model.assess(s, NOW), "checkout_not_completed").reasons())
                    .containsExactly(new Reason("checkout_not_completed", "90 s open", 8));
            s.checkoutOpenSince = NOW - 30 * MINUTE;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
            s.checkoutOpenSince = 0; // completed
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void cancelIntent() {
            CustomerState s = new CustomerState();
            s.cancelVisitTimes = times(NOW - HOUR);
            assertThat(only(model.assess(s, NOW), "cancel_intent").reasons())
                    .containsExactly(new Reason("cancel_intent", "1 billing/cancel page visits in 24 h", 25));
            s.cancelVisitTimes = times(NOW - 3 * HOUR, NOW - 2 * HOUR, NOW - HOUR);
            assertThat(model.assess(s, NOW).reasons())
                    .containsExactly(new Reason("cancel_intent", "3 billing/cancel page visits in 24 h", 50)); // capped
            s.cancelVisitTimes = times(NOW - 25 * HOUR);
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void negativeSentiment() {
            CustomerState s = new CustomerState();
            s.sentiment = -0.5;
            s.sentimentTime = NOW;
            assertThat(only(model.assess(s, NOW), "negative_sentiment").reasons())
                    .containsExactly(new Reason("negative_sentiment", "-0.50", 15));
            s.sentiment = -1;
            assertThat(model.assess(s, NOW).score()).isEqualTo(30);
            s.sentiment = -0.04; // within the neutral band
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
            s.sentiment = 0.9;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void negativeSentimentIsReadDecayedToNow() {
            CustomerState s = new CustomerState();
            s.sentiment = -0.8;
            s.sentimentTime = NOW - HALF_LIFE;
            assertThat(model.assess(s, NOW).reasons()).containsExactly(new Reason("negative_sentiment", "-0.40", 12));
            s.sentimentTime = NOW - 2 * HALF_LIFE;
            assertThat(model.assess(s, NOW).reasons()).containsExactly(new Reason("negative_sentiment", "-0.20", 6));
            // Long after, it has faded into the neutral band.
            s.sentimentTime = NOW - 5 * HALF_LIFE;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void valuesDoNotDependOnTheDefaultLocale() {
            Locale before = Locale.getDefault();
            try {
                Locale.setDefault(Locale.GERMANY); // a decimal comma
                CustomerState s = new CustomerState();
                s.sentiment = -0.5;
                s.sentimentTime = NOW;
                assertThat(model.assess(s, NOW).reasons().get(0).value()).isEqualTo("-0.50");
            } finally {
                Locale.setDefault(before);
            }
        }

        @Test
        void urgentSupportTicket() {
            CustomerState s = new CustomerState();
            s.lastUrgentTicketTime = NOW - HOUR;
            assertThat(only(model.assess(s, NOW), "urgent_support_ticket").reasons())
                    .containsExactly(new Reason("urgent_support_ticket", "within 24 h", 15));
            s.lastUrgentTicketTime = NOW - 24 * HOUR;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void subscriptionCancelled() {
            CustomerState s = new CustomerState();
            s.cancelledAt = NOW - DAY;
            s.cancelCategory = "pricing";
            assertThat(only(model.assess(s, NOW), "subscription_cancelled").reasons())
                    .containsExactly(new Reason("subscription_cancelled", "pricing", 60));
            assertThat(model.assess(s, NOW).level()).isEqualTo("high");
            s.cancelCategory = null;
            assertThat(model.assess(s, NOW).reasons().get(0).value()).isEqualTo("unclear");
            s.cancelledAt = NOW - 30 * DAY;
            assertThat(model.assess(s, NOW).reasons()).isEmpty();
        }

        @Test
        void configuredWeightsCapsAndWindowsAreUsed() {
            RiskModel custom = new RiskModel(CUSTOM, HALF_LIFE);
            CustomerState s = new CustomerState();
            s.struggleTimes = times(NOW - 3 * MINUTE, NOW - 90 * SECOND, NOW - SECOND, NOW);
            s.lastStruggleKind = "slow_page";
            s.errorTimes = times(NOW - SECOND, NOW);
            s.lastErrorCode = "X";
            s.checkoutOpenSince = NOW - 11 * MINUTE;
            s.cancelVisitTimes = times(NOW - 3 * HOUR, NOW - HOUR);
            Risk r = custom.assess(s, NOW);
            // 3 struggles in the 2-minute window x 7 = 21, capped at 20; 2 errors x 3 = 6, capped at 5;
            // the checkout is past its 10 minutes; 1 cancel visit in 2 h = 11.
            assertThat(r.reasons())
                    .extracting(Reason::code, Reason::value, Reason::contribution)
                    .containsExactly(
                            tuple("struggle_burst", "3 in 90 s (slow_page)", 20),
                            tuple("errors_shown", "2 in 2 min (X)", 5),
                            tuple("cancel_intent", "1 billing/cancel page visits in 2 h", 11));
            assertThat(r.score()).isEqualTo(36);
            assertThat(r.level()).isEqualTo("high"); // custom cut-offs 10 / 20 / 40
        }
    }

    @Nested
    class Levels {
        @ParameterizedTest
        @CsvSource({"0,low", "29,low", "30,medium", "59,medium", "60,high", "84,high", "85,critical", "100,critical"})
        void levelsFromCutOffs(int score, String level) {
            assertThat(Defaults.risk().level(score)).isEqualTo(level);
        }

        @Test
        void assessedLevelFollowsTheScore() {
            CustomerState s = new CustomerState();
            s.struggleTimes = times(NOW - 2 * SECOND, NOW - SECOND, NOW);
            assertThat(model.assess(s, NOW))
                    .extracting(Risk::score, Risk::level)
                    .containsExactly(36, "medium");
            s.errorTimes = times(NOW - SECOND, NOW);
            assertThat(model.assess(s, NOW))
                    .extracting(Risk::score, Risk::level)
                    .containsExactly(56, "medium");
            s.checkoutOpenSince = NOW - MINUTE;
            assertThat(model.assess(s, NOW))
                    .extracting(Risk::score, Risk::level)
                    .containsExactly(64, "high");
            s.lastUrgentTicketTime = NOW - MINUTE;
            s.sentiment = -0.2;
            s.sentimentTime = NOW;
            assertThat(model.assess(s, NOW))
                    .extracting(Risk::score, Risk::level)
                    .containsExactly(85, "critical");
        }
    }

    @Nested
    class Cap {
        @Test
        void scoreIsCappedAt100AndTheLastContributionsTrimmed() {
            CustomerState s = new CustomerState();
            s.struggleTimes = times(NOW - 4 * SECOND, NOW - 3 * SECOND, NOW - 2 * SECOND, NOW - SECOND, NOW); // 48
            s.lastStruggleKind = "rage_click";
            s.errorTimes = times(NOW - 2 * SECOND, NOW - SECOND, NOW); // 30
            s.lastErrorCode = "E1";
            s.checkoutOpenSince = NOW - MINUTE; // 8
            s.cancelVisitTimes = times(NOW - HOUR, NOW - MINUTE); // 50, trimmed to 14
            s.sentiment = -0.9; // 27, no room left
            s.sentimentTime = NOW;
            s.lastUrgentTicketTime = NOW - HOUR; // 15, no room
            s.cancelledAt = NOW - HOUR; // 60, no room
            Risk r = model.assess(s, NOW);
            assertThat(r.score()).isEqualTo(100);
            assertThat(r.level()).isEqualTo("critical");
            assertThat(r.reasons())
                    .extracting(Reason::code, Reason::contribution)
                    .containsExactly(
                            tuple("struggle_burst", 48),
                            tuple("errors_shown", 30),
                            tuple("checkout_not_completed", 8),
                            tuple("cancel_intent", 14));
            assertThat(r.reasons().stream().mapToInt(Reason::contribution).sum())
                    .isEqualTo(r.score());
        }

        @Test
        void contributionsAlwaysSumToTheScore() {
            CustomerState s = new CustomerState();
            s.cancelledAt = NOW - HOUR; // 60, trimmed to 55
            s.cancelCategory = "features";
            s.sentiment = -1; // 30
            s.sentimentTime = NOW;
            s.lastUrgentTicketTime = NOW - HOUR; // 15
            Risk r = model.assess(s, NOW);
            // Trimming goes by the order of the model, not by size: the cancellation itself loses 5.
            assertThat(r.reasons())
                    .extracting(Reason::code, Reason::contribution)
                    .containsExactly(
                            tuple("negative_sentiment", 30),
                            tuple("urgent_support_ticket", 15),
                            tuple("subscription_cancelled", 55));
            assertThat(r.score()).isEqualTo(100);
        }
    }
}
