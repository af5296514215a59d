package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link OutputRecords#members} holds each named member exactly as the whole record's tree holds it (strings,
 * whole and big numbers, fractions, booleans, nulls, nested objects and arrays, in random member order),
 * and nothing it was not asked for.
 */
class OutputRecordsProperties {
    private static final Set<String> PATHS = Set.of("a", "b.c", "b.d", "e", "f.g.h");

    @Property(tries = 500)
    void namedMembersAreAsInTheWholeTree(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> members = new ArrayList<>();
        for (String name : List.of("a", "e", "x", "y")) {
            if (rnd.nextInt(4) > 0) {
                members.add("\"" + name + "\":" + value(rnd, 2));
            }
        }
        if (rnd.nextInt(4) > 0) {
            members.add("\"b\":"
                    + (rnd.nextBoolean()
                            ? "{\"c\":" + value(rnd, 2) + ",\"z\":" + value(rnd, 2) + ",\"d\":" + value(rnd, 2) + "}"
                            : value(rnd, 2)));
        }
        if (rnd.nextBoolean()) {
            members.add("\"f\":{\"g\":{\"h\":" + value(rnd, 2) + ",\"i\":1},\"j\":[1,2]}");
        }
        Collections.shuffle(members, rnd);
        String line = "{" + String.join(",", members) + "}";
        JsonNode whole = Json.MAPPER.readTree(line);
        JsonNode read = OutputRecords.members(line, PATHS);
        for (String path : PATHS) {
            JsonPointer p = JsonPointer.compile("/" + path.replace('.', '/'));
            assertThat(read.at(p)).as(line + " at " + p).isEqualTo(whole.at(p));
            assertThat(read.at(p).getClass()).isEqualTo(whole.at(p).getClass());
        }
        assertThat(read.has("x")).isFalse();
        assertThat(read.has("y")).isFalse();
        assertThat(read.path("b").has("z")).isFalse();
    }

    @Test
    void aLineThatIsNotAnObjectIsReadWholeAndOneThatIsNotJsonIsNone() {
        assertThat(OutputRecords.members("[1,2]", PATHS).size()).isEqualTo(2);
        assertThat(OutputRecords.members("{\"a\":1} x", PATHS)).isNull();
        assertThat(OutputRecords.members("{\"a\":", PATHS)).isNull();
        assertThat(OutputRecords.members("not json", PATHS)).isNull();
    }

    @Test
    void ownOutputsAreReadWithoutTheDuplicateKeyCheck() {
        assertThat(OutputRecords.members("{\"a\":1,\"a\":2}", PATHS).path("a").asInt())
                .isEqualTo(2);
    }

    @Test
    void readHandsEveryRecordInFileOrderWithItsMembers(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(dev.attune.contract.Streams.INTERVENTIONS));
        int lines = 10_017;
        List<String> written = new ArrayList<>();
        for (int file = 0; file < 2; file++) {
            List<String> part = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                String line = i == 5 ? "not json " + file : "{\"a\":" + (file * lines + i) + ",\"x\":\"skip\"}";
                part.add(line);
            }
            Files.write(dir.resolve("part-" + file + ".jsonl"), part);
            written.addAll(part);
        }
        List<String> seen = new ArrayList<>();
        List<JsonNode> members = new ArrayList<>();
        OutputRecords.read(out, List.of(new OutputRecords.Reader() {
            @Override
            public Set<String> members(String stream) {
                return Set.of("a");
            }

            @Override
            public void record(String stream, String line, JsonNode m) {
                seen.add(line);
                members.add(m);
            }
        }));
        assertThat(seen).isEqualTo(written);
        for (int i = 0; i < seen.size(); i++) {
            JsonNode m = members.get(i);
            if (seen.get(i).startsWith("not json")) {
                assertThat(m).isNull();
            } else {
                assertThat(m.path("a").asInt()).isEqualTo(i);
                assertThat(m.has("x")).isFalse();
            }
        }
    }

    @Test
    void aReadersFailureEndsTheReadWithItsOwnException(@TempDir Path out) throws Exception {
        Path dir = Files.createDirectories(out.resolve(dev.attune.contract.Streams.INTERVENTIONS));
        List<String> part = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            part.add("{\"a\":" + i + "}");
        }
        Files.write(dir.resolve("part-0.jsonl"), part);
        for (int failAt : new int[] {3, 5_000, 19_999}) {
            int[] seen = {0};
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            OutputRecords.read(out, List.of(new OutputRecords.Reader() {
                                @Override
                                public Set<String> members(String stream) {
                                    return Set.of("a");
                                }

                                @Override
                                public void record(String stream, String line, JsonNode m) throws java.io.IOException {
                                    if (seen[0]++ == failAt) {
                                        throw new java.io.IOException("reader stopped at " + m.path("a"));
                                    }
                                }
                            })))
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("reader stopped at " + failAt);
        }
    }

    private static String value(Random rnd, int depth) {
        switch (rnd.nextInt(depth > 0 ? 11 : 8)) {
            case 0:
                return "\"s" + rnd.nextInt(100) + "\\u00e9\"";
            case 1:
                return String.valueOf(rnd.nextInt());
            case 2:
                return String.valueOf(rnd.nextLong());
            case 3:
                return "123456789012345678901234567890";
            case 4:
                return rnd.nextBoolean() ? "0.0042" : "1.50E-3";
            case 5:
                return rnd.nextBoolean() ? "true" : "false";
            case 6:
                return "null";
            case 7:
                return "\"\"";
            case 8:
                return "[" + value(rnd, depth - 1) + "," + value(rnd, depth - 1) + "]";
            case 9:
                return "{\"c\":" + value(rnd, depth - 1) + ",\"k\":" + value(rnd, depth - 1) + "}";
            default:
                return "[]";
        }
    }
}
