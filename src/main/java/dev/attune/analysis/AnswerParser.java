package dev.attune.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Analysis;
import dev.attune.contract.Json;
import dev.attune.contract.Redactor;
import dev.attune.contract.Schemas;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a model's text into an {@link Analysis}: the first JSON object in it, validated against
 * {@code schemas/model-answer.schema.json}, then clamped (numbers into range, lists and strings
 * shortened, action codes normalised and kept only where the product knows them, contact details
 * redacted). Text a customer reads with a link or a request for credentials or payment
 * ({@link CustomerText}) is rejected like anything else that does not fit, and the caller uses the
 * heuristic answer.
 */
public final class AnswerParser {
    static final int MAX_ITEMS = 3;
    static final int MAX_TEXT = 400;
    private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private AnswerParser() {}

    /** A model answer that does not fit; its message goes to the dead-letter record. */
    public static final class InvalidAnswer extends Exception {
        public InvalidAnswer(String message) {
            super(message);
        }
    }

    public static Analysis parse(String text, String kind, String modelId, String source, String fallbackLocaleMessage)
            throws InvalidAnswer {
        if (text == null) {
            throw new InvalidAnswer("empty answer");
        }
        int start = text.indexOf('{');
        int end = text.lastIndexOf('}');
        if (start < 0 || end < start) {
            throw new InvalidAnswer("answer holds no JSON object");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(text.substring(start, end + 1));
        } catch (Exception e) {
            throw new InvalidAnswer("answer is not JSON: " + e.getClass().getSimpleName());
        }
        var errors = Schemas.validate("model-answer", n);
        if (!errors.isEmpty()) {
            throw new InvalidAnswer("answer does not fit the schema: "
                    + errors.iterator().next().getMessage());
        }
        boolean churn = "churn".equals(kind);
        String category =
                n.path("churnCategory").isTextual() ? n.get("churnCategory").textValue() : null;
        if (churn && category == null) {
            throw new InvalidAnswer("churn answer without churnCategory");
        }
        List<Analysis.WinBackMessage> sequence = null;
        if (churn) {
            if (!n.has("winBackSequence")) {
                throw new InvalidAnswer("churn answer without winBackSequence");
            }
            sequence = new ArrayList<>();
            int step = 1;
            int lastDays = 0;
            for (JsonNode m : n.get("winBackSequence")) {
                int days = Math.max(
                        lastDays,
                        Math.min(90, Math.max(0, m.path("sendAfterDays").asInt(step * 7))));
                String subject = customerText(clean(m.get("subject").asText(), 120), "winBackSequence subject");
                String body = customerText(clean(m.get("body").asText(), 1000), "winBackSequence body");
                sequence.add(new Analysis.WinBackMessage(step++, days, subject, body));
                lastDays = days;
            }
        }
        Double confidence = null;
        if (n.path("confidence").isNumber()) {
            confidence = Math.max(0, Math.min(1, n.get("confidence").asDouble()));
        } else if (churn) {
            confidence = 0.5;
        }
        String engagement =
                n.path("engagementLevel").isTextual() ? n.get("engagementLevel").textValue() : null;
        return new Analysis(
                source,
                modelId,
                churn ? category : null,
                confidence,
                engagement,
                texts(n.get("insights")),
                actions(n.get("recommendedActions")),
                customerText(clean(n.get("message").asText(), 300), "message"),
                sequence);
    }

    /** The model's exit risk, clamped to 0-100, or -1 where it gave none. */
    public static int exitRisk(String text) {
        try {
            JsonNode n = Json.MAPPER.readTree(text.substring(text.indexOf('{'), text.lastIndexOf('}') + 1));
            return n.path("exitRisk").isNumber()
                    ? (int) Math.max(
                            0, Math.min(100, Math.round(n.get("exitRisk").asDouble())))
                    : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private static List<String> texts(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : arr) {
            String s = clean(t.asText(), MAX_TEXT);
            if (!s.isEmpty() && out.size() < MAX_ITEMS) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<String> actions(JsonNode arr) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : arr) {
            String a = t.asText()
                    .trim()
                    .toLowerCase(Locale.ROOT)
                    .replaceAll("[^a-z0-9]+", "_")
                    .replaceAll("^_+|_+$", "");
            if (ACTION.matcher(a).matches()
                    && CustomerText.ACTIONS.contains(a)
                    && out.size() < MAX_ITEMS
                    && !out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /** Text a customer will read, or the answer is rejected. */
    private static String customerText(String text, String field) throws InvalidAnswer {
        String problem = CustomerText.problem(text);
        if (problem != null) {
            throw new InvalidAnswer(field + " " + problem);
        }
        return text;
    }

    /** Shortened, single-line, contact details redacted: a model can echo what it was shown. */
    static String clean(String s, int max) {
        String t = Redactor.redact(s.replaceAll("[\\p{Cntrl}&&[^\\n]]", " ").trim());
        return t.length() > max ? t.substring(0, max) : t;
    }
}
