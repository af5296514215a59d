package dev.attune.analysis;

import dev.attune.contract.Json;
import dev.attune.contract.Reason;
import dev.attune.contract.Redactor;
import dev.attune.signals.CustomerState;
import dev.attune.signals.EventKind;
import dev.attune.signals.Risk;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Builds prompts from the templates in {@code prompts/}. What goes in: event kinds and times,
 * the rules' reasons, tier, engagement, locale, and customer text redacted again and quoted as a
 * JSON string inside a data block the instructions say is data. What never goes in: user ids,
 * names, email addresses, phone numbers (none are kept in state).
 */
public final class Prompts {
    static final int MAX_TEXT = 1000;
    private static final String JOURNEY = load("prompts/journey.txt");
    private static final String CHURN = load("prompts/churn.txt");

    private Prompts() {}

    public static String journey(
            String type, Risk risk, CustomerState s, String engagement, String locale, String customerText, long now) {
        return JOURNEY.replace("{{type}}", type)
                .replace("{{riskScore}}", Integer.toString(risk.score()))
                .replace("{{riskLevel}}", risk.level())
                .replace("{{reasons}}", reasons(risk))
                .replace("{{journey}}", journey(s, now))
                .replace("{{tier}}", s.tier == null ? "unknown" : s.tier)
                .replace("{{engagement}}", engagement)
                .replace("{{locale}}", locale)
                .replace("{{customerText}}", quoted(customerText));
    }

    public static String churn(CustomerState s, String engagement, String locale, String reasonText, long now) {
        return CHURN.replace("{{tier}}", s.tier == null ? "unknown" : s.tier)
                .replace("{{engagement}}", engagement)
                .replace("{{journey}}", journey(s, now))
                .replace("{{locale}}", locale)
                .replace("{{customerText}}", quoted(reasonText));
    }

    /** Customer text as a JSON string literal: redacted, shortened, its own quotes escaped. */
    static String quoted(String text) {
        String t = text == null ? "" : Redactor.redact(text);
        if (t.length() > MAX_TEXT) {
            t = t.substring(0, MAX_TEXT);
        }
        // Angle brackets escaped too, so text cannot close the data block.
        return jsonString(t).replace("<", "\\u003c").replace(">", "\\u003e");
    }

    private static String jsonString(String t) {
        try {
            return Json.MAPPER.writeValueAsString(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String reasons(Risk risk) {
        StringBuilder sb = new StringBuilder();
        for (Reason r : risk.reasons()) {
            sb.append(r.code())
                    .append(" (")
                    .append(r.value())
                    .append(", +")
                    .append(r.contribution())
                    .append("); ");
        }
        return sb.length() == 0 ? "none" : sb.substring(0, sb.length() - 2);
    }

    static String journey(CustomerState s, long now) {
        if (s.journeyKinds == null) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.journeyKinds.length; i++) {
            sb.append(EventKind.of(s.journeyKinds[i]).name().toLowerCase(Locale.ROOT))
                    .append(" -")
                    .append((now - s.journeyTimes[i]) / 1000)
                    .append("s, ");
        }
        return sb.substring(0, sb.length() - 2);
    }

    public static String hash(String modelId, String prompt) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(modelId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(prompt.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String load(String resource) {
        try (InputStream in = Prompts.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
