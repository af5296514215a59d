package dev.attune.contract;

import java.util.regex.Pattern;

/**
 * Removes email addresses and phone numbers from free text, once, where the text enters Attune,
 * so that no state, output, log or prompt can ever hold them.
 */
public final class Redactor {
    public static final String EMAIL = "[email]";
    public static final String PHONE = "[phone]";

    private static final Pattern EMAIL_PATTERN =
            Pattern.compile("[\\p{L}\\p{N}._%+'-]+@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)+");
    /** Seven or more digits with optional +, spaces, dots, dashes or brackets between them. */
    private static final Pattern PHONE_PATTERN =
            Pattern.compile("(?:\\+|00)?\\(?\\d(?:[\\s().\\-/]{0,3}\\d){6,}");

    private Redactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (out.indexOf('@') >= 0) {
            out = EMAIL_PATTERN.matcher(out).replaceAll(EMAIL);
        }
        if (countDigits(out) >= 7) {
            out = PHONE_PATTERN.matcher(out).replaceAll(PHONE);
        }
        return out;
    }

    private static int countDigits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }
}
