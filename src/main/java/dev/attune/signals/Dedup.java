package dev.attune.signals;

import java.util.Arrays;

/**
 * The ids a customer has sent within the deduplication window, as a small ring of 64-bit
 * hashes with their event times, pruned by event time. Plain Java on the state's arrays.
 */
public final class Dedup {
    /** Enough for every id a busy customer sends in a day; older ones leave first. */
    public static final int CAPACITY = 128;

    private Dedup() {}

    /** True if {@code id} was seen within {@code window} before {@code now}; else records it. */
    public static boolean seenOrRecord(CustomerState s, String id, long now, long window) {
        long h = hash(id);
        int n = s.seenHashes == null ? 0 : s.seenHashes.length;
        for (int i = 0; i < n; i++) {
            if (s.seenHashes[i] == h && s.seenTimes[i] > now - window) {
                return true;
            }
        }
        prune(s, now - window);
        n = s.seenHashes == null ? 0 : s.seenHashes.length;
        if (n >= CAPACITY) {
            s.seenHashes = Arrays.copyOfRange(s.seenHashes, n - CAPACITY + 1, n);
            s.seenTimes = Arrays.copyOfRange(s.seenTimes, n - CAPACITY + 1, n);
            n = CAPACITY - 1;
        }
        s.seenHashes = s.seenHashes == null ? new long[1] : Arrays.copyOf(s.seenHashes, n + 1);
        s.seenTimes = s.seenTimes == null ? new long[1] : Arrays.copyOf(s.seenTimes, n + 1);
        s.seenHashes[n] = h;
        s.seenTimes[n] = now;
        return false;
    }

    /** Whether {@code id} is known, without recording it (for late arrivals). */
    public static boolean seen(CustomerState s, String id) {
        if (s == null || s.seenHashes == null) {
            return false;
        }
        long h = hash(id);
        for (long x : s.seenHashes) {
            if (x == h) {
                return true;
            }
        }
        return false;
    }

    /** Drops ids seen at or before {@code horizon}. */
    public static void prune(CustomerState s, long horizon) {
        if (s.seenHashes == null) {
            return;
        }
        int keep = 0;
        for (int i = 0; i < s.seenTimes.length; i++) {
            if (s.seenTimes[i] > horizon) {
                s.seenHashes[keep] = s.seenHashes[i];
                s.seenTimes[keep] = s.seenTimes[i];
                keep++;
            }
        }
        if (keep == 0) {
            s.seenHashes = null;
            s.seenTimes = null;
        } else if (keep < s.seenHashes.length) {
            s.seenHashes = Arrays.copyOf(s.seenHashes, keep);
            s.seenTimes = Arrays.copyOf(s.seenTimes, keep);
        }
    }

    /** 64-bit FNV-1a over the UTF-16 code units, then a murmur finaliser. */
    public static long hash(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }
}
