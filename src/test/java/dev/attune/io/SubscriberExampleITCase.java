package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The subscriber example of docs/subscribers.md, run as the page says (the Java source file with the Attune
 * classpath) against a real broker holding what a restarted job leaves: committed interventions, a transaction
 * that was aborted, and an intervention written again after a restore. It handles each committed id once.
 */
class SubscriberExampleITCase {
    @Test
    void handlesEveryCommittedInterventionOnceAndNothingAborted() throws Exception {
        List<String> interventions = Files.readAllLines(
                Path.of("src/test/resources/replay/expected/interventions.jsonl"), StandardCharsets.UTF_8);
        assertThat(interventions).hasSizeGreaterThanOrEqualTo(3);
        try (KafkaBroker broker = new KafkaBroker()) {
            broker.createTopics(2, List.of("interventions"));
            try (KafkaProducer<String, String> tx = producer(broker.bootstrapServers(), "example-tx")) {
                tx.initTransactions();
                tx.beginTransaction();
                send(tx, interventions.get(0));
                send(tx, interventions.get(1));
                tx.commitTransaction();
                tx.beginTransaction();
                send(tx, interventions.get(2)); // decided before a failure, its transaction aborted
                tx.flush();
                tx.abortTransaction();
            }
            try (KafkaProducer<String, String> again = producer(broker.bootstrapServers(), null)) {
                send(again, interventions.get(0)); // the same intervention written again after a restore
                send(again, interventions.get(1));
                again.flush();
            }

            List<String> handled = runExample(broker.bootstrapServers());

            assertThat(handled)
                    .containsExactlyInAnyOrder(line(interventions.get(0)), line(interventions.get(1)))
                    .doesNotContain(line(interventions.get(2)));
        }
    }

    private static List<String> runExample(String bootstrap) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "docs/examples/Subscriber.java",
                        bootstrap,
                        "interventions",
                        "example-test",
                        "5")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out.lines().toList();
    }

    private static String line(String record) throws Exception {
        JsonNode r = Json.MAPPER.readTree(record);
        return r.get("interventionId").asText() + " " + r.get("userId").asText() + " "
                + r.get("type").asText();
    }

    private static void send(KafkaProducer<String, String> producer, String record) throws Exception {
        String user = Json.MAPPER.readTree(record).get("userId").asText();
        producer.send(new ProducerRecord<>("interventions", user, record)).get();
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String transactionalId) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        if (transactionalId != null) {
            p.put("transactional.id", transactionalId);
        }
        return new KafkaProducer<>(p);
    }
}
