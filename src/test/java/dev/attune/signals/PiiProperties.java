package dev.attune.signals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.signals.Histories.Kind;
import dev.attune.signals.Histories.Render;
import dev.attune.signals.Histories.Step;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Contact details given to Attune (in ticket text, cancellation reasons, survey comments, replies and
 * identify traits) never come out again, in any output record.
 */
class PiiProperties {

    @Provide
    Arbitrary<List<Step>> histories() {
        return Histories.histories();
    }

    @Provide
    Arbitrary<String> emails() {
        Arbitrary<String> word =
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10);
        Arbitrary<String> local = Combinators.combine(word, word, Arbitraries.of(".", "_", "+", "-", ""))
                .as((a, b, sep) -> a + sep + b);
        Arbitrary<String> tld = Arbitraries.of("com", "co.uk", "io", "org");
        return Combinators.combine(local, word, tld).as((l, d, t) -> l + "@" + d + "." + t);
    }

    @Provide
    Arbitrary<String> phones() {
        Arbitrary<String> d3 = Arbitraries.strings().numeric().ofLength(3);
        Arbitrary<String> d4 = Arbitraries.strings().numeric().ofLength(4);
        Arbitrary<String> d6 = Arbitraries.strings().numeric().ofLength(6);
        return Arbitraries.oneOf(
                Combinators.combine(d4, d6).as((a, b) -> "+44 7" + a + " " + b),
                Combinators.combine(d3, d6).as((a, b) -> "07" + a + "-" + b),
                Combinators.combine(d3, d3, d4).as((a, b, c) -> "(" + a + ") " + b + "-" + c),
                Combinators.combine(d3, d3, d4).as((a, b, c) -> "+1 " + a + "." + b + "." + c),
                Combinators.combine(d4, d6).as((a, b) -> "0049" + a + b));
    }

    @Property(tries = 200)
    void contactDetailsNeverReachAnOutput(
            @ForAll("histories") List<Step> steps, @ForAll("emails") String email, @ForAll("phones") String phone) {
        Assume.that(steps.stream().anyMatch(s -> s.kind() != Kind.DUPLICATE));
        Render withContacts =
                new Render(t -> t + " Reach me at " + email + " or on " + phone + ", thanks.", email, phone);
        List<InputRecord> records = Histories.render(steps, withContacts);
        List<OutputRecord> out = Histories.run(records);
        check(out, email, phone);
    }

    /** A history that certainly carries contacts through every text and trait, and makes interventions. */
    @Example
    void everyTextAndTraitAtOnce() {
        String email = "jane.o-neil+work@example.co.uk";
        String phone = "+44 7700 900123";
        List<Step> steps = List.of(
                new Step(1_000, Kind.IDENTIFY, 0, 0, 1),
                new Step(1_000, Kind.TICKET, 4, 0, 0), // urgent, furious
                new Step(1_000, Kind.SURVEY, 0, 0, 3), // NPS 0, "Terrible support"
                new Step(1_000, Kind.REPLY, 2, 0, 0),
                // pricing; days later, so the service recovery no longer holds the win-back
                new Step(4 * 86_400_000L, Kind.CANCEL, 0, 0, 0),
                new Step(1_000, Kind.DUPLICATE, 0, 0, 0));
        Render withContacts = new Render(t -> t + " Reach me at " + email + " or on " + phone + ".", email, phone);
        List<InputRecord> records = Histories.render(steps, withContacts);
        List<OutputRecord> out = Histories.run(records);
        assertThat(out)
                .extracting(o -> Events.json(o).path("type").asText(""))
                .contains("service_recovery", "win_back");
        check(out, email, phone);
    }

    private static void check(List<OutputRecord> out, String email, String phone) {
        String phoneDigits = digits(phone);
        String local = email.substring(0, email.indexOf('@'));
        for (OutputRecord o : out) {
            assertThat(o.json)
                    .as(o.json)
                    .doesNotContainIgnoringCase(email)
                    .doesNotContain(local + "@")
                    .doesNotContain("Reach me");
            // A phone number written in any layout is a run of digits and separators; compare the digits
            // of each such run (not of the whole record, whose timestamps and ids hold long digit runs).
            Matcher run = PHONE_LIKE.matcher(o.json);
            while (run.find()) {
                assertThat(digits(run.group()))
                        .as("digits of '%s' in %s", run.group(), o.json)
                        .doesNotContain(phoneDigits);
            }
        }
    }

    private static final Pattern PHONE_LIKE = Pattern.compile("[0-9][0-9 ().+\\-]*");

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }
}
