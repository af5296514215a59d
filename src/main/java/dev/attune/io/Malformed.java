package dev.attune.io;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Ways a producer gets a record wrong; the generator uses them so dead-lettering is always exercised. */
final class Malformed {
    static final int KINDS = 6;

    private Malformed() {}

    static byte[] corrupt(byte[] json, int kind) {
        String s = new String(json, StandardCharsets.UTF_8);
        return switch (kind) {
            case 0 -> Arrays.copyOf(json, json.length / 2); // cut off mid-record
            case 1 ->
                s.replaceFirst("\"messageId\":\"[^\"]*\",?", "")
                        .replaceFirst("\"requestId\":\"[^\"]*\",?", "")
                        .getBytes(StandardCharsets.UTF_8);
            case 2 ->
                s.replaceFirst("\"timestamp\":\"[^\"]*\"", "\"timestamp\":\"yesterday\"")
                        .getBytes(StandardCharsets.UTF_8);
            case 3 ->
                s.replaceFirst("\"type\":\"[a-z]+\"", "\"type\":\"group\"").getBytes(StandardCharsets.UTF_8);
            case 4 -> {
                byte[] b = Arrays.copyOf(json, json.length);
                b[b.length / 2] = (byte) 0xC3; // a lone UTF-8 lead byte
                b[b.length / 2 + 1] = (byte) 0x28;
                yield b;
            }
            default ->
                s.replaceFirst("\"userId\":\"[^\"]*\"", "\"userId\":12345").getBytes(StandardCharsets.UTF_8);
        };
    }
}
