package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * The parser against hostile input: the committed corpus ({@code src/test/resources/fuzz/corpus}),
 * records too big to commit, and random mutations of the replay fixture's records, each given to
 * {@link RecordParser#parse} as every input stream. Whatever arrives, the parser returns, quickly,
 * exactly one of a record or a dead letter with a reason, and the dead letter is a valid
 * {@code dead-letter} record that keeps the input byte for byte.
 *
 * <p>The default suite runs the corpus and 1,000 mutations (about 6,000 parses). The {@code fuzz}
 * profile runs at least 100,000 mutations: {@code mvn -Pfuzz test -Dtest=ParserFuzzProperties}
 * ({@code -Dattune.fuzz.tries=N} for another number). Counts are printed at the end and written to
 * {@code target/fuzz/parser-fuzz-counts.txt}.
 */
class ParserFuzzProperties {
    static final String POSITION = "fuzz/input.jsonl:1";
    /** A parse that takes longer than this is a stall, and fails the test. */
    static final long STALL_SECONDS = 5;
    /** Parses slower than this are counted and reported (they should not exist). */
    static final long SLOW_MILLIS = 1000;

    static final Set<String> STAGES = Set.of("parse", "validate");

    private static final Stats STATS = new Stats();
    private static ExecutorService worker = newWorker();

    // ---------------------------------------------------------------------------------------------

    @Example
    void everyCorpusRecordIsARecordOrADeadLetter() {
        int lines = 0;
        for (Path file : FuzzInputs.corpusFiles()) {
            String name = file.getFileName().toString();
            for (FuzzInputs.Line line : FuzzInputs.lines(file, name, false)) {
                lines++;
                byte[] withCr = java.util.Arrays.copyOf(line.bytes(), line.bytes().length + 1);
                withCr[withCr.length - 1] = '\r';
                for (String stream : Streams.INPUTS) {
                    check(stream, line.bytes(), "corpus " + line.label());
                    check(stream, withCr, "corpus " + line.label() + " + CR");
                }
            }
        }
        STATS.count("corpus lines", lines);
        assertThat(lines).as("corpus lines").isGreaterThan(500);
    }

    @Example
    void recordsTooBigToCommitAreARecordOrADeadLetter() {
        for (Map.Entry<String, byte[]> e : FuzzInputs.bigRecords().entrySet()) {
            for (String stream : Streams.INPUTS) {
                check(stream, e.getValue(), "generated " + e.getKey());
            }
        }
    }

    /** What the corpus documents in its README, checked: the outcome of its notable records. */
    @Example
    void corpusRecordsEndAsDocumented() {
        Map<String, String> want = new TreeMap<>();
        want.put("deep-nesting.jsonl:1", "not_json"); // 10,000 nested arrays in properties
        want.put("deep-nesting.jsonl:2", "not_json"); // 10,000 nested objects
        want.put("deep-nesting.jsonl:4", "not_json"); // 10,000 nested arrays at the top
        want.put("deep-nesting.jsonl:5", "record"); // depth 1,000: the deepest accepted
        want.put("deep-nesting.jsonl:6", "not_json"); // depth 1,001
        want.put("deep-nesting.jsonl:7", "record");
        want.put("deep-nesting.jsonl:8", "not_json");
        want.put("boms.jsonl:1", "record"); // UTF-8 BOM: not content
        want.put("boms.jsonl:2", "not_json"); // two BOMs
        want.put("boms.jsonl:7", "not_utf8"); // UTF-16 LE with BOM
        want.put("boms.jsonl:8", "not_utf8"); // UTF-16 BE with BOM
        want.put("invalid-surrogates.jsonl:11", "not_utf8"); // raw ED A0 80
        want.put("invalid-surrogates.jsonl:14", "not_utf8"); // overlong C0 AF
        want.put("nul-bytes.jsonl:1", "record"); // escaped NUL in userId
        want.put("nul-bytes.jsonl:4", "not_json"); // raw NUL inside a string
        want.put("duplicate-keys.jsonl:1", "not_json");
        want.put("duplicate-keys.jsonl:7", "not_json"); // "userId" and "u\u0073erId"
        want.put("edge-lines.jsonl:1", "not_object"); // empty line
        want.put("edge-lines.jsonl:7", "not_json"); // a lone {
        want.put("edge-lines.jsonl:10", "not_object"); // null
        want.put("edge-lines.jsonl:15", "not_object"); // a top-level string
        want.put("timestamps.jsonl:1", "bad_timestamp"); // year 0001
        want.put("timestamps.jsonl:2", "bad_timestamp"); // 1969
        want.put("timestamps.jsonl:3", "record"); // 1970-01-01T00:00:00Z
        want.put("timestamps.jsonl:5", "record"); // 2199-12-31T23:59:59.999Z
        want.put("timestamps.jsonl:6", "bad_timestamp"); // 2200
        want.put("timestamps.jsonl:7", "bad_timestamp"); // 9999
        want.put("lengths.jsonl:1", "record"); // userId of 256 characters
        want.put("lengths.jsonl:2", "too_long"); // 257
        want.put("crlf.jsonl:1", "record");
        Map<String, String> got = new TreeMap<>();
        for (Path file : FuzzInputs.corpusFiles()) {
            String name = file.getFileName().toString();
            for (FuzzInputs.Line line : FuzzInputs.lines(file, name, false)) {
                if (want.containsKey(line.label())) {
                    Inbound in = check(Streams.USER_EVENTS, line.bytes(), "corpus " + line.label());
                    got.put(line.label(), in.isValid() ? "record" : in.deadLetter.code);
                }
            }
        }
        assertThat(got).isEqualTo(want);

        Map<String, String> offers = new TreeMap<>();
        for (FuzzInputs.Line line : FuzzInputs.lines(
                FuzzInputs.CORPUS.resolve("deep-nesting.campaign-requests.jsonl"),
                "deep-nesting.campaign-requests.jsonl",
                false)) {
            Inbound in = check(Streams.CAMPAIGN_REQUESTS, line.bytes(), "corpus " + line.label());
            offers.put(line.label(), in.isValid() ? "record" : in.deadLetter.code + " " + in.deadLetter.message);
        }
        assertThat(offers)
                .containsEntry(
                        "deep-nesting.campaign-requests.jsonl:4",
                        "bad_value /offer: nested deeper than 32 levels") // 33 levels
                .containsEntry("deep-nesting.campaign-requests.jsonl:5", "record") // 32 levels
                .containsEntry(
                        "deep-nesting.campaign-requests.jsonl:3",
                        "bad_value /offer: nested deeper than 32 levels"); // 999 levels: the send would nest 1,001

        // A 14-byte number the schema's enum check would write out as a billion digits.
        for (String stream : Streams.INPUTS) {
            String field = Streams.CAMPAIGN_REQUESTS.equals(stream) ? "category" : "type";
            String json = "{\"messageId\":\"m\",\"requestId\":\"r\",\"campaignId\":\"c\",\"userId\":\"u\","
                    + "\"timestamp\":0,\"" + field + "\":1e999999999}";
            DeadLetter d = check(stream, json.getBytes(StandardCharsets.UTF_8), "huge exponent").deadLetter;
            assertThat(d.code).isEqualTo(RecordParser.BAD_VALUE);
            assertThat(d.message).startsWith("/" + field + ": number out of range");
        }

        Map<String, byte[]> big = FuzzInputs.bigRecords();
        assertThat(check(Streams.USER_EVENTS, big.get("size-256KiB"), "256 KiB").isValid())
                .isTrue();
        assertThat(check(Streams.USER_EVENTS, big.get("size-256KiB-plus-1"), "256 KiB + 1").deadLetter.code)
                .isEqualTo(RecordParser.TOO_LARGE);
        DeadLetter notUtf8 = check(Streams.USER_EVENTS, big.get("size-256KiB-plus-1-not-utf8"), "big").deadLetter;
        assertThat(notUtf8.code).isEqualTo(RecordParser.TOO_LARGE);
        assertThat(notUtf8.rawBase64)
                .as("a record that is not UTF-8 is kept in base64, whatever else is wrong")
                .isTrue();
    }

    @Property(tries = 1000)
    @AddLifecycleHook(FuzzTries.class)
    void mutatedRecordsAreARecordOrADeadLetter(@ForAll("mutants") Mutant m) {
        STATS.count("generated cases", 1);
        for (String stream : Streams.INPUTS) {
            check(stream, m.bytes(), m.toString());
        }
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        List<byte[]> seeds = new ArrayList<>();
        FuzzInputs.seeds().values().forEach(seeds::addAll);
        return Combinators.combine(
                        Arbitraries.integers().between(0, seeds.size() - 1),
                        Arbitraries.longs(),
                        Arbitraries.integers().between(1, 4))
                .as((seed, random, ops) -> {
                    StringBuilder log = new StringBuilder();
                    byte[] bytes = FuzzInputs.mutate(seeds.get(seed), seeds, new Random(random), ops, log);
                    return new Mutant(seed, random, ops, bytes, log.toString());
                });
    }

    /** A mutation of seed line {@code seed}: reproducible from (seed, random, ops). */
    record Mutant(int seed, long random, int ops, byte[] bytes, String log) {
        @Override
        public String toString() {
            return "mutant of seed " + seed + " (random " + random + ", " + ops + " ops: " + log + ") " + show(bytes);
        }
    }

    /** {@code -Dattune.fuzz.tries=N} sets the number of generated cases (the fuzz profile sets 100,000). */
    public static final class FuzzTries implements AroundPropertyHook {
        @Override
        public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
            String tries = System.getProperty("attune.fuzz.tries");
            if (tries != null && !tries.isBlank()) {
                context.attributes().setTries(Integer.parseInt(tries.trim()));
            }
            return property.execute();
        }
    }

    @AfterContainer
    static void printCounts() throws IOException {
        String report = STATS.report();
        System.out.println(report);
        Path dir = Path.of("target/fuzz");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("parser-fuzz-counts.txt"), report, StandardCharsets.UTF_8);
        worker.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    /** Parses on a worker thread (so a stall fails the test instead of hanging it) and checks the outcome. */
    static Inbound check(String stream, byte[] bytes, String label) {
        Future<Inbound> f = worker.submit(() -> RecordParser.parse(stream, POSITION, bytes));
        long started = System.nanoTime();
        Inbound in = null;
        try {
            in = f.get(STALL_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            worker = newWorker(); // the stalled thread is a daemon; leave it
            fail("parsing stalled for more than %d s as %s: %s", STALL_SECONDS, stream, label);
        } catch (ExecutionException e) {
            throw new AssertionError("parsing threw " + e.getCause() + " as " + stream + ": " + label, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        long nanos = System.nanoTime() - started;
        STATS.parsed(stream, in, nanos, label);
        verify(stream, bytes, in, label);
        return in;
    }

    static void verify(String stream, byte[] bytes, Inbound in, String label) {
        assertThat(in).as("outcome of %s", label).isNotNull();
        assertThat(in.record != null || in.deadLetter != null)
                .as("a record or a dead letter for %s", label)
                .isTrue();
        if (in.record != null && in.deadLetter != null) {
            assertThat(in.deadLetter.code)
                    .as("a used record's dead letter names ignored parts")
                    .isEqualTo("bad_value");
            assertThat(in.deadLetter.message).as("for %s", label).contains("; ignored");
        }
        assertThat(in.isValid()).isEqualTo(in.record != null);
        if (in.record != null) {
            InputRecord r = in.record;
            assertThat(r.stream).isEqualTo(stream);
            assertThat(r.position).isEqualTo(POSITION);
            assertThat(r.messageId).as("messageId of %s", label).isNotEmpty();
            assertThat(r.messageId.codePointCount(0, r.messageId.length())).isLessThanOrEqualTo(256);
            assertThat(r.userId).as("userId of %s", label).isNotEmpty();
            assertThat(r.userId.codePointCount(0, r.userId.length())).isLessThanOrEqualTo(256);
            assertThat(r.timestamp).as("timestamp of %s", label).isBetween(Times.MIN_MILLIS, Times.MAX_MILLIS - 1);
            assertThat(r.notAfter == 0 || (r.notAfter >= Times.MIN_MILLIS && r.notAfter < Times.MAX_MILLIS))
                    .isTrue();
            assertThat(in.eventTime()).isEqualTo(r.timestamp);
            assertThat(r.type).isIn("track", "page", "screen", "identify", "request");
            assertThat(r.event).as("event of %s", label).isNotNull();
            assertThat(r.attempts).isBetween(0, 1_000_000);
            assertThat(r.durationMs).isBetween(0L, 86_400_000L);
            assertThat(Double.isInfinite(r.score) || Double.isInfinite(r.revenue) || Double.isInfinite(r.mrr))
                    .isFalse();
            if (Streams.CAMPAIGN_REQUESTS.equals(stream)) {
                assertThat(r.campaignId).isNotEmpty();
                assertThat(r.category).isIn("promotional", "transactional", "service");
            }
            return;
        }
        DeadLetter d = in.deadLetter;
        assertThat(in.eventTime()).isEqualTo(Long.MIN_VALUE);
        assertThat(d.stage).as("stage of %s", label).isIn(STAGES);
        assertThat(d.code).as("code of %s", label).matches("^[a-z][a-z0-9_]*$");
        assertThat(d.message).as("message of %s", label).isNotBlank();
        assertThat(d.stream).isEqualTo(stream);
        assertThat(d.position).isEqualTo(POSITION);
        assertThat(d.userId == null || d.userId.codePointCount(0, d.userId.length()) <= 256)
                .as("userId of %s", label)
                .isTrue();
        assertThat(d.eventTime == 0 || (d.eventTime >= Times.MIN_MILLIS && d.eventTime < Times.MAX_MILLIS))
                .isTrue();
        if (d.rawBase64) {
            assertThat(Base64.getDecoder().decode(d.raw))
                    .as("base64 raw of %s", label)
                    .isEqualTo(bytes);
        } else {
            assertThat(d.raw).as("raw of %s", label).isEqualTo(new String(bytes, StandardCharsets.UTF_8));
            assertThat(d.raw.getBytes(StandardCharsets.UTF_8))
                    .as("UTF-8 raw of %s round-trips", label)
                    .isEqualTo(bytes);
        }
        OutputRecord out = DeadLetters.toOutput(d);
        assertThat(out.stream).isEqualTo(Streams.DEAD_LETTER);
        JsonNode json = readValid(out.json, label);
        if (json.path("rawTruncated").asBoolean()) {
            // Too large to carry whole: the start, with the size and hash of the original bytes.
            assertThat(d.raw).startsWith(json.get("raw").textValue());
            assertThat(json.get("rawBytes").asInt()).isEqualTo(bytes.length);
            assertThat(out.json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DeadLetters.MAX_BYTES);
            return;
        }
        assertThat(json.get("raw").textValue()).isEqualTo(d.raw);
        assertThat(json.at("/error/code").textValue()).isEqualTo(d.code);
        assertThat(json.at("/source/position").textValue()).isEqualTo(POSITION);
        // As a sink writes it: UTF-8 bytes. The raw record must survive that too.
        byte[] written = out.json.getBytes(StandardCharsets.UTF_8);
        String rewritten = new String(written, StandardCharsets.UTF_8);
        JsonNode back = readValid(rewritten, label);
        assertThat(back.get("raw").textValue())
                .as("raw of %s as written", label)
                .isEqualTo(d.raw);
        if (!rewritten.equals(out.json)) {
            STATS.count("dead letters changed by UTF-8 encoding (unpaired surrogate outside raw)", 1);
        }
    }

    private static JsonNode readValid(String json, String label) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("dead letter of " + label + " is not JSON: " + e.getMessage() + ": "
                    + show(json.getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(Schemas.validate(Streams.DEAD_LETTER, node))
                .as("dead letter of %s: %s", label, json)
                .isEmpty();
        return node;
    }

    static String show(byte[] bytes) {
        StringBuilder sb = new StringBuilder("[" + bytes.length + " bytes] ");
        int n = Math.min(bytes.length, 300);
        for (int i = 0; i < n; i++) {
            int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b));
            }
        }
        return bytes.length > n ? sb.append("…").toString() : sb.toString();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-parse");
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts of what the parser made of the input, printed at the end. */
    static final class Stats {
        private final long startedNanos = System.nanoTime();
        private final Map<String, Long> counts = new TreeMap<>();
        private final Map<String, Long> outcomes = new TreeMap<>();
        private long parses;
        private long slowest;
        private String slowestLabel = "";

        synchronized void count(String what, long n) {
            counts.merge(what, n, Long::sum);
        }

        synchronized void parsed(String stream, Inbound in, long nanos, String label) {
            parses++;
            String outcome = in == null
                    ? "null"
                    : in.isValid() ? "record used" : "dead letter " + in.deadLetter.stage + "/" + in.deadLetter.code;
            outcomes.merge(stream + "  " + outcome, 1L, Long::sum);
            if (nanos > slowest) {
                slowest = nanos;
                slowestLabel = stream + " " + (label.length() > 160 ? label.substring(0, 160) + "…" : label);
            }
            if (nanos > SLOW_MILLIS * 1_000_000) {
                counts.merge("parses over " + SLOW_MILLIS + " ms", 1L, Long::sum);
            }
        }

        synchronized String report() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format(
                    "%nParserFuzzProperties: %,d parses in %.1f s; slowest %.1f ms (%s)%n",
                    parses, (System.nanoTime() - startedNanos) / 1e9, slowest / 1e6, slowestLabel));
            counts.forEach((k, v) -> sb.append(String.format("  %-70s %,10d%n", k, v)));
            sb.append("  outcomes per input stream:\n");
            outcomes.forEach((k, v) -> sb.append(String.format("    %-68s %,10d%n", k, v)));
            return sb.toString();
        }
    }
}
