package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.config.ConfigValidator;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.util.OptionalFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @Test
    void unmappedEventsAreNamedInTheSummaryOnlyWhenThereAreAny() {
        JobExecutionResult none = new JobExecutionResult(new JobID(), 1, Map.of());
        JobExecutionResult some = new JobExecutionResult(
                new JobID(), 1, Map.of(Progress.UNMAPPED_EVENTS, OptionalFailure.of((Object) 1234L)));
        JobExecutionResult zero = new JobExecutionResult(
                new JobID(), 1, Map.of(Progress.UNMAPPED_EVENTS, OptionalFailure.of((Object) 0L)));
        assertThat(Progress.unmappedLine(none)).isNull();
        assertThat(Progress.unmappedLine(zero)).isNull();
        assertThat(Progress.unmappedLine(some))
                .startsWith("1,234 track events had a name that maps to no signal")
                .contains("events.aliases");
    }

    @Test
    void lineShowsRecordsShareAndRate() {
        assertThat(Progress.line(1_500_000, 3_000_000, Duration.ofSeconds(15)))
                .isEqualTo("Read 1,500,000 records of 3,000,000 (50%), 100,000 events/s, 15 s");
        assertThat(Progress.line(42_000, -1, Duration.ofSeconds(7)))
                .isEqualTo("Read 42,000 records, 6,000 events/s, 7 s");
    }

    @Test
    void aReplayCountsTheLinesOfItsInputFilesPlainAndGzipped(@TempDir Path in) throws Exception {
        Files.createDirectories(in.resolve("user-events/day=1"));
        Files.createDirectories(in.resolve("campaign-requests"));
        Files.writeString(in.resolve("user-events/a.jsonl"), "{}\n{}\n{}\n");
        Files.writeString(in.resolve("user-events/day=1/torn.jsonl"), "{}\n{\"last\":", StandardCharsets.UTF_8);
        Files.writeString(in.resolve("user-events/_SUCCESS"), "not input\n");
        Files.writeString(in.resolve("user-events/.hidden.jsonl"), "{}\n");
        try (OutputStream gz =
                new GZIPOutputStream(Files.newOutputStream(in.resolve("campaign-requests/r.jsonl.gz")))) {
            gz.write("{}\n{}\n".getBytes(StandardCharsets.UTF_8));
        }
        var conf = ConfigValidator.validate(Map.of("source.kind", "files", "input.path", in.toString()));
        assertThat(Progress.inputRecords(conf)).isEqualTo(3 + 2 + 2);
    }

    @Test
    void theGeneratorsSizeIsNotKnownAhead() {
        assertThat(Progress.inputRecords(ConfigValidator.validate(Map.of()))).isEqualTo(-1);
    }
}
