package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Streams;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSummaryTest {
    @TempDir
    Path out;

    @Test
    void interventionsAndSendsAreCountedPerLocale() throws Exception {
        Files.createDirectories(out.resolve(Streams.INTERVENTIONS));
        Files.createDirectories(out.resolve(Streams.CAMPAIGN_SENDS));
        Files.writeString(
                out.resolve(Streams.INTERVENTIONS).resolve("part-0.jsonl"),
                "{\"type\":\"win_back\",\"locale\":\"de-DE\"}\n{\"type\":\"help_tip\",\"locale\":\"en-GB\"}\n"
                        + "{\"type\":\"win_back\",\"locale\":\"en-GB\"}\n");
        Files.writeString(
                out.resolve(Streams.CAMPAIGN_SENDS).resolve("part-0.jsonl"),
                "{\"channel\":\"email\",\"locale\":\"fr-FR\"}\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RunSummary.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), out, 0);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("by locale: en-GB 2, de-DE 1").contains("by locale: fr-FR 1");
    }
}
