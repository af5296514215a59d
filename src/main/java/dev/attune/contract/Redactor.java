package dev.attune.contract;

import java.util.regex.Pattern;

/**
 * Removes email addresses and phone numbers from free text, once, where the text enters Attune,
 * so that no state, output, log or prompt can ever hold them.
 */
public final class Redactor {
    public static final String EMAIL = "[email]";
    public static final String PHONE = "[phone]";

    /**
     * Linear in the text and without deep recursion, whatever the text: a match starts only where a
     * run of local-part characters starts (or where the previous match ended), and the repetitions
     * are possessive, since giving characters back can never produce another match. (Greedy and
     * unanchored, a 200 KB text with one '@' took minutes, and 5,000 ".x" groups overflowed the stack.)
     */
    private static final Pattern EMAIL_PATTERN = Pattern.compile(
            "(?:\\G|(?<![\\p{L}\\p{N}._%+'-]))[\\p{L}\\p{N}._%+'-]++@[\\p{L}\\p{N}-]++(?:\\.[\\p{L}\\p{N}-]++)++");
    /**
     * A whitespace-delimited token with an '@' after its first character, whole. Same matches as
     * {@code \S+@\S*}, but tried only where a token starts and possessive, so linear: unanchored,
     * that took minutes over a 200 KB token without an '@' in a text that had one elsewhere.
     */
    private static final Pattern AT_TOKEN = Pattern.compile("(?<!\\S)\\S[^\\s@]*+@\\S*+");
    /** Seven or more digits with optional +, spaces, dots, dashes or brackets between them (possessive, as above). */
    private static final Pattern PHONE_PATTERN = Pattern.compile("(?:\\+|00)?\\(?\\d(?:[\\s().\\-/]{0,3}\\d){6,}+");

    private Redactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (out.indexOf('@') >= 0) {
            out = EMAIL_PATTERN.matcher(out).replaceAll(EMAIL);
            // Whatever still holds an '@' (odd characters, addresses run together) goes too:
            // losing a handle is better than keeping part of an address.
            out = AT_TOKEN.matcher(out).replaceAll(EMAIL);
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
