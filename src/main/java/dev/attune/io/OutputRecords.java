package dev.attune.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.attune.contract.Json;
import dev.attune.contract.Streams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A finished run's committed output records, each line read once for every reader of the pass (the
 * console summary and the report page share one). Attune's own outputs are read without the
 * duplicate-key check that the input contract needs, and of each record only the members the
 * readers name are built; the rest is skipped token by token.
 */
public final class OutputRecords {
    /** {@link Json#MAPPER} without the duplicate-key check: for records Attune wrote itself. */
    public static final ObjectMapper OWN = ((JsonMapper) Json.MAPPER)
            .rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Reads one member's value where the parser stands (the record goes on after it). */
    private static final ObjectReader MEMBER = OWN.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** What one reader uses of each output stream, and what it does with each record. */
    public interface Reader {
        /**
         * The members this reader uses of a record of {@code stream}: top-level names ({@code "type"}) or
         * paths into objects ({@code "analysis.source"}); a name gives its whole value.
         */
        Set<String> members(String stream);

        /**
         * One committed record of {@code stream}, in the order of the output files: its line as written and
         * an object holding the named members found in it, read as the whole record's tree would hold them
         * ({@code null} when the line is not JSON).
         */
        void record(String stream, String line, JsonNode members) throws IOException;
    }

    private OutputRecords() {}

    /** Records parsed per task of {@link #read}. */
    static final int CHUNK = 1024;

    /** Tasks of {@link #read} under way at most: the rest of the outputs waits on disk. */
    static final int IN_FLIGHT = 8;

    /**
     * Reads every stream of {@link Streams#OUTPUTS} under {@code out} once, in that order, for all
     * {@code readers}. This thread reads the lines and hands them to the readers in order; two others
     * parse them meanwhile, a chunk at a time (a million-record replay writes some 70 MB of outputs,
     * and parsing them was most of the time a run took after its job).
     */
    public static void read(Path out, List<? extends Reader> readers) throws IOException {
        ExecutorService parsers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "attune-output-parser");
            t.setDaemon(true);
            return t;
        });
        try {
            for (String stream : Streams.OUTPUTS) {
                Selection wanted = new Selection();
                for (Reader r : readers) {
                    for (String path : r.members(stream)) {
                        wanted.add(path);
                    }
                }
                Deque<Future<Parsed>> pending = new ArrayDeque<>();
                List<List<String>> chunk = new ArrayList<>(List.of(new ArrayList<>(CHUNK)));
                try {
                    RunSummary.forEachLine(out, stream, line -> {
                        chunk.get(0).add(line);
                        if (chunk.get(0).size() == CHUNK) {
                            pending.add(parse(parsers, chunk.set(0, new ArrayList<>(CHUNK)), wanted));
                            if (pending.size() > IN_FLIGHT) {
                                deliver(pending.poll(), stream, readers);
                            }
                        }
                    });
                    pending.add(parse(parsers, chunk.get(0), wanted));
                    while (!pending.isEmpty()) {
                        deliver(pending.poll(), stream, readers);
                    }
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
            }
        } finally {
            parsers.shutdownNow();
        }
    }

    /** Lines and what {@link #members} made of each. */
    private record Parsed(List<String> lines, JsonNode[] members) {}

    private static Future<Parsed> parse(ExecutorService parsers, List<String> lines, Selection wanted) {
        return parsers.submit(() -> {
            JsonNode[] members = new JsonNode[lines.size()];
            for (int i = 0; i < members.length; i++) {
                members[i] = members(lines.get(i), wanted);
            }
            return new Parsed(lines, members);
        });
    }

    /** Offers a parsed chunk's records to every reader, in order. */
    private static void deliver(Future<Parsed> next, String stream, List<? extends Reader> readers) {
        Parsed p;
        try {
            p = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the outputs", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
        try {
            for (int i = 0; i < p.members().length; i++) {
                for (Reader r : readers) {
                    r.record(stream, p.lines().get(i), p.members()[i]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The named members of one record ({@code null} when it is not JSON). */
    public static JsonNode members(String line, Set<String> paths) {
        Selection s = new Selection();
        paths.forEach(s::add);
        return members(line, s);
    }

    private static JsonNode members(String line, Selection wanted) {
        try (JsonParser p = OWN.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return OWN.readTree(line); // not an object: the whole tree, as a full read gives it
            }
            ObjectNode n = object(p, wanted);
            if (p.nextToken() != null) {
                return OWN.readTree(line); // trailing content: fails as a full read does
            }
            return n;
        } catch (IOException e) {
            return null;
        }
    }

    /** The selected members of the object whose START_OBJECT the parser has just passed. */
    private static ObjectNode object(JsonParser p, Selection wanted) throws IOException {
        ObjectNode n = OWN.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            Selection s = wanted.inner.get(name);
            if (s == null) {
                p.skipChildren();
            } else if (s.whole || t != JsonToken.START_OBJECT) {
                n.set(name, value(p, t));
            } else {
                n.set(name, object(p, s));
            }
        }
        return n;
    }

    /**
     * The value where the parser stands, as a tree read builds it: objects, arrays, strings, whole
     * numbers, booleans and nulls built here; fractions (read exact) by Jackson's own tree reader.
     */
    private static JsonNode value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT:
                ObjectNode o = OWN.createObjectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    o.set(name, value(p, p.nextToken()));
                }
                return o;
            case START_ARRAY:
                ArrayNode a = OWN.createArrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(value(p, e));
                }
                return a;
            case VALUE_STRING:
                return TextNode.valueOf(p.getText());
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.getInstance();
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return IntNode.valueOf(p.getIntValue());
                    case LONG:
                        return LongNode.valueOf(p.getLongValue());
                    default:
                        break;
                }
                break;
            default:
                break;
        }
        JsonNode v = MEMBER.readTree(p);
        return v == null ? NullNode.getInstance() : v;
    }

    /** Member paths as a tree: a name taken whole, or the paths wanted inside it. */
    private static final class Selection {
        final Map<String, Selection> inner = new HashMap<>();
        boolean whole;

        void add(String path) {
            Selection s = this;
            for (String part : path.split("\\.")) {
                if (s.whole) {
                    return;
                }
                s = s.inner.computeIfAbsent(part, k -> new Selection());
            }
            s.whole = true;
            s.inner.clear();
        }
    }
}
