package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.testing.Defaults;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * Contact rights never lapse, as an invariant of the keyed operator: a customer who unsubscribed from everything
 * gets no campaign send afterwards, whatever else happens in between (silence longer than the state TTL, Forget Me,
 * returning activity, other promotions) and whatever the arrival order within the watermark's bound.
 */
class RefusalProperties {
    static final long T0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
    static final long DAY = 86_400_000L;
    static final long TTL = 30 * DAY;

    @Property(tries = 60)
    void noSendAfterAnUnsubscribe(
            @ForAll @IntRange(min = 0, max = 5) int requestsBefore,
            @ForAll @IntRange(min = 1, max = 5) int requestsAfter,
            @ForAll boolean forgetMe,
            @ForAll @IntRange(min = 0, max = 90) int silentDays,
            @ForAll @IntRange(min = 0, max = 3) int activity,
            @ForAll long shuffleSeed)
            throws Exception {
        List<List<InputRecord>> batches = new ArrayList<>();
        List<InputRecord> first = new ArrayList<>();
        long t = T0;
        first.add(identify("hello", t));
        for (int i = 0; i < requestsBefore; i++) {
            first.add(promotion("before-" + i, t += 60_000));
        }
        long unsubscribedAt = t += 60_000;
        first.add(unsubscribe(unsubscribedAt));
        if (forgetMe) {
            first.add(event("forget", "Forget Me", t += 60_000));
        }
        batches.add(first);
        List<InputRecord> second = new ArrayList<>();
        t += silentDays * DAY;
        for (int i = 0; i < activity; i++) {
            second.add(identify("back-" + i, t += 1_000)); // back, sending their traits and consent again
        }
        for (int i = 0; i < requestsAfter; i++) {
            second.add(promotion("after-" + i, t += 3_600_000));
        }
        batches.add(second);

        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new CustomerFunction(Defaults.engine(Defaults.signals()), TTL)),
                (InputRecord r) -> r.userId,
                Types.STRING);
        h.open();
        Random random = new Random(shuffleSeed);
        for (List<InputRecord> batch : batches) {
            List<InputRecord> arrival = new ArrayList<>(batch);
            Collections.shuffle(arrival, random); // any arrival order before the watermark passes them
            for (InputRecord e : arrival) {
                h.processElement(new StreamRecord<>(e, e.timestamp));
            }
            long newest = batch.stream().mapToLong(e -> e.timestamp).max().orElse(T0);
            h.processWatermark(newest + 1);
            if (batch == first && silentDays > 0) {
                h.processWatermark(newest + silentDays * DAY); // the silence: housekeeping may expire the state
            }
        }
        List<String> sendsAfter = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof StreamRecord<?> r
                    && r.getValue() instanceof OutputRecord out
                    && Streams.CAMPAIGN_SENDS.equals(out.stream)
                    && out.json.contains("\"requestId\":\"after-")) {
                sendsAfter.add(out.json);
            }
        }
        h.close();
        assertThat(sendsAfter).as("sends after the unsubscribe").isEmpty();
    }

    /** Traits of a reachable customer who consents to every channel, as producers send them on each event. */
    static final String CONSENTING = "\"traits\":{\"email\":\"someone@example.com\",\"phone\":\"+447911123456\","
            + "\"consent\":{\"email\":true,\"sms\":true,\"whatsapp\":true,\"push\":true}}";

    private static InputRecord unsubscribe(long t) {
        return parse(
                Streams.ENGAGEMENT_EVENTS,
                "{\"messageId\":\"unsub\",\"userId\":\"u1\",\"type\":\"track\",\"event\":\"Unsubscribed\","
                        + "\"timestamp\":" + t + "}");
    }

    private static InputRecord event(String id, String name, long t) {
        return parse(
                Streams.USER_EVENTS,
                "{\"messageId\":\"" + id + "\",\"userId\":\"u1\",\"type\":\"track\",\"event\":\"" + name
                        + "\",\"timestamp\":" + t + "}");
    }

    /** An identify of u1 with reachable contacts and consent to every channel. */
    static InputRecord identify(String id, long t) {
        return parse(
                Streams.USER_EVENTS,
                "{\"messageId\":\"" + id + "\",\"userId\":\"u1\",\"type\":\"identify\",\"timestamp\":" + t + ","
                        + CONSENTING + "}");
    }

    private static InputRecord promotion(String request, long t) {
        return parse(
                Streams.CAMPAIGN_REQUESTS,
                "{\"requestId\":\"" + request + "\",\"campaignId\":\"c\",\"userId\":\"u1\",\"timestamp\":" + t
                        + ",\"category\":\"promotional\",\"channels\":[\"email\",\"sms\",\"whatsapp\",\"push\"]}");
    }

    private static InputRecord parse(String stream, String json) {
        InputRecord r = RecordParser.parse(stream, "t", json.getBytes(StandardCharsets.UTF_8)).record;
        assertThat(r).as("fixture parses: %s", json).isNotNull();
        return r;
    }
}
