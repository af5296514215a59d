package dev.attune.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Serialises dead letters in the {@code dead-letter} contract format. */
public final class DeadLetters {
    private DeadLetters() {}

    public static OutputRecord toOutput(DeadLetter d) {
        String id = Ids.of(Streams.DEAD_LETTER, d.stream, d.position, d.stage, d.code, d.raw);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("schemaVersion", 1);
        o.put("deadLetterId", id);
        o.put("userId", d.userId);
        if (d.eventTime != 0) {
            o.put("eventTime", Times.format(d.eventTime));
        } else {
            o.putNull("eventTime");
        }
        o.put("raw", d.raw);
        o.put("rawEncoding", d.rawBase64 ? "base64" : "utf-8");
        o.put("stage", d.stage);
        ObjectNode error = o.putObject("error");
        error.put("code", d.code);
        error.put("message", d.message);
        ObjectNode source = o.putObject("source");
        source.put("stream", d.stream);
        if (d.position != null) {
            source.put("position", d.position);
        }
        return new OutputRecord(Streams.DEAD_LETTER, d.userId == null ? "" : d.userId, id, o.toString());
    }
}
