package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    private static JsonNode validOutput(DeadLetter d) throws Exception {
        OutputRecord out = DeadLetters.toOutput(d);
        assertThat(out.stream).isEqualTo(Streams.DEAD_LETTER);
        JsonNode node = Json.MAPPER.readTree(out.json);
        assertThat(Schemas.validate(Streams.DEAD_LETTER, node))
                .as("schema errors of %s", out.json)
                .isEmpty();
        assertThat(node.get("deadLetterId").textValue()).isEqualTo(out.id);
        return node;
    }

    @Test
    void withUserIdAndEventTime() throws Exception {
        DeadLetter d = DeadLetter.of(
                Streams.USER_EVENTS,
                "f.jsonl:3",
                "{\"messageId\":\"m\"}",
                false,
                "validate",
                RecordParser.BAD_TIMESTAMP,
                "/timestamp: out of range");
        d.userId = "u1";
        d.eventTime = Instant.parse("2026-11-21T10:15:30.123Z").toEpochMilli();
        JsonNode n = validOutput(d);
        assertThat(n.get("schemaVersion").intValue()).isEqualTo(1);
        assertThat(n.get("userId").textValue()).isEqualTo("u1");
        assertThat(n.get("eventTime").textValue()).isEqualTo("2026-11-21T10:15:30.123Z");
        assertThat(n.get("raw").textValue()).isEqualTo("{\"messageId\":\"m\"}");
        assertThat(n.get("rawEncoding").textValue()).isEqualTo("utf-8");
        assertThat(n.get("stage").textValue()).isEqualTo("validate");
        assertThat(n.at("/error/code").textValue()).isEqualTo("bad_timestamp");
        assertThat(n.at("/error/message").textValue()).isEqualTo("/timestamp: out of range");
        assertThat(n.at("/source/stream").textValue()).isEqualTo("user-events");
        assertThat(n.at("/source/position").textValue()).isEqualTo("f.jsonl:3");
        assertThat(DeadLetters.toOutput(d).key).isEqualTo("u1");
    }

    @Test
    void withoutUserIdOrEventTimeOrPosition() throws Exception {
        DeadLetter d = DeadLetter.of(
                Streams.ENGAGEMENT_EVENTS,
                null,
                "not json",
                false,
                "parse",
                RecordParser.NOT_JSON,
                "not JSON: Unrecognized token");
        JsonNode n = validOutput(d);
        assertThat(n.get("userId").isNull()).isTrue();
        assertThat(n.get("eventTime").isNull()).isTrue();
        assertThat(n.get("source").has("position")).isFalse();
        assertThat(DeadLetters.toOutput(d).key).isEmpty();
    }

    @Test
    void everyParserDeadLetterValidates() throws Exception {
        String[] raws = {
            "nope",
            "[1,2]",
            "{\"messageId\":\"m1\",\"userId\":\"u1\",\"type\":\"group\",\"timestamp\":0}",
            "{\"messageId\":\"m1\",\"userId\":\"u1\",\"type\":\"track\",\"timestamp\":\"2026-11-21T10:15:30Z\"}",
            "{\"messageId\":\"m1\",\"userId\":\"u1\",\"type\":\"track\",\"event\":\"E\",\"timestamp\":\"later\"}",
        };
        for (String raw : raws) {
            Inbound in = RecordParser.parse(Streams.USER_EVENTS, "f:1", raw.getBytes(StandardCharsets.UTF_8));
            assertThat(in.deadLetter).as(raw).isNotNull();
            validOutput(in.deadLetter);
        }
        byte[] bad = {(byte) 0xff, (byte) 0xfe, 0x00};
        Inbound in = RecordParser.parse(Streams.USER_EVENTS, "f:2", bad);
        JsonNode n = validOutput(in.deadLetter);
        assertThat(n.get("rawEncoding").textValue()).isEqualTo("base64");
    }

    @Test
    void idIsDeterministicAndDependsOnTheRecord() {
        DeadLetter a = DeadLetter.of("user-events", "f:1", "x", false, "parse", "not_json", "m");
        DeadLetter b = DeadLetter.of("user-events", "f:1", "x", false, "parse", "not_json", "m");
        DeadLetter c = DeadLetter.of("user-events", "f:2", "x", false, "parse", "not_json", "m");
        assertThat(DeadLetters.toOutput(a).id).isEqualTo(DeadLetters.toOutput(b).id);
        assertThat(DeadLetters.toOutput(a).id).isNotEqualTo(DeadLetters.toOutput(c).id);
    }

    @Test
    void aLineOfControlCharactersBecomesADeadLetterASinkTakes() throws Exception {
        // 200 KB of control characters: escaped as JSON each is six bytes, 1.2 MB whole, over Kafka's
        // default request size and a Kinesis record's limit; the dead letter keeps the start, size and hash.
        byte[] line = new byte[200_000];
        java.util.Arrays.fill(line, (byte) 1);
        Inbound in = RecordParser.parse(Streams.USER_EVENTS, "big.jsonl:7", line);
        assertThat(in.deadLetter).isNotNull();
        OutputRecord out = DeadLetters.toOutput(in.deadLetter);
        assertThat(out.json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DeadLetters.MAX_BYTES);
        JsonNode n = validOutput(in.deadLetter);
        assertThat(n.get("rawTruncated").asBoolean()).isTrue();
        assertThat(n.get("rawBytes").asInt()).isEqualTo(200_000);
        assertThat(n.get("rawSha256").asText())
                .isEqualTo(java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                .digest(line)));
        assertThat(n.get("raw").asText()).hasSize(DeadLetters.KEPT_CHARS);
        assertThat(n.at("/source/position").asText()).isEqualTo("big.jsonl:7");
    }

    @Test
    void aDeadLetterThatFitsIsWrittenWhole() throws Exception {
        byte[] line = ("{\"messageId\":\"m1\",\"type\":\"track\",\"timestamp\":0,\"pad\":\"" + "x".repeat(150_000)
                        + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        Inbound in = RecordParser.parse(Streams.USER_EVENTS, "f:1", line);
        JsonNode n = validOutput(in.deadLetter);
        assertThat(n.has("rawTruncated")).isFalse();
        assertThat(n.get("raw").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(line);
    }
}
