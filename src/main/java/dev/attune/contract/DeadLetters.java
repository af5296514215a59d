package dev.attune.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Serialises dead letters in the {@code dead-letter} contract format, never larger than a sink
 * takes: a raw record whose dead letter would pass {@link #MAX_BYTES} (JSON escaping can make a
 * line of control characters six times its size) is cut to its first {@link #KEPT_CHARS}
 * characters, with {@code rawTruncated}, its size in bytes and its SHA-256 kept, so it can still
 * be found and matched with the original.
 */
public final class DeadLetters {
    /** Largest dead letter written: half of Kafka's default request size and of a Kinesis record. */
    public static final int MAX_BYTES = 512 * 1024;

    /** Characters of raw kept when it is cut: at most 6 bytes each once escaped, 384 KiB. */
    public static final int KEPT_CHARS = 64 * 1024;

    private static final int MAX_MESSAGE_CHARS = 2_000;

    private DeadLetters() {}

    public static OutputRecord toOutput(DeadLetter d) {
        OutputRecord whole = write(d, d.raw, false);
        if (d.raw == null || whole.json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return whole;
        }
        int end = Math.min(d.raw.length(), KEPT_CHARS);
        if (end > 0 && Character.isHighSurrogate(d.raw.charAt(end - 1))) {
            end--; // never split a character
        }
        return write(d, d.raw.substring(0, end), true);
    }

    private static OutputRecord write(DeadLetter d, String raw, boolean cut) {
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
        o.put("raw", raw);
        o.put("rawEncoding", d.rawBase64 ? "base64" : "utf-8");
        if (cut) {
            byte[] original = d.rawBase64 ? Base64.getDecoder().decode(d.raw) : d.raw.getBytes(StandardCharsets.UTF_8);
            o.put("rawTruncated", true);
            o.put("rawBytes", original.length);
            o.put("rawSha256", sha256(original));
        }
        o.put("stage", d.stage);
        ObjectNode error = o.putObject("error");
        error.put("code", d.code);
        error.put(
                "message",
                d.message != null && d.message.length() > MAX_MESSAGE_CHARS
                        ? d.message.substring(0, MAX_MESSAGE_CHARS) + "…"
                        : d.message);
        ObjectNode source = o.putObject("source");
        source.put("stream", d.stream);
        if (d.position != null) {
            source.put("position", d.position);
        }
        return new OutputRecord(Streams.DEAD_LETTER, d.userId == null ? "" : d.userId, id, o.toString());
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
