package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model journal survives a crash mid-write: a torn last line is skipped, the entries before it are read. */
class JournalTest {
    @Test
    void aTornLastLineIsSkippedAndTheRestIsRead(@TempDir Path dir) throws Exception {
        try (Journal j = new Journal(dir.toString())) {
            j.append(new Journal.Entry("h1", "answered", "{\"a\":1}", null, null));
            j.append(new Journal.Entry("h2", "failed", null, "throttled", "429"));
        }
        Path file;
        try (var files = Files.list(dir)) {
            file = files.filter(f -> f.toString().endsWith(".jsonl"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.writeString(
                file, "{\"hash\":\"h3\",\"outcome\":\"answ", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Map<String, Journal.Entry> all;
        try (Journal j = new Journal(dir.toString())) {
            all = j.readAll();
        }
        assertThat(all).containsOnlyKeys("h1", "h2");
        assertThat(all.get("h1").outcome()).isEqualTo("answered");
    }
}
