package dev.attune.contract;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.arbitraries.StringArbitrary;

class RedactorProperties {

    @Property(tries = 500)
    void emailInAnyTextIsRemoved(
            @ForAll("surrounding") String before, @ForAll("emails") String email, @ForAll("surrounding") String after) {
        String redacted = Redactor.redact(before + email + after);
        assertThat(redacted).doesNotContain(email).contains(Redactor.EMAIL);
        // The name before the '@' is gone even where the surrounding text runs into the address.
        assertThat(redacted).doesNotContain(email.substring(0, email.indexOf('@') + 1));
    }

    @Property(tries = 500)
    void phoneInAnyTextIsRemoved(
            @ForAll("surrounding") String before, @ForAll("phones") String phone, @ForAll("surrounding") String after) {
        Assume.that(digits(before).length() + digits(after).length() < 4);
        String redacted = Redactor.redact(before + phone + after);
        assertThat(redacted).doesNotContain(phone);
        assertThat(digits(redacted)).doesNotContain(digits(phone));
    }

    @Property(tries = 500)
    void emailAndPhoneTogetherAreRemoved(
            @ForAll("surrounding") String a,
            @ForAll("emails") String email,
            @ForAll("words") String b,
            @ForAll("phones") String phone,
            @ForAll("surrounding") String c) {
        Assume.that(digits(a).length() + digits(c).length() < 4);
        String redacted = Redactor.redact(a + email + b + phone + c);
        assertThat(redacted).doesNotContain(email);
        assertThat(digits(redacted)).doesNotContain(digits(phone));
    }

    @Property(tries = 500)
    void textWithoutContactsIsUnchanged(@ForAll("plain") String text) {
        assertThat(Redactor.redact(text)).isEqualTo(text);
    }

    @Example
    void examples() {
        assertThat(Redactor.redact(null)).isNull();
        assertThat(Redactor.redact("")).isEmpty();
        assertThat(Redactor.redact("call +44 7700 900123 now")).isEqualTo("call [phone] now");
        assertThat(Redactor.redact("(555) 123-4567")).isEqualTo("[phone]");
        assertThat(Redactor.redact("0044-20-7946-0958.")).isEqualTo("[phone].");
        assertThat(Redactor.redact("mail jane.o'neil+x@mail.example.org, thanks"))
                .isEqualTo("mail [email], thanks");
        assertThat(Redactor.redact("order 123456 at 10:30 on 2026")).isEqualTo("order 123456 at 10:30 on 2026");
        assertThat(Redactor.redact("@channel ping")).isEqualTo("@channel ping");
    }

    /** Addresses and numbers written to slip past a filter, in the ways people and spammers write them. */
    @Property(tries = 500)
    void obfuscatedContactsAreRemoved(
            @ForAll("words") String before,
            @ForAll("names") String user,
            @ForAll("names") String host,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int at,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 3) int dot,
            @ForAll("words") String after) {
        String[] ats = {" at ", "(at)", " [at] ", "\uFF20", " AT ", " {at} "};
        String[] dots = {".", " dot ", "(dot)", " [DOT] "};
        String address = user + dots[dot] + "doe" + ats[at] + host + dots[dot] + "com";
        String redacted = Redactor.redact(before + address + after);
        assertThat(redacted).as(address).doesNotContain(user).doesNotContain(host);
    }

    @Property(tries = 500)
    void phonesInAnyScriptAndWithAnySeparatorAreRemoved(
            @ForAll("words") String before,
            @ForAll @net.jqwik.api.constraints.StringLength(value = 10) @net.jqwik.api.constraints.NumericChars
                    String number,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 4) int script,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 5) int separator) {
        char[] zero = {'0', '\u0660', '\u06F0', '\u0966', '\uFF10'
        }; // ASCII, Arabic-Indic, Persian, Devanagari, fullwidth
        String[] seps = {" ", "\u00A0", "\u2013", "\u202F", ".", "\u2212"};
        StringBuilder phone = new StringBuilder("+");
        for (int i = 0; i < number.length(); i++) {
            if (i == 2 || i == 5) {
                phone.append(seps[separator]);
            }
            phone.append((char) (zero[script] + (number.charAt(i) - '0')));
        }
        String redacted = Redactor.redact(before + phone + " thanks");
        assertThat(redacted)
                .as(phone.toString())
                .doesNotContain(phone.toString())
                .contains(Redactor.PHONE);
    }

    @Example
    void obfuscationExamples() {
        assertThat(Redactor.redact("mail john dot doe at gmail dot com please")).isEqualTo("mail [email] please");
        assertThat(Redactor.redact("jane(at)example.org")).isEqualTo("[email]");
        assertThat(Redactor.redact("x\uFF20y.co")).isEqualTo("[email]");
        assertThat(Redactor.redact("call +44\u00A07700\u00A0900123")).isEqualTo("call [phone]");
        assertThat(Redactor.redact("call 07700\u2013900\u2013123")).isEqualTo("call [phone]");
        // Not addresses: a time, a place.
        assertThat(Redactor.redact("see you at 10.30 at the office")).isEqualTo("see you at 10.30 at the office");
        assertThat(Redactor.redact("I was at home. Then it broke")).isEqualTo("I was at home. Then it broke");
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings()
                .withCharRange('a', 'z')
                .ofMinLength(4)
                .ofMaxLength(10)
                .map(n -> "q" + n);
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> local = Combinators.combine(
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .numeric()
                                .ofMinLength(1)
                                .ofMaxLength(12),
                        Arbitraries.strings()
                                .withCharRange('a', 'z')
                                .withChars("0123456789._%+-'")
                                .ofMaxLength(12))
                .as(String::concat);
        Arbitrary<String> label = Arbitraries.strings()
                .withCharRange('a', 'z')
                .numeric()
                .ofMinLength(1)
                .ofMaxLength(10);
        Arbitrary<String> domain = label.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(".", l));
        Arbitrary<String> tld =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6);
        Arbitrary<String> email = Combinators.combine(local, domain, tld).as((l, d, t) -> l + "@" + d + "." + t);
        return Arbitraries.oneOf(email, email.map(String::toUpperCase));
    }

    @Provide
    Arbitrary<String> phones() {
        StringArbitrary d = Arbitraries.strings().numeric();
        Arbitrary<String> uk = Combinators.combine(d.ofLength(2), d.ofLength(4), d.ofLength(6))
                .as((c, a, n) -> "+" + c + " " + a + " " + n);
        Arbitrary<String> us = Combinators.combine(d.ofLength(3), d.ofLength(3), d.ofLength(4))
                .as((a, b, c) -> "(" + a + ") " + b + "-" + c);
        Arbitrary<String> intl = Combinators.combine(d.ofLength(2), d.ofLength(2), d.ofLength(4), d.ofLength(4))
                .as((c, a, b, n) -> "00" + c + "-" + a + "-" + b + "-" + n);
        Arbitrary<String> dotted =
                Combinators.combine(d.ofLength(3), d.ofLength(3), d.ofLength(4)).as((a, b, c) -> a + "." + b + "." + c);
        Arbitrary<String> plainDigits = d.ofMinLength(7).ofMaxLength(15);
        Arbitrary<String> grouped = d.ofMinLength(1)
                .ofMaxLength(4)
                .list()
                .ofMinSize(2)
                .ofMaxSize(5)
                .filter(l -> l.stream().mapToInt(String::length).sum() >= 7)
                .map(l -> "+" + String.join(" ", l));
        return Arbitraries.oneOf(
                uk,
                us,
                intl,
                dotted,
                plainDigits,
                grouped,
                Arbitraries.of(
                        "+44 7700 900123",
                        "(555) 123-4567",
                        "0044-20-7946-0958",
                        "+1 (555) 123-4567",
                        "+33 6 12 34 56 78",
                        "+44 (0) 20 7946 0958"));
    }

    /** Any text at all: letters of any script, punctuation, whitespace, control characters. */
    @Provide
    Arbitrary<String> surrounding() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().all().ofMaxLength(30),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(30),
                Arbitraries.of("", " ", "Hi, ", "mail: ", "<", ">", "(", ")", "\"", "\n", "é", "x", "-", ".", "_"));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings()
                .alpha()
                .withChars(" ,.;:!?")
                .ofMinLength(1)
                .ofMaxLength(20)
                .map(s -> " " + s + " ");
    }

    /** Text with no '@' and fewer than 7 digits. */
    @Provide
    Arbitrary<String> plain() {
        return Arbitraries.oneOf(
                        Arbitraries.strings().all().ofMaxLength(80),
                        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(80))
                .filter(s -> s.indexOf('@') < 0
                        && s.indexOf('\uFF20') < 0
                        && s.indexOf('\uFE6B') < 0
                        && s.chars().filter(Character::isDigit).count() < 7);
    }

    private static String digits(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
