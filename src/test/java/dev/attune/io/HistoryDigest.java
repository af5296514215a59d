package dev.attune.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** A SHA-256 of a whole history in its order: position, stream, event time, customer and bytes of every record. */
final class HistoryDigest {
    private final MessageDigest md;

    HistoryDigest() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    void add(long position, SyntheticHistory.Generated g) {
        md.update((position + "|" + g.stream() + "|" + g.timestamp() + "|" + g.customer() + "|")
                .getBytes(StandardCharsets.UTF_8));
        md.update(g.bytes());
        md.update((byte) '\n');
    }

    String hex() {
        return HexFormat.of().formatHex(md.digest());
    }

    static String of(SyntheticHistory h) {
        HistoryDigest d = new HistoryDigest();
        for (long i = 0; i < h.size(); i++) {
            d.add(i, h.at(i));
        }
        return d.hex();
    }

    public static void main(String[] args) { // prints the digests HistorySourceTest pins
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        System.out.println("std " + of(Sources.history(conf)));
        System.out.println("odd " + of(new SyntheticHistory(7, 777, "2026-11-21T08:00:00Z", 0.05, 0.05)));
        System.out.println("big " + of(new SyntheticHistory(42, 6_000, "2026-11-21T08:00:00Z", 0.002, 0.01)));
    }
}
