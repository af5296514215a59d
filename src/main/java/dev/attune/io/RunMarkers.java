package dev.attune.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a files run under {@code output.path} finished: {@code _SUCCESS} when it did,
 * {@code _FAILED} (with the cause) when it did not, neither while it runs. Subscribers and scripts
 * read outputs only beside {@code _SUCCESS}, as they do for Hadoop and Spark jobs: a failed run's
 * part files can look complete.
 */
public final class RunMarkers {
    public static final String SUCCESS = "_SUCCESS";
    public static final String FAILED = "_FAILED";

    private RunMarkers() {}

    /** A run starts: markers of an earlier run go. */
    public static void begin(Path output) throws IOException {
        Files.deleteIfExists(output.resolve(SUCCESS));
        Files.deleteIfExists(output.resolve(FAILED));
    }

    public static void succeeded(Path output) throws IOException {
        Files.createDirectories(output);
        Files.writeString(output.resolve(SUCCESS), "", StandardCharsets.UTF_8);
    }

    /** Best effort: the run has failed already, and its exit code says so too. */
    public static void failed(Path output, String cause) {
        try {
            Files.createDirectories(output);
            Files.writeString(output.resolve(FAILED), cause + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the exit code and the printed cause remain
        }
    }
}
