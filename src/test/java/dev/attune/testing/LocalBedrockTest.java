package dev.attune.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ResourceNotFoundException;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

/** The real AWS SDK v2 async Bedrock client against {@link LocalBedrock}. */
class LocalBedrockTest {
    static final String MODEL = "amazon.nova-micro-v1:0";
    static final ObjectMapper JSON = new ObjectMapper();

    static LocalBedrock server;
    static BedrockRuntimeAsyncClient client;

    @BeforeAll
    static void start() {
        server = LocalBedrock.start();
        client = client(AwsRetryStrategy.doNotRetry());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
    }

    @BeforeEach
    void fresh() {
        server.reset();
    }

    static BedrockRuntimeAsyncClient client(software.amazon.awssdk.retries.api.RetryStrategy retry) {
        return BedrockRuntimeAsyncClient.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
                .overrideConfiguration(c -> c.retryStrategy(retry).apiCallTimeout(Duration.ofSeconds(30)))
                .build();
    }

    static ConverseRequest ask(String text) {
        return ConverseRequest.builder()
                .modelId(MODEL)
                .messages(Message.builder()
                        .role(ConversationRole.USER)
                        .content(ContentBlock.fromText(text))
                        .build())
                .build();
    }

    static ConverseResponse converse(String text) throws Exception {
        return client.converse(ask(text)).get(30, TimeUnit.SECONDS);
    }

    static Throwable failure(String text) {
        try {
            client.converse(ask(text)).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("call succeeded");
    }

    static String text(ConverseResponse r) {
        return r.output().message().content().get(0).text();
    }

    @Test
    void endpointIsLoopbackWithItsPort() {
        assertThat(server.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
    }

    @Test
    void defaultAnswersTheValidJourneyJson() throws Exception {
        ConverseResponse r = converse("hello");
        assertThat(text(r)).isEqualTo(LocalBedrock.VALID_JOURNEY_JSON);
        assertThat(r.stopReasonAsString()).isEqualTo("end_turn");
        assertThat(r.usage().inputTokens()).isEqualTo(2); // "hello": 5 chars, rounded up
        assertThat(r.usage().totalTokens())
                .isEqualTo(r.usage().inputTokens() + r.usage().outputTokens());
        assertThat(r.output().message().role()).isEqualTo(ConversationRole.ASSISTANT);
        JsonNode journey = JSON.readTree(text(r));
        assertThat(journey.get("exitRisk").asInt()).isEqualTo(72);
        assertThat(journey.get("churnCategory").isNull()).isTrue();
        assertThat(journey.get("confidence").asDouble()).isCloseTo(0.8, within(1e-9));
    }

    @Test
    void answerComesBackExactly() throws Exception {
        String odd = "  {\"a\": \"ünïcødé ✓ \\\"quoted\\\"\"}\n\ttrailing  ";
        server.setDefault(LocalBedrock.Behaviour.answer(odd));
        assertThat(text(converse("hello"))).isEqualTo(odd);
    }

    @Test
    void winBackJsonIsValidWithThreeSteps() throws Exception {
        server.setDefault(LocalBedrock.answer(LocalBedrock.VALID_WINBACK_JSON));
        JsonNode w = JSON.readTree(text(converse("win back")));
        assertThat(w.get("churnCategory").asText()).isEqualTo("pricing");
        assertThat(w.get("winBackSequence")).hasSize(3);
        assertThat(w.get("winBackSequence").findValuesAsText("sendAfterDays")).containsExactly("1", "7", "21");
    }

    @Test
    void capturesDecodedModelIdPromptBodyAndHeaders() throws Exception {
        client.converse(ConverseRequest.builder()
                        .modelId(MODEL)
                        .system(SystemContentBlock.fromText("You are Attune."))
                        .messages(Message.builder()
                                .role(ConversationRole.USER)
                                .content(ContentBlock.fromText("hello"), ContentBlock.fromText("customer c-42"))
                                .build())
                        .build())
                .get(30, TimeUnit.SECONDS);

        assertThat(server.calls()).isEqualTo(1);
        LocalBedrock.Captured c = server.requests().get(0);
        assertThat(c.modelId()).isEqualTo(MODEL);
        assertThat(c.prompt()).isEqualTo("You are Attune.\nhello\ncustomer c-42");
        assertThat(c.body())
                .contains("\"messages\"")
                .contains("\"role\":\"user\"")
                .contains("customer c-42");
        assertThat(c.headers().get("authorization"))
                .startsWith("AWS4-HMAC-SHA256")
                .contains("/bedrock/");
        assertThat(c.headers().get("Content-Type")).startsWith("application/json");
        assertThat(c.headers()).containsKey("amz-sdk-invocation-id");
        assertThat(c.headers().get("amz-sdk-request")).startsWith("attempt=1");
    }

    @Test
    void throttleBecomesThrottlingException() {
        server.setDefault(LocalBedrock.throttle());
        Throwable t = failure("hello");
        assertThat(t).isInstanceOf(ThrottlingException.class);
        ThrottlingException e = (ThrottlingException) t;
        assertThat(e.statusCode()).isEqualTo(429);
        assertThat(e.isThrottlingException()).isTrue();
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Rate exceeded");
    }

    @Test
    void failBecomesInternalServerException() {
        server.setDefault(LocalBedrock.fail());
        Throwable t = failure("hello");
        assertThat(t).isInstanceOf(InternalServerException.class).isInstanceOf(BedrockRuntimeException.class);
        assertThat(((BedrockRuntimeException) t).statusCode()).isEqualTo(500);
        assertThat(((BedrockRuntimeException) t).awsErrorDetails().errorCode()).isEqualTo("InternalServerException");
    }

    @Test
    void anyBedrockErrorCanBeServed() {
        server.setDefault(LocalBedrock.Behaviour.error(400, "ValidationException", "Malformed input request"));
        Throwable t = failure("hello");
        assertThat(t).isInstanceOf(ValidationException.class);
        assertThat(((ValidationException) t).statusCode()).isEqualTo(400);
        assertThat(t.getMessage()).contains("Malformed input request");
    }

    @Test
    void malformedIsA200WithProseInsteadOfJson() throws Exception {
        server.setDefault(LocalBedrock.malformed());
        ConverseResponse r = converse("hello");
        assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(text(r)).isEqualTo(LocalBedrock.MALFORMED_TEXT).startsWith("Sure! Here is my analysis:");
        assertThat(isJson(text(r))).isFalse();
    }

    @Test
    void garbageFailsInTheClient() {
        server.setDefault(LocalBedrock.garbage());
        Throwable t = failure("hello");
        assertThat(t)
                .isInstanceOf(SdkClientException.class)
                .isNotInstanceOf(BedrockRuntimeException.class)
                .hasMessageContaining("Unable to execute HTTP request");
    }

    @Test
    void jsonThatIsNoConverseResponseIsNotAnErrorButHasNoOutput() throws Exception {
        server.setDefault(LocalBedrock.Behaviour.garbage("{}"));
        ConverseResponse r = converse("hello");
        assertThat(r.sdkHttpResponse().statusCode()).isEqualTo(200);
        assertThat(r.output()).isNull();
    }

    @Test
    void firstMatchingBodyRuleWins() throws Exception {
        server.when("alpha", LocalBedrock.answer("A"));
        server.when("alpha beta", LocalBedrock.answer("AB"));
        server.when("beta", LocalBedrock.answer("B"));
        assertThat(text(converse("alpha beta"))).isEqualTo("A");
        assertThat(text(converse("beta"))).isEqualTo("B");
        assertThat(text(converse("gamma"))).isEqualTo(LocalBedrock.VALID_JOURNEY_JSON);
    }

    @Test
    void whenNthThrottlesTheFirstTwoCallsThenAnswers() throws Exception {
        server.whenNth(1, LocalBedrock.throttle());
        server.whenNth(2, LocalBedrock.throttle());
        server.when("hello", LocalBedrock.answer("ok"));
        assertThat(failure("hello")).isInstanceOf(ThrottlingException.class);
        assertThat(failure("hello")).isInstanceOf(ThrottlingException.class);
        assertThat(text(converse("hello"))).isEqualTo("ok");
        assertThat(server.calls()).isEqualTo(3);
    }

    @Test
    void sdkRetriesAreSeparateCalls() throws Exception {
        server.whenNth(1, LocalBedrock.throttle());
        server.whenNth(2, LocalBedrock.fail());
        try (BedrockRuntimeAsyncClient retrying = client(AwsRetryStrategy.standardRetryStrategy())) {
            ConverseResponse r = retrying.converse(ask("hello")).get(30, TimeUnit.SECONDS);
            assertThat(text(r)).isEqualTo(LocalBedrock.VALID_JOURNEY_JSON);
        }
        assertThat(server.calls()).isEqualTo(3);
        assertThat(server.requests())
                .extracting(c -> c.headers().get("amz-sdk-request"))
                .allSatisfy(h -> assertThat(h).endsWith("max=3"))
                .extracting(h -> h.substring(0, h.indexOf(';')))
                .containsExactly("attempt=1", "attempt=2", "attempt=3");
    }

    @Test
    void resetClearsRulesRequestsAndCounters() throws Exception {
        server.setDefault(LocalBedrock.throttle());
        server.when("x", LocalBedrock.fail());
        server.whenNth(1, LocalBedrock.fail());
        failure("x");
        server.reset();
        assertThat(server.calls()).isZero();
        assertThat(server.requests()).isEmpty();
        assertThat(text(converse("x"))).isEqualTo(LocalBedrock.VALID_JOURNEY_JSON);
    }

    @Test
    void aDelayedAnswerDoesNotDelayAConcurrentOne() throws Exception {
        server.when("slow", LocalBedrock.delayed(5000, "slow answer"));
        server.when("fast", LocalBedrock.answer("fast answer"));
        converse("warm up"); // connection set-up and class loading out of the measurement
        server.reset();
        server.when("slow", LocalBedrock.delayed(5000, "slow answer"));
        server.when("fast", LocalBedrock.answer("fast answer"));

        long t0 = System.nanoTime();
        CompletableFuture<Long> slow = client.converse(ask("slow")).thenApply(r -> {
            assertThat(text(r)).isEqualTo("slow answer");
            return System.nanoTime();
        });
        awaitCalls(1); // the slow request is in the server first
        CompletableFuture<Long> fast = client.converse(ask("fast")).thenApply(r -> {
            assertThat(text(r)).isEqualTo("fast answer");
            return System.nanoTime();
        });
        long fastDone = fast.get(30, TimeUnit.SECONDS);
        assertThat(slow).isNotDone();
        long slowDone = slow.get(30, TimeUnit.SECONDS);
        // The fast answer came while the slow one was still in the server (checked above, not timed:
        // on a loaded machine any upper bound on time fails for nothing); the slow one kept its delay.
        assertThat(fastDone).isLessThan(slowDone);
        assertThat(TimeUnit.NANOSECONDS.toMillis(slowDone - t0)).isGreaterThanOrEqualTo(5000);
        assertThat(server.maxConcurrentCalls())
                .as("both calls were in the server at once")
                .isEqualTo(2);
        server.reset();
        assertThat(server.maxConcurrentCalls()).isZero();
        converse("one");
        converse("after another");
        assertThat(server.maxConcurrentCalls()).isEqualTo(1);
    }

    @Test
    void unknownPathsAre404ResourceNotFound() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(server.endpoint() + "/nope"))
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");

        // InvokeModel is not served: the SDK maps the 404 to its ResourceNotFoundException.
        Throwable t = null;
        try {
            client.invokeModel(b -> b.modelId(MODEL).body(SdkBytes.fromUtf8String("{}")))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            t = e.getCause();
        }
        assertThat(t).isInstanceOf(ResourceNotFoundException.class);
        assertThat(((ResourceNotFoundException) t).statusCode()).isEqualTo(404);
        assertThat(server.calls()).isZero();
    }

    @Test
    void controlEndpointSwitchesEveryCallAtRunTime() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.util.function.Function<String, String> post = path -> {
            try {
                return http.send(
                                HttpRequest.newBuilder(URI.create(server.endpoint() + path))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        server.setDefault(LocalBedrock.answer("{\"ok\":true}"));

        assertThat(post.apply("/_control/throttle")).contains("throttle");
        assertThatCauseOf(() -> client.converse(ask("x")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ThrottlingException.class);
        post.apply("/_control/fail");
        assertThatCauseOf(() -> client.converse(ask("x")).get(30, TimeUnit.SECONDS))
                .isInstanceOf(InternalServerException.class);
        assertThat(post.apply("/_control/slow?ms=700")).contains("slow 700ms");
        long t0 = System.nanoTime();
        assertThat(text(client.converse(ask("x")).get(30, TimeUnit.SECONDS))).isEqualTo("{\"ok\":true}");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(700);
        post.apply("/_control/normal");
        assertThat(text(client.converse(ask("x")).get(30, TimeUnit.SECONDS))).isEqualTo("{\"ok\":true}");
        assertThat(post.apply("/_control/sideways")).contains("mode is one of");
        assertThat(server.mode()).isEqualTo("normal");
        assertThat(server.calls()).isEqualTo(4); // control requests are not Converse calls
    }

    static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertThatCauseOf(
            java.util.concurrent.Callable<?> call) {
        try {
            call.call();
        } catch (ExecutionException e) {
            return org.assertj.core.api.Assertions.assertThat(e.getCause());
        } catch (Exception e) {
            return org.assertj.core.api.Assertions.assertThat(e);
        }
        throw new AssertionError("expected a failure");
    }

    static boolean isJson(String s) {
        try {
            JSON.readTree(s);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Waits until the server has received {@code n} calls: order decided by the server's state, not by a sleep. */
    private void awaitCalls(int n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.calls() < n) {
            if (System.nanoTime() > until) {
                throw new AssertionError("the server never received call " + n);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }
}
