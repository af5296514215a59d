package dev.attune.testing;

import dev.attune.job.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Attune's command line in the test JVM, with what it printed. */
public final class Cli {
    private Cli() {}

    /** The exit code and both outputs of one {@code attune} invocation. */
    public record Run(int code, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }
    }

    public static Run attune(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
