package dev.attune.signals;

import dev.attune.contract.Channel;

/** Per-channel message statistics: {@code engagement[metric * channels + channel]}. */
public final class Engagement {
    public enum Metric {
        SENT,
        DELIVERED,
        OPENED,
        CLICKED,
        REPLIED,
        BOUNCED,
        COMPLAINED
    }

    private static final int CHANNELS = Channel.values().length;

    private Engagement() {}

    public static void add(CustomerState s, Metric m, Channel c) {
        if (s.engagement == null) {
            s.engagement = new int[Metric.values().length * CHANNELS];
        }
        s.engagement[m.ordinal() * CHANNELS + c.ordinal()]++;
    }

    public static int get(CustomerState s, Metric m, Channel c) {
        return s.engagement == null ? 0 : s.engagement[m.ordinal() * CHANNELS + c.ordinal()];
    }

    public static void addOpenHour(CustomerState s, int hour) {
        if (s.openHours == null) {
            s.openHours = new int[24];
        }
        s.openHours[hour]++;
    }
}
