package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evolution rule of the output schemas (docs/CONTRACT.md, "Versions"): within a
 * {@code schemaVersion} fields and open codes may be added, so a subscriber that validates with
 * the shipped schemas keeps accepting newer records; what breaks (a field removed, renamed or
 * retyped, a closed value set changed) needs a new {@code schemaVersion}. Records written by
 * version 1 are kept in {@code src/test/resources/contract/v1/} and must always validate.
 */
class SchemaEvolutionTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCHEMAS = Path.of("src", "main", "resources", "schemas");
    static final Path V1 = Path.of("src", "test", "resources", "contract", "v1");
    static final Path CURRENT = Path.of("src", "test", "resources", "replay", "expected");

    static List<JsonNode> records(Path dir, String stream) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        Path f = dir.resolve(stream + ".jsonl");
        if (Files.exists(f)) {
            for (String line : Files.readAllLines(f)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
        }
        return out;
    }

    @Test
    void noOutputSchemaClosesAnObjectToFieldsAddedLater() throws Exception {
        for (String stream : Streams.OUTPUTS) {
            assertThat(Files.readString(SCHEMAS.resolve(stream + ".schema.json")))
                    .as(stream)
                    .doesNotContain("\"additionalProperties\": false");
        }
        assertThat(Files.readString(SCHEMAS.resolve("outputs.defs.json")))
                .doesNotContain("\"additionalProperties\": false");
    }

    @Test
    void recordsOfSchemaVersionOneStillValidate() throws Exception {
        int count = 0;
        for (String stream : Streams.OUTPUTS) {
            List<JsonNode> v1 = records(V1, stream);
            assertThat(v1).as("version 1 records of " + stream).isNotEmpty();
            for (JsonNode r : v1) {
                assertThat(Schemas.validate(stream, r)).as(stream + ": " + r).isEmpty();
                count++;
            }
        }
        assertThat(count).isGreaterThan(100);
    }

    @Test
    void fieldsAndCodesAddedWithinAVersionDoNotBreakAValidatingSubscriber() throws Exception {
        ObjectNode intervention =
                (ObjectNode) records(V1, "interventions").get(0).deepCopy();
        intervention.putObject("holdout").put("group", "treated");
        ((ObjectNode) intervention.get("analysis")).put("modelExitRisk", 80);
        ((ObjectNode) intervention.withArray("reasons").get(0)).put("weight", 1.5);
        intervention.put("type", "agent_callback");
        assertThat(Schemas.validate("interventions", intervention)).isEmpty();
        ObjectNode summary =
                (ObjectNode) records(V1, "campaign-summaries").get(0).deepCopy();
        summary.put("opened", 12).putObject("forecast").put("conversion", 0.03);
        ((ObjectNode) summary.get("estimatedCost")).put("note", "per send");
        assertThat(Schemas.validate("campaign-summaries", summary)).isEmpty();
        ObjectNode suppression = (ObjectNode) records(V1, "suppressions").get(0).deepCopy();
        suppression.put("reason", "win_back_in_progress");
        assertThat(Schemas.validate("suppressions", suppression)).isEmpty();
    }

    @Test
    void whatWouldBreakASubscriberStillFails() throws Exception {
        ObjectNode missing = (ObjectNode) records(V1, "interventions").get(0).deepCopy();
        missing.remove("riskScore");
        assertThat(Schemas.validate("interventions", missing)).isNotEmpty();
        ObjectNode retyped = (ObjectNode) records(V1, "campaign-sends").get(0).deepCopy();
        retyped.put("scheduledAt", 1_700_000_000_000L);
        assertThat(Schemas.validate("campaign-sends", retyped)).isNotEmpty();
        ObjectNode closedSet = (ObjectNode) records(V1, "campaign-sends").get(0).deepCopy();
        closedSet.put("channel", "carrier_pigeon");
        assertThat(Schemas.validate("campaign-sends", closedSet)).isNotEmpty();
        ObjectNode nextVersion = (ObjectNode) records(V1, "suppressions").get(0).deepCopy();
        nextVersion.put("schemaVersion", 2);
        assertThat(Schemas.validate("suppressions", nextVersion)).isNotEmpty();
    }

    /**
     * Open schemas must not let the documentation fall behind: what Attune writes now (the replay
     * fixture's expected outputs, which ReplayITCase keeps equal to a real run's) holds only fields
     * the schemas declare, checked against copies of the schemas closed to undeclared fields.
     */
    @Test
    void attuneWritesOnlyFieldsTheSchemasDeclare(@TempDir Path strict) throws Exception {
        try (Stream<Path> files = Files.list(SCHEMAS)) {
            for (Path f : files.toList()) {
                JsonNode schema = JSON.readTree(f.toFile());
                close(schema);
                JSON.writeValue(strict.resolve(f.getFileName().toString()).toFile(), schema);
            }
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(
                SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix(
                        "https://attune.dev/schemas/", strict.toUri().toString())));
        int count = 0;
        for (String stream : Streams.OUTPUTS) {
            JsonSchema closed =
                    factory.getSchema(SchemaLocation.of("https://attune.dev/schemas/" + stream + ".schema.json"));
            for (JsonNode r : records(CURRENT, stream)) {
                Set<ValidationMessage> problems = closed.validate(r);
                assertThat(problems)
                        .as("an undeclared field in %s: %s", stream, r)
                        .isEmpty();
                count++;
            }
        }
        assertThat(count).isPositive();
    }

    /** Every object schema that lists its properties gets additionalProperties: false. */
    static void close(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            o.elements().forEachRemaining(SchemaEvolutionTest::close);
        } else if (node.isArray()) {
            node.elements().forEachRemaining(SchemaEvolutionTest::close);
        }
    }
}
