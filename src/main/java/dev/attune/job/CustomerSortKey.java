package dev.attune.job;

import dev.attune.contract.InputRecord;

/**
 * The customer stage's key in a batch run: a long made from the customer id, whose {@code
 * hashCode()} is the id's own, so each customer goes to the same subtask (the same key group) as
 * when keyed by the id. Flink's batch sort then compares each record's key and time whole, as 16
 * bytes, where with the id (variable length) it compared a prefix and, for two records of one
 * customer, read both serialized keys and times back. Its high half is a second hash of the id (the
 * low half the id's {@code hashCode()} mixed with it), so two ids share a key only when both hashes
 * agree; {@link BatchCustomerOperator} stops the run if they ever do.
 */
final class CustomerSortKey {
    private CustomerSortKey() {}

    static long of(InputRecord r) {
        return of(r.userId);
    }

    static long of(String id) {
        int h = id.hashCode();
        int g = mix(id);
        return ((long) g << 32) | ((g ^ h) & 0xffffffffL);
    }

    /** Why a run stopped: two customer ids with one sort key. */
    static String collision(String a, String b) {
        return "two customer ids share the batch sort key " + of(a) + " (their hashes collide); "
                + "replay with --flink.execution.runtime-mode STREAMING, which keys by the id itself";
    }

    /** Murmur3's 32-bit mixing over the id's chars. */
    static int mix(String s) {
        int x = 0x9747b28c;
        for (int i = 0; i < s.length(); i++) {
            int k = s.charAt(i) * 0xcc9e2d51;
            k = Integer.rotateLeft(k, 15) * 0x1b873593;
            x ^= k;
            x = Integer.rotateLeft(x, 13) * 5 + 0xe6546b64;
        }
        x ^= s.length();
        x ^= x >>> 16;
        x *= 0x85ebca6b;
        x ^= x >>> 13;
        x *= 0xc2b2ae35;
        x ^= x >>> 16;
        return x;
    }
}
