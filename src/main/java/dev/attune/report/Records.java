package dev.attune.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import dev.attune.io.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** A run's committed output records, parsed one at a time. */
final class Records {
    private Records() {}

    static void each(Path out, String stream, Consumer<JsonNode> action) throws IOException {
        try {
            RunSummary.forEachLine(out, stream, line -> {
                try {
                    action.accept(Json.MAPPER.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(out.resolve(stream) + ": a record that is not JSON", e);
                }
            });
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        }
    }
}
