package dev.attune.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Channel;
import dev.attune.policy.CampaignPolicyTest.Customer;
import dev.attune.policy.CampaignPolicyTest.In;
import dev.attune.signals.CustomerState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ledger of recent promotional sends: counting, breaches, pruning, and echoes of Attune's own sends. */
class FatigueLedgerTest {
    static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000L;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    static final long KEEP = 7 * DAY;
    static final List<FatigueCap> CAPS = FatigueCap.parseAll(PolicySettings.DEFAULT_CAPS);

    @Test
    void countsPerChannelAndForAllWithinTheWindowEndingNow() {
        CustomerState s = new CustomerState();
        FatigueLedger.record(s, Channel.EMAIL, T0, 11, KEEP);
        FatigueLedger.record(s, Channel.SMS, T0 + HOUR, 0, KEEP);
        FatigueLedger.record(s, null, T0 + 2 * HOUR, 0, KEEP);
        assertThat(FatigueLedger.count(s, null, T0 + 2 * HOUR, DAY)).isEqualTo(3);
        assertThat(FatigueLedger.count(s, Channel.EMAIL, T0 + 2 * HOUR, DAY)).isEqualTo(1);
        assertThat(FatigueLedger.count(s, Channel.SMS, T0 + 2 * HOUR, DAY)).isEqualTo(1);
        assertThat(FatigueLedger.count(s, Channel.PUSH, T0 + 2 * HOUR, DAY))
                .as("unknown channel counts for all only")
                .isZero();
        // The window is (now - window, now]: a send exactly one window ago has left it.
        assertThat(FatigueLedger.count(s, null, T0 + DAY, DAY)).isEqualTo(2);
        assertThat(FatigueLedger.count(s, null, T0 + DAY - 1, DAY)).isEqualTo(3);
        // Sends after "now" are not in a window ending now.
        assertThat(FatigueLedger.count(s, null, T0 + HOUR, DAY)).isEqualTo(2);
        assertThat(FatigueLedger.count(new CustomerState(), null, T0, DAY)).isZero();
    }

    @Test
    void breachNamesTheFirstCapReachedAndItsCount() {
        CustomerState s = new CustomerState();
        assertThat(FatigueLedger.breach(s, Channel.EMAIL, T0, CAPS)).isNull();
        FatigueLedger.record(s, Channel.EMAIL, T0, 0, KEEP);
        FatigueLedger.Breach email = FatigueLedger.breach(s, Channel.EMAIL, T0 + HOUR, CAPS);
        assertThat(email).isNotNull();
        assertThat(email.cap().describe()).isEqualTo("email:1/1d");
        assertThat(email.count()).isEqualTo(1);
        assertThat(FatigueLedger.breach(s, Channel.SMS, T0 + HOUR, CAPS)).isNull();

        FatigueLedger.record(s, Channel.SMS, T0 + HOUR, 0, KEEP);
        FatigueLedger.Breach all = FatigueLedger.breach(s, Channel.PUSH, T0 + 2 * HOUR, CAPS);
        assertThat(all.cap().describe()).isEqualTo("all:2/1d");
        assertThat(all.count()).isEqualTo(2);
        assertThat(FatigueLedger.breach(s, Channel.PUSH, T0 + DAY + HOUR + 1, CAPS))
                .as("the day has passed")
                .isNull();
    }

    @Test
    void aZeroCapBlocksEverySend() {
        CustomerState s = new CustomerState();
        FatigueLedger.Breach b = FatigueLedger.breach(s, Channel.VOICE, T0, FatigueCap.parseAll("voice:0/1d"));
        assertThat(b).isNotNull();
        assertThat(b.count()).isZero();
        assertThat(FatigueLedger.breach(s, Channel.SMS, T0, FatigueCap.parseAll("voice:0/1d")))
                .isNull();
    }

    @Test
    void recordPrunesSendsOlderThanTheLongestWindow() {
        CustomerState s = new CustomerState();
        FatigueLedger.record(s, Channel.EMAIL, T0, 1, KEEP);
        FatigueLedger.record(s, Channel.SMS, T0 + DAY, 2, KEEP);
        FatigueLedger.record(s, Channel.PUSH, T0 + KEEP, 3, KEEP);
        assertThat(s.sendTimes).containsExactly(T0 + DAY, T0 + KEEP);
        assertThat(s.sendChannels).containsExactly((byte) Channel.SMS.ordinal(), (byte) Channel.PUSH.ordinal());
        assertThat(s.sendHashes).containsExactly(2L, 3L);
        FatigueLedger.prune(s, T0 + KEEP + DAY, KEEP);
        assertThat(s.sendTimes).containsExactly(T0 + KEEP);
        FatigueLedger.prune(s, T0 + 3 * KEEP, KEEP);
        assertThat(s.sendTimes).as("an empty ledger costs nothing").isNull();
        assertThat(s.sendChannels).isNull();
        assertThat(s.sendHashes).isNull();
        FatigueLedger.prune(s, T0 + 3 * KEEP, KEEP);
    }

    @Test
    void isOwnKnowsAttunesSendsByHashAndNeverMatchesNoSendId() {
        CustomerState s = new CustomerState();
        assertThat(FatigueLedger.isOwn(s, 5, T0, KEEP)).isFalse();
        FatigueLedger.record(s, Channel.EMAIL, T0, FatigueLedger.hash("abc"), KEEP);
        FatigueLedger.record(s, null, T0 + 1, 0, KEEP);
        assertThat(FatigueLedger.isOwn(s, FatigueLedger.hash("abc"), T0 + 2, KEEP))
                .isTrue();
        assertThat(FatigueLedger.isOwn(s, FatigueLedger.hash("abd"), T0 + 2, KEEP))
                .isFalse();
        assertThat(FatigueLedger.isOwn(s, FatigueLedger.hash(null), T0 + 2, KEEP))
                .as("a send without sendId")
                .isFalse();
        assertThat(FatigueLedger.isOwn(s, FatigueLedger.hash("abc"), T0 + KEEP - 1, KEEP))
                .isTrue();
        assertThat(FatigueLedger.isOwn(s, FatigueLedger.hash("abc"), T0 + KEEP, KEEP))
                .as("an echo as late as the ledger keeps a send, still in it until the next send is recorded")
                .isFalse();
        assertThat(FatigueLedger.hash(null)).isZero();
        assertThat(FatigueLedger.hash("")).isNotZero();
    }

    static Customer customer() {
        Customer c = new Customer();
        c.feed(In.identify(In.USER, "id-0", T0, "Europe/London", In.allConsent(), true, true));
        return c;
    }

    @Test
    void anAttuneSendEchoedByMessageSentIsCountedOnce() {
        Customer c = customer();
        JsonNode first = c.decide(In.request("r1", T0 + HOUR).channels("whatsapp"));
        assertThat(first.get("channel").asText()).isEqualTo("whatsapp");
        String sendId = first.get("sendId").asText();
        // The delivery service reports the send with Attune's sendId.
        c.feed(In.engagement(
                In.USER,
                "echo-1",
                T0 + HOUR + MINUTE,
                "Message Sent",
                "channel",
                "whatsapp",
                "sendId",
                sendId,
                "campaignId",
                "winter-sale"));
        assertThat(FatigueLedger.count(c.state, null, T0 + HOUR + MINUTE, DAY)).isEqualTo(1);
        // all:2/1d: one send so far, so another channel is still open.
        JsonNode second = c.decide(In.request("r2", T0 + 2 * HOUR).channels("email"));
        assertThat(second.has("sendId")).as("%s", second).isTrue();
        assertThat(second.get("channel").asText()).isEqualTo("email");
    }

    @Test
    void aMessageSentWithAnotherSendIdIsAnotherSend() {
        Customer c = customer();
        JsonNode first = c.decide(In.request("r1", T0 + HOUR).channels("whatsapp"));
        assertThat(first.has("sendId")).isTrue();
        c.feed(In.engagement(
                In.USER, "crm-1", T0 + HOUR + MINUTE, "Message Sent", "channel", "whatsapp", "sendId", "crm-1"));
        JsonNode second = c.decide(In.request("r2", T0 + 2 * HOUR).channels("email"));
        assertThat(second.get("reason").asText()).isEqualTo("fatigue_cap");
        assertThat(second.at("/details/cap").asText()).isEqualTo("all:2/1d");
        assertThat(second.at("/details/count").asInt()).isEqualTo(2);
    }

    @Test
    void anEchoOfATransactionalSendDoesNotCountTowardTheMarketingCaps() {
        Customer c = customer();
        JsonNode tx =
                c.decide(In.request("t1", T0 + HOUR).category("transactional").channels("email"));
        assertThat(tx.has("sendId")).isTrue();
        c.feed(In.engagement(
                In.USER,
                "echo-t1",
                T0 + HOUR + MINUTE,
                "Message Sent",
                "channel",
                "email",
                "sendId",
                tx.get("sendId").asText()));
        assertThat(FatigueLedger.count(c.state, null, T0 + HOUR + MINUTE, DAY))
                .as("Attune's transactional send is not a promotional send")
                .isZero();
        assertThat(c.decide(In.request("r1", T0 + 2 * HOUR).channels("whatsapp"))
                        .has("sendId"))
                .isTrue();
        assertThat(c.decide(In.request("r2", T0 + 3 * HOUR).channels("email")).has("sendId"))
                .isTrue();
    }

    @Test
    void aRepeatedEchoIsStillOneSend() {
        Customer c = customer();
        String sendId = c.decide(In.request("r1", T0 + HOUR).channels("push"))
                .get("sendId")
                .asText();
        for (int i = 0; i < 3; i++) {
            c.feed(In.engagement(
                    In.USER, "echo-" + i, T0 + HOUR + i * MINUTE, "Message Sent", "channel", "push", "sendId", sendId));
        }
        assertThat(FatigueLedger.count(c.state, null, T0 + 2 * HOUR, DAY)).isEqualTo(1);
    }

    /** The scheduledAt of each send in the outputs, for the sends of promotional requests. */
    static List<Instant> deliveries(Customer c) {
        return c.outputs.stream()
                .filter(o -> o.stream.equals(dev.attune.contract.Streams.CAMPAIGN_SENDS))
                .map(In::json)
                .map(n -> Instant.parse(n.get("scheduledAt").asText()))
                .sorted()
                .toList();
    }

    static void assertNoDayHoldsMoreThanTwo(List<Instant> deliveries) {
        for (Instant end : deliveries) {
            long inWindow = deliveries.stream()
                    .filter(d -> d.isAfter(end.minusMillis(DAY)) && !d.isAfter(end))
                    .count();
            assertThat(inWindow)
                    .as("promotional messages going out in the day up to %s: %s", end, deliveries)
                    .isLessThanOrEqualTo(2);
        }
    }

    @Test
    void theDailyCapHoldsWhenTheMessagesGoOutOnTheNightTheClocksGoBack() {
        Customer c = new Customer();
        c.feed(In.identify(
                In.USER,
                "id-0",
                Instant.parse("2026-10-24T09:00:00Z").toEpochMilli(),
                "Europe/London",
                In.allConsent(),
                true,
                true));
        // 21:30 and 22:30 BST on Saturday: quiet, both go out at 08:00 GMT on Sunday.
        JsonNode r1 =
                c.decide(In.request("r1", Instant.parse("2026-10-24T20:30:00Z").toEpochMilli())
                        .channels("whatsapp"));
        JsonNode r2 =
                c.decide(In.request("r2", Instant.parse("2026-10-24T21:30:00Z").toEpochMilli())
                        .channels("sms"));
        assertThat(r1.get("scheduledAt").asText()).isEqualTo("2026-10-25T08:00:00.000Z");
        assertThat(r2.get("scheduledAt").asText()).isEqualTo("2026-10-25T08:00:00.000Z");
        // 20:45 GMT on Sunday, a 25-hour day: 24 h back is 21:45 BST on Saturday, after r1 was decided.
        JsonNode r3 =
                c.decide(In.request("r3", Instant.parse("2026-10-25T20:45:00Z").toEpochMilli())
                        .channels("email"));
        assertThat(r3.path("reason").asText()).as("%s", r3).isEqualTo("fatigue_cap");
        assertThat(r3.at("/details/cap").asText()).isEqualTo("all:2/1d");
        assertNoDayHoldsMoreThanTwo(deliveries(c));
    }

    @Test
    void theDailyCapHoldsWhenTheHabitualHourMoves() {
        Customer c = new Customer();
        long d0 = Instant.parse("2026-11-19T00:00:00Z").toEpochMilli(); // London is on GMT
        c.feed(
                In.identify(In.USER, "id-0", d0, "Europe/London", In.allConsent(), true, true),
                In.engagement(In.USER, "o-1", d0 + 20 * HOUR + 5 * MINUTE, "Message Opened", "channel", "push"),
                In.engagement(In.USER, "o-2", d0 + 20 * HOUR + 10 * MINUTE, "Message Opened", "channel", "push"));
        JsonNode r1 = c.decide(In.request("r1", d0 + DAY + 9 * HOUR).channels("whatsapp"));
        assertThat(r1.get("scheduledAt").asText()).as("habit 20:00").isEqualTo("2026-11-20T20:00:00.000Z");
        for (int i = 0; i < 3; i++) {
            c.feed(In.engagement(
                    In.USER,
                    "o-" + (3 + i),
                    d0 + DAY + 10 * HOUR + (5 + i) * MINUTE,
                    "Message Opened",
                    "channel",
                    "push"));
        }
        JsonNode r2 =
                c.decide(In.request("r2", d0 + 2 * DAY + 9 * HOUR + 30 * MINUTE).channels("sms"));
        assertThat(r2.get("scheduledAt").asText()).as("habit now 10:00").isEqualTo("2026-11-21T10:00:00.000Z");
        JsonNode r3 =
                c.decide(In.request("r3", d0 + 2 * DAY + 9 * HOUR + 40 * MINUTE).channels("email"));
        assertThat(r3.path("reason").asText()).as("%s", r3).isEqualTo("fatigue_cap");
        assertNoDayHoldsMoreThanTwo(deliveries(c));
    }

    @Test
    void aSendScheduledForLaterIsCountedWhereItGoesOut() {
        Customer c = customer();
        // 22:00 London: goes out at 08:00 tomorrow.
        JsonNode late = c.decide(In.request("r1", T0 + 12 * HOUR).channels("whatsapp"));
        assertThat(late.get("scheduledAt").asText()).isEqualTo("2026-11-22T08:00:00.000Z");
        // Two sends by another system the next morning before it goes out fill the day.
        c.feed(In.engagement(In.USER, "crm-1", T0 + 20 * HOUR, "Message Sent", "channel", "email", "sendId", "crm-1"));
        // 09:00 tomorrow: the window ending at 09:00 holds the 08:00 send and crm-1.
        JsonNode next = c.decide(In.request("r2", T0 + 23 * HOUR).channels("sms"));
        assertThat(next.path("reason").asText()).as("%s", next).isEqualTo("fatigue_cap");
        assertThat(next.at("/details/count").asInt()).isEqualTo(2);
    }
}
