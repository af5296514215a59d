package dev.attune;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.io.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Shared checks on an output folder: committed files only, every record valid against its schema. */
public final class OutputAssertions {
    private OutputAssertions() {}

    /** Every output stream's records, sorted, so runs can be compared as sets. */
    public static Map<String, List<String>> sortedOutputs(Path out) throws IOException {
        Map<String, List<String>> all = new TreeMap<>();
        for (String stream : Streams.OUTPUTS) {
            List<String> records = new ArrayList<>(RunSummary.records(out, stream));
            records.sort(null);
            all.put(stream, records);
        }
        return all;
    }

    /** Every file under the stream folders is a finished part file (the report beside them is not a stream). */
    public static void assertNoUnfinishedFiles(Path out) throws IOException {
        try (Stream<Path> walk = Files.walk(out)) {
            List<String> names = walk.filter(Files::isRegularFile)
                    .map(p -> out.relativize(p).toString())
                    .filter(n -> !n.startsWith("report" + java.io.File.separator))
                    .filter(n -> !n.equals(dev.attune.io.RunMarkers.SUCCESS))
                    .toList();
            assertThat(names).allSatisfy(n -> {
                assertThat(n).doesNotContain("inprogress");
                assertThat(Path.of(n).getFileName().toString())
                        .doesNotStartWith(".")
                        .endsWith(".jsonl");
            });
        }
    }

    public static void assertValidAgainstSchemas(Map<String, List<String>> outputs) throws IOException {
        for (Map.Entry<String, List<String>> e : outputs.entrySet()) {
            for (String record : e.getValue()) {
                JsonNode node = Json.MAPPER.readTree(record);
                assertThat(Schemas.validate(e.getKey(), node))
                        .as("%s record %s", e.getKey(), record)
                        .isEmpty();
            }
        }
    }

    /** Dead letters without their ids and positions (which name the system read from): code and raw record. */
    public static java.util.Set<String> rawAndCode(List<String> deadLetters) throws IOException {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (String d : deadLetters) {
            JsonNode n = Json.MAPPER.readTree(d);
            out.add(n.at("/error/code").asText() + " " + n.get("raw").asText());
        }
        return out;
    }

    public static List<JsonNode> parsed(List<String> records) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String r : records) {
            out.add(Json.MAPPER.readTree(r));
        }
        return out;
    }
}
