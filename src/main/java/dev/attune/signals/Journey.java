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

    /**
     * A window of signals that each carry risk points: times in order and, beside them, each one's
     * points. Points null means every signal carries the same default weight.
     */
    public record Weighted(long[] times, byte[] points) {}

    /** Adds a signal with its points and drops those older than {@code window} before it. */
    public static Weighted addWeighted(long[] times, byte[] points, long time, int pts, long window) {
        int n = times == null ? 0 : times.length;
        long[] t = new long[n + 1];
        byte[] p = new byte[n + 1];
        int k = 0;
        boolean placed = false;
        for (int i = 0; i < n; i++) {
            if (!placed && times[i] > time) {
                t[k] = time;
                p[k++] = (byte) pts;
                placed = true;
            }
            if (times[i] > time - window) {
                t[k] = times[i];
                p[k++] = points == null || i >= points.length ? -1 : points[i];
            }
        }
        if (!placed) {
            t[k] = time;
            p[k++] = (byte) pts;
        }
        return new Weighted(Arrays.copyOf(t, k), Arrays.copyOf(p, k));
    }

    /**
     * The points of the signals within {@code window} before {@code now}; a signal whose points were
     * not recorded (-1, or no points at all) counts {@code each}.
     */
    public static int points(long[] times, byte[] points, long now, long window, int each) {
        if (times == null) {
            return 0;
        }
        int sum = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] > now - window && times[i] <= now) {
                int p = points == null || i >= points.length || points[i] < 0 ? each : points[i];
                sum += p;
            }
        }
        return sum;
    }

    /** Both windows' signals, in time order (a visitor's merged into the customer's). */
    public static Weighted union(long[] ta, byte[] pa, long[] tb, byte[] pb) {
        int na = ta == null ? 0 : ta.length;
        int nb = tb == null ? 0 : tb.length;
        if (na + nb == 0) {
            return new Weighted(null, null);
        }
        long[] t = new long[na + nb];
        byte[] p = new byte[na + nb];
        int i = 0;
        int j = 0;
        int k = 0;
        while (i < na || j < nb) {
            if (j >= nb || (i < na && ta[i] <= tb[j])) {
                t[k] = ta[i];
                p[k++] = pa == null || i >= pa.length ? -1 : pa[i];
                i++;
            } else {
                t[k] = tb[j];
                p[k++] = pb == null || j >= pb.length ? -1 : pb[j];
                j++;
            }
        }
        return new Weighted(t, p);
    }
}
