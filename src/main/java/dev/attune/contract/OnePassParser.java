package dev.attune.contract;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.util.Set;

/**
 * The usual record in one streaming pass: Jackson tokens straight into an {@link InputRecord}, with
 * the schema's constraints proved on the way, and no tree, null-dropping pass or schema validator.
 *
 * <p>It only ever accepts: anything it cannot prove cheaply (a constraint broken, a type it does
 * not expect, a float written with an exponent, a number too big for a long, a bad or future time,
 * JSON that does not parse) makes it answer null, and {@link RecordParser#parse} then takes the
 * reference path, which writes the dead letter with its exact reason. Where it answers, the answer
 * is what the reference path gives, field for field ({@code OnePassParserProperties} checks that).
 */
final class OnePassParser {
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory();
    /**
     * The same without Jackson's duplicate detection (a hash set per object, a quarter of the pass):
     * {@link Names} does it for event records, which are read here to the last token.
     */
    private static final JsonFactory UNCHECKED = FACTORY.copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** The offer is read as the reference reads it (a tree); it is mid-record, so no trailing-token check. */
    private static final ObjectReader TREE =
            Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<String> EVENT_TYPES = Set.of("track", "page", "screen", "identify", "alias");
    private static final Set<String> CATEGORIES = Set.of("promotional", "transactional", "service");
    private static final int MAX_ID = 256;
    /**
     * A float without an exponent this short cannot hold a decimal exponent beyond {@link
     * RecordParser#MAX_EXPONENT}, however its trailing zeros are normalised.
     */
    private static final int MAX_PLAIN_FLOAT_CHARS = 1000;

    /** A member that is an object or an array: {@code text} reads it as null, {@code number} as absent. */
    private static final Object CONTAINER = new Object();

    // Members of "properties" the record reads.
    private static final int P_NAME = 0;
    private static final int P_FEATURE = 1;
    private static final int P_KIND = 2;
    private static final int P_ATTEMPTS = 3;
    private static final int P_DURATION = 4;
    private static final int P_CODE = 5;
    private static final int P_TEXT = 6;
    private static final int P_COMMENT = 7;
    private static final int P_REASON = 8;
    private static final int P_MESSAGE = 9;
    private static final int P_PRIORITY = 10;
    private static final int P_SCORE = 11;
    private static final int P_SCALE = 12;
    private static final int P_REVENUE = 13;
    private static final int P_CURRENCY = 14;
    private static final int P_PLAN = 15;
    private static final int P_MRR = 16;
    private static final int P_CHANNEL = 17;
    private static final int P_SEND_ID = 18;
    private static final int P_CAMPAIGN_ID = 19;
    private static final int P_BOUNCE_TYPE = 20;
    private static final int P_TYPE = 21;
    private static final int P_TIER = 22;
    private static final int P_COUNT = 23;

    // Members of "traits" the record reads ("consent" is read as it comes).
    private static final int T_TIER = 0;
    private static final int T_TIMEZONE = 1;
    private static final int T_LOCALE = 2;
    private static final int T_SEGMENT = 3;
    private static final int T_EMAIL = 4;
    private static final int T_PHONE = 5;
    private static final int T_COUNT = 6;

    // Members of "context" the record reads.
    private static final int C_TIMEZONE = 0;
    private static final int C_LOCALE = 1;
    private static final int C_CHANNEL = 2;
    private static final int C_COUNT = 3;

    /** Thrown where the reference path must decide; never leaves this class. */
    private static final class Unproven extends Exception {
        private static final long serialVersionUID = 1L;
        static final Unproven INSTANCE = new Unproven();

        private Unproven() {
            super(null, null, false, false);
        }
    }

    private OnePassParser() {}

    /** The reference path's answer for a record this pass can prove, else null. */
    static Inbound parse(String stream, String position, byte[] raw, long latestAllowed) {
        boolean requests = Streams.CAMPAIGN_REQUESTS.equals(stream);
        boolean engagement = Streams.ENGAGEMENT_EVENTS.equals(stream);
        if (!requests && !engagement && !Streams.USER_EVENTS.equals(stream)) {
            return null;
        }
        if (raw.length > RecordParser.MAX_RECORD_BYTES) {
            return null;
        }
        // Requests keep Jackson's check: their offer is read as a tree, as the reference reads it.
        Names names = requests ? Names.JACKSON : new Names();
        try (JsonParser p = open(raw, requests ? FACTORY : UNCHECKED)) {
            if (p == null || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            return requests
                    ? request(p, names, stream, position, raw, latestAllowed)
                    : event(p, names, stream, engagement, position, raw, latestAllowed);
        } catch (Unproven | IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * A parser over the record's text as the reference reads it. Plain ASCII without NUL bytes is
     * read as bytes (Jackson's encoding detection sees UTF-8 there, and ASCII is UTF-8 as it is);
     * anything else is decoded strictly first, a byte-order mark dropped, as the reference does.
     */
    private static JsonParser open(byte[] raw, JsonFactory factory) throws IOException {
        if (plainAscii(raw)) {
            return factory.createParser(raw);
        }
        String text;
        try {
            text = RecordParser.strict(raw);
        } catch (CharacterCodingException e) {
            return null;
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1);
        }
        return factory.createParser(text);
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether the bytes are all ASCII and the first four hold no NUL (which Jackson's encoding
     * detection reads as UTF-16 or UTF-32). Eight bytes at a time: this scan was an eighth of the pass.
     */
    static boolean plainAscii(byte[] raw) {
        int n = raw.length;
        for (int i = 0; i < Math.min(4, n); i++) {
            if (raw[i] <= 0) {
                return false;
            }
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            if (((long) LONGS.get(raw, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < n; i++) {
            if (raw[i] < 0) {
                return false;
            }
        }
        return true;
    }

    private static Inbound event(
            JsonParser p,
            Names names,
            String stream,
            boolean engagement,
            String position,
            byte[] raw,
            long latestAllowed)
            throws IOException, Unproven {
        String messageId = null;
        String type = null;
        String userId = null;
        String anonymousId = null;
        String previousId = null;
        String event = null;
        String name = null;
        Object timestamp = null;
        Object notAfter = null;
        Object[] props = null;
        Object[] traits = null;
        Object[] context = null;
        int[] consent = null;
        JsonToken t;
        names.open();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            names.add(field);
            t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue; // a null member counts as absent
            }
            switch (field) {
                case "messageId" -> messageId = id(p, t, 1);
                case "type" -> {
                    type = string(p, t);
                    if (!EVENT_TYPES.contains(type)) {
                        throw Unproven.INSTANCE;
                    }
                }
                case "userId" -> userId = id(p, t, 1);
                case "anonymousId" -> anonymousId = id(p, t, 1);
                case "previousId" -> previousId = id(p, t, 1);
                case "event" -> event = id(p, t, 1);
                case "name" -> name = string(p, t);
                case "timestamp" -> timestamp = time(p, t);
                case "notAfter" -> notAfter = time(p, t);
                case "properties" -> {
                    props = new Object[P_COUNT];
                    members(p, names, t, props, OnePassParser::propertyIndex, null);
                    if (engagement) {
                        checkString(props[P_CHANNEL], Integer.MAX_VALUE);
                        checkString(props[P_SEND_ID], MAX_ID);
                        checkString(props[P_CAMPAIGN_ID], MAX_ID);
                    }
                }
                case "traits" -> {
                    traits = new Object[T_COUNT];
                    consent = new int[2];
                    members(p, names, t, traits, OnePassParser::traitIndex, consent);
                }
                case "context" -> {
                    context = new Object[C_COUNT];
                    members(p, names, t, context, OnePassParser::contextIndex, null);
                    checkString(context[C_TIMEZONE], Integer.MAX_VALUE);
                    checkString(context[C_LOCALE], Integer.MAX_VALUE);
                    checkString(context[C_CHANNEL], Integer.MAX_VALUE);
                }
                default -> skip(p, names, t);
            }
        }
        end(p, t);
        if (messageId == null
                || type == null
                || timestamp == null
                || (userId == null && anonymousId == null)
                || ("track".equals(type) && event == null)
                || ("alias".equals(type) && (userId == null || previousId == null))) {
            throw Unproven.INSTANCE;
        }
        long time = times(timestamp, latestAllowed);
        long expiry = notAfter == null ? 0 : Times.parse(node(notAfter));

        // From here on as RecordParser.event builds it.
        InputRecord r = new InputRecord();
        r.messageId = messageId;
        RecordParser.identify(r, type, userId, anonymousId, previousId);
        Object[] pr = props != null ? props : new Object[P_COUNT];
        Object[] tr = traits != null ? traits : new Object[T_COUNT];
        Object[] cx = context != null ? context : new Object[C_COUNT];
        if ("track".equals(type)) {
            r.event = event;
        } else if ("page".equals(type) || "screen".equals(type)) {
            r.event = type;
            r.name = name != null ? name : text(pr[P_NAME]);
        } else {
            r.event = type;
        }
        r.feature = text(pr[P_FEATURE]);
        r.kind = text(pr[P_KIND]);
        r.attempts = (int) Math.max(0, Math.min(1_000_000, number(pr[P_ATTEMPTS], 0)));
        r.durationMs = (long) Math.max(0, Math.min(86_400_000d, number(pr[P_DURATION], 0)));
        r.code = text(pr[P_CODE]);
        r.text = Redactor.redact(RecordParser.firstNonNull(
                text(pr[P_TEXT]), text(pr[P_COMMENT]), text(pr[P_REASON]), text(pr[P_MESSAGE])));
        r.priority = text(pr[P_PRIORITY]);
        r.score = number(pr[P_SCORE], Double.NaN);
        r.scale = text(pr[P_SCALE]);
        r.revenue = number(pr[P_REVENUE], 0);
        r.currency = text(pr[P_CURRENCY]);
        r.plan = text(pr[P_PLAN]);
        r.mrr = number(pr[P_MRR], 0);
        r.channel = text(pr[P_CHANNEL]);
        r.sendId = text(pr[P_SEND_ID]);
        r.campaignId = text(pr[P_CAMPAIGN_ID]);
        r.bounceType = RecordParser.firstNonNull(text(pr[P_BOUNCE_TYPE]), text(pr[P_TYPE]));
        r.tier = RecordParser.firstNonNull(text(pr[P_TIER]), text(tr[T_TIER]));
        String traitZone = text(tr[T_TIMEZONE]);
        String traitLocale = text(tr[T_LOCALE]);
        r.timezone = RecordParser.firstNonNull(traitZone, text(cx[C_TIMEZONE]));
        r.locale = RecordParser.firstNonNull(traitLocale, text(cx[C_LOCALE]));
        r.segment = text(tr[T_SEGMENT]);
        if (r.channel == null) {
            r.channel = text(cx[C_CHANNEL]);
        }
        if (text(tr[T_EMAIL]) != null) {
            r.reachable |= Channel.EMAIL.bit();
        }
        if (text(tr[T_PHONE]) != null) {
            r.reachable |= Channel.SMS.bit() | Channel.WHATSAPP.bit() | Channel.VOICE.bit();
        }
        if (consent != null) {
            r.consentGranted = consent[0];
            r.consentDenied = consent[1];
        }
        return finish(r, stream, position, raw, time, expiry, traitZone != null, traitLocale != null);
    }

    private static Inbound request(
            JsonParser p, Names names, String stream, String position, byte[] raw, long latestAllowed)
            throws IOException, Unproven {
        String requestId = null;
        String campaignId = null;
        String userId = null;
        String category = null;
        String channels = null;
        String offer = null;
        Object timestamp = null;
        Object notAfter = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (field) {
                case "requestId" -> requestId = id(p, t, 1);
                case "campaignId" -> campaignId = id(p, t, 1);
                case "userId" -> userId = id(p, t, 1);
                case "timestamp" -> timestamp = time(p, t);
                case "notAfter" -> notAfter = time(p, t);
                case "category" -> {
                    category = string(p, t);
                    if (!CATEGORIES.contains(category)) {
                        throw Unproven.INSTANCE;
                    }
                }
                case "channels" -> channels = channels(p, t);
                case "offer" -> offer = offer(p, t);
                default -> skip(p, names, t);
            }
        }
        end(p, t);
        if (requestId == null || campaignId == null || userId == null || timestamp == null) {
            throw Unproven.INSTANCE;
        }
        long time = times(timestamp, latestAllowed);
        long expiry = notAfter == null ? 0 : Times.parse(node(notAfter));
        InputRecord r = new InputRecord();
        r.messageId = requestId;
        r.userId = userId;
        r.type = "request";
        r.event = "Campaign Requested";
        r.campaignId = campaignId;
        r.category = category != null ? category : "promotional";
        r.channels = channels;
        r.offer = offer;
        return finish(r, stream, position, raw, time, expiry, false, false);
    }

    private static Inbound finish(
            InputRecord r,
            String stream,
            String position,
            byte[] raw,
            long timestamp,
            long notAfter,
            boolean zoneFromTraits,
            boolean localeFromTraits) {
        r.stream = stream;
        r.position = position;
        r.timestamp = timestamp;
        r.notAfter = notAfter;
        String ignored = RecordParser.ignoreUnusableTraits(
                zoneFromTraits ? "/traits/timezone" : "/context/timezone",
                localeFromTraits ? "/traits/locale" : "/context/locale",
                r);
        if (ignored != null) {
            DeadLetter d = RecordParser.deadLetter(stream, position, raw, "validate", RecordParser.BAD_VALUE, ignored);
            d.userId = r.userId;
            d.eventTime = timestamp;
            return Inbound.withIgnoredParts(r, d);
        }
        return Inbound.of(r);
    }

    /** The record's end: its closing brace, then nothing (the reference refuses trailing tokens). */
    private static void end(JsonParser p, JsonToken t) throws IOException, Unproven {
        if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
            throw Unproven.INSTANCE;
        }
    }

    /** The event time, proved in range and not after what the reader's clock allows. */
    private static long times(Object timestamp, long latestAllowed) throws Unproven {
        long time = Times.parse(node(timestamp)); // a bad time throws: the reference names it
        if (time > latestAllowed) {
            throw Unproven.INSTANCE;
        }
        return time;
    }

    /** The node the reference reads a time from (an int and a long node read the same). */
    private static JsonNode node(Object time) {
        return time instanceof String s ? TextNode.valueOf(s) : LongNode.valueOf((Long) time);
    }

    private static String string(JsonParser p, JsonToken t) throws IOException, Unproven {
        if (t != JsonToken.VALUE_STRING) {
            throw Unproven.INSTANCE;
        }
        return p.getText();
    }

    /**
     * A string of {@code min} to 256 characters. UTF-16 units are never fewer than code points (what
     * the schema counts), so a string within the bounds in units is within them in code points.
     */
    private static String id(JsonParser p, JsonToken t, int min) throws IOException, Unproven {
        String s = string(p, t);
        if (s.length() < min || s.length() > MAX_ID) {
            throw Unproven.INSTANCE;
        }
        return s;
    }

    /** A time as the schema allows it: a string, or an integer that fits a long. */
    private static Object time(JsonParser p, JsonToken t) throws IOException, Unproven {
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        throw Unproven.INSTANCE;
    }

    /** A member the schema types as a string, when present, of at most {@code max} characters. */
    private static void checkString(Object v, int max) throws Unproven {
        if (v != null && !(v instanceof String s && s.length() <= max)) {
            throw Unproven.INSTANCE;
        }
    }

    interface Index {
        int of(String field);
    }

    /**
     * The members of an object the record reads, into {@code into} by {@code index}; nulls count as
     * absent, and everything else is skipped (numbers checked). With {@code consent}, the
     * {@code consent} member's booleans set its granted and denied bits.
     */
    private static void members(JsonParser p, Names names, JsonToken t, Object[] into, Index index, int[] consent)
            throws IOException, Unproven {
        if (t != JsonToken.START_OBJECT) {
            throw Unproven.INSTANCE;
        }
        names.open();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            names.add(field);
            t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            if (consent != null && "consent".equals(field)) {
                if (t == JsonToken.START_OBJECT) {
                    consent(p, names, consent);
                } else {
                    skip(p, names, t);
                }
                continue;
            }
            int i = index.of(field);
            if (i < 0) {
                skip(p, names, t);
            } else {
                into[i] = scalar(p, names, t);
            }
        }
        names.close();
    }

    private static void consent(JsonParser p, Names names, int[] bits) throws IOException, Unproven {
        JsonToken t;
        names.open();
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            names.add(field);
            Channel ch = Channel.fromWire(field);
            t = p.nextToken();
            if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
                if (ch != null) {
                    bits[t == JsonToken.VALUE_TRUE ? 0 : 1] |= ch.bit();
                }
            } else {
                skip(p, names, t);
            }
        }
        names.close();
    }

    /**
     * A member's value: a String, a Long (an integer that fits one), a BigDecimal (a float), a
     * Boolean, or {@link #CONTAINER}.
     */
    private static Object scalar(JsonParser p, Names names, JsonToken t) throws IOException, Unproven {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw Unproven.INSTANCE;
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                plainFloat(p);
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_OBJECT:
            case START_ARRAY:
                skip(p, names, t);
                return CONTAINER;
            default:
                throw Unproven.INSTANCE;
        }
    }

    /** Skips a value, refusing any float the reference might find out of range and any duplicate key. */
    private static void skip(JsonParser p, Names names, JsonToken t) throws IOException, Unproven {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            plainFloat(p);
            return;
        }
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            return;
        }
        if (t == JsonToken.START_OBJECT) {
            names.open();
        }
        int depth = 1;
        while (depth > 0) {
            t = p.nextToken();
            if (t == null) {
                throw Unproven.INSTANCE;
            }
            switch (t) {
                case START_OBJECT -> {
                    names.open();
                    depth++;
                }
                case START_ARRAY -> depth++;
                case END_OBJECT -> {
                    names.close();
                    depth--;
                }
                case END_ARRAY -> depth--;
                case FIELD_NAME -> names.add(p.currentName());
                case VALUE_NUMBER_FLOAT -> plainFloat(p);
                default -> {}
            }
        }
    }

    /**
     * The keys of the objects open on the way down, to refuse a duplicate key as Jackson's strict
     * duplicate detection does (names compared with {@code equals}, after unescaping). A scan per key
     * is cheaper than a hash set for the few keys of a usual object; an object of more than {@link
     * #MAX_KEYS} keys is left to the reference.
     */
    private static final class Names {
        static final int MAX_KEYS = 64;
        /** For a parser that checks duplicates itself. */
        static final Names JACKSON = new Names(false);

        private final boolean checks;
        private String[] keys = new String[32];
        private int size;
        private int[] starts = new int[8];
        private int depth;

        Names() {
            this(true);
        }

        private Names(boolean checks) {
            this.checks = checks;
        }

        void open() {
            if (!checks) {
                return;
            }
            if (depth == starts.length) {
                starts = java.util.Arrays.copyOf(starts, depth * 2);
            }
            starts[depth++] = size;
        }

        void add(String key) throws Unproven {
            if (!checks) {
                return;
            }
            int start = starts[depth - 1];
            if (size - start >= MAX_KEYS) {
                throw Unproven.INSTANCE;
            }
            int hash = key.hashCode(); // cached in the (canonical) name
            for (int i = start; i < size; i++) {
                String k = keys[i];
                if (k == key || (k.hashCode() == hash && k.equals(key))) {
                    throw Unproven.INSTANCE;
                }
            }
            if (size == keys.length) {
                keys = java.util.Arrays.copyOf(keys, size * 2);
            }
            keys[size++] = key;
        }

        void close() {
            if (!checks) {
                return;
            }
            size = starts[--depth];
        }
    }

    /** A float without an exponent and short: its decimal exponent is nowhere near the limit. */
    private static void plainFloat(JsonParser p) throws IOException, Unproven {
        char[] chars = p.getTextCharacters();
        int from = p.getTextOffset();
        int n = p.getTextLength();
        if (n > MAX_PLAIN_FLOAT_CHARS) {
            throw Unproven.INSTANCE;
        }
        for (int i = from; i < from + n; i++) {
            if (chars[i] == 'e' || chars[i] == 'E') {
                throw Unproven.INSTANCE;
            }
        }
    }

    /** The allowed channels, comma-separated: a non-empty array of distinct channel names. */
    private static String channels(JsonParser p, JsonToken t) throws IOException, Unproven {
        if (t != JsonToken.START_ARRAY) {
            throw Unproven.INSTANCE;
        }
        StringBuilder sb = new StringBuilder();
        int seen = 0;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            Channel ch = t == JsonToken.VALUE_STRING ? Channel.fromWire(p.getText()) : null;
            if (ch == null || (seen & ch.bit()) != 0) {
                throw Unproven.INSTANCE;
            }
            seen |= ch.bit();
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(ch.wire());
        }
        if (seen == 0) {
            throw Unproven.INSTANCE;
        }
        return sb.toString();
    }

    /** The offer as the reference writes it: its tree without null members, as compact JSON. */
    private static String offer(JsonParser p, JsonToken t) throws IOException, Unproven {
        if (t != JsonToken.START_OBJECT) {
            throw Unproven.INSTANCE;
        }
        JsonNode offer = TREE.readTree(p);
        RecordParser.dropNulls(offer);
        if (RecordParser.hugeNumberAt(offer) != null || RecordParser.depth(offer) > RecordParser.MAX_OFFER_DEPTH) {
            throw Unproven.INSTANCE;
        }
        return offer.toString();
    }

    /** As {@link RecordParser#text}: a string, a number or boolean as text; null where absent or structured. */
    private static String text(Object v) throws Unproven {
        if (v == null || v == CONTAINER) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Long l) {
            return l.toString();
        }
        if (v instanceof Boolean b) {
            return b.toString();
        }
        throw Unproven.INSTANCE; // a float as text: how the tree writes it is the reference's business
    }

    /** As {@link RecordParser#number}: a number, or a numeric string; the fallback otherwise or if not finite. */
    private static double number(Object v, double fallback) {
        double d;
        if (v instanceof Long l) {
            d = l;
        } else if (v instanceof BigDecimal b) {
            d = b.doubleValue();
        } else if (v instanceof String s) {
            try {
                d = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        return Double.isFinite(d) ? d : fallback;
    }

    private static int propertyIndex(String f) {
        return switch (f) {
            case "name" -> P_NAME;
            case "feature" -> P_FEATURE;
            case "kind" -> P_KIND;
            case "attempts" -> P_ATTEMPTS;
            case "durationMs" -> P_DURATION;
            case "code" -> P_CODE;
            case "text" -> P_TEXT;
            case "comment" -> P_COMMENT;
            case "reason" -> P_REASON;
            case "message" -> P_MESSAGE;
            case "priority" -> P_PRIORITY;
            case "score" -> P_SCORE;
            case "scale" -> P_SCALE;
            case "revenue" -> P_REVENUE;
            case "currency" -> P_CURRENCY;
            case "plan" -> P_PLAN;
            case "mrr" -> P_MRR;
            case "channel" -> P_CHANNEL;
            case "sendId" -> P_SEND_ID;
            case "campaignId" -> P_CAMPAIGN_ID;
            case "bounceType" -> P_BOUNCE_TYPE;
            case "type" -> P_TYPE;
            case "tier" -> P_TIER;
            default -> -1;
        };
    }

    private static int traitIndex(String f) {
        return switch (f) {
            case "tier" -> T_TIER;
            case "timezone" -> T_TIMEZONE;
            case "locale" -> T_LOCALE;
            case "segment" -> T_SEGMENT;
            case "email" -> T_EMAIL;
            case "phone" -> T_PHONE;
            default -> -1;
        };
    }

    private static int contextIndex(String f) {
        return switch (f) {
            case "timezone" -> C_TIMEZONE;
            case "locale" -> C_LOCALE;
            case "channel" -> C_CHANNEL;
            default -> -1;
        };
    }
}
