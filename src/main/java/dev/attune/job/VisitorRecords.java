package dev.attune.job;

import dev.attune.contract.InputRecord;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * What the visitor stage needs: a visitor's own records (only an {@code anonymousId}), and a link
 * notice for each record that names both ids (or an {@code alias}). Trackers put the
 * {@code anonymousId} on every record after login too, so a small per-task cache sends a notice
 * only for a pair not seen yet or seen only later in event time (and always for an anonymousId seen
 * with two customers): the visitor stage links at the earliest notice of a pair, which is then
 * always sent, so the cache changes no decision.
 */
final class VisitorRecords implements FlatMapFunction<InputRecord, InputRecord> {
    private static final long serialVersionUID = 1L;
    private static final int CACHE = 10_000;

    /** anonymousId → the customer it was last sent as linked to, and the earliest time sent. */
    private transient Map<String, Sent> sent;

    /** {@code shared}: the anonymousId was seen with more than one customer (a shared device): never skipped. */
    private record Sent(String userId, long time, boolean shared) {}

    /** The key of the visitor stage: the visitor's anonymousId. */
    static String key(InputRecord r) {
        return r.anonymous ? r.userId : r.anonymousId;
    }

    /** Records the customer operator takes directly: those that name the customer (not an alias). */
    static boolean forCustomers(InputRecord r) {
        return !r.anonymous && !"alias".equals(r.type);
    }

    @Override
    public void flatMap(InputRecord r, Collector<InputRecord> out) {
        if (r.anonymous) {
            out.collect(r);
            return;
        }
        if (r.anonymousId == null) {
            return;
        }
        if (sent == null) {
            sent = new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Sent> eldest) {
                    return size() > CACHE;
                }
            };
        }
        Sent before = sent.get(r.anonymousId);
        boolean same = before != null && before.userId.equals(r.userId);
        if (same && !before.shared && before.time <= r.timestamp) {
            return;
        }
        sent.put(
                r.anonymousId,
                new Sent(
                        r.userId,
                        same ? Math.min(before.time, r.timestamp) : r.timestamp,
                        before != null && (before.shared || !same)));
        InputRecord link = new InputRecord();
        link.stream = r.stream;
        link.type = "link";
        link.event = "link";
        link.messageId = r.messageId;
        link.userId = r.userId;
        link.anonymousId = r.anonymousId;
        link.timestamp = r.timestamp;
        link.position = r.position;
        out.collect(link);
    }
}
