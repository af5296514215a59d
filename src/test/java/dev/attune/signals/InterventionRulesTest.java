package dev.attune.signals;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.contract.Reason;
import dev.attune.testing.Defaults;
import dev.attune.text.TextReading;
import dev.attune.text.Texts;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The rules on their own: which type an event asks for at a given risk, hysteresis, cooldowns. */
class InterventionRulesTest {
    private final SignalSettings settings = Defaults.signals();
    private final InterventionRules rules = new InterventionRules(settings);
    private final InputRecord aStruggle = struggle("s", T0, "rage_click");
    private final InputRecord anError = error("e", T0, "E1");

    private static Risk risk(int score, Reason... reasons) {
        return new Risk(score, Defaults.risk().level(score), List.of(reasons));
    }

    @Nested
    class RiskDriven {
        @ParameterizedTest
        @CsvSource({"0,", "29,", "30,HELP_TIP", "59,HELP_TIP", "60,LIVE_CHAT_OFFER", "100,LIVE_CHAT_OFFER"})
        void struggleAndErrorAskByRisk(int score, InterventionType expected) {
            CustomerState s = new CustomerState();
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(score), Signals.Observation.NONE))
                    .isEqualTo(expected);
            assertThat(rules.candidate(s, anError, EventKind.ERROR, risk(score), Signals.Observation.NONE))
                    .isEqualTo(expected);
        }

        @Test
        void otherEventsNeverAskForRiskDrivenTypesHoweverHighTheRisk() {
            CustomerState s = new CustomerState();
            assertThat(rules.candidate(s, page("p", T0, "home"), EventKind.VIEW, risk(95), Signals.Observation.NONE))
                    .isNull();
            assertThat(rules.candidate(
                            s,
                            track("f", T0, "Feature Used", "feature", "x"),
                            EventKind.FEATURE,
                            risk(95),
                            Signals.Observation.NONE))
                    .isNull();
            assertThat(rules.candidate(
                            s,
                            track("c", T0, "Checkout Started"),
                            EventKind.CHECKOUT_STARTED,
                            risk(95),
                            Signals.Observation.NONE))
                    .isNull();
        }

        @Test
        void firedTypeIsDisarmedUntilRiskFallsBelowCutOffMinusHysteresis() {
            CustomerState s = new CustomerState();
            rules.record(s, InterventionType.LIVE_CHAT_OFFER, T0, 1, true);
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(80), Signals.Observation.NONE))
                    .isNull();
            rules.rearm(s, risk(45)); // 60 - 15: not below
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(80), Signals.Observation.NONE))
                    .isNull();
            rules.rearm(s, risk(44));
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(80), Signals.Observation.NONE))
                    .isEqualTo(InterventionType.LIVE_CHAT_OFFER);
        }

        @Test
        void helpTipReArmsOnlyBelow15() {
            CustomerState s = new CustomerState();
            rules.record(s, InterventionType.HELP_TIP, T0, 1, true);
            rules.rearm(s, risk(15));
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(40), Signals.Observation.NONE))
                    .isNull();
            rules.rearm(s, risk(14));
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(40), Signals.Observation.NONE))
                    .isEqualTo(InterventionType.HELP_TIP);
        }

        @Test
        void aDisarmedLiveChatDoesNotFallBackToAHelpTip() {
            CustomerState s = new CustomerState();
            rules.record(s, InterventionType.LIVE_CHAT_OFFER, T0, 1, true);
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(70), Signals.Observation.NONE))
                    .isNull();
            // ...but once the risk settles into medium, an armed help tip is offered.
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(50), Signals.Observation.NONE))
                    .isEqualTo(InterventionType.HELP_TIP);
        }

        @Test
        void aHeldOfferDisarmsButDoesNotStartTheCooldown() {
            CustomerState s = new CustomerState();
            rules.record(s, InterventionType.LIVE_CHAT_OFFER, T0, 7, false);
            assertThat(rules.coolingDown(s, InterventionType.LIVE_CHAT_OFFER, T0 + 1))
                    .isFalse();
            assertThat(rules.candidate(s, aStruggle, EventKind.STRUGGLE, risk(70), Signals.Observation.NONE))
                    .isNull();
            assertThat(InterventionRules.triggeredBy(s, 7)).isNull(); // a held one leaves no trigger to deduplicate
        }
    }

    @Nested
    class EventDriven {
        @Test
        void cancelPageWithCancelIntentAsksForRetentionOffer() {
            CustomerState s = new CustomerState();
            Risk intent = risk(25, new Reason("cancel_intent", "1 billing/cancel page visits in 24 h", 25));
            assertThat(rules.candidate(
                            s, page("p", T0, "Cancel Subscription"), EventKind.VIEW, intent, Signals.Observation.NONE))
                    .isEqualTo(InterventionType.RETENTION_OFFER);
            // Billing, downgrade and unsubscribe pages count as intent but do not ask for the offer.
            for (String name : List.of("billing", "downgrade-plan", "unsubscribe")) {
                assertThat(rules.candidate(s, page("p", T0, name), EventKind.VIEW, intent, Signals.Observation.NONE))
                        .as(name)
                        .isNull();
            }
            assertThat(rules.candidate(
                            s, page("p", T0, "cancel-subscription"), EventKind.VIEW, risk(0), Signals.Observation.NONE))
                    .isNull();
        }

        @Test
        void cancellationAlwaysAsksForWinBack() {
            assertThat(rules.candidate(
                            new CustomerState(),
                            cancelled("c", T0, null),
                            EventKind.SUBSCRIPTION_CANCELLED,
                            risk(0),
                            Signals.Observation.NONE))
                    .isEqualTo(InterventionType.WIN_BACK);
        }

        @ParameterizedTest
        @CsvSource({
            "high,   -0.30, SERVICE_RECOVERY", // angry (at the threshold) and urgent
            "high,   -0.45, SERVICE_RECOVERY",
            "urgent, -0.30, SERVICE_RECOVERY",
            "P1,     -0.45, SERVICE_RECOVERY",
            "low,    -0.45,", // angry but not urgent
            ",       -0.45,",
            "high,   -0.29,", // urgent but not angry
            "high,    0.80,",
            "high,     NaN,",
            "low,    -0.60, SERVICE_RECOVERY", // very angry: whatever the priority
            "urgent, -0.29,", // the help desk's top priority on a text that reads neither way ("x")
            "Urgent,  0.80,",
            "P1,       NaN,"
        })
        void supportTicket(String priority, double sentiment, InterventionType expected) {
            InputRecord t = ticket("t", T0, priority, "x");
            Signals.Observation said = new Signals.Observation(sentiment, Texts.read(t.text));
            assertThat(rules.candidate(new CustomerState(), t, EventKind.SUPPORT_TICKET, risk(0), said))
                    .isEqualTo(expected);
        }

        @Test
        void otherKindsAskForNothing() {
            CustomerState s = new CustomerState();
            for (EventKind k :
                    List.of(EventKind.SURVEY, EventKind.MESSAGE_REPLIED, EventKind.IDENTIFY, EventKind.OTHER)) {
                assertThat(rules.candidate(
                                s,
                                track("x", T0, "Whatever"),
                                k,
                                risk(100),
                                new Signals.Observation(-1.0, TextReading.EMPTY)))
                        .as(k.name())
                        .isNull();
            }
        }
    }

    @Nested
    class Cooldowns {
        @Test
        void eachTypeCoolsDownForItsConfiguredTime() {
            long[] expected = {30 * MINUTE, 10 * MINUTE, DAY, 30 * DAY, 4 * HOUR};
            for (InterventionType t : InterventionType.values()) {
                CustomerState s = new CustomerState();
                assertThat(rules.coolingDown(s, t, T0)).isFalse();
                rules.record(s, t, T0, 42, true);
                long c = settings.cooldown(t);
                assertThat(c).as(t.name()).isEqualTo(expected[t.ordinal()]);
                assertThat(rules.coolingDown(s, t, T0 + c - 1)).as(t.name()).isTrue();
                assertThat(rules.coolingDown(s, t, T0 + c)).as(t.name()).isFalse();
                for (InterventionType other : InterventionType.values()) {
                    if (other != t) {
                        assertThat(rules.coolingDown(s, other, T0 + 1))
                                .as(t + " holds " + other)
                                .isFalse();
                    }
                }
                assertThat(InterventionRules.triggeredBy(s, 42)).isEqualTo(t);
                assertThat(InterventionRules.triggeredBy(s, 43)).isNull();
            }
        }

        @Test
        void eventDrivenTypesAreNeverDisarmed() {
            CustomerState s = new CustomerState();
            rules.record(s, InterventionType.RETENTION_OFFER, T0, 1, true);
            rules.record(s, InterventionType.WIN_BACK, T0, 2, true);
            rules.record(s, InterventionType.SERVICE_RECOVERY, T0, 3, true);
            assertThat(s.disarmed).isZero();
        }
    }
}
