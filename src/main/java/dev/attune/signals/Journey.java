package dev.attune.signals;

import java.util.Arrays;

/** The last events of a customer, kind and time only, and the sliding windows over them. */
public final class Journey {
    public static final int LENGTH = 20;

    private Journey() {}

    public static void append(CustomerState s, EventKind kind, long time) {
        if (s.journeyKinds == null) {
            s.journeyKinds = new byte[0];
            s.journeyTimes = new long[0];
        }
        int n = s.journeyKinds.length;
        if (n == LENGTH) {
            System.arraycopy(s.journeyKinds, 1, s.journeyKinds, 0, n - 1);
            System.arraycopy(s.journeyTimes, 1, s.journeyTimes, 0, n - 1);
        } else {
            s.journeyKinds = Arrays.copyOf(s.journeyKinds, n + 1);
            s.journeyTimes = Arrays.copyOf(s.journeyTimes, n + 1);
        }
        s.journeyKinds[s.journeyKinds.length - 1] = (byte) kind.ordinal();
        s.journeyTimes[s.journeyTimes.length - 1] = time;
    }

    /** Adds a time to a window and drops times older than {@code window} before it. */
    public static long[] addToWindow(long[] times, long time, long window) {
        long[] kept = prune(times, time, window);
        long[] out = kept == null ? new long[1] : Arrays.copyOf(kept, kept.length + 1);
        out[out.length - 1] = time;
        Arrays.sort(out);
        return out;
    }

    /** The times within {@code window} before {@code now}; null when none. */
    public static long[] prune(long[] times, long now, long window) {
        if (times == null) {
            return null;
        }
        int keep = 0;
        for (long t : times) {
            if (t > now - window && t <= now) {
                keep++;
            }
        }
        if (keep == times.length) {
            return times;
        }
        if (keep == 0) {
            return null;
        }
        long[] out = new long[keep];
        int i = 0;
        for (long t : times) {
            if (t > now - window && t <= now) {
                out[i++] = t;
            }
        }
        return out;
    }

    public static int count(long[] times, long now, long window) {
        long[] in = prune(times, now, window);
        return in == null ? 0 : in.length;
    }

    /** Span in seconds between the first and last time in the window. */
    public static long spanSeconds(long[] times, long now, long window) {
        long[] in = prune(times, now, window);
        return in == null || in.length < 2 ? 0 : (in[in.length - 1] - in[0]) / 1000;
    }
}
