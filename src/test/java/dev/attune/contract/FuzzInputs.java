package dev.attune.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Nasty input for the fuzz tests: the committed corpus under {@code src/test/resources/fuzz/corpus},
 * records too big to commit (generated here), and random mutations of the replay fixture's records.
 * Lines are split exactly as the file source splits them, so a test can predict every position.
 */
public final class FuzzInputs {
    public static final Path CORPUS = Path.of("src/test/resources/fuzz/corpus");
    public static final Path REPLAY_INPUT = Path.of("src/test/resources/replay/input");
    /** What the file source keeps of an oversized line (JsonLinesFormat.MAX_KEPT_BYTES). */
    public static final int READER_KEEPS = 1024 * 1024;

    private FuzzInputs() {}

    /** One line of input: where it is and its bytes as the reader hands them to the parser. */
    public record Line(String file, int number, byte[] bytes) {
        public String label() {
            return file + ":" + number;
        }
    }

    /** The stream a corpus file is for ({@code NAME.<stream>.jsonl}), or null where it fits every stream. */
    public static String streamOf(Path corpusFile) {
        String name = corpusFile.getFileName().toString();
        for (String stream : Streams.INPUTS) {
            if (name.endsWith("." + stream + ".jsonl")) {
                return stream;
            }
        }
        return null;
    }

    public static List<Path> corpusFiles() {
        try (Stream<Path> files = Files.list(CORPUS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a corpus file belongs in a stream's input. */
    public static boolean fits(Path corpusFile, String stream) {
        String s = streamOf(corpusFile);
        return s == null || s.equals(stream);
    }

    /**
     * The lines of a file as the file source reads them: split on '\n', one '\r' before it dropped,
     * at most {@link #READER_KEEPS} bytes kept, blank lines (spaces, tabs, CRs) numbered but skipped
     * when {@code skipBlank}. A {@code .gz} file is decompressed.
     */
    public static List<Line> lines(String name, byte[] content, boolean skipBlank) {
        List<Line> out = new ArrayList<>();
        int start = 0;
        int number = 0;
        while (start < content.length) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            number++;
            int length = end - start;
            byte[] bytes = Arrays.copyOfRange(content, start, start + Math.min(length, READER_KEEPS));
            if (length <= READER_KEEPS && bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
                bytes = Arrays.copyOf(bytes, bytes.length - 1);
            }
            if (!skipBlank || !isBlank(bytes)) {
                out.add(new Line(name, number, bytes));
            }
            start = end + 1;
        }
        return out;
    }

    public static List<Line> lines(Path file, String name, boolean skipBlank) {
        return lines(name, read(file), skipBlank);
    }

    public static byte[] read(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    return in.readAllBytes();
                }
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------------
    // Records too big to commit.

    private static final String TS = "2026-11-21T10:00:00Z";

    private static String event(String id, String user, String event, String propertiesJson) {
        return "{\"messageId\":\"" + id + "\",\"userId\":\"" + user + "\",\"type\":\"track\",\"event\":\"" + event
                + "\",\"timestamp\":\"" + TS + "\",\"properties\":" + propertiesJson + "}";
    }

    /** A valid user event of exactly {@code size} bytes, padded in a property no code reads. */
    public static byte[] paddedEvent(String id, int size) {
        String head =
                "{\"messageId\":\"" + id + "\",\"userId\":\"u-fuzz-big\",\"type\":\"track\",\"event\":\"Feature Used\","
                        + "\"timestamp\":\"" + TS + "\",\"properties\":{\"feature\":\"reports\",\"pad\":\"";
        String tail = "\"}}";
        return (head + "x".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Records at the size limits and free text built to make text processing stall or overflow
     * its stack (regular expressions, sentiment scoring), by name; each fits on one line.
     */
    public static Map<String, byte[]> bigRecords() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        int limit = RecordParser.MAX_RECORD_BYTES;
        m.put("size-256KiB-minus-1", paddedEvent("big-1", limit - 1));
        m.put("size-256KiB", paddedEvent("big-2", limit));
        m.put("size-256KiB-plus-1", paddedEvent("big-3", limit + 1));
        m.put("size-1MiB-plus-1", paddedEvent("big-4", 1024 * 1024 + 1));
        byte[] notUtf8 = paddedEvent("big-5", limit + 1);
        notUtf8[notUtf8.length / 2] = (byte) 0xC3;
        notUtf8[notUtf8.length / 2 + 1] = (byte) 0x28;
        m.put("size-256KiB-plus-1-not-utf8", notUtf8);
        byte[] cutChar = paddedEvent("big-6", limit + 100);
        cutChar[limit - 1] = (byte) 0xE2; // a three-byte character cut by the limit
        cutChar[limit] = (byte) 0x82;
        cutChar[limit + 1] = (byte) 0xAC;
        m.put("size-over-limit-multibyte", cutChar);
        m.put(
                "text-phone-digits-200k",
                event("big-7", "u-fuzz-text", "Subscription Cancelled", "{\"reason\":\"" + "1 ".repeat(100_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-email-local-part-200k",
                event("big-8", "u-fuzz-text", "Support Ticket Created", "{\"text\":\"" + "a".repeat(200_000) + "@\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-email-after-at-200k",
                event("big-9", "u-fuzz-text", "Support Ticket Created", "{\"text\":\"@" + "a".repeat(200_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-email-domain-dots-200k",
                event(
                                "big-10",
                                "u-fuzz-text",
                                "Survey Answered",
                                "{\"score\":3,\"comment\":\"x@" + "b.".repeat(100_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-sentiment-words-240k",
                event(
                                "big-11",
                                "u-fuzz-text",
                                "Subscription Cancelled",
                                "{\"reason\":\"" + "bad ".repeat(60_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-sentiment-but-240k",
                event(
                                "big-12",
                                "u-fuzz-text2",
                                "Support Ticket Created",
                                "{\"text\":\"" + "but not good ".repeat(18_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "text-many-emails-240k",
                event(
                                "big-13",
                                "u-fuzz-text2",
                                "Message Replied",
                                "{\"channel\":\"email\",\"text\":\"" + "ann@example.com ".repeat(15_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "user-id-250k",
                event("big-14", "u" + "x".repeat(250_000), "Feature Used", "{}").getBytes(StandardCharsets.UTF_8));
        m.put(
                "keys-250k",
                ("{\"messageId\":\"big-15\",\"userId\":\"u-keys\",\"type\":\"identify\",\"timestamp\":\"" + TS
                                + "\",\"traits\":{" + keys(20_000) + "}}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "array-250k",
                ("{\"messageId\":\"big-16\",\"userId\":\"u-array\",\"type\":\"identify\",\"timestamp\":\"" + TS
                                + "\",\"traits\":{\"a\":[" + "0,".repeat(120_000) + "0]}}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "channels-250k",
                ("{\"requestId\":\"big-17\",\"campaignId\":\"c\",\"userId\":\"u-ch\",\"timestamp\":\"" + TS
                                + "\",\"channels\":[" + "\"sms\",".repeat(40_000) + "\"sms\"]}")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "escapes-250k",
                event(
                                "big-18",
                                "u-fuzz-esc",
                                "Feature Used",
                                "{\"feature\":\"" + "\\ud800\\u0000\\\"".repeat(15_000) + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static String keys(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("\"k").append(i).append("\":").append(i);
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Seeds and mutations.

    /** The replay fixture's lines per input stream, good and bad: what the mutations start from. */
    public static Map<String, List<byte[]>> seeds() {
        Map<String, List<byte[]>> seeds = new LinkedHashMap<>();
        for (String stream : Streams.INPUTS) {
            List<byte[]> lines = new ArrayList<>();
            try (Stream<Path> files = Files.list(REPLAY_INPUT.resolve(stream))) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".jsonl") || n.endsWith(".jsonl.gz")) {
                        lines(f, n, true).forEach(l -> lines.add(l.bytes()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            seeds.put(stream, lines);
        }
        return seeds;
    }

    private static final ObjectMapper LENIENT = new ObjectMapper();

    private static final String[] NUMBERS = {
        "0",
        "-0",
        "-0.0",
        "1e400",
        "-1e400",
        "1e-400",
        "1180591620717411303424",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775809",
        "9007199254740993",
        "1.5",
        "1e999999999",
        "4.9e-325",
        "NaN",
        "Infinity",
        "-Infinity",
        "01",
        "1.",
        ".5",
        "+1",
        "0x1F"
    };
    private static final String[] TIMES = {
        "\"0001-01-01T00:00:00Z\"",
        "\"1969-12-31T23:59:59.999Z\"",
        "\"1970-01-01T00:00:00Z\"",
        "\"2199-12-31T23:59:59.999Z\"",
        "\"2200-01-01T00:00:00Z\"",
        "\"9999-12-31T23:59:59Z\"",
        "\"+10000-01-01T00:00:00Z\"",
        "\"2026-11-21T10:00:00\"",
        "\"2026-02-30T00:00:00Z\"",
        "\"2026-11-21T10:00:00+25:00\"",
        "\"2026-11-21T10:00:00[Europe/London]\"",
        "-1",
        "0",
        "7258118399999",
        "7258118400000",
        "9007199254740993",
        "9223372036854775808",
        "\"9007199254740993\"",
        "\"99999999999999999999\"",
        "\"\"",
        "1.0",
        "1e3"
    };
    private static final int[] BOMB_DEPTHS = {2, 10, 100, 997, 998, 999, 1000, 1001, 5000, 10_000};
    private static final byte[] INTERESTING_BYTES = {
        0x00,
        0x09,
        0x0A,
        0x0D,
        0x20,
        0x22,
        0x27,
        0x2C,
        0x3A,
        0x5B,
        0x5C,
        0x5D,
        0x7B,
        0x7D,
        0x7F,
        (byte) 0x80,
        (byte) 0xBF,
        (byte) 0xC0,
        (byte) 0xC3,
        (byte) 0xE2,
        (byte) 0xED,
        (byte) 0xEF,
        (byte) 0xF0,
        (byte) 0xF4,
        (byte) 0xF8,
        (byte) 0xFE,
        (byte) 0xFF
    };

    /** A random mutation of a seed: {@code ops} byte- or JSON-level changes, described in {@code log}. */
    public static byte[] mutate(byte[] seed, List<byte[]> otherSeeds, Random rnd, int ops, StringBuilder log) {
        byte[] b = seed;
        for (int i = 0; i < ops; i++) {
            b = rnd.nextInt(10) < 4 ? byteMutation(b, otherSeeds, rnd, log) : jsonMutation(b, rnd, log);
            log.append("; ");
        }
        return b;
    }

    static byte[] byteMutation(byte[] b, List<byte[]> otherSeeds, Random rnd, StringBuilder log) {
        int op = rnd.nextInt(7);
        if (b.length == 0 && op != 3 && op != 6) {
            op = 3;
        }
        switch (op) {
            case 0 -> {
                byte[] c = b.clone();
                int n = 1 + rnd.nextInt(8);
                for (int i = 0; i < n; i++) {
                    c[rnd.nextInt(c.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                log.append("flip ").append(n).append(" bits");
                return c;
            }
            case 1 -> {
                byte[] c = b.clone();
                int n = 1 + rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    c[rnd.nextInt(c.length)] = INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                }
                log.append("set ").append(n).append(" bytes");
                return c;
            }
            case 2 -> {
                int at = rnd.nextInt(b.length);
                log.append("truncate at ").append(at);
                return Arrays.copyOf(b, at);
            }
            case 3 -> {
                int at = b.length == 0 ? 0 : rnd.nextInt(b.length + 1);
                byte[] ins = new byte[1 + rnd.nextInt(16)];
                for (int i = 0; i < ins.length; i++) {
                    ins[i] = rnd.nextBoolean()
                            ? INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)]
                            : (byte) rnd.nextInt(256);
                }
                log.append("insert ").append(ins.length).append(" bytes at ").append(at);
                return splice(b, at, at, ins);
            }
            case 4 -> {
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(32));
                log.append("delete ").append(from).append("..").append(to);
                return splice(b, from, to, new byte[0]);
            }
            case 5 -> {
                int from = rnd.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + rnd.nextInt(64));
                int at = rnd.nextInt(b.length + 1);
                log.append("repeat ")
                        .append(from)
                        .append("..")
                        .append(to)
                        .append(" at ")
                        .append(at);
                return splice(b, at, at, Arrays.copyOfRange(b, from, to));
            }
            default -> {
                byte[] other = otherSeeds.get(rnd.nextInt(otherSeeds.size()));
                int cut = b.length == 0 ? 0 : rnd.nextInt(b.length);
                int otherCut = other.length == 0 ? 0 : rnd.nextInt(other.length);
                log.append("splice with another record at ").append(cut);
                return splice(Arrays.copyOf(b, cut), cut, cut, Arrays.copyOfRange(other, otherCut, other.length));
            }
        }
    }

    private static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + insert.length);
        out.write(b, 0, from);
        out.write(insert, 0, insert.length);
        out.write(b, to, b.length - to);
        return out.toByteArray();
    }

    static byte[] jsonMutation(byte[] b, Random rnd, StringBuilder log) {
        Object tree;
        try {
            tree = model(LENIENT.readTree(b));
        } catch (IOException | RuntimeException e) {
            tree = null;
        }
        if (tree == null) {
            log.append("(not JSON) ");
            return byteMutation(b, List.of(b), rnd, log);
        }
        int op = rnd.nextInt(12);
        boolean cesu = false;
        switch (op) {
            case 0 -> deleteMember(tree, rnd, log);
            case 1, 2 -> replaceValue(tree, rnd, log, randomValue(rnd));
            case 3 -> replaceValue(tree, rnd, log, new Raw(jsonString(randomUnicode(rnd), rnd.nextInt(4) == 0)));
            case 4 -> duplicateKey(tree, rnd, log);
            case 5 -> replaceValue(tree, rnd, log, new Raw(bomb(rnd)));
            case 6 -> replaceNamed(tree, "timestamp", new Raw(TIMES[rnd.nextInt(TIMES.length)]), log);
            case 7 -> replaceNamed(tree, numericField(rnd), new Raw(NUMBERS[rnd.nextInt(NUMBERS.length)]), log);
            case 8 -> addMember(tree, rnd, log);
            case 9 -> {
                cesu = true;
                replaceValue(tree, rnd, log, randomUnicode(rnd));
                log.append(" (raw surrogate bytes)");
            }
            case 10 -> {
                String text = rnd.nextBoolean()
                        ? ("call 0044 " + "1 ".repeat(rnd.nextInt(3000)))
                        : ("x@" + "a.".repeat(rnd.nextInt(3000)));
                replaceNamed(
                        tree,
                        rnd.nextBoolean() ? "properties" : "offer",
                        new Raw("{\"text\":" + jsonString(text, false) + ",\"reason\":" + jsonString(text, false)
                                + "}"),
                        log);
            }
            default -> {
                byte[] out = write(tree, false);
                int kind = rnd.nextInt(4);
                log.append("encoding ").append(kind);
                return switch (kind) {
                    case 0 -> splice(out, 0, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
                    case 1 -> utf16(new String(out, StandardCharsets.UTF_8), rnd.nextBoolean());
                    case 2 ->
                        (" \t" + new String(out, StandardCharsets.UTF_8) + " \r").getBytes(StandardCharsets.UTF_8);
                    default -> splice(out, out.length, out.length, out); // two records on one line
                };
            }
        }
        return write(tree, cesu);
    }

    private static byte[] utf16(String s, boolean bigEndian) {
        byte[] bom = bigEndian ? new byte[] {(byte) 0xFE, (byte) 0xFF} : new byte[] {(byte) 0xFF, (byte) 0xFE};
        return splice(s.getBytes(bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE), 0, 0, bom);
    }

    private static String numericField(Random rnd) {
        String[] f = {"attempts", "durationMs", "score", "revenue", "mrr", "timestamp", "notAfter", "discountPct"};
        return f[rnd.nextInt(f.length)];
    }

    private static String bomb(Random rnd) {
        int depth = BOMB_DEPTHS[rnd.nextInt(BOMB_DEPTHS.length)];
        boolean arrays = rnd.nextBoolean();
        boolean closed = rnd.nextInt(5) != 0;
        return (arrays ? "[" : "{\"a\":").repeat(depth) + "1" + (closed ? (arrays ? "]" : "}").repeat(depth) : "");
    }

    private static Object randomValue(Random rnd) {
        return switch (rnd.nextInt(11)) {
            case 0 -> new Raw(NUMBERS[rnd.nextInt(NUMBERS.length)]);
            case 1 -> new Raw(rnd.nextBoolean() ? "true" : "false");
            case 2 -> new Raw("null");
            case 3 -> new Arr(new ArrayList<>());
            case 4 -> new Arr(new ArrayList<>(List.of("x", new Raw("1"), new Raw("null"))));
            case 5 -> new Obj(new ArrayList<>());
            case 6 -> new Obj(new ArrayList<>(List.of(new Member("a", new Raw("1")))));
            case 7 -> "";
            case 8 -> String.valueOf(rnd.nextLong());
            case 9 -> "x".repeat(rnd.nextBoolean() ? 256 : 257);
            default -> randomUnicode(rnd);
        };
    }

    /** Random text over every kind of character: controls, NUL, surrogates alone and paired, BOMs, RTL marks. */
    public static String randomUnicode(Random rnd) {
        int n = rnd.nextInt(8) == 0 ? 200 + rnd.nextInt(200) : rnd.nextInt(24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> sb.append((char) rnd.nextInt(0x20));
                case 1 -> sb.append((char) (0xD800 + rnd.nextInt(0x400))); // lone high
                case 2 -> sb.append((char) (0xDC00 + rnd.nextInt(0x400))); // lone low
                case 3 -> sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000));
                case 4 -> sb.append("\uFEFF\uFFFE\uFFFF\u202E\u2028\u0000".charAt(rnd.nextInt(6)));
                case 5 -> sb.append((char) (0x80 + rnd.nextInt(0x780)));
                case 6 -> sb.append((char) rnd.nextInt(0xD800));
                case 7 -> sb.append("\"\\/@+-.0123456789".charAt(rnd.nextInt(17)));
                default -> sb.append((char) (0x20 + rnd.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    // A JSON model that can hold what Jackson's tree cannot: duplicate keys and verbatim tokens.

    record Raw(String text) {}

    record Member(String key, Object value) {}

    record Obj(List<Member> members) {}

    record Arr(List<Object> items) {}

    static Object model(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return null;
        }
        if (n.isObject()) {
            List<Member> members = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                members.add(new Member(e.getKey(), model(e.getValue())));
            }
            return new Obj(members);
        }
        if (n.isArray()) {
            List<Object> items = new ArrayList<>();
            n.forEach(x -> items.add(model(x)));
            return new Arr(items);
        }
        return n.isTextual() ? n.textValue() : new Raw(n.toString());
    }

    /** Every object and array in the tree, the root first. */
    private static List<Object> containers(Object tree) {
        List<Object> out = new ArrayList<>();
        collect(tree, out);
        return out;
    }

    private static void collect(Object node, List<Object> out) {
        if (node instanceof Obj o) {
            out.add(o);
            o.members().forEach(m -> collect(m.value(), out));
        } else if (node instanceof Arr a) {
            out.add(a);
            a.items().forEach(x -> collect(x, out));
        }
    }

    private static void deleteMember(Object tree, Random rnd, StringBuilder log) {
        List<Object> objs = containers(tree).stream()
                .filter(c -> c instanceof Obj o && !o.members().isEmpty())
                .toList();
        if (objs.isEmpty()) {
            log.append("nothing to delete");
            return;
        }
        Obj o = (Obj) objs.get(rnd.nextInt(objs.size()));
        Member m = o.members().remove(rnd.nextInt(o.members().size()));
        log.append("delete ").append(m.key());
    }

    private static void replaceValue(Object tree, Random rnd, StringBuilder log, Object value) {
        List<Object> cs = containers(tree).stream()
                .filter(c -> c instanceof Obj o
                        ? !o.members().isEmpty()
                        : !((Arr) c).items().isEmpty())
                .toList();
        if (cs.isEmpty()) {
            log.append("nothing to replace");
            return;
        }
        Object c = cs.get(rnd.nextInt(cs.size()));
        if (c instanceof Obj o) {
            int i = rnd.nextInt(o.members().size());
            log.append("replace ").append(o.members().get(i).key());
            o.members().set(i, new Member(o.members().get(i).key(), value));
        } else {
            List<Object> items = ((Arr) c).items();
            int i = rnd.nextInt(items.size());
            log.append("replace item ").append(i);
            items.set(i, value);
        }
        log.append(" with ").append(abbreviate(value));
    }

    /** Sets a member of that name wherever it occurs (or at the root when it occurs nowhere). */
    private static void replaceNamed(Object tree, String key, Object value, StringBuilder log) {
        boolean found = false;
        for (Object c : containers(tree)) {
            if (c instanceof Obj o) {
                for (int i = 0; i < o.members().size(); i++) {
                    if (o.members().get(i).key().equals(key)) {
                        o.members().set(i, new Member(key, value));
                        found = true;
                    }
                }
            }
        }
        if (!found && tree instanceof Obj root) {
            root.members().add(new Member(key, value));
        }
        log.append("set ").append(key).append(" to ").append(abbreviate(value));
    }

    private static void duplicateKey(Object tree, Random rnd, StringBuilder log) {
        List<Object> objs = containers(tree).stream()
                .filter(c -> c instanceof Obj o && !o.members().isEmpty())
                .toList();
        if (objs.isEmpty()) {
            log.append("no key to duplicate");
            return;
        }
        Obj o = (Obj) objs.get(rnd.nextInt(objs.size()));
        Member m = o.members().get(rnd.nextInt(o.members().size()));
        Object value = rnd.nextBoolean() ? m.value() : randomValue(rnd);
        o.members().add(rnd.nextInt(o.members().size() + 1), new Member(m.key(), value));
        log.append("duplicate key ").append(m.key());
    }

    private static void addMember(Object tree, Random rnd, StringBuilder log) {
        List<Object> objs =
                containers(tree).stream().filter(c -> c instanceof Obj).toList();
        if (objs.isEmpty()) {
            log.append("no object");
            return;
        }
        Obj o = (Obj) objs.get(rnd.nextInt(objs.size()));
        String[] names = {
            "userId",
            "anonymousId",
            "messageId",
            "requestId",
            "type",
            "event",
            "name",
            "properties",
            "traits",
            "context",
            "timezone",
            "locale",
            "consent",
            "email",
            "phone",
            "channels",
            "offer",
            "notAfter",
            "category",
            "text",
            "reason",
            "comment",
            "tier",
            "plan",
            randomUnicode(rnd)
        };
        String key = names[rnd.nextInt(names.length)];
        o.members().add(new Member(key, randomValue(rnd)));
        log.append("add ").append(abbreviate(key));
    }

    private static String abbreviate(Object v) {
        String s = v instanceof Raw r ? r.text() : v instanceof String str ? jsonString(str, false) : v.toString();
        return s.length() > 40 ? s.substring(0, 40) + "…(" + s.length() + ")" : s;
    }

    /** A JSON string literal; controls and unpaired surrogates escaped, and all non-ASCII too when asked. */
    static String jsonString(String s, boolean escapeAllNonAscii) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                            || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (Character.isSurrogate(c) && !paired) || (escapeAllNonAscii && c > 0x7E)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    static byte[] write(Object tree, boolean rawSurrogates) {
        StringBuilder sb = new StringBuilder();
        render(tree, sb, rawSurrogates);
        return rawSurrogates ? cesu(sb) : sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void render(Object node, StringBuilder sb, boolean rawSurrogates) {
        if (node instanceof Obj o) {
            sb.append('{');
            for (int i = 0; i < o.members().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(jsonString(o.members().get(i).key(), false)).append(':');
                render(o.members().get(i).value(), sb, rawSurrogates);
            }
            sb.append('}');
        } else if (node instanceof Arr a) {
            sb.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                render(a.items().get(i), sb, rawSurrogates);
            }
            sb.append(']');
        } else if (node instanceof Raw r) {
            sb.append(r.text());
        } else if (node instanceof String s) {
            sb.append(rawSurrogates ? rawString(s) : jsonString(s, false));
        } else {
            sb.append("null");
        }
    }

    private static String rawString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** UTF-8, except that each unpaired surrogate is written as its own three bytes (invalid UTF-8). */
    private static byte[] cesu(CharSequence s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.writeBytes(new String(new char[] {c, s.charAt(i + 1)}).getBytes(StandardCharsets.UTF_8));
                i++;
            } else if (Character.isSurrogate(c)) {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
