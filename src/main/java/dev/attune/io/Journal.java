package dev.attune.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attune.contract.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * What became of every model call, keyed by the prompt's hash: the answer used in time, a late
 * answer, a failure, an invalid answer, a budget refusal. A live run appends to it; a replay
 * ({@code analysis.mode=replay}) answers from it, so replays pay nothing and decide the same.
 * Files are JSON lines under a folder of any Flink file system (a local path, or s3:// on
 * Managed Flink, where a file becomes visible when it is closed).
 */
public final class Journal implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Journal.class);

    /**
     * One outcome: {@code answered}, {@code late}, {@code failed}, {@code invalid}, {@code budget}.
     * {@code promptTokens} is the prompt's estimated size (0 where no call was made or it is unknown),
     * which the replay report prices.
     */
    public record Entry(
            String hash, String outcome, String text, String errorCode, String errorMessage, int promptTokens) {
        public Entry(String hash, String outcome, String text, String errorCode, String errorMessage) {
            this(hash, outcome, text, errorCode, errorMessage, 0);
        }

        /** Whether a model call was made (a budget refusal is not one). */
        public boolean called() {
            return !"budget".equals(outcome);
        }
    }

    private final Path dir;
    private OutputStream out;

    public Journal(String dir) {
        this.dir = new Path(dir);
    }

    public synchronized void append(Entry e) {
        try {
            if (out == null) {
                FileSystem fs = dir.getFileSystem();
                fs.mkdirs(dir);
                out = fs.create(
                        new Path(dir, "journal-" + UUID.randomUUID() + ".jsonl"), FileSystem.WriteMode.NO_OVERWRITE);
            }
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("hash", e.hash())
                    .put("outcome", e.outcome())
                    .put("text", e.text())
                    .put("errorCode", e.errorCode())
                    .put("errorMessage", e.errorMessage());
            if (e.promptTokens() > 0) {
                n.put("promptTokens", e.promptTokens());
            }
            out.write((n.toString() + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write the analysis journal under " + dir, ex);
        }
    }

    /** Every entry under the folder; an answer used in time wins over any other outcome. */
    public Map<String, Entry> readAll() {
        Map<String, Entry> all = new HashMap<>();
        forEach(e -> {
            Entry old = all.get(e.hash());
            if (old == null || !"answered".equals(old.outcome())) {
                all.put(e.hash(), e);
            }
        });
        return all;
    }

    /** Each entry under the folder in turn, in no particular order (none when the folder is missing). */
    public void forEach(Consumer<Entry> action) {
        try {
            FileSystem fs = dir.getFileSystem();
            if (!fs.exists(dir)) {
                return;
            }
            for (FileStatus f : fs.listStatus(dir)) {
                if (f.isDir() || !f.getPath().getName().endsWith(".jsonl")) {
                    continue;
                }
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(fs.open(f.getPath()), StandardCharsets.UTF_8))) {
                    String line;
                    int lineNo = 0;
                    while ((line = r.readLine()) != null) {
                        lineNo++;
                        if (line.isBlank()) {
                            continue;
                        }
                        JsonNode n;
                        try {
                            n = Json.MAPPER.readTree(line);
                        } catch (IOException torn) {
                            // A line cut short by a crash while it was written: that one answer is not in the
                            // journal (a replay falls back for it and counts not_in_journal); the rest is.
                            LOG.warn(
                                    "analysis journal {} line {} is not a whole entry and is skipped: {}",
                                    f.getPath(),
                                    lineNo,
                                    torn.getMessage());
                            continue;
                        }
                        action.accept(new Entry(
                                n.path("hash").asText(),
                                n.path("outcome").asText(),
                                text(n, "text"),
                                text(n, "errorCode"),
                                text(n, "errorMessage"),
                                n.path("promptTokens").asInt(0)));
                    }
                }
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the analysis journal under " + dir, ex);
        }
    }

    private static String text(JsonNode n, String f) {
        return n.path(f).isTextual() ? n.get(f).textValue() : null;
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
