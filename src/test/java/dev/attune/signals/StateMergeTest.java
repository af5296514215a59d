package dev.attune.signals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Channel;
import org.junit.jupiter.api.Test;

/** What a visitor's state brings to the customer they are linked to. */
class StateMergeTest {
    @Test
    void refusalsWinWhateverTheOtherSideGranted() {
        CustomerState customer = new CustomerState();
        customer.consentGranted = Channel.EMAIL.bit() | Channel.SMS.bit();
        CustomerState visitor = new CustomerState();
        visitor.consentDenied = Channel.EMAIL.bit();
        visitor.consentGranted = Channel.PUSH.bit();
        visitor.unsubscribed = Channel.WHATSAPP.bit();
        StateMerge.into(customer, visitor);
        assertThat(customer.consentDenied).isEqualTo(Channel.EMAIL.bit());
        assertThat(customer.consentGranted).isEqualTo(Channel.SMS.bit() | Channel.PUSH.bit());
        assertThat(customer.unsubscribed).isEqualTo(Channel.WHATSAPP.bit());
        assertThat(customer.hasRefusals()).isTrue();
    }

    @Test
    void aVisitorsTouchesJoinTheCustomersInTimeOrderNewestKept() {
        CustomerState customer = new CustomerState();
        CustomerState visitor = new CustomerState();
        touches(customer, "winter-sale", 10, 30, 50, 70, 90);
        touches(visitor, "intervention:live_chat_offer", 20, 40, 60, 80, 100);
        visitor.touchFlags[4] = 1; // held out
        StateMerge.into(customer, visitor);
        assertThat(customer.touchTimes).containsExactly(30, 40, 50, 60, 70, 80, 90, 100);
        assertThat(customer.touchCampaigns[7]).isEqualTo("intervention:live_chat_offer");
        assertThat(customer.touchFlags[7]).isEqualTo(1);
        assertThat(customer.touchSends[6]).isEqualTo(90);
        CustomerState none = new CustomerState();
        StateMerge.into(none, new CustomerState());
        assertThat(none.touchTimes).isNull();
    }

    private static void touches(CustomerState s, String key, long... times) {
        s.touchTimes = times;
        s.touchCampaigns = new String[times.length];
        java.util.Arrays.fill(s.touchCampaigns, key);
        s.touchSends = times.clone();
        s.touchFlags = new int[times.length];
    }

    @Test
    void journeysInterleaveInTimeAndKeepTheLastOnes() {
        CustomerState customer = new CustomerState();
        CustomerState visitor = new CustomerState();
        for (int i = 0; i < Journey.LENGTH; i++) {
            Journey.append(customer, EventKind.VIEW, 1_000L * (2 * i + 1));
            Journey.append(visitor, EventKind.STRUGGLE, 1_000L * (2 * i));
        }
        StateMerge.into(customer, visitor);
        assertThat(customer.journeyTimes).hasSize(Journey.LENGTH).isSorted();
        assertThat(customer.journeyTimes[Journey.LENGTH - 1]).isEqualTo(1_000L * (2 * Journey.LENGTH - 1));
        assertThat(EventKind.of(customer.journeyKinds[Journey.LENGTH - 2])).isEqualTo(EventKind.STRUGGLE);
    }

    @Test
    void signalWindowsCooldownsAndSeenIdsCarryOver() {
        CustomerState customer = new CustomerState();
        customer.struggleTimes = new long[] {5_000};
        CustomerState visitor = new CustomerState();
        visitor.struggleTimes = new long[] {1_000, 3_000};
        Dedup.seenOrRecord(visitor, "m-1", 1_000, 86_400_000L);
        new InterventionRules(dev.attune.testing.Defaults.signals())
                .record(visitor, InterventionType.HELP_TIP, 3_000, 7, true);
        visitor.timezone = "Europe/Berlin";
        StateMerge.into(customer, visitor);
        assertThat(customer.struggleTimes).containsExactly(1_000, 3_000, 5_000);
        assertThat(customer.lastIntervention[InterventionType.HELP_TIP.ordinal()])
                .isEqualTo(3_000);
        assertThat(Dedup.seen(customer, "m-1")).isTrue();
        assertThat(customer.timezone).isEqualTo("Europe/Berlin");
    }

    @Test
    void theCustomersOwnProfileIsKept() {
        CustomerState customer = new CustomerState();
        customer.timezone = "America/New_York";
        customer.locale = "en-US";
        CustomerState visitor = new CustomerState();
        visitor.timezone = "Europe/Berlin";
        visitor.locale = "de-DE";
        visitor.tier = "gold";
        StateMerge.into(customer, visitor);
        assertThat(customer.timezone).isEqualTo("America/New_York");
        assertThat(customer.locale).isEqualTo("en-US");
        assertThat(customer.tier).isEqualTo("gold");
    }
}
