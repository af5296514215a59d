package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.attune.contract.Channel;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Engagement;
import dev.attune.testing.Defaults;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ranking of the open channels: smoothed engagement, cost, and the marketer's order. */
class ChannelChooserTest {
    static final PolicySettings DEFAULTS = Defaults.policy();
    final ChannelChooser chooser = new ChannelChooser(DEFAULTS);

    static CustomerState history(Channel c, int sent, int opened) {
        CustomerState s = new CustomerState();
        for (int i = 0; i < sent; i++) {
            Engagement.add(s, Engagement.Metric.SENT, c);
        }
        for (int i = 0; i < opened; i++) {
            Engagement.add(s, Engagement.Metric.OPENED, c);
        }
        return s;
    }

    static PolicySettings with(double[] rates, double costWeight) {
        PolicySettings d = DEFAULTS;
        return new PolicySettings(
                d.caps(),
                d.quietHours(),
                d.defaultTimezone(),
                d.negativeSentimentThreshold(),
                d.explicitOptIn(),
                d.costPerMessage(),
                d.currency(),
                rates,
                d.priorStrength(),
                costWeight,
                d.defaultOrder(),
                d.requireKnownAddress(),
                d.winBackChannels(),
                d.serviceRecoveryChannels(),
                d.winBackWindow(),
                d.serviceRecoveryWindow(),
                Holdouts.NONE);
    }

    @Test
    void withoutHistoryTheRateIsThePopulationRate() {
        CustomerState s = new CustomerState();
        for (Channel c : Channel.values()) {
            assertThat(chooser.rate(s, c)).isEqualTo(DEFAULTS.populationRate()[c.ordinal()]);
        }
        // whatsapp: 0.45 - 10 x 0.0042 beats sms 0.30 - 10 x 0.00645 even though sms comes first.
        assertThat(chooser.best(s, List.of(Channel.values()), DEFAULTS.defaultOrder()))
                .isEqualTo(Channel.WHATSAPP);
    }

    @Test
    void oneOpenIsNotAPreference() {
        CustomerState s = history(Channel.EMAIL, 1, 1);
        assertThat(chooser.rate(s, Channel.EMAIL)).isCloseTo((1 + 5 * 0.20) / (1 + 5), within(1e-12));
        List<Channel> emailFirst = List.of(Channel.EMAIL, Channel.WHATSAPP);
        assertThat(chooser.best(s, emailFirst, emailFirst)).isEqualTo(Channel.WHATSAPP);
        // An open whose Message Sent never came is still one open.
        CustomerState openOnly = history(Channel.EMAIL, 0, 1);
        assertThat(chooser.rate(openOnly, Channel.EMAIL)).isCloseTo(chooser.rate(s, Channel.EMAIL), within(1e-12));
        assertThat(chooser.best(openOnly, emailFirst, emailFirst)).isEqualTo(Channel.WHATSAPP);
    }

    @Test
    void manyOpensAreAPreference() {
        CustomerState s = history(Channel.EMAIL, 10, 9);
        assertThat(chooser.rate(s, Channel.EMAIL)).isCloseTo(10.0 / 15, within(1e-12));
        List<Channel> order = List.of(Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);
        assertThat(chooser.best(s, order, order)).isEqualTo(Channel.EMAIL);
        assertThat(chooser.describe(s, Channel.EMAIL))
                .isEqualTo("email 0.67 (9 opened of 10 sent, smoothed toward 0.20)");
    }

    @Test
    void manySendsWithoutOpensPushAChannelDown() {
        CustomerState s = history(Channel.WHATSAPP, 20, 0);
        assertThat(chooser.rate(s, Channel.WHATSAPP)).isCloseTo(5 * 0.45 / 25, within(1e-12));
        List<Channel> order = List.of(Channel.WHATSAPP, Channel.SMS, Channel.EMAIL);
        assertThat(chooser.best(s, order, order)).isEqualTo(Channel.SMS);
    }

    @Test
    void deliveredCountsAsSentAndTheRateNeverPassesOne() {
        CustomerState s = history(Channel.PUSH, 0, 0);
        for (int i = 0; i < 4; i++) {
            Engagement.add(s, Engagement.Metric.DELIVERED, Channel.PUSH);
        }
        assertThat(chooser.rate(s, Channel.PUSH)).isCloseTo(5 * 0.08 / 9, within(1e-12));
        CustomerState eager = history(Channel.SMS, 1, 3);
        for (int i = 0; i < 3; i++) {
            Engagement.add(eager, Engagement.Metric.CLICKED, Channel.SMS);
            Engagement.add(eager, Engagement.Metric.REPLIED, Channel.SMS);
        }
        assertThat(chooser.rate(eager, Channel.SMS)).isLessThanOrEqualTo(1.0);
    }

    @Test
    void atEqualEngagementTheCheapestChannelWins() {
        double[] flat = new double[Channel.values().length];
        Arrays.fill(flat, 0.3);
        ChannelChooser c = new ChannelChooser(with(flat, 10));
        List<Channel> order = List.of(Channel.VOICE, Channel.SMS, Channel.WHATSAPP, Channel.EMAIL);
        CustomerState s = new CustomerState();
        assertThat(c.best(s, order, order)).isEqualTo(Channel.EMAIL);
        assertThat(c.score(s, Channel.VOICE, 0, 4)).isLessThan(c.score(s, Channel.SMS, 1, 4));
        assertThat(c.score(s, Channel.SMS, 1, 4)).isLessThan(c.score(s, Channel.WHATSAPP, 2, 4));
        assertThat(c.score(s, Channel.WHATSAPP, 2, 4)).isLessThan(c.score(s, Channel.EMAIL, 3, 4));
        // Only the channels still open are ranked.
        assertThat(c.best(s, List.of(Channel.VOICE, Channel.SMS), order)).isEqualTo(Channel.SMS);
    }

    @Test
    void withoutACostWeightTheMarketersOrderDecidesATie() {
        double[] flat = new double[Channel.values().length];
        Arrays.fill(flat, 0.3);
        ChannelChooser c = new ChannelChooser(with(flat, 0));
        List<Channel> order = List.of(Channel.VOICE, Channel.SMS, Channel.WHATSAPP, Channel.EMAIL);
        assertThat(c.best(new CustomerState(), order, order)).isEqualTo(Channel.VOICE);
    }

    @Test
    void noOpenChannelNoChoice() {
        assertThat(chooser.best(new CustomerState(), List.of(), DEFAULTS.defaultOrder()))
                .isNull();
    }
}
