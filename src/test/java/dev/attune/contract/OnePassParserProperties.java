package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.attune.contract.FuzzInputs.Arr;
import dev.attune.contract.FuzzInputs.Member;
import dev.attune.contract.FuzzInputs.Obj;
import dev.attune.contract.FuzzInputs.Raw;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The one-pass parser against the reference path: for every input, where the one pass answers, its
 * answer is the reference's, field for field (record and dead letter). Valid records of every type
 * and stream, written every way JSON allows, must be answered by the one pass; mutations of them
 * (missing fields, wrong types, extra members, nulls, bad times, huge numbers, unicode, escapes,
 * BOMs, duplicate keys, truncation, nested junk, bytes that are not UTF-8) and the fuzz corpus may
 * be left to the reference, never answered differently.
 */
class OnePassParserProperties {
    private static final AtomicLong ANSWERED = new AtomicLong();
    private static final AtomicLong LEFT = new AtomicLong();

    private static final long MIN = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();
    private static final long MAX = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli() - 1;
    private static final long LIVE_CLOCK = Instant.parse("2026-11-15T00:00:00Z").toEpochMilli();

    private static final String[] TYPES = {"track", "page", "screen", "identify", "alias"};
    private static final String[] CHANNELS = {"sms", "whatsapp", "email", "voice", "push", "in_app"};
    private static final String[] TEXT_KEYS = {
        "name",
        "feature",
        "kind",
        "code",
        "text",
        "comment",
        "reason",
        "message",
        "priority",
        "scale",
        "currency",
        "plan",
        "channel",
        "sendId",
        "campaignId",
        "bounceType",
        "type",
        "tier"
    };
    private static final String[] NUMBER_KEYS = {"attempts", "durationMs", "score", "revenue", "mrr"};
    private static final String[] ZONES = {
        "Europe/Berlin", "UTC", "America/New_York", "+02:00", "Z", "EST", "Mars/Olympus", "", "GMT+1", "Asia/Kolkata"
    };
    private static final String[] LOCALES = {
        "en-US",
        "en_US",
        "de",
        "fr-FR",
        "zz",
        "123",
        "en-US-x-private",
        "i-klingon",
        "",
        "sr-Latn-RS",
        " en-GB ",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "es_419",
        "en--US"
    };
    private static final String[] TEXTS = {
        "I cannot log in",
        "call me at +44 7700 900123 or a.b@example.com",
        "john dot doe at gmail dot com",
        "Ça ne marche pas 😡 — encore!",
        "tab\there \"quoted\" back\\slash /slash",
        "line\nbreak\u2028sep",
        "売り切れ",
        "null"
    };
    private static final String[] PLAIN_NUMBERS = {
        "0",
        "-0",
        "7",
        "-12",
        "2147483648",
        "9223372036854775807",
        "-9223372036854775808",
        "12.50",
        "-3.0",
        "0.000",
        "1.5",
        "99999.999999999999999",
        "0.1",
        "123456789.123456789"
    };
    private static final String[] NUMERIC_TEXTS = {" 42 ", "1e3", "NaN", "Infinity", "abc", "", "-7.5", "0x10"};
    private static final String[] JUNK = {
        "1e999999999",
        "1E-20000",
        "-1e10001",
        "1.0E+5",
        "1e2",
        "123456789012345678901234567890",
        "9223372036854775808",
        "-0.0",
        "true",
        "false",
        "null",
        "[]",
        "{}",
        "[null]",
        "{\"a\":null}",
        "\"\"",
        "\"x\"",
        "[1,[2,{\"b\":1.5e3}]]",
        "1" + "0".repeat(1200) + ".5",
        "0." + "0".repeat(20_000) + "1"
    };
    private static final String[] BAD_TIMES = {
        "\"2026-13-01T00:00:00Z\"",
        "\"2026-11-01T00:00:00\"",
        "\"yesterday\"",
        "-1",
        "1e12",
        "1700000000000.0",
        "99999999999999999999",
        "\"\"",
        "\"2200-01-01T00:00:00Z\"",
        "\"1969-12-31T23:59:59.999Z\"",
        "true",
        "{}",
        "[]",
        "\"2026-02-29T00:00:00Z\"",
        "\"2026-11-01T24:00:00Z\"",
        "\"2026-11-01T00:00:00.1234567890Z\"",
        "\"2026-11-01T00:00:00+25:00\"",
        "\"99999999999999999999\"",
        "7258118400000",
        "\"7258118399999\""
    };

    // ---------------------------------------------------------------------------------------------

    /** Every valid record the generator writes is answered by the one pass, as the reference answers it. */
    @Property(tries = 3000)
    void validRecordsTakeTheOnePassAndMatchTheReference(@ForAll long seed) {
        Random rnd = new Random(seed);
        String stream = Streams.INPUTS.get(rnd.nextInt(3));
        Obj record = valid(stream, rnd);
        byte[] bytes = render(record, rnd);
        if (rnd.nextInt(10) == 0) {
            bytes = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes);
        }
        String label = "seed " + seed + " " + stream + ": " + show(bytes);
        Inbound ref = RecordParser.reference(stream, "f:1", bytes, Long.MAX_VALUE);
        assertThat(ref.record)
                .as("the reference takes " + label + " (" + ref.deadLetter + ")")
                .isNotNull();
        Inbound fast = OnePassParser.parse(stream, "f:1", bytes, Long.MAX_VALUE);
        assertThat(fast).as("the one pass answers " + label).isNotNull();
        assertSame(fast, ref, label);
        assertSame(RecordParser.parse(stream, "f:1", bytes), ref, label);
    }

    /** Mutated records, given as every stream, live and not: wherever the one pass answers, it matches. */
    @Property(tries = 4000)
    void mutatedRecordsMatchTheReferenceWhereverTheOnePassAnswers(@ForAll long seed) {
        Random rnd = new Random(seed);
        String origin = Streams.INPUTS.get(rnd.nextInt(3));
        Obj record = valid(origin, rnd);
        StringBuilder log = new StringBuilder();
        int ops = 1 + rnd.nextInt(3);
        for (int i = 0; i < ops; i++) {
            mutateTree(record, origin, rnd, log);
        }
        byte[] bytes = render(record, rnd);
        if (rnd.nextInt(4) == 0) {
            bytes = mutateBytes(bytes, rnd, log);
        }
        long latest = rnd.nextInt(4) == 0 ? LIVE_CLOCK : Long.MAX_VALUE;
        for (String stream : Streams.INPUTS) {
            check(stream, bytes, latest, "seed " + seed + " " + origin + " [" + log + "] as " + stream);
        }
    }

    /** The fuzz corpus, the replay fixture and the records too big to commit, as every stream. */
    @Example
    void corpusAndFixtureMatchTheReference() {
        int lines = 0;
        int answered = 0;
        List<Path> files = new ArrayList<>(FuzzInputs.corpusFiles());
        for (Path file : files) {
            for (FuzzInputs.Line line :
                    FuzzInputs.lines(file, file.getFileName().toString(), false)) {
                lines++;
                for (String stream : Streams.INPUTS) {
                    answered += check(stream, line.bytes(), Long.MAX_VALUE, "corpus " + line.label()) ? 1 : 0;
                    check(stream, line.bytes(), LIVE_CLOCK, "corpus " + line.label() + " live");
                }
            }
        }
        for (Map.Entry<String, List<byte[]>> e : FuzzInputs.seeds().entrySet()) {
            int n = 0;
            for (byte[] b : e.getValue()) {
                lines++;
                for (String stream : Streams.INPUTS) {
                    boolean took =
                            check(stream, b, Long.MAX_VALUE, "fixture " + e.getKey() + " #" + n + " as " + stream);
                    answered += took ? 1 : 0;
                }
                n++;
            }
        }
        for (Map.Entry<String, byte[]> e : FuzzInputs.bigRecords().entrySet()) {
            for (String stream : Streams.INPUTS) {
                check(stream, e.getValue(), Long.MAX_VALUE, "big " + e.getKey());
            }
        }
        assertThat(lines).isGreaterThan(500);
        assertThat(answered).as("inputs the one pass answered").isGreaterThan(100);
    }

    /** Examples whose answer is known: what the one pass must leave to the reference. */
    @Example
    void leavesToTheReferenceWhatItCannotProve() {
        String base = "{\"type\":\"track\",\"event\":\"E\",\"userId\":\"u\",\"messageId\":\"m\","
                + "\"timestamp\":\"2026-11-01T00:00:00Z\"";
        assertThat(OnePassParser.parse(Streams.USER_EVENTS, "p", (base + "}").getBytes(StandardCharsets.UTF_8), 0))
                .as("a future time")
                .isNull();
        for (String tail : List.of(
                ",\"properties\":{\"code\":1.5}}", // a float read as text
                ",\"x\":1e2}", // an exponent anywhere
                ",\"userId\":\"v\"}", // a duplicate key
                ",\"properties\":[]}", // a wrong type
                "} {}", // a trailing token
                ",\"traits\":{\"phone\":12345678901234567890123}}")) { // an integer beyond a long
            byte[] b = (base + tail).getBytes(StandardCharsets.UTF_8);
            assertThat(OnePassParser.parse(Streams.USER_EVENTS, "p", b, Long.MAX_VALUE))
                    .as(base + tail)
                    .isNull();
            check(Streams.USER_EVENTS, b, Long.MAX_VALUE, base + tail);
        }
        // "{" then "\"" as UTF-16 (NUL bytes): Jackson would detect UTF-16 in bytes, the reference reads ASCII.
        byte[] utf16 = (base + "}").getBytes(StandardCharsets.UTF_16BE);
        assertThat(OnePassParser.parse(Streams.USER_EVENTS, "p", utf16, Long.MAX_VALUE))
                .isNull();
        assertThat(RecordParser.parse(Streams.USER_EVENTS, "p", utf16).deadLetter.code)
                .isEqualTo(RecordParser.NOT_JSON);
    }

    @AfterContainer
    static void printCounts() {
        System.out.println("OnePassParserProperties: the one pass answered " + ANSWERED.get() + " inputs and left "
                + LEFT.get() + " to the reference");
    }

    // ---------------------------------------------------------------------------------------------

    /** Both paths on one input; true where the one pass answered. */
    static boolean check(String stream, byte[] bytes, long latestAllowed, String label) {
        Inbound ref = RecordParser.reference(stream, "f:7", bytes, latestAllowed);
        Inbound fast = OnePassParser.parse(stream, "f:7", bytes, latestAllowed);
        if (fast == null) {
            LEFT.incrementAndGet();
            return false;
        }
        ANSWERED.incrementAndGet();
        assertSame(fast, ref, label + ": " + show(bytes));
        return true;
    }

    static void assertSame(Inbound fast, Inbound ref, String label) {
        assertThat(fast.record == null).as("record present? " + label).isEqualTo(ref.record == null);
        assertThat(fast.deadLetter == null)
                .as("dead letter present? " + label + " (reference: " + ref.deadLetter + ")")
                .isEqualTo(ref.deadLetter == null);
        if (ref.record != null) {
            sameFields(fast.record, ref.record, label);
        }
        if (ref.deadLetter != null) {
            sameFields(fast.deadLetter, ref.deadLetter, label);
        }
    }

    /** Every public instance field equal; doubles compared bit for bit apart from NaN's payload. */
    static void sameFields(Object a, Object b, String label) {
        assertThat(a.getClass()).isEqualTo(b.getClass());
        for (Field f : a.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object x = f.get(a);
                Object y = f.get(b);
                boolean same = x instanceof Double dx && y instanceof Double dy
                        ? Double.compare(dx, dy) == 0
                        : Objects.equals(x, y);
                if (!same) {
                    fail(f.getName() + ": one pass " + x + ", reference " + y + " for " + label);
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Valid records.

    static Obj valid(String stream, Random rnd) {
        List<Member> m = new ArrayList<>();
        long time = time(rnd);
        if (Streams.CAMPAIGN_REQUESTS.equals(stream)) {
            m.add(new Member("requestId", id(rnd)));
            m.add(new Member("campaignId", id(rnd)));
            m.add(new Member("userId", id(rnd)));
            m.add(new Member("timestamp", timeValue(time, rnd)));
            if (rnd.nextBoolean()) {
                String[] c = {"promotional", "transactional", "service"};
                m.add(new Member("category", rnd.nextInt(5) == 0 ? new Raw("null") : c[rnd.nextInt(3)]));
            }
            if (rnd.nextInt(4) != 0) {
                List<String> all = new ArrayList<>(Arrays.asList(CHANNELS));
                Collections.shuffle(all, rnd);
                m.add(new Member("channels", new Arr(new ArrayList<>(all.subList(0, 1 + rnd.nextInt(all.size()))))));
            }
            if (rnd.nextInt(4) != 0) {
                m.add(new Member(
                        "offer", rnd.nextInt(20) == 0 ? nested(rnd.nextBoolean() ? 31 : 32) : junkObject(rnd, 3)));
            }
            if (rnd.nextInt(3) == 0) {
                m.add(new Member("notAfter", timeValue(time(rnd), rnd)));
            }
        } else {
            String type = TYPES[rnd.nextInt(TYPES.length)];
            m.add(new Member("type", type));
            m.add(new Member("messageId", id(rnd)));
            boolean user = "alias".equals(type) || rnd.nextInt(4) != 0;
            if (user) {
                m.add(new Member("userId", id(rnd)));
            }
            if (!user || rnd.nextInt(3) == 0) {
                m.add(new Member(
                        "anonymousId",
                        rnd.nextInt(5) == 0 && user ? ((String) m.get(2).value()) : id(rnd)));
            }
            if ("alias".equals(type)) {
                m.add(new Member("previousId", id(rnd)));
            }
            if ("track".equals(type) || rnd.nextInt(6) == 0) {
                m.add(new Member("event", rnd.nextBoolean() ? "Message Bounced" : id(rnd)));
            }
            if (rnd.nextInt(3) == 0) {
                m.add(new Member("name", rnd.nextInt(4) == 0 ? new Raw("null") : word(rnd)));
            }
            m.add(new Member("timestamp", timeValue(time, rnd)));
            if (rnd.nextInt(6) == 0) {
                m.add(new Member("notAfter", timeValue(time(rnd), rnd)));
            }
            if (rnd.nextInt(5) != 0) {
                m.add(new Member("properties", properties(stream, rnd)));
            }
            if (rnd.nextInt(3) == 0) {
                m.add(new Member("traits", traits(rnd)));
            }
            if (rnd.nextInt(3) == 0) {
                m.add(new Member("context", context(rnd)));
            }
        }
        if (rnd.nextInt(3) == 0) {
            m.add(new Member("sentAt", Times.format(time)));
        }
        if (rnd.nextInt(4) == 0) {
            m.add(new Member("integrations", junkObject(rnd, 2)));
        }
        if (rnd.nextInt(6) == 0) {
            m.add(new Member("version", new Raw(PLAIN_NUMBERS[rnd.nextInt(PLAIN_NUMBERS.length)])));
        }
        if (rnd.nextInt(8) == 0) {
            m.add(new Member("nothing", new Raw("null")));
        }
        Collections.shuffle(m, rnd);
        return new Obj(m);
    }

    private static Obj properties(String stream, Random rnd) {
        List<Member> m = new ArrayList<>();
        int n = rnd.nextInt(8);
        for (int i = 0; i < n; i++) {
            if (rnd.nextBoolean()) {
                m.add(new Member(TEXT_KEYS[rnd.nextInt(TEXT_KEYS.length)], textValue(rnd)));
            } else {
                m.add(new Member(NUMBER_KEYS[rnd.nextInt(NUMBER_KEYS.length)], numberValue(rnd)));
            }
        }
        if (rnd.nextInt(4) == 0) {
            m.add(new Member("extra", junkValue(rnd, 2)));
        }
        dedupe(m);
        if (Streams.ENGAGEMENT_EVENTS.equals(stream)) {
            // The engagement schema types these three as strings.
            m.replaceAll(x -> switch (x.key()) {
                case "channel" -> new Member("channel", rnd.nextBoolean() ? CHANNELS[rnd.nextInt(6)] : word(rnd));
                case "sendId", "campaignId" -> new Member(x.key(), rnd.nextInt(8) == 0 ? "" : id(rnd));
                default -> x;
            });
        }
        return new Obj(m);
    }

    private static Obj traits(Random rnd) {
        List<Member> m = new ArrayList<>();
        if (rnd.nextBoolean()) m.add(new Member("timezone", ZONES[rnd.nextInt(ZONES.length)]));
        if (rnd.nextBoolean()) m.add(new Member("locale", LOCALES[rnd.nextInt(LOCALES.length)]));
        if (rnd.nextBoolean()) m.add(new Member("tier", rnd.nextInt(5) == 0 ? textValue(rnd) : "premium"));
        if (rnd.nextBoolean()) m.add(new Member("segment", textValue(rnd)));
        if (rnd.nextBoolean()) m.add(new Member("email", rnd.nextInt(4) == 0 ? textValue(rnd) : "a@example.com"));
        if (rnd.nextBoolean()) m.add(new Member("phone", rnd.nextInt(4) == 0 ? textValue(rnd) : "+44 7700 900123"));
        if (rnd.nextBoolean()) {
            List<Member> c = new ArrayList<>();
            String[] keys = {"sms", "whatsapp", "email", "voice", "push", "in_app", "fax", "SMS"};
            int n = rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                int v = rnd.nextInt(8);
                Object value =
                        v < 3 ? new Raw("true") : v < 6 ? new Raw("false") : v == 6 ? new Raw("null") : textValue(rnd);
                c.add(new Member(keys[rnd.nextInt(keys.length)], value));
            }
            dedupe(c);
            m.add(new Member("consent", rnd.nextInt(10) == 0 ? junkValue(rnd, 1) : new Obj(c)));
        }
        if (rnd.nextInt(3) == 0) m.add(new Member("address", junkObject(rnd, 2)));
        Collections.shuffle(m, rnd);
        return new Obj(m);
    }

    private static Obj context(Random rnd) {
        List<Member> m = new ArrayList<>();
        if (rnd.nextBoolean()) m.add(new Member("timezone", ZONES[rnd.nextInt(ZONES.length)]));
        if (rnd.nextBoolean()) m.add(new Member("locale", LOCALES[rnd.nextInt(LOCALES.length)]));
        if (rnd.nextBoolean()) m.add(new Member("channel", rnd.nextBoolean() ? CHANNELS[rnd.nextInt(6)] : word(rnd)));
        if (rnd.nextBoolean()) m.add(new Member("ip", "192.0.2.1"));
        if (rnd.nextBoolean()) m.add(new Member("library", junkObject(rnd, 2)));
        if (rnd.nextInt(5) == 0) m.add(new Member("timezone2", new Raw("null")));
        Collections.shuffle(m, rnd);
        return new Obj(m);
    }

    /** A value the reference reads as text: a string, an integer, a boolean, a structure or null. */
    private static Object textValue(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> new Raw(PLAIN_NUMBERS[rnd.nextInt(7)]); // integers only: a float as text is left
            case 1 -> new Raw(rnd.nextBoolean() ? "true" : "false");
            case 2 -> new Raw("null");
            case 3 -> rnd.nextBoolean() ? junkObject(rnd, 2) : new Arr(new ArrayList<>(List.of(junkValue(rnd, 1))));
            case 4, 5 -> TEXTS[rnd.nextInt(TEXTS.length)];
            case 6 -> unicodeText(rnd);
            default -> word(rnd);
        };
    }

    private static Object numberValue(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0, 1, 2, 3 -> new Raw(PLAIN_NUMBERS[rnd.nextInt(PLAIN_NUMBERS.length)]);
            case 4 -> NUMERIC_TEXTS[rnd.nextInt(NUMERIC_TEXTS.length)];
            case 5 -> new Raw(rnd.nextBoolean() ? "true" : "null");
            case 6 -> junkValue(rnd, 1);
            default -> String.valueOf(rnd.nextInt(100_000));
        };
    }

    /** Well-formed text (no unpaired surrogates), some of it beyond ASCII. */
    private static String unicodeText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            switch (rnd.nextInt(6)) {
                case 0 -> sb.appendCodePoint(0x10000 + rnd.nextInt(0x10000));
                case 1 -> sb.append((char) (0xA0 + rnd.nextInt(0x700)));
                case 2 -> sb.append((char) rnd.nextInt(0x20));
                case 3 -> sb.append("\"\\/@+-. \uFEFF\u2028".charAt(rnd.nextInt(10)));
                default -> sb.append((char) (0x20 + rnd.nextInt(0x5F)));
            }
        }
        return sb.toString();
    }

    /** Unconstrained structure: objects and arrays of plain values, with nulls in both. */
    private static Object junkValue(Random rnd, int depth) {
        int k = rnd.nextInt(depth > 0 ? 9 : 6);
        return switch (k) {
            case 0 -> new Raw(PLAIN_NUMBERS[rnd.nextInt(PLAIN_NUMBERS.length)]);
            case 1 -> new Raw(rnd.nextBoolean() ? "true" : "false");
            case 2 -> new Raw("null");
            case 3 -> word(rnd);
            case 4 -> unicodeText(rnd);
            case 5 -> "";
            case 6, 7 -> junkObject(rnd, depth - 1);
            default -> {
                List<Object> items = new ArrayList<>();
                int n = rnd.nextInt(4);
                for (int i = 0; i < n; i++) {
                    items.add(junkValue(rnd, depth - 1));
                }
                yield new Arr(items);
            }
        };
    }

    private static Obj junkObject(Random rnd, int depth) {
        List<Member> m = new ArrayList<>();
        int n = rnd.nextInt(5);
        for (int i = 0; i < n; i++) {
            m.add(new Member(rnd.nextInt(5) == 0 ? unicodeText(rnd) : word(rnd), junkValue(rnd, Math.max(0, depth))));
        }
        dedupe(m);
        return new Obj(m);
    }

    private static Obj nested(int depth) {
        Object v = new Raw("1");
        for (int i = 0; i < depth; i++) {
            v = new Obj(new ArrayList<>(List.of(new Member("a", v))));
        }
        return (Obj) v;
    }

    private static void dedupe(List<Member> m) {
        List<String> seen = new ArrayList<>();
        m.removeIf(x -> {
            if (seen.contains(x.key())) {
                return true;
            }
            seen.add(x.key());
            return false;
        });
    }

    private static String word(Random rnd) {
        String[] w = {"home", "checkout", "Message Bounced", "hard", "soft", "promo", "x", "Payment Failed", "a b"};
        return w[rnd.nextInt(w.length)];
    }

    private static String id(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0 -> "x".repeat(256);
            case 1 -> "ü" + rnd.nextInt(1000) + "😀";
            case 2 -> "id with \"quotes\" and \\ and \t";
            case 3 -> "a";
            default -> "user-" + String.format("%06d", rnd.nextInt(1_000_000));
        };
    }

    private static long time(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> MIN + rnd.nextInt(1000);
            case 1 -> MAX - rnd.nextInt(1000);
            default -> Instant.parse("2026-11-01T00:00:00Z").toEpochMilli() + rnd.nextInt(1_000_000_000);
        };
    }

    /** A valid way of writing an instant: ISO-8601 of several shapes, or epoch millis as a number or text. */
    private static Object timeValue(long ms, Random rnd) {
        Instant i = Instant.ofEpochMilli(ms);
        return switch (rnd.nextInt(9)) {
            case 0 -> new Raw(Long.toString(ms));
            case 1 -> Long.toString(ms);
            case 2 -> i.atOffset(ZoneOffset.ofHoursMinutes(5, 30)).toString();
            case 3 -> i.atOffset(ZoneOffset.ofHours(-8)).toString();
            case 4 -> i.toString(); // millis dropped where zero
            case 5 -> Times.format(ms).replace("Z", "123456Z");
            case 6 -> i.atZone(java.time.ZoneId.of("Europe/Paris")).toString();
            default -> Times.format(ms);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Mutations.

    static void mutateTree(Obj root, String stream, Random rnd, StringBuilder log) {
        List<Obj> objects = new ArrayList<>();
        collect(root, objects);
        Obj target = objects.get(rnd.nextInt(objects.size()));
        int op = rnd.nextInt(13);
        log.append(op).append(' ');
        switch (op) {
            case 0 -> { // a member gone, most often a top-level (required) one
                Obj o = rnd.nextBoolean() ? root : target;
                if (!o.members().isEmpty()) {
                    log.append("remove ")
                            .append(o.members()
                                    .remove(rnd.nextInt(o.members().size()))
                                    .key());
                }
            }
            case 1 -> set(target, rnd, new Raw(JUNK[rnd.nextInt(JUNK.length)]), log); // wrong type
            case 2 -> target.members().add(new Member(word(rnd), junkValue(rnd, 3))); // extra member
            case 3 -> set(target, rnd, new Raw("null"), log);
            case 4 -> {
                String key = rnd.nextInt(4) == 0 ? "notAfter" : "timestamp";
                root.members().removeIf(x -> x.key().equals(key));
                root.members().add(new Member(key, new Raw(BAD_TIMES[rnd.nextInt(BAD_TIMES.length)])));
                log.append("time ").append(key);
            }
            case 5 -> target.members().add(new Member("n" + rnd.nextInt(3), new Raw(JUNK[rnd.nextInt(6)])));
            case 6 -> set(target, rnd, FuzzInputs.randomUnicode(rnd), log);
            case 7 -> { // a duplicate key, sometimes written with an escape
                if (!target.members().isEmpty()) {
                    Member d = target.members().get(rnd.nextInt(target.members().size()));
                    target.members().add(new Member(d.key(), rnd.nextBoolean() ? d.value() : junkValue(rnd, 1)));
                    log.append("duplicate ").append(d.key());
                }
            }
            case 8 -> { // nested junk, up to and past the deepest Jackson reads
                int[] depths = {5, 33, 998, 999, 1000, 1001};
                int depth = depths[rnd.nextInt(depths.length)];
                boolean arrays = rnd.nextBoolean();
                target.members()
                        .add(new Member(
                                "deep",
                                new Raw((arrays ? "[" : "{\"a\":").repeat(depth) + "1"
                                        + (arrays ? "]" : "}").repeat(depth))));
            }
            case 9 -> { // the type or category: near misses
                String key = Streams.CAMPAIGN_REQUESTS.equals(stream) ? "category" : "type";
                Object[] v = {"Track", "", "unknown", "identify ", new Raw("1"), "promotional", "alias", "track"};
                root.members().removeIf(x -> x.key().equals(key));
                root.members().add(new Member(key, v[rnd.nextInt(v.length)]));
            }
            case 10 -> { // ids at and past the length limits
                String[] keys = {"messageId", "userId", "anonymousId", "previousId", "event", "requestId", "campaignId"
                };
                String key = keys[rnd.nextInt(keys.length)];
                Object[] v = {"x".repeat(257), "x".repeat(256), "", "😀".repeat(128), "😀".repeat(129), new Raw("null")
                };
                root.members().removeIf(x -> x.key().equals(key));
                root.members().add(new Member(key, v[rnd.nextInt(v.length)]));
            }
            case 11 -> { // channels and offer near misses
                Object[] v = {
                    new Arr(new ArrayList<>()),
                    new Arr(new ArrayList<>(List.of("sms", "sms"))),
                    new Arr(new ArrayList<>(List.of("fax"))),
                    new Arr(new ArrayList<>(List.of("email", new Raw("null")))),
                    "sms",
                    nested(33),
                    new Raw("[]"),
                    junkObject(rnd, 3)
                };
                String key = rnd.nextBoolean() ? "channels" : "offer";
                root.members().removeIf(x -> x.key().equals(key));
                root.members().add(new Member(key, v[rnd.nextInt(v.length)]));
            }
            default -> { // a key written differently
                if (!target.members().isEmpty()) {
                    int i = rnd.nextInt(target.members().size());
                    Member d = target.members().get(i);
                    String k = rnd.nextBoolean() ? d.key().toUpperCase() : d.key() + " ";
                    target.members().set(i, new Member(k, d.value()));
                }
            }
        }
        log.append("; ");
    }

    private static void set(Obj o, Random rnd, Object value, StringBuilder log) {
        if (o.members().isEmpty()) {
            o.members().add(new Member("k", value));
            return;
        }
        int i = rnd.nextInt(o.members().size());
        log.append("set ").append(o.members().get(i).key());
        o.members().set(i, new Member(o.members().get(i).key(), value));
    }

    private static void collect(Object node, List<Obj> out) {
        if (node instanceof Obj o) {
            out.add(o);
            o.members().forEach(m -> collect(m.value(), out));
        } else if (node instanceof Arr a) {
            a.items().forEach(x -> collect(x, out));
        }
    }

    static byte[] mutateBytes(byte[] b, Random rnd, StringBuilder log) {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        switch (rnd.nextInt(7)) {
            case 0 -> {
                log.append("truncated");
                return Arrays.copyOf(b, rnd.nextInt(b.length + 1));
            }
            case 1 -> {
                log.append("two BOMs");
                return concat(concat(bom, bom), b);
            }
            case 2 -> {
                log.append("BOM inside");
                int at = rnd.nextInt(b.length + 1);
                return concat(concat(Arrays.copyOf(b, at), bom), Arrays.copyOfRange(b, at, b.length));
            }
            case 3 -> {
                log.append("trailing");
                String[] tails = {" ", "\t\r", "}", " x", "{}", "\u0000", "\n{}"};
                return concat(b, tails[rnd.nextInt(tails.length)].getBytes(StandardCharsets.UTF_8));
            }
            case 4 -> {
                log.append("UTF-16");
                return new String(b, StandardCharsets.UTF_8)
                        .getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE);
            }
            default -> {
                List<byte[]> others = List.of(b);
                return FuzzInputs.mutate(b, others, rnd, 1 + rnd.nextInt(2), log);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing JSON every way it may come: whitespace between tokens, escapes in keys and strings.

    static byte[] render(Object tree, Random rnd) {
        StringBuilder sb = new StringBuilder();
        int style = rnd.nextInt(4); // 0 compact, 1 spaced, 2 escaped, 3 both
        write(tree, sb, rnd, (style & 1) != 0, (style & 2) != 0);
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Object node, StringBuilder sb, Random rnd, boolean spaced, boolean escaped) {
        if (node instanceof Obj o) {
            sb.append('{');
            for (int i = 0; i < o.members().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                space(sb, rnd, spaced);
                string(o.members().get(i).key(), sb, rnd, escaped);
                space(sb, rnd, spaced);
                sb.append(':');
                space(sb, rnd, spaced);
                write(o.members().get(i).value(), sb, rnd, spaced, escaped);
                space(sb, rnd, spaced);
            }
            sb.append('}');
        } else if (node instanceof Arr a) {
            sb.append('[');
            for (int i = 0; i < a.items().size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                space(sb, rnd, spaced);
                write(a.items().get(i), sb, rnd, spaced, escaped);
            }
            sb.append(']');
        } else if (node instanceof Raw r) {
            sb.append(r.text());
        } else if (node instanceof String s) {
            string(s, sb, rnd, escaped);
        } else {
            sb.append("null");
        }
    }

    private static void space(StringBuilder sb, Random rnd, boolean spaced) {
        if (spaced && rnd.nextBoolean()) {
            sb.append(" \t\r\n".charAt(rnd.nextInt(4)));
        }
    }

    private static void string(String s, StringBuilder sb, Random rnd, boolean escaped) {
        if (!escaped) {
            sb.append(FuzzInputs.jsonString(s, false));
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int k = rnd.nextInt(4);
            if (c == '"' || c == '\\' || c < 0x20 || Character.isSurrogate(c) || k == 0) {
                String named = switch (c) {
                    case '"' -> "\\\"";
                    case '\\' -> "\\\\";
                    case '\n' -> "\\n";
                    case '\t' -> "\\t";
                    case '/' -> "\\/";
                    default -> null;
                };
                sb.append(named != null && k != 1 ? named : String.format(k == 2 ? "\\u%04X" : "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static String show(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.length() > 600 ? s.substring(0, 600) + "…(" + bytes.length + " bytes)" : s;
    }
}
