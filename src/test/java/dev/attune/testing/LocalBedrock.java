package dev.attune.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local, Bedrock-Runtime-compatible HTTP server for tests and demos. It speaks the Converse API
 * ({@code POST /model/<percent-encoded model id>/converse}) as the AWS SDK for Java v2 sends and expects it,
 * over plain HTTP/1.1 on a loopback port.
 *
 * <p><b>Client setup.</b> The JDK server speaks HTTP/1.1 only, while the SDK's async client opens cleartext
 * HTTP/2 on an {@code http://} endpoint by default (it then fails with "First received frame was not SETTINGS").
 * Build the client the way Attune does for an http endpoint override:
 * <pre>{@code
 * BedrockRuntimeAsyncClient.builder()
 *     .endpointOverride(URI.create(server.endpoint()))
 *     .region(Region.US_EAST_1)
 *     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
 *     .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
 *     .build();
 * }</pre>
 * Signatures are not checked; any credentials do.
 *
 * <p><b>Choosing a behaviour</b> for a request, first match wins: a {@link #whenNth} rule for this call's number,
 * then the {@link #when} rules in the order they were added (substring of the raw request body), then the
 * {@link #setDefault default}, which starts as {@code answer(VALID_JOURNEY_JSON)}. Each SDK retry is a new call.
 *
 * <p><b>Run-time control</b> (for scripts driving a separate server process): {@code POST /_control/normal},
 * {@code /_control/slow?ms=3000} (every call waits that long before its usual behaviour), {@code /_control/throttle}
 * (every call gets 429 {@code ThrottlingException}) and {@code /_control/fail} (every call gets 500); {@code GET
 * /_control} answers the current mode. Control requests are not Converse calls and are not counted.
 *
 * <p><b>Local demo</b> (port 8099, default behaviour, logs each request to stdout; Ctrl-C stops it):
 * <pre>
 * mvn -q test-compile exec:java -Dkinesis.npm.skip=true -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.attune.testing.LocalBedrock -Dexec.args=8099
 * </pre>
 * ({@code -Dkinesis.npm.skip=true} only skips the unrelated {@code npm ci} for the Kinesis test server.)
 * Without Maven running it: {@code mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt} once, then
 * {@code java -cp target/test-classes:target/classes:$(cat target/cp.txt) dev.attune.testing.LocalBedrock 8099}.
 */
public final class LocalBedrock implements AutoCloseable {

    /** A valid journey-analysis answer (the default behaviour's text). */
    public static final String VALID_JOURNEY_JSON = "{\"exitRisk\": 72, \"engagementLevel\": \"medium\", "
            + "\"recommendedActions\": [\"offer_live_chat\"], "
            + "\"insights\": [\"Repeated payment failures at checkout\"], "
            + "\"message\": \"Need a hand with your payment? We're here to help.\", "
            + "\"churnCategory\": null, \"confidence\": 0.8}";

    /** A valid win-back answer with a three-step sequence. */
    public static final String VALID_WINBACK_JSON = "{\"churnCategory\":\"pricing\",\"confidence\":0.82,"
            + "\"insights\":[\"Price sensitivity after a price rise\"],"
            + "\"recommendedActions\":[\"offer_discount\"],"
            + "\"message\":\"We're sorry to see you go.\","
            + "\"winBackSequence\":["
            + "{\"step\":1,\"sendAfterDays\":1,\"subject\":\"We'd love to have you back\","
            + "\"body\":\"Thanks for being with us. If the price was the problem, reply and tell us what would work.\"},"
            + "{\"step\":2,\"sendAfterDays\":7,\"subject\":\"20% off your next three months\","
            + "\"body\":\"Come back this week and your next three months are 20% off, no strings attached.\"},"
            + "{\"step\":3,\"sendAfterDays\":21,\"subject\":\"Your saved settings are still here\","
            + "\"body\":\"Everything you set up is waiting for you. Your discount is open until the end of the month.\"}"
            + "]}";

    /** The text {@link Behaviour#malformed()} answers with: a valid Converse envelope, but not JSON inside. */
    public static final String MALFORMED_TEXT =
            "Sure! Here is my analysis: the customer seems frustrated with repeated payment failures, "
                    + "so I would recommend offering live chat.";

    /** The body {@link Behaviour#garbage()} answers with: 200, JSON content type, not a Converse response. */
    public static final String GARBAGE_BODY = "<html><body>502 Bad Gateway</body></html>";

    /** What the server does with one call. Create with the static factories. */
    public sealed interface Behaviour permits Answer, Failure, Garbage {

        /** How long the server waits before it answers; independent of other calls. */
        long delayMillis();

        /** The same behaviour after waiting {@code millis} first. */
        Behaviour after(long millis);

        /** 200 with a Converse response whose text is exactly {@code text}. */
        static Behaviour answer(String text) {
            return new Answer(Objects.requireNonNull(text, "text"), 0);
        }

        /** Like {@link #answer} after {@code millis} milliseconds. */
        static Behaviour delayed(long millis, String text) {
            return answer(text).after(millis);
        }

        /** 429, {@code x-amzn-ErrorType: ThrottlingException}, body {@code {"message":"Rate exceeded"}}. */
        static Behaviour throttle() {
            return error(429, "ThrottlingException", "Rate exceeded");
        }

        /** 500, {@code x-amzn-ErrorType: InternalServerException}. */
        static Behaviour fail() {
            return error(500, "InternalServerException", "Internal server error");
        }

        /** 200 with a valid Converse envelope whose text is prose, not JSON ({@link #MALFORMED_TEXT}). */
        static Behaviour malformed() {
            return answer(MALFORMED_TEXT);
        }

        /** 200 with a body that is not a Converse response at all ({@link #GARBAGE_BODY}). */
        static Behaviour garbage() {
            return garbage(GARBAGE_BODY);
        }

        /**
         * 200 with {@code body} sent as is (JSON content type). Valid JSON that is no Converse response, such as
         * {@code "{}"}, does not fail in the SDK: it yields a response whose {@code output()} is null.
         */
        static Behaviour garbage(String body) {
            return new Garbage(Objects.requireNonNull(body, "body"), 0);
        }

        /**
         * Any Bedrock error: {@code status}, {@code x-amzn-ErrorType: errorType}, body {@code {"message":...}}.
         * E.g. {@code error(400, "ValidationException", "...")}, {@code error(503, "ServiceUnavailableException",
         * "...")}, {@code error(408, "ModelTimeoutException", "...")}.
         */
        static Behaviour error(int status, String errorType, String message) {
            return new Failure(status, errorType, message, 0);
        }
    }

    /** 200 with {@code text} as the assistant's only content block. */
    public record Answer(String text, long delayMillis) implements Behaviour {
        @Override
        public Answer after(long millis) {
            return new Answer(text, millis);
        }
    }

    /** An error response: status, {@code x-amzn-ErrorType} header, {@code {"message":...}} body. */
    public record Failure(int status, String errorType, String message, long delayMillis) implements Behaviour {
        @Override
        public Failure after(long millis) {
            return new Failure(status, errorType, message, millis);
        }
    }

    /** 200 with {@code body} sent as is, with {@code Content-Type: application/json}. */
    public record Garbage(String body, long delayMillis) implements Behaviour {
        @Override
        public Garbage after(long millis) {
            return new Garbage(body, millis);
        }
    }

    /** Shorthand for {@link Behaviour#answer}. */
    public static Behaviour answer(String text) {
        return Behaviour.answer(text);
    }

    /** Shorthand for {@link Behaviour#delayed}. */
    public static Behaviour delayed(long millis, String text) {
        return Behaviour.delayed(millis, text);
    }

    /** Shorthand for {@link Behaviour#throttle}. */
    public static Behaviour throttle() {
        return Behaviour.throttle();
    }

    /** Shorthand for {@link Behaviour#fail}. */
    public static Behaviour fail() {
        return Behaviour.fail();
    }

    /** Shorthand for {@link Behaviour#malformed}. */
    public static Behaviour malformed() {
        return Behaviour.malformed();
    }

    /** Shorthand for {@link Behaviour#garbage}. */
    public static Behaviour garbage() {
        return Behaviour.garbage();
    }

    /**
     * One Converse call as received.
     *
     * @param modelId the model id, percent-decoded from the path ({@code amazon.nova-micro-v1:0})
     * @param body the raw request body
     * @param prompt every text block, system blocks first, then each message's in order, joined with {@code \n}
     * @param headers request headers, names lower-cased, repeated values joined with {@code ,}; lookups ignore case
     */
    public record Captured(String modelId, String body, String prompt, Map<String, String> headers) {}

    private record Rule(String bodyContains, Behaviour behaviour) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/model/";
    private static final String SUFFIX = "/converse";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String endpoint;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<Integer, Behaviour> nth = new ConcurrentHashMap<>();
    private final List<Captured> captured = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Behaviour defaultBehaviour = Behaviour.answer(VALID_JOURNEY_JSON);
    private volatile boolean log;
    /** Set by {@code /_control/...}: "normal", "slow", "throttle" or "fail"; slow waits {@link #slowMillis}. */
    private volatile String mode = "normal";

    private volatile long slowMillis;

    private LocalBedrock(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        AtomicInteger threads = new AtomicInteger();
        // Unbounded and daemon: a delayed answer holds only its own thread, and never keeps the JVM alive.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "local-bedrock-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Starts a server on a free loopback port. */
    public static LocalBedrock start() {
        return start(0);
    }

    /**
     * Starts a server on a free loopback port, with the placeholder credentials the AWS SDK's default
     * chain then finds in this JVM's system properties (the server checks none).
     */
    public static LocalBedrock startWithTestCredentials() {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        return start();
    }

    /** Starts a server on {@code port} on 127.0.0.1 (0 picks a free one). */
    public static LocalBedrock start(int port) {
        try {
            return new LocalBedrock(port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start LocalBedrock on port " + port, e);
        }
    }

    /** {@code http://127.0.0.1:PORT}, for {@code endpointOverride}. */
    public String endpoint() {
        return endpoint;
    }

    /** The behaviour when no rule matches. Initially {@code answer(VALID_JOURNEY_JSON)}. */
    public void setDefault(Behaviour b) {
        defaultBehaviour = Objects.requireNonNull(b, "behaviour");
    }

    /** Calls whose raw request body contains {@code bodyContains} get {@code b}; earlier rules win. */
    public void when(String bodyContains, Behaviour b) {
        rules.add(new Rule(Objects.requireNonNull(bodyContains, "bodyContains"), Objects.requireNonNull(b, "b")));
    }

    /** The {@code n}-th Converse call since start or {@link #reset} (1-based, retries count) gets {@code b}. */
    public void whenNth(int n, Behaviour b) {
        if (n < 1) {
            throw new IllegalArgumentException("n is 1-based: " + n);
        }
        nth.put(n, Objects.requireNonNull(b, "b"));
    }

    /**
     * Overrides every call's behaviour, as {@code /_control/<mode>} does: {@code normal} (the rules and default),
     * {@code slow} (each waits {@code millis} first), {@code throttle} (429) or {@code fail} (500).
     */
    public void control(String newMode, long millis) {
        if (!List.of("normal", "slow", "throttle", "fail").contains(newMode)) {
            throw new IllegalArgumentException("mode is one of normal, slow, throttle, fail: " + newMode);
        }
        slowMillis = millis;
        mode = newMode;
    }

    /** The current control mode, e.g. {@code slow 3000ms} or {@code normal}. */
    public String mode() {
        String m = mode;
        return "slow".equals(m) ? m + " " + slowMillis + "ms" : m;
    }

    /** Back to the state after start: no rules, default answer, no captured requests, call count 0. */
    public void reset() {
        mode = "normal";
        rules.clear();
        nth.clear();
        defaultBehaviour = Behaviour.answer(VALID_JOURNEY_JSON);
        synchronized (captured) {
            captured.clear();
            calls.set(0);
            maxInFlight.set(inFlight.get());
        }
    }

    /** A snapshot of the Converse calls received so far, in arrival order. */
    public List<Captured> requests() {
        synchronized (captured) {
            return List.copyOf(captured);
        }
    }

    /** Converse calls received so far (requests to unknown paths do not count). */
    public int calls() {
        return calls.get();
    }

    /** The most Converse calls the server was handling at the same time since start or {@link #reset}. */
    public int maxConcurrentCalls() {
        return maxInFlight.get();
    }

    /** Stops the server at once; delayed answers still pending are abandoned. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /**
     * Runs a server on port {@code args[0]} (default 8099) until killed: Attune's churn prompt (a "retention
     * analyst") gets {@link #VALID_WINBACK_JSON}, any other {@link #VALID_JOURNEY_JSON}; {@code --quiet} as
     * {@code args[1]} logs control requests only.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8099;
        LocalBedrock bedrock = start(port);
        bedrock.when("retention analyst", answer(VALID_WINBACK_JSON));
        bedrock.log = !(args.length > 1 && "--quiet".equals(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bedrock.close();
            stopped.countDown();
        }));
        System.out.println("LocalBedrock listening on " + bedrock.endpoint()
                + " (Converse: POST /model/<model id>/converse; HTTP/1.1 only). Ctrl-C stops it.");
        stopped.await();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        boolean counted = false;
        try {
            long started = System.nanoTime();
            byte[] raw = readAll(ex.getRequestBody());
            String path = ex.getRequestURI().getRawPath();
            if (path.startsWith("/_control")) {
                control(ex, path);
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())
                    || !path.startsWith(PREFIX)
                    || !path.endsWith(SUFFIX)
                    || path.length() <= PREFIX.length() + SUFFIX.length()) {
                if (log) {
                    System.out.println("404 " + ex.getRequestMethod() + " " + path);
                }
                sendError(
                        ex,
                        404,
                        "ResourceNotFoundException",
                        "No such operation: " + ex.getRequestMethod() + " " + path);
                return;
            }
            String modelId = URLDecoder.decode(
                    path.substring(PREFIX.length(), path.length() - SUFFIX.length())
                            .replace("+", "%2B"),
                    StandardCharsets.UTF_8);
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            counted = true;
            String body = new String(raw, StandardCharsets.UTF_8);
            String prompt = promptOf(body);
            int n;
            synchronized (captured) {
                n = calls.incrementAndGet();
                captured.add(new Captured(modelId, body, prompt, headersOf(ex)));
            }
            Behaviour b = choose(n, body);
            if (log) {
                System.out.printf("#%d %s %s -> %s%n", n, modelId, abbreviate(prompt), b);
            }
            if (b.delayMillis() > 0) {
                try {
                    Thread.sleep(b.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // closing
                }
            }
            if (b instanceof Answer a) {
                sendAnswer(ex, a.text(), prompt, started);
            } else if (b instanceof Failure e) {
                sendError(ex, e.status(), e.errorType(), e.message());
            } else if (b instanceof Garbage g) {
                send(ex, 200, null, g.body());
            }
        } catch (IOException | RuntimeException e) {
            if (log) {
                System.out.println("LocalBedrock: " + e);
            }
            throw e;
        } finally {
            ex.close();
            if (counted) {
                inFlight.decrementAndGet();
            }
        }
    }

    private void control(HttpExchange ex, String path) throws IOException {
        if ("POST".equals(ex.getRequestMethod()) && path.startsWith("/_control/")) {
            String query = ex.getRequestURI().getRawQuery();
            long millis = query != null && query.startsWith("ms=") ? Long.parseLong(query.substring(3)) : 3_000;
            try {
                control(path.substring("/_control/".length()), millis);
            } catch (IllegalArgumentException e) {
                send(
                        ex,
                        400,
                        null,
                        JSON.createObjectNode().put("message", e.getMessage()).toString());
                return;
            }
            System.out.println("LocalBedrock: mode " + mode());
        }
        send(ex, 200, null, JSON.createObjectNode().put("mode", mode()).toString());
    }

    private Behaviour choose(int n, String body) {
        Behaviour chosen = chooseByRules(n, body);
        return switch (mode) {
            case "slow" -> chosen.after(slowMillis);
            case "throttle" -> throttle();
            case "fail" -> fail();
            default -> chosen;
        };
    }

    private Behaviour chooseByRules(int n, String body) {
        Behaviour b = nth.get(n);
        if (b != null) {
            return b;
        }
        for (Rule r : rules) {
            if (body.contains(r.bodyContains())) {
                return r.behaviour();
            }
        }
        return defaultBehaviour;
    }

    private static void sendAnswer(HttpExchange ex, String text, String prompt, long started) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode message = root.putObject("output").putObject("message");
        message.put("role", "assistant");
        message.putArray("content").addObject().put("text", text);
        root.put("stopReason", "end_turn");
        int in = tokens(prompt);
        int out = tokens(text);
        ObjectNode usage = root.putObject("usage");
        usage.put("inputTokens", in);
        usage.put("outputTokens", out);
        usage.put("totalTokens", in + out);
        root.putObject("metrics").put("latencyMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        send(ex, 200, null, JSON.writeValueAsString(root));
    }

    private static void sendError(HttpExchange ex, int status, String errorType, String message) throws IOException {
        send(
                ex,
                status,
                errorType,
                JSON.createObjectNode().put("message", message).toString());
    }

    private static void send(HttpExchange ex, int status, String errorType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
        if (errorType != null) {
            ex.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }

    private static int tokens(String s) {
        return (s.length() + 3) / 4;
    }

    /** System text blocks, then each message's text blocks, joined with newlines; "" if the body is not JSON. */
    static String promptOf(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return "";
        }
        if (root == null || !root.isObject()) {
            return "";
        }
        List<String> texts = new ArrayList<>();
        addTexts(root.get("system"), texts);
        JsonNode messages = root.get("messages");
        if (messages instanceof ArrayNode) {
            for (JsonNode m : messages) {
                addTexts(m.get("content"), texts);
            }
        }
        return String.join("\n", texts);
    }

    private static void addTexts(JsonNode blocks, List<String> texts) {
        if (blocks instanceof ArrayNode) {
            for (JsonNode block : blocks) {
                JsonNode t = block.get("text");
                if (t != null && t.isTextual()) {
                    texts.add(t.asText());
                }
            }
        }
    }

    private static Map<String, String> headersOf(HttpExchange ex) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ex.getRequestHeaders()
                .forEach((name, values) -> out.put(name.toLowerCase(java.util.Locale.ROOT), String.join(",", values)));
        return Collections.unmodifiableMap(out);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static String abbreviate(String s) {
        String flat = s.replace('\n', ' ');
        return flat.length() <= 80 ? '"' + flat + '"' : '"' + flat.substring(0, 77) + "...\"";
    }
}
