package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import dev.attune.testing.CapturedLogs;
import dev.attune.testing.LeakScanner;
import dev.attune.testing.LocalBedrock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contact details and credentials never reach an output or a log. The whole job (command line,
 * its own local cluster, as {@code java -jar} runs it) replays the replay fixture (with {@code -Pfuzz}:
 * the fuzz replay's whole input, corpus and mutants) and a history full of
 * contact details (identify traits, ticket text, cancellation reasons, survey comments, replies,
 * error messages, page names) with every log event captured to a file ({@code dev.attune} at DEBUG,
 * the rest at INFO); {@link LeakScanner} then reads the outputs, the logs and what the command
 * printed. The {@code raw} field of dead letters is the input record by contract and is left out;
 * the rest of each dead letter is scanned. Then the fixture runs in Bedrock mode against
 * {@link LocalBedrock} with credentials given as a user gives them, and neither the secret key nor
 * the session token appears anywhere.
 */
class LeakScanITCase {
    static final int CONTACT_CUSTOMERS = 60;
    /** {@code -Pfuzz}: the fuzz replay's input too (about 20 s more); by default the replay fixture. */
    static final boolean WITH_FUZZ = Boolean.getBoolean("attune.leakscan.fuzz");

    @Test
    void noContactDetailOfTheInputInAnyOutputOrLog(@TempDir Path in, @TempDir Path out, @TempDir Path logs)
            throws Exception {
        if (WITH_FUZZ) {
            FuzzReplayITCase.writeInput(in); // the fuzz corpus, mutants and the replay fixture
        } else {
            dev.attune.testing.TestFiles.copyTree(ReplayITCase.FIXTURE.resolve("input"), in);
        }
        writeContactHistory(in, CONTACT_CUSTOMERS);

        try (CapturedLogs captured = CapturedLogs.to(logs.resolve("job.log"))) {
            runJob(
                    logs,
                    "--profile",
                    "jobs/replay.properties",
                    "--input.path",
                    in.toString(),
                    "--output.path",
                    out.toString(),
                    "--checkpoint.interval",
                    "1 s");
        }

        LeakScanner.Contacts contacts = LeakScanner.collect(List.of(in));
        assertThat(contacts.emails()).as("addresses in the input").hasSizeGreaterThan(2 * CONTACT_CUSTOMERS);
        assertThat(contacts.phones()).as("numbers in the input").hasSizeGreaterThan(2 * CONTACT_CUSTOMERS);
        assertThat(Files.size(logs.resolve("job.log")))
                .as("the log captured the run")
                .isGreaterThan(10_000);
        assertThat(LeakScanner.scan(contacts, List.of(out), false))
                .as("the scan sees dead letters' raw records")
                .isNotEmpty();

        List<String> interventions = dev.attune.io.RunSummary.records(out, Streams.INTERVENTIONS);
        for (String type : List.of("service_recovery", "win_back", "live_chat_offer")) {
            assertThat(interventions)
                    .as("%s for the customers with contact details", type)
                    .anyMatch(i -> i.contains("\"userId\":\"leak-") && i.contains("\"type\":\"" + type + "\""));
        }
        List<LeakScanner.Hit> hits = LeakScanner.scan(contacts, List.of(out, logs), true);
        System.out.printf(
                "%nLeakScanITCase (%s): %d email addresses and %d phone numbers in the input (%d files);"
                        + " scanned %d output records and %d log lines: %d hits%n",
                WITH_FUZZ ? "fuzz input + contacts" : "replay fixture + contacts",
                contacts.emails().size(),
                contacts.phones().size(),
                count(in),
                lines(out),
                lines(logs),
                hits.size());
        assertThat(hits).as("contact details of the input in outputs or logs").isEmpty();
    }

    @Test
    void credentialsNeverReachALogOrAnOutput(@TempDir Path out, @TempDir Path journal, @TempDir Path logs)
            throws Exception {
        String keyId = "AKIALEAKSCANKEY00001";
        String secret = "leakScanSecret/9f8e7d6c5b4a39281706f5e4d3c2b1a0ZZtop";
        String token = "leakScanSessionToken+IQoJb3JpZ2luX2VjEJ3//////////wEaCXVzLWVhc3QtMSJHMEUCIQ";
        String[] keys = {"aws.accessKeyId", "aws.secretAccessKey", "aws.sessionToken"};
        String[] before = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            before[i] = System.getProperty(keys[i]);
        }
        System.setProperty("aws.accessKeyId", keyId);
        System.setProperty("aws.secretAccessKey", secret);
        System.setProperty("aws.sessionToken", token);
        try (LocalBedrock bedrock = LocalBedrock.start();
                CapturedLogs captured = CapturedLogs.to(logs.resolve("job.log"))) {
            runJob(
                    logs,
                    "--profile",
                    "jobs/replay.properties",
                    "--input.path",
                    ReplayITCase.FIXTURE.resolve("input").toString(),
                    "--output.path",
                    out.toString(),
                    "--checkpoint.interval",
                    "1 s",
                    "--analysis.mode",
                    "bedrock",
                    "--bedrock.endpoint",
                    bedrock.endpoint(),
                    "--bedrock.region",
                    "us-east-1",
                    "--analysis.journal.path",
                    journal.toString());
            assertThat(bedrock.calls()).as("the model was called").isPositive();
            assertThat(bedrock.requests()).as("with the session's credentials").allSatisfy(c -> {
                assertThat(c.headers().get("x-amz-security-token")).isEqualTo(token);
                assertThat(c.headers().get("authorization")).contains(keyId);
            });
        } finally {
            for (int i = 0; i < keys.length; i++) {
                if (before[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], before[i]);
                }
            }
        }
        assertThat(Files.readString(logs.resolve("job.log")))
                .as("the log captured the run")
                .contains("Starting Flink Mini Cluster", "analyse with model");
        List<String> found = new ArrayList<>();
        for (Path root : List.of(out, journal, logs)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    for (String s : List.of(secret, token, "leakScanSecret", "leakScanSessionToken")) {
                        if (text.contains(s)) {
                            found.add(f + ": " + s);
                        }
                    }
                }
            }
        }
        System.out.printf(
                "%nLeakScanITCase: Bedrock run with a secret key and session token in system properties;"
                        + " %d log lines, %d output records, journal scanned: %d hits%n",
                lines(logs), lines(out), found.size());
        assertThat(found).as("secret key or session token written").isEmpty();
    }

    /** Runs the command line; what it prints goes into the logs folder, scanned with the log. */
    static void runJob(Path logs, String... args) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = Main.run(
                args,
                new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        Files.write(logs.resolve("stdout.txt"), stdout.toByteArray());
        Files.write(logs.resolve("stderr.txt"), stderr.toByteArray());
        assertThat(code)
                .as("exit code; stderr: %s", stderr.toString(StandardCharsets.UTF_8))
                .isZero();
    }

    /**
     * Customers whose every free text and trait carries contact details, in several layouts, and who
     * trigger interventions (urgent tickets, cancellations, detractor surveys) and campaign sends.
     */
    static void writeContactHistory(Path in, int customers) throws IOException {
        List<String> user = new ArrayList<>();
        List<String> engagement = new ArrayList<>();
        List<String> requests = new ArrayList<>();
        String[] layouts = {"+44 7911 1%05d", "07911 1%05d", "+447911 1%05d", "(0)7911-1%05d"};
        for (int c = 0; c < customers; c++) {
            String u = "leak-" + c;
            String email = "first.last" + c + "+tag@mail" + (c % 7) + ".example.org";
            String phone = String.format(layouts[c % layouts.length], 10_000 + c);
            String other = String.format("+1 (415) 555-%04d", c);
            String other2 = "j.doe_" + c + "@Example.COM";
            String hh = String.format("%02d", 9 + c % 8);
            String t = "2026-11-2" + (1 + c % 3) + "T" + hh + ":";
            user.add("{\"messageId\":\"" + u + "-0\",\"userId\":\"" + u + "\",\"type\":\"identify\",\"timestamp\":\""
                    + t
                    + "00:00Z\",\"traits\":{\"timezone\":\"Europe/London\",\"locale\":\"en-GB\",\"email\":\"" + email
                    + "\",\"phone\":\"" + phone + "\",\"name\":\"Jo " + c
                    + "\",\"consent\":{\"email\":true,\"sms\":true,"
                    + "\"whatsapp\":true}}}");
            user.add("{\"messageId\":\"" + u + "-1\",\"userId\":\"" + u + "\",\"type\":\"page\",\"timestamp\":\"" + t
                    + "01:00Z\",\"name\":\"/account/" + email + "/billing\",\"properties\":{\"durationMs\":20000}}");
            user.add("{\"messageId\":\"" + u + "-2\",\"userId\":\"" + u
                    + "\",\"type\":\"track\",\"event\":\"Error Shown\","
                    + "\"timestamp\":\"" + t
                    + "02:00Z\",\"properties\":{\"code\":\"E_NO_ACCOUNT\",\"message\":\"No account for "
                    + other2 + ", call " + other + "\"}}");
            if (c % 10 == 0) { // malformed: a dead letter whose raw record holds the contacts
                user.add("{\"messageId\":\"" + u + "-bad\",\"userId\":\"" + u + "\",\"type\":\"identify\","
                        + "\"timestamp\":\"yesterday, ring " + phone + "\",\"traits\":{\"email\":\"" + email + "\"}}");
                user.add("{\"messageId\":\"" + u + "-bad2\",\"userId\":\"" + u + "\",\"type\":\"track\",\"event\":"
                        + "\"Support Ticket Created\",\"timestamp\":\"" + t + "05:00Z\",\"properties\":{\"text\":"
                        + "{\"body\":\"call " + phone + "\"},\"priority\":\"" + email + "\"}}");
            }
            for (int k = 0; k < 3; k++) {
                user.add("{\"messageId\":\"" + u + "-s" + k + "\",\"userId\":\"" + u + "\",\"type\":\"track\","
                        + "\"event\":\"Struggle Signal\",\"timestamp\":\"" + t + "02:1" + k + "Z\",\"properties\":"
                        + "{\"kind\":\"rage_click\",\"attempts\":3}}");
            }
            switch (c % 3) {
                case 0 ->
                    user.add("{\"messageId\":\"" + u + "-3\",\"userId\":\"" + u + "\",\"type\":\"track\","
                            + "\"event\":\"Support Ticket Created\",\"timestamp\":\"" + t
                            + "03:00Z\",\"properties\":{\"priority\":"
                            + "\"high\",\"text\":\"I am furious, charged twice! Call me on " + phone.replace(" ", "")
                            + " or " + other + " or write to " + email + " / " + other2 + ". Terrible service.\"}}");
                case 1 ->
                    user.add("{\"messageId\":\"" + u + "-3\",\"userId\":\"" + u + "\",\"type\":\"track\","
                            + "\"event\":\"Subscription Cancelled\",\"timestamp\":\"" + t
                            + "03:00Z\",\"properties\":{\"reason\":"
                            + "\"Too expensive. If you want me back ring " + phone + " or email " + email
                            + "\",\"plan\":\"pro-monthly\",\"mrr\":49,\"tier\":\"pro\"}}");
                default ->
                    user.add("{\"messageId\":\"" + u + "-3\",\"userId\":\"" + u + "\",\"type\":\"track\","
                            + "\"event\":\"Survey Answered\",\"timestamp\":\"" + t
                            + "03:00Z\",\"properties\":{\"score\":1,"
                            + "\"scale\":\"nps\",\"comment\":\"Awful and slow, support never answers. Reach me at "
                            + email
                            + " or " + phone + "\"}}");
            }
            engagement.add("{\"messageId\":\"" + u + "-e1\",\"userId\":\"" + u + "\",\"type\":\"track\",\"event\":"
                    + "\"Message Replied\",\"timestamp\":\"" + t
                    + "04:00Z\",\"properties\":{\"channel\":\"sms\",\"sendId\":"
                    + "\"s-" + c + "\",\"text\":\"Stop texting " + phone + ", use " + other2 + " instead\"}}");
            requests.add("{\"requestId\":\"leak-r-" + c + "\",\"campaignId\":\"leak-scan\",\"userId\":\"" + u
                    + "\",\"timestamp\":\"" + t
                    + "30:00Z\",\"category\":\"service\",\"channels\":[\"email\",\"sms\"]}");
        }
        write(in.resolve(Streams.USER_EVENTS).resolve("contacts.jsonl"), user);
        write(in.resolve(Streams.ENGAGEMENT_EVENTS).resolve("contacts.jsonl"), engagement);
        write(in.resolve(Streams.CAMPAIGN_REQUESTS).resolve("contacts.jsonl"), requests);
    }

    private static void write(Path f, List<String> lines) throws IOException {
        Files.createDirectories(f.getParent());
        Files.write(f, lines, StandardCharsets.UTF_8);
    }

    private static long count(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static long lines(Path root) throws IOException {
        long n = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                try (Stream<String> l = Files.lines(f, StandardCharsets.ISO_8859_1)) {
                    n += l.count();
                }
            }
        }
        return n;
    }
}
