/*
 * A subscriber of one of Attune's Kafka output topics, as a product team would write it.
 *
 * Run it with nothing but the Attune jar (it holds kafka-clients and Jackson) and Java 17:
 *
 *   java -cp target/attune.jar docs/examples/Subscriber.java localhost:9092 interventions
 *
 * Arguments: BOOTSTRAP_SERVERS [TOPIC (interventions)] [GROUP (attune-example)] [STOP_AFTER_IDLE_SECONDS (0: never)]
 *
 * Two rules make a correct subscriber:
 *  1. isolation.level=read_committed. Campaign sends, suppressions, summaries and dead letters are written in
 *     Kafka transactions committed on each checkpoint; a read_uncommitted reader would also see records of
 *     transactions that were aborted when the job restarted.
 *  2. Drop repeated ids. Interventions are written the moment they are decided (at-least-once), and every
 *     output to Kinesis is at-least-once: after a restart some records come again, byte for byte, with the
 *     same id. Every id is derived from the input history, so remembering the ids of about a day is enough.
 *     This example remembers them in memory; a subscriber that must not act twice across its own restarts
 *     keeps them where it keeps its work (a table with a unique key on the id).
 *
 * It prints one line per new record: the id, the customer, and the record's kind.
 */
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

public class Subscriber {
    /** The id field of each output stream; a record carries exactly one of them. */
    static final List<String> ID_FIELDS =
            List.of("interventionId", "sendId", "suppressionId", "summaryId", "deadLetterId");

    /** How many ids to remember: size it to a day of records on the topic. */
    static final int REMEMBERED_IDS = 1_000_000;

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: Subscriber BOOTSTRAP_SERVERS [TOPIC] [GROUP] [STOP_AFTER_IDLE_SECONDS]");
            System.exit(2);
        }
        String topic = args.length > 1 ? args[1] : "interventions";
        String group = args.length > 2 ? args[2] : "attune-example";
        long stopAfterIdleMs = args.length > 3 ? Long.parseLong(args[3]) * 1000 : 0;

        Properties props = new Properties();
        props.put("bootstrap.servers", args[0]);
        props.put("group.id", group);
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());

        ObjectMapper json = new ObjectMapper();
        Map<String, Boolean> seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > REMEMBERED_IDS;
            }
        };
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(topic));
            long lastRecord = System.currentTimeMillis();
            while (stopAfterIdleMs == 0 || System.currentTimeMillis() - lastRecord < stopAfterIdleMs) {
                var records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    lastRecord = System.currentTimeMillis();
                    JsonNode record;
                    try {
                        record = json.readTree(r.value());
                    } catch (Exception e) {
                        System.err.println("skipped a record that is not JSON at offset " + r.offset());
                        continue;
                    }
                    String id = idOf(record);
                    if (id == null || seen.put(id, Boolean.TRUE) != null) {
                        continue; // a repeat: already handled
                    }
                    handle(id, record);
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }

    static String idOf(JsonNode record) {
        for (String field : ID_FIELDS) {
            if (record.hasNonNull(field)) {
                return record.get(field).asText();
            }
        }
        return null;
    }

    /** Replace with what the product does: show the popup, open a ticket, queue the send. */
    static void handle(String id, JsonNode record) {
        String kind = record.path("type")
                .asText(record.path("channel").asText(record.path("reason").asText("")));
        System.out.println(id + " " + record.path("userId").asText() + " " + kind);
    }
}
