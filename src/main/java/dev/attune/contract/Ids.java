package dev.attune.contract;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Deterministic output ids: a name-based UUID (SHA-256, version 8 layout) of the parts that
 * caused the output. Same input history, same ids; nothing from clocks, randomness or order.
 */
public final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {}

    public static String of(String... parts) {
        byte[] d = digest(parts);
        d[6] = (byte) ((d[6] & 0x0f) | 0x80); // version 8: custom, name-based
        d[8] = (byte) ((d[8] & 0x3f) | 0x80); // IETF variant
        StringBuilder sb = new StringBuilder(36);
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) {
                sb.append('-');
            }
            sb.append(HEX[(d[i] >> 4) & 0xf]).append(HEX[d[i] & 0xf]);
        }
        return sb.toString();
    }

    /** A fixed number in [0, 1) for the parts (from the same digest): for deterministic sampling. */
    public static double fraction(String... parts) {
        byte[] d = digest(parts);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (d[i] & 0xff);
        }
        return (v >>> 11) * 0x1.0p-53;
    }

    private static byte[] digest(String... parts) {
        MessageDigest sha = sha256();
        for (String part : parts) {
            byte[] bytes = (part == null ? "\u0000null" : part).getBytes(StandardCharsets.UTF_8);
            // Length-prefix each part so ("ab","c") and ("a","bc") differ.
            sha.update(intBytes(bytes.length));
            sha.update(bytes);
        }
        return sha.digest();
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
