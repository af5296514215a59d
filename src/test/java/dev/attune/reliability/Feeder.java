package dev.attune.reliability;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes the input history into the input topics at a steady rate, in history order (which is event-time order),
 * keyed by customer. An idempotent producer that waits out a broker outage: it neither loses nor repeats a
 * record, and keeps each partition in order, so the job sees exactly the history the replay reads from files.
 */
final class Feeder implements Runnable {
    /** One input record: its topic, key, bytes, and a partition (null: by key). */
    record Line(String topic, String key, byte[] value, Integer partition) {}

    private final String bootstrap;
    private final List<Line> lines;
    private final double perSecond;
    final AtomicLong sent = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicReference<Exception> failure = new AtomicReference<>();
    final Map<String, Long> perTopic = new TreeMap<>();
    volatile long finishedAt;

    Feeder(String bootstrap, List<Line> lines, double perSecond) {
        this.bootstrap = bootstrap;
        this.lines = lines;
        this.perSecond = perSecond;
    }

    @Override
    public void run() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "5");
        // A broker stopped for a while: wait for it rather than fail a record.
        p.put("delivery.timeout.ms", "900000");
        p.put("request.timeout.ms", "30000");
        p.put("max.block.ms", "900000");
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < lines.size(); i++) {
                long due = start + (long) (i * 1e9 / perSecond);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                Line l = lines.get(i);
                producer.send(
                        new ProducerRecord<>(l.topic(), l.partition(), l.key().getBytes(), l.value()), (m, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                acknowledged.incrementAndGet();
                            }
                        });
                sent.incrementAndGet();
                synchronized (perTopic) {
                    perTopic.merge(l.topic(), 1L, Long::sum);
                }
            }
            producer.flush();
        } catch (Exception e) {
            failure.compareAndSet(null, e);
        } finally {
            finishedAt = System.currentTimeMillis();
        }
    }
}
