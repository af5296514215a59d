package dev.attune.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeakScannerTest {
    static final String TICKET = "{\"messageId\":\"m-7-007700-90\",\"userId\":\"u-44770090\",\"type\":\"track\","
            + "\"event\":\"Support Ticket Created\",\"timestamp\":\"2026-11-21T10:15:30.123Z\",\"properties\":{\"text\":"
            + "\"Furious. Call me on +44 7700 900123 or mail Jane.Doe+work@example.co.uk\"}}";
    static final String IDENTIFY = "{\"messageId\":\"m-2\",\"userId\":\"u-2\",\"type\":\"identify\","
            + "\"timestamp\":1795000000000,\"traits\":{\"email\":\"bob\\u0040shop.example.com\",\"phone\":\"(415) 555-2671\"}}";

    static LeakScanner.Contacts contacts(Path in) throws IOException {
        Files.createDirectories(in.resolve("user-events"));
        Files.writeString(in.resolve("user-events/a.jsonl"), TICKET + "\n" + IDENTIFY + "\n");
        return LeakScanner.collect(List.of(in));
    }

    @Test
    void collectsEmailsAndPhonesFromTextAndTraitsButNotFromIdsAndTimes(@TempDir Path in) throws IOException {
        LeakScanner.Contacts c = contacts(in);
        assertThat(c.emails()).containsExactlyInAnyOrder("jane.doe+work@example.co.uk", "bob@shop.example.com");
        assertThat(c.phones()).containsOnlyKeys("7700900123", "4155552671");
    }

    @Test
    void datesTimesYearsAndShortCodesAreNotPhoneNumbers() {
        LeakScanner.Contacts c = new LeakScanner.Contacts();
        LeakScanner.collectText(
                "Seen 2026-10-25 and 25/10/2026 at 10:15:30, order 1234567, year 2026, +44 7700 900123", c);
        assertThat(c.phones()).containsOnlyKeys("7700900123");
    }

    @Test
    void findsAPlantedLeakWhateverTheLayoutAndNamesFileAndLine(@TempDir Path in, @TempDir Path out) throws IOException {
        LeakScanner.Contacts c = contacts(in);
        Files.writeString(out.resolve("clean.jsonl"), "{\"text\":\"Furious. Call me on [phone] or mail [email]\"}\n");
        Files.createDirectories(out.resolve("logs"));
        Files.writeString(
                out.resolve("logs/job.log"),
                String.join(
                        "\n",
                        "10:15:30.123 INFO nothing here",
                        "10:15:30.124 DEBUG ticket text=Call me on +447700900123", // spaces removed
                        "10:15:30.125 DEBUG 07700-900-123", // national form, dashes
                        "10:15:30.126 DEBUG to <JANE.DOE+WORK@EXAMPLE.CO.UK>", // case changed
                        "10:15:30.127 DEBUG 4155552671 and bob@shop.example.com"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("x\n+1 415.555.2671\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(out.resolve("logs/old.log.gz"), gz.toByteArray());

        List<LeakScanner.Hit> hits = LeakScanner.scan(c, List.of(out), false);
        assertThat(hits)
                .extracting(h -> out.relativize(h.file()) + ":" + h.line() + " " + h.kind() + " " + h.value())
                .containsExactly(
                        "logs/job.log:2 phone +44 7700 900123",
                        "logs/job.log:3 phone +44 7700 900123",
                        "logs/job.log:4 email jane.doe+work@example.co.uk",
                        "logs/job.log:5 email bob@shop.example.com",
                        "logs/job.log:5 phone (415) 555-2671",
                        "logs/old.log.gz:2 phone (415) 555-2671");
    }

    @Test
    void noFalsePositiveOnIdsTimesAndOtherAddresses(@TempDir Path in, @TempDir Path out) throws IOException {
        LeakScanner.Contacts c = contacts(in);
        // The input's own ids and times, output ids and times, and contacts that were not in the input.
        Files.writeString(
                out.resolve("outputs.jsonl"),
                String.join(
                        "\n",
                        "{\"interventionId\":\"01937700-9001-8230-8123-415555267a1f\",\"userId\":\"u-44770090\","
                                + "\"eventTime\":\"2026-11-21T10:15:30.123Z\",\"triggerMessageIds\":[\"m-7-007700-90\"]}",
                        "{\"position\":\"user-events/a.jsonl:1795000000000\",\"eventTime\":1795000000000}",
                        "{\"text\":\"mail doe@example.co.uk or jane@example.com, call +44 7700 900124\"}"));
        assertThat(LeakScanner.scan(c, List.of(out), false)).isEmpty();
    }

    @Test
    void deadLetterRawIsLeftOutOnlyWhenAllowed(@TempDir Path in, @TempDir Path out) throws IOException {
        LeakScanner.Contacts c = contacts(in);
        String deadLetter =
                "{\"deadLetterId\":\"d-1\",\"raw\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(TICKET)
                        + ",\"error\":{\"code\":\"late_event\",\"message\":\"behind the watermark\"}}";
        String leakyDeadLetter = deadLetter.replace("behind the watermark", "bad text: call +44 7700 900123");
        Files.writeString(out.resolve("dead-letter.jsonl"), deadLetter + "\n" + leakyDeadLetter + "\n");
        assertThat(LeakScanner.scan(c, List.of(out), false))
                .extracting(LeakScanner.Hit::line)
                .containsExactly(1L, 1L, 2L, 2L, 2L);
        assertThat(LeakScanner.scan(c, List.of(out), true))
                .extracting(h -> h.line() + " " + h.value())
                .containsExactly("2 +44 7700 900123");
    }

    @Test
    void mainExitsOneOnAHitZeroWhenCleanTwoOnBadArguments(@TempDir Path in, @TempDir Path out) throws IOException {
        contacts(in);
        Files.writeString(out.resolve("a.log"), "clean\n");
        assertThat(run("--inputs", in.toString(), "--scan", out.toString())).isZero();
        Files.writeString(out.resolve("b.log"), "call 07700 900123\n");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int code = LeakScanner.run(
                new String[] {"--inputs", in.toString(), "--scan", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isEqualTo(1);
        assertThat(stdout.toString(StandardCharsets.UTF_8)).contains("1 hits", out.resolve("b.log") + ":1: phone");
        assertThat(run("--inputs", in.toString())).isEqualTo(2);
        assertThat(run("--scan", out.toString(), "--inputs")).isEqualTo(2);
        assertThat(run("--inputs", in.toString(), "--scan", out.toString(), "--bogus"))
                .isEqualTo(2);
        assertThat(run("--inputs", in.resolve("missing").toString(), "--scan", out.toString()))
                .isEqualTo(2);
    }

    private static int run(String... args) {
        PrintStream nul = new PrintStream(new ByteArrayOutputStream());
        return LeakScanner.run(args, nul, nul);
    }
}
