package dev.attune.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a bench JVM's CPU went over a window, by who spent it: the local Kafka broker, the bench's own
 * producer and subscriber, and the job with Flink's runtime (the rest of the Java threads); what no Java
 * thread accounts for (GC, the JIT) is {@code jvm}. Threads that start and end inside the window are not
 * seen, so the groups are a lower bound; the process total is exact. {@code -Dattune.bench.thread-cpu=true}
 * also prints the twelve busiest threads.
 */
final class ThreadCpu {
    private final Map<Long, Long> cpu = new HashMap<>();
    private final Map<Long, String> names = new HashMap<>();
    private final long processCpu;
    private final long wall;

    private ThreadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null) {
                long c = mx.getThreadCpuTime(t.getThreadId());
                if (c >= 0) {
                    cpu.put(t.getThreadId(), c);
                    names.put(t.getThreadId(), t.getThreadName());
                }
            }
        }
        processCpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        wall = System.nanoTime();
    }

    static ThreadCpu now() {
        return new ThreadCpu();
    }

    /** The cores each group used on average between {@code before} and this snapshot. */
    Map<String, Object> coresSince(ThreadCpu before) {
        double seconds = (wall - before.wall) / 1e9;
        Map<String, Double> groups = new LinkedHashMap<>();
        for (String g : new String[] {"job", "broker", "bench", "jvm"}) {
            groups.put(g, 0.0);
        }
        double threads = 0;
        for (Map.Entry<Long, Long> e : cpu.entrySet()) {
            long spent = e.getValue() - before.cpu.getOrDefault(e.getKey(), 0L);
            threads += spent;
            groups.merge(group(names.get(e.getKey())), spent / 1e9 / seconds, Double::sum);
        }
        if (Boolean.getBoolean("attune.bench.thread-cpu")) {
            cpu.entrySet().stream()
                    .sorted((a, b) -> Long.compare(
                            b.getValue() - before.cpu.getOrDefault(b.getKey(), 0L),
                            a.getValue() - before.cpu.getOrDefault(a.getKey(), 0L)))
                    .limit(12)
                    .forEach(e -> System.err.printf(
                            "thread %.2f cores %s%n",
                            (e.getValue() - before.cpu.getOrDefault(e.getKey(), 0L)) / 1e9 / seconds,
                            names.get(e.getKey())));
        }
        groups.put("jvm", Math.max(0, (processCpu - before.processCpu - threads) / 1e9 / seconds));
        Map<String, Object> d = new LinkedHashMap<>();
        groups.forEach((g, cores) -> d.put(g, Math.round(cores * 100) / 100.0));
        d.put("process", Math.round((processCpu - before.processCpu) / 1e9 / seconds * 100) / 100.0);
        return d;
    }

    /** The bench's own threads are named {@code bench-...}; the broker's are Kafka server threads. */
    static String group(String name) {
        if (name.equals("main") || name.startsWith("bench-") || name.endsWith("| bench-producer")) {
            return "bench";
        }
        if (name.startsWith("data-plane-kafka")
                || name.startsWith("kafka-log-cleaner")
                || name.matches("kafka-\\d+-.*")
                || name.matches("(broker|controller|raft|quorum|transaction|group-coordinator)[-_].*")
                || name.startsWith("ExpirationReaper")
                || name.startsWith("LogDirFailureHandler")) {
            return "broker";
        }
        return "job";
    }
}
