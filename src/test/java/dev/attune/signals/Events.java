package dev.attune.signals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.testing.Defaults;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Test fixtures: input records built as contract JSON and parsed by {@link RecordParser}, exactly as
 * the job would see them, and a one-customer engine harness with a fixed clock (explicit times).
 */
public final class Events {
    /** A fixed event-time origin: 2026-11-21T10:00:00Z. */
    public static final long T0 = Instant.parse("2026-11-21T10:00:00Z").toEpochMilli();

    public static final long SECOND = 1_000L;
    public static final long MINUTE = 60_000L;
    public static final long HOUR = 3_600_000L;
    public static final long DAY = 24 * HOUR;
    public static final String USER = "u-1";

    private Events() {}

    /** Parses contract JSON; fails the test if the parser would dead-letter it. */
    public static InputRecord parse(String stream, String json) {
        Inbound in = RecordParser.parse(stream, "test:1", json.getBytes(StandardCharsets.UTF_8));
        if (!in.isValid()) {
            throw new AssertionError(
                    "fixture was dead-lettered (" + in.deadLetter.code + ": " + in.deadLetter.message + "): " + json);
        }
        return in.record;
    }

    public static ObjectNode envelope(String messageId, long ts, String type) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("messageId", messageId);
        o.put("userId", USER);
        o.put("type", type);
        o.put("timestamp", Instant.ofEpochMilli(ts).toString());
        return o;
    }

    /** A {@code track} on user-events with properties given as key, value pairs. */
    public static InputRecord track(String messageId, long ts, String event, Object... props) {
        return parse(Streams.USER_EVENTS, trackJson(messageId, ts, event, props).toString());
    }

    /** A {@code track} on engagement-events with properties given as key, value pairs. */
    public static InputRecord engagement(String messageId, long ts, String event, Object... props) {
        return parse(
                Streams.ENGAGEMENT_EVENTS,
                trackJson(messageId, ts, event, props).toString());
    }

    public static ObjectNode trackJson(String messageId, long ts, String event, Object... props) {
        ObjectNode o = envelope(messageId, ts, "track");
        o.put("event", event);
        o.set("properties", object(props));
        return o;
    }

    public static InputRecord page(String messageId, long ts, String name) {
        ObjectNode o = envelope(messageId, ts, "page");
        o.put("name", name);
        o.putObject("properties").put("durationMs", 1200);
        return parse(Streams.USER_EVENTS, o.toString());
    }

    public static InputRecord identify(String messageId, long ts, Object... traits) {
        ObjectNode o = envelope(messageId, ts, "identify");
        o.set("traits", object(traits));
        return parse(Streams.USER_EVENTS, o.toString());
    }

    public static InputRecord struggle(String messageId, long ts, String kind) {
        return track(messageId, ts, "Struggle Signal", "kind", kind, "attempts", 1);
    }

    public static InputRecord error(String messageId, long ts, String code) {
        return track(messageId, ts, "Error Shown", "code", code, "message", "Something went wrong");
    }

    public static InputRecord ticket(String messageId, long ts, String priority, String text) {
        return track(messageId, ts, "Support Ticket Created", "priority", priority, "text", text);
    }

    public static InputRecord cancelled(String messageId, long ts, String reason) {
        return track(messageId, ts, "Subscription Cancelled", "reason", reason, "plan", "pro", "mrr", 49);
    }

    public static InputRecord survey(String messageId, long ts, int score, String scale) {
        return track(messageId, ts, "Survey Answered", "score", score, "scale", scale);
    }

    /** Key, value pairs as a JSON object; values may be strings, numbers, booleans, nodes or nested pairs. */
    public static ObjectNode object(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("key, value pairs expected");
        }
        ObjectNode o = Json.MAPPER.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            if (v == null) {
                continue;
            }
            o.set((String) kv[i], v instanceof JsonNode n ? n : Json.MAPPER.valueToTree(v));
        }
        return o;
    }

    public static JsonNode json(OutputRecord r) {
        try {
            return Json.MAPPER.readTree(r.json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One customer's state and an engine, fed in event-time order; collects what it emits. */
    public static final class Run {
        public final SignalSettings settings;
        public final CustomerEngine engine;
        public final CustomerState state = new CustomerState();
        public final List<OutputRecord> all = new ArrayList<>();
        private final List<OutputRecord> fresh = new ArrayList<>();

        public Run() {
            this(Defaults.signals());
        }

        /** A customer who consented to every channel: what an intervention by message needs under opt-in. */
        public static Run consenting() {
            Run run = new Run();
            for (dev.attune.contract.Channel c : dev.attune.contract.Channel.values()) {
                run.state.consentGranted |= c.bit();
            }
            return run;
        }

        public Run(SignalSettings settings) {
            this.settings = settings;
            this.engine = Defaults.engine(settings);
        }

        public CustomerEngine.Outcome feed(InputRecord r) {
            return engine.decide(state, r, o -> {
                all.add(o);
                fresh.add(o);
            });
        }

        /** Feeds the record and returns what it emitted. */
        public List<OutputRecord> emits(InputRecord r) {
            fresh.clear();
            feed(r);
            return List.copyOf(fresh);
        }

        public List<JsonNode> interventions() {
            return all.stream()
                    .filter(o -> Streams.INTERVENTIONS.equals(o.stream))
                    .map(Events::json)
                    .toList();
        }

        public List<JsonNode> suppressions() {
            return all.stream()
                    .filter(o -> Streams.SUPPRESSIONS.equals(o.stream))
                    .map(Events::json)
                    .toList();
        }

        public List<String> interventionTypes() {
            return interventions().stream().map(n -> n.get("type").asText()).toList();
        }
    }
}
