package dev.attune.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Base64;
import java.util.Comparator;
import java.util.IllformedLocaleException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one raw input record into an {@link InputRecord} or a {@link DeadLetter} with a reason.
 * Plain Java and stateless apart from the shared schemas; never throws on bad input.
 */
public final class RecordParser {
    /** CONTRACT.md: a record over 256 KiB goes to the dead-letter stream. */
    public static final int MAX_RECORD_BYTES = 256 * 1024;

    /** Error codes of dead-letter records written by the parser. */
    public static final String TOO_LARGE = "too_large";

    public static final String NOT_UTF8 = "not_utf8";
    public static final String NOT_JSON = "not_json";
    public static final String NOT_OBJECT = "not_object";
    public static final String MISSING_FIELD = "missing_field";
    public static final String WRONG_TYPE = "wrong_type";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String TOO_LONG = "too_long";
    public static final String BAD_VALUE = "bad_value";
    public static final String BAD_TIMESTAMP = "bad_timestamp";
    public static final String FUTURE_TIMESTAMP = "future_timestamp";

    /**
     * Numbers with a decimal exponent beyond this are refused before anything else reads them: no
     * field needs them, and some libraries write them out digit by digit (the schema validator's
     * enum check turned a 14-byte {@code 1e999999999} into a billion-character string).
     */
    static final int MAX_EXPONENT = 10_000;

    /**
     * The deepest offer object accepted. A send carries the offer two levels down
     * ({@code content.parameters}), and every output must stay readable by common JSON readers
     * (Jackson refuses more than 1,000 levels, serde_json 128): an offer nested 999 levels made a
     * send no default reader could read.
     */
    static final int MAX_OFFER_DEPTH = 32;

    private RecordParser() {}

    /**
     * A member whose value is {@code null} counts as absent (CONTRACT.md), at any depth of objects: producers
     * such as Segment's libraries write {@code "properties": null} or {@code "context": {"timezone": null}} for
     * what they do not know. Array elements are left as they are.
     */
    static void dropNulls(JsonNode node) {
        if (node.isObject()) {
            Iterator<JsonNode> values = node.elements();
            while (values.hasNext()) {
                JsonNode v = values.next();
                if (v.isNull()) {
                    values.remove();
                } else {
                    dropNulls(v);
                }
            }
        } else if (node.isArray()) {
            node.forEach(RecordParser::dropNulls);
        }
    }

    public static Inbound parse(String stream, String position, byte[] raw) {
        return parse(stream, position, raw, Long.MAX_VALUE);
    }

    /**
     * Parses a record read live: one whose event time is after {@code latestAllowed} (the reader's
     * clock plus {@code input.max-clock-skew}) is a {@code future_timestamp} dead letter, so one
     * record dated years ahead cannot drag the watermark there and make every later event late.
     */
    public static Inbound parse(String stream, String position, byte[] raw, long latestAllowed) {
        Inbound fast = OnePassParser.parse(stream, position, raw, latestAllowed);
        return fast != null ? fast : reference(stream, position, raw, latestAllowed);
    }

    /**
     * The reference path: the whole record as a tree, null members dropped, the stream's JSON Schema
     * validated, then the record built from the tree. {@link #parse} takes it for every record the
     * one-pass parser cannot prove; it writes every dead letter's reason.
     */
    public static Inbound reference(String stream, String position, byte[] raw, long latestAllowed) {
        if (raw.length > MAX_RECORD_BYTES) {
            return dead(
                    stream,
                    position,
                    raw,
                    "parse",
                    TOO_LARGE,
                    "record is " + raw.length + " bytes, over the limit of " + MAX_RECORD_BYTES);
        }
        String text;
        try {
            text = decode(raw);
        } catch (CharacterCodingException e) {
            return dead(stream, position, raw, "parse", NOT_UTF8, "record is not valid UTF-8");
        }
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte-order mark is not content
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return dead(stream, position, raw, "parse", NOT_JSON, "not JSON: " + e.getOriginalMessage());
        } catch (IOException | RuntimeException e) {
            return dead(stream, position, raw, "parse", NOT_JSON, "not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            return dead(
                    stream,
                    position,
                    raw,
                    "parse",
                    NOT_OBJECT,
                    "record is "
                            + (node == null
                                    ? "empty"
                                    : "a JSON " + node.getNodeType().name().toLowerCase()) + ", not an object");
        }
        dropNulls(node);
        String hugeAt = hugeNumberAt(node);
        if (hugeAt != null) {
            DeadLetter d = deadLetter(
                    stream,
                    position,
                    raw,
                    "validate",
                    BAD_VALUE,
                    hugeAt + ": number out of range (decimal exponent beyond ±" + MAX_EXPONENT + ")");
            d.userId = userIdIfReadable(node);
            return Inbound.dead(d);
        }
        Set<ValidationMessage> errors = Schemas.validate(stream, node);
        if (!errors.isEmpty()) {
            ValidationMessage first = errors.stream()
                    .min(Comparator.comparingInt((ValidationMessage m) -> priority(m))
                            .thenComparing(ValidationMessage::getMessage))
                    .orElseThrow();
            String message = first.getMessage();
            if (message.startsWith(": ")) {
                message = "record" + message; // the root has an empty JSON pointer
            }
            DeadLetter d = deadLetter(stream, position, raw, "validate", codeOf(first), message);
            d.userId = userIdIfReadable(node);
            d.eventTime = timeIfReadable(node);
            return Inbound.dead(d);
        }
        long timestamp;
        try {
            timestamp = Times.parse(node.get("timestamp"));
        } catch (IllegalArgumentException e) {
            DeadLetter d =
                    deadLetter(stream, position, raw, "validate", BAD_TIMESTAMP, "/timestamp: " + e.getMessage());
            d.userId = userIdIfReadable(node);
            return Inbound.dead(d);
        }
        if (timestamp > latestAllowed) {
            DeadLetter d = deadLetter(stream, position, raw, "validate", FUTURE_TIMESTAMP, "");
            // Written here, not quoted from the record: times that a phone pattern would take for a number.
            d.message = "/timestamp: " + Times.format(timestamp) + " is later than this reader's clock allows ("
                    + Times.format(latestAllowed) + ", input.max-clock-skew)";
            d.userId = userIdIfReadable(node);
            d.eventTime = timestamp;
            return Inbound.dead(d);
        }
        long notAfter = 0;
        if (node.hasNonNull("notAfter")) {
            try {
                notAfter = Times.parse(node.get("notAfter"));
            } catch (IllegalArgumentException e) {
                DeadLetter d =
                        deadLetter(stream, position, raw, "validate", BAD_TIMESTAMP, "/notAfter: " + e.getMessage());
                d.userId = userIdIfReadable(node);
                d.eventTime = timestamp;
                return Inbound.dead(d);
            }
        }
        if (Streams.CAMPAIGN_REQUESTS.equals(stream)
                && node.has("offer")
                && depth(node.get("offer")) > MAX_OFFER_DEPTH) {
            DeadLetter d = deadLetter(
                    stream,
                    position,
                    raw,
                    "validate",
                    BAD_VALUE,
                    "/offer: nested deeper than " + MAX_OFFER_DEPTH + " levels");
            d.userId = userIdIfReadable(node);
            d.eventTime = timestamp;
            return Inbound.dead(d);
        }
        InputRecord r = Streams.CAMPAIGN_REQUESTS.equals(stream) ? request(node) : event(node);
        r.stream = stream;
        r.position = position;
        r.timestamp = timestamp;
        r.notAfter = notAfter;
        String ignored = ignoreUnusableTraits(node, r);
        if (ignored != null) {
            DeadLetter d = deadLetter(stream, position, raw, "validate", BAD_VALUE, ignored);
            d.userId = r.userId;
            d.eventTime = timestamp;
            return Inbound.withIgnoredParts(r, d);
        }
        return Inbound.of(r);
    }

    private static InputRecord event(JsonNode n) {
        InputRecord r = new InputRecord();
        r.messageId = n.get("messageId").textValue();
        String userId = text(n, "userId");
        String anonymousId = text(n, "anonymousId");
        identify(r, n.get("type").textValue(), userId, anonymousId, text(n, "previousId"));
        JsonNode p = n.path("properties");
        if ("track".equals(r.type)) {
            r.event = text(n, "event");
        } else if ("page".equals(r.type) || "screen".equals(r.type)) {
            r.event = r.type;
            r.name = firstNonNull(text(n, "name"), text(p, "name"));
        } else {
            r.event = r.type; // identify, alias
        }
        r.feature = text(p, "feature");
        r.kind = text(p, "kind");
        r.attempts = (int) Math.max(0, Math.min(1_000_000, number(p, "attempts", 0)));
        r.durationMs = (long) Math.max(0, Math.min(86_400_000d, number(p, "durationMs", 0)));
        r.code = text(p, "code");
        r.text = Redactor.redact(
                firstNonNull(text(p, "text"), text(p, "comment"), text(p, "reason"), text(p, "message")));
        r.priority = text(p, "priority");
        r.score = number(p, "score", Double.NaN);
        r.scale = text(p, "scale");
        r.revenue = number(p, "revenue", 0);
        r.currency = text(p, "currency");
        r.plan = text(p, "plan");
        r.mrr = number(p, "mrr", 0);
        r.channel = text(p, "channel");
        r.sendId = text(p, "sendId");
        r.campaignId = text(p, "campaignId");
        r.bounceType = firstNonNull(text(p, "bounceType"), text(p, "type"));
        JsonNode t = n.path("traits");
        r.tier = firstNonNull(text(p, "tier"), text(t, "tier"));
        JsonNode c = n.path("context");
        r.timezone = firstNonNull(text(t, "timezone"), text(c, "timezone"));
        r.locale = firstNonNull(text(t, "locale"), text(c, "locale"));
        r.segment = text(t, "segment");
        if (r.channel == null) {
            r.channel = text(c, "channel");
        }
        if (text(t, "email") != null) {
            r.reachable |= Channel.EMAIL.bit();
        }
        if (text(t, "phone") != null) {
            r.reachable |= Channel.SMS.bit() | Channel.WHATSAPP.bit() | Channel.VOICE.bit();
        }
        JsonNode consent = t.path("consent");
        if (consent.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = consent.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Channel ch = Channel.fromWire(e.getKey());
                if (ch != null && e.getValue().isBoolean()) {
                    if (e.getValue().booleanValue()) {
                        r.consentGranted |= ch.bit();
                    } else {
                        r.consentDenied |= ch.bit();
                    }
                }
            }
        }
        return r;
    }

    private static InputRecord request(JsonNode n) {
        InputRecord r = new InputRecord();
        r.messageId = n.get("requestId").textValue();
        r.userId = n.get("userId").textValue();
        r.type = "request";
        r.event = "Campaign Requested";
        r.campaignId = n.get("campaignId").textValue();
        r.category = n.hasNonNull("category") ? n.get("category").textValue() : "promotional";
        if (n.has("channels")) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode ch : n.get("channels")) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(ch.textValue());
            }
            r.channels = sb.toString();
        }
        if (n.has("offer")) {
            r.offer = n.get("offer").toString();
        }
        return r;
    }

    private static int priority(ValidationMessage m) {
        return switch (codeOf(m)) {
            case MISSING_FIELD -> 0;
            case UNKNOWN_TYPE -> 1;
            case WRONG_TYPE -> 2;
            case TOO_LONG -> 3;
            default -> 4;
        };
    }

    static String codeOf(ValidationMessage m) {
        String keyword = m.getType();
        String at = String.valueOf(m.getInstanceLocation());
        return switch (keyword) {
            case "required" -> MISSING_FIELD;
            case "type" -> WRONG_TYPE;
            case "enum", "const" -> "/type".equals(at) ? UNKNOWN_TYPE : BAD_VALUE;
            case "maxLength" -> TOO_LONG;
            default -> BAD_VALUE;
        };
    }

    private static String userIdIfReadable(JsonNode n) {
        String u = n.path("userId").isTextual() ? n.get("userId").textValue() : null;
        if (u == null) {
            u = n.path("anonymousId").isTextual() ? n.get("anonymousId").textValue() : null;
        }
        return u != null && u.length() <= 256 ? u : null;
    }

    private static long timeIfReadable(JsonNode n) {
        try {
            return n.has("timestamp") ? Times.parse(n.get("timestamp")) : 0;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }

    private static Inbound dead(String stream, String position, byte[] raw, String stage, String code, String msg) {
        return Inbound.dead(deadLetter(stream, position, raw, stage, code, msg));
    }

    static DeadLetter deadLetter(String stream, String position, byte[] raw, String stage, String code, String msg) {
        // A record rejected before decoding (too large) may not be UTF-8 either: keep it exactly.
        boolean utf8 = !NOT_UTF8.equals(code) && (!TOO_LARGE.equals(code) || isUtf8(raw));
        String rawText = utf8
                ? new String(raw, StandardCharsets.UTF_8)
                : Base64.getEncoder().encodeToString(raw);
        // The record itself is kept in raw; a message that quotes a value of it (a bad timestamp,
        // a parser's token) must not carry its contact details out of the dead-letter stream's raw.
        return DeadLetter.of(stream, position, rawText, !utf8, stage, code, Redactor.redact(msg));
    }

    /**
     * CONTRACT.md: a time zone that is not an IANA zone or a locale that is not BCP 47 is ignored with a dead letter,
     * never replaced silently by a default. A locale written the Java way ({@code en_US}) is read as BCP 47. Returns
     * what was ignored, or null.
     */
    static String ignoreUnusableTraits(JsonNode node, InputRecord r) {
        return ignoreUnusableTraits(where(node, "timezone"), where(node, "locale"), r);
    }

    /** As above, with where the time zone and the locale were read ({@code /traits/…} or {@code /context/…}). */
    static String ignoreUnusableTraits(String zoneAt, String localeAt, InputRecord r) {
        StringBuilder ignored = new StringBuilder();
        if (r.timezone != null && !isZone(r.timezone)) {
            ignored.append(zoneAt)
                    .append(": '")
                    .append(shortened(r.timezone))
                    .append("' is not an IANA time zone; ignored");
            r.timezone = null;
        }
        if (r.locale != null) {
            String tag = languageTag(r.locale);
            if (tag == null) {
                ignored.append(ignored.length() > 0 ? "; " : "")
                        .append(localeAt)
                        .append(": '")
                        .append(shortened(r.locale))
                        .append("' is not a BCP 47 language tag; ignored");
            }
            r.locale = tag;
        }
        return ignored.length() == 0 ? null : ignored.toString();
    }

    private static String where(JsonNode node, String trait) {
        return text(node.path("traits"), trait) != null ? "/traits/" + trait : "/context/" + trait;
    }

    private static String shortened(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }

    /** Region ids (Europe/Berlin), UTC and fixed offsets; not the three-letter abbreviations. */
    static boolean isZone(String tz) {
        try {
            ZoneId.of(tz);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The well-formed BCP 47 form of a tag ({@code en_US} read as {@code en-US}), or null. */
    static String languageTag(String locale) {
        String tag = locale.trim().replace('_', '-');
        if (tag.isEmpty() || tag.length() > 35) {
            return null;
        }
        try {
            return new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            return null;
        }
    }

    /** Levels of objects and arrays: 0 for a scalar, 1 for a flat object. */
    static int depth(JsonNode n) {
        int deepest = 0;
        for (JsonNode child : n) {
            deepest = Math.max(deepest, depth(child));
        }
        return n.isContainerNode() ? deepest + 1 : 0;
    }

    /** The JSON pointer of the first number whose exponent is beyond {@link #MAX_EXPONENT}, or null. */
    static String hugeNumberAt(JsonNode n) {
        if (n.isBigDecimal()) {
            return Math.abs((long) n.decimalValue().scale()) > MAX_EXPONENT ? "" : null;
        }
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String at = hugeNumberAt(e.getValue());
                if (at != null) {
                    return "/" + e.getKey().replace("~", "~0").replace("/", "~1") + at;
                }
            }
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String at = hugeNumberAt(n.get(i));
                if (at != null) {
                    return "/" + i + at;
                }
            }
        }
        return null;
    }

    /**
     * The record as text, refusing bytes that are not UTF-8. Most records are plain ASCII, which is
     * UTF-8 as it stands: those are copied without a decoder (a decoder per record was about a tenth
     * of the parse); any other byte takes the strict decoder.
     */
    static String decode(byte[] raw) throws CharacterCodingException {
        for (byte b : raw) {
            if (b < 0) {
                return strict(raw);
            }
        }
        return new String(raw, StandardCharsets.US_ASCII);
    }

    /** The bytes as UTF-8 text, refusing malformed or unmappable input. */
    static String strict(byte[] raw) throws CharacterCodingException {
        return StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(raw))
                .toString();
    }

    private static boolean isUtf8(byte[] raw) {
        try {
            strict(raw);
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A string field, or a number or boolean as text; null where absent, null or structured. */
    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        return v.isTextual() ? v.textValue() : v.asText();
    }

    /** A number field, or a numeric string; the fallback where absent or not a finite number. */
    static double number(JsonNode n, String field, double fallback) {
        JsonNode v = n.get(field);
        double d;
        if (v == null) {
            return fallback;
        } else if (v.isNumber()) {
            d = v.doubleValue();
        } else if (v.isTextual()) {
            try {
                d = Double.parseDouble(v.textValue().trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        } else {
            return fallback;
        }
        return Double.isFinite(d) ? d : fallback;
    }

    /**
     * Sets the record's type and whom it is about: an alias names the customer and the visitor it
     * was ({@code previousId}); a record with a userId is the customer's (with the visitor's id when
     * it differs); one with only an anonymousId is the visitor's.
     */
    static void identify(InputRecord r, String type, String userId, String anonymousId, String previousId) {
        r.type = type;
        if ("alias".equals(type)) {
            r.userId = userId;
            r.anonymousId = previousId;
        } else if (userId != null) {
            r.userId = userId;
            r.anonymousId = userId.equals(anonymousId) ? null : anonymousId;
        } else {
            r.userId = anonymousId;
            r.anonymous = true;
        }
    }

    @SafeVarargs
    static <T> T firstNonNull(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
