package dev.attune.contract;

import java.util.regex.Pattern;

/**
 * Removes email addresses and phone numbers from free text, once, where the text enters Attune,
 * so that no state, output, log or prompt can ever hold them.
 */
public final class Redactor {
    public static final String EMAIL = "[email]";
    public static final String PHONE = "[phone]";

    /** An at sign: '@', the fullwidth '＠' or the small '﹫'. */
    private static final String AT_SIGN = "[@\\uFF20\\uFE6B]";

    /**
     * Linear in the text and without deep recursion, whatever the text: a match starts only where a
     * run of local-part characters starts (or where the previous match ended), and the repetitions
     * are possessive, since giving characters back can never produce another match. (Greedy and
     * unanchored, a 200 KB text with one '@' took minutes, and 5,000 ".x" groups overflowed the stack.)
     */
    private static final Pattern EMAIL_PATTERN =
            Pattern.compile("(?:\\G|(?<![\\p{L}\\p{N}._%+'-]))[\\p{L}\\p{N}._%+'-]++" + AT_SIGN
                    + "[\\p{L}\\p{N}-]++(?:[.\\uFF0E][\\p{L}\\p{N}-]++)++");
    /**
     * A whitespace-delimited token with an at sign after its first character, whole. Same matches as
     * {@code \\S+@\\S*}, but tried only where a token starts and possessive, so linear: unanchored,
     * that took minutes over a 200 KB token without an '@' in a text that had one elsewhere.
     */
    private static final Pattern AT_TOKEN = Pattern.compile("(?<!\\S)\\S[^\\s@\\uFF20\\uFE6B]*+" + AT_SIGN + "\\S*+");
    /**
     * Seven or more digits of any script with optional +, spaces (no-break and thin ones too), dots,
     * dashes (hyphens, en and em dashes, minus) or brackets between them (possessive, as above).
     */
    private static final Pattern PHONE_PATTERN = Pattern.compile(
            "(?:\\+|00)?\\(?\\p{Nd}(?:[\\s\\u00A0\\u2007\\u2009\\u202F().\\-/\\u2010-\\u2015\\u2212]{0,3}\\p{Nd}){6,}+");

    /** A dot written out: {@code .}, a fullwidth one, {@code (dot)}, {@code [dot]}, {@code {dot}} or {@code " dot "}. */
    private static final String DOT = "(?:[.\\uFF0E]|\\s*+[(\\[{]\\s*+dot\\s*+[)\\]}]\\s*+|\\s++dot\\s++)";

    /**
     * An address written to slip past filters: "john dot doe at gmail dot com", "jane(at)example.org",
     * "x [at] y [dot] com", "doe＠host dot com"; the last label is letters ("at 10.30" is a time, not an
     * address), and an address with a real at sign right after it is left to the patterns above.
     * Starts only where a word starts, and each part repeats at most eight times, so the work stays
     * linear in the text.
     */
    private static final Pattern SPELLED_EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}_%+.'-])[\\p{L}\\p{N}_%+'-]++(?:" + DOT + "[\\p{L}\\p{N}_%+'-]++){0,8}+"
                    + "(?:\\s*+" + AT_SIGN + "\\s*+|\\s*+[(\\[{]\\s*+at\\s*+[)\\]}]\\s*+|\\s++at\\s++)"
                    + "[\\p{L}\\p{N}-]++(?:" + DOT + "[\\p{L}\\p{N}-]++){0,7}" + DOT
                    + "\\p{L}{2,24}+(?![\\p{L}\\p{N}@\\uFF20\\uFE6B-])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private Redactor() {}

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        if (mayHoldSpelledAddress(out)) {
            out = SPELLED_EMAIL.matcher(out).replaceAll(EMAIL);
        }
        if (hasAtSign(out)) {
            out = EMAIL_PATTERN.matcher(out).replaceAll(EMAIL);
            // Whatever still holds an at sign (odd characters, addresses run together) goes too:
            // losing a handle is better than keeping part of an address.
            out = AT_TOKEN.matcher(out).replaceAll(EMAIL);
        }
        if (countDigits(out) >= 7) {
            out = PHONE_PATTERN.matcher(out).replaceAll(PHONE);
        }
        return out;
    }

    private static boolean hasAtSign(String s) {
        return s.indexOf('@') >= 0 || s.indexOf('\uFF20') >= 0 || s.indexOf('\uFE6B') >= 0;
    }

    private static boolean mayHoldSpelledAddress(String s) {
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        return (lower.contains("at") || hasAtSign(s))
                && (lower.contains("dot") || lower.indexOf('.') >= 0 || lower.indexOf('\uFF0E') >= 0);
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
