package dev.attune.analysis;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The guard around a model: a token budget per minute (resilience4j rate limiter), at most
 * {@code analysis.capacity} calls under way at once (a bulkhead: a call given up at the deadline
 * keeps its place until it ends, so a slow model cannot pile up calls behind the Async I/O
 * capacity), retries with jittered exponential backoff on throttling and server errors, and a
 * circuit breaker that sends everything to the heuristic while the model is down and probes it
 * again later.
 */
public final class ModelGate {
    private final ModelClient client;
    private final RateLimiter budget;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final Bulkhead underWay;
    private final ScheduledExecutorService scheduler;

    public ModelGate(ModelClient client, AnalysisSettings s, int parallelism, ScheduledExecutorService scheduler) {
        this.client = client;
        this.scheduler = scheduler;
        this.budget = RateLimiter.of(
                "model-budget",
                RateLimiterConfig.custom()
                        .limitRefreshPeriod(Duration.ofMinutes(1))
                        .limitForPeriod(Math.max(1, s.tokensPerMinute() / Math.max(1, parallelism)))
                        .timeoutDuration(Duration.ZERO)
                        .build());
        this.retry = Retry.of(
                "model-retry",
                RetryConfig.custom()
                        .maxAttempts(s.retries() + 1)
                        .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(s.retryBackoff(), 2.0, 0.5))
                        .retryOnException(ModelGate::retryable)
                        .build());
        this.underWay = Bulkhead.of(
                "model-under-way",
                BulkheadConfig.custom()
                        .maxConcurrentCalls(Math.max(1, s.capacity()))
                        .maxWaitDuration(Duration.ZERO)
                        .build());
        this.breaker = CircuitBreaker.of(
                "model-circuit",
                CircuitBreakerConfig.custom()
                        .slidingWindowSize(s.circuitWindow())
                        .minimumNumberOfCalls(Math.min(s.circuitWindow(), 5))
                        .failureRateThreshold(s.circuitFailureRate())
                        .waitDurationInOpenState(s.circuitOpenFor())
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .automaticTransitionFromOpenToHalfOpenEnabled(false)
                        .build());
    }

    /** Takes tokens from this minute's budget; false when there are not enough left. */
    public boolean takeBudget(String prompt) {
        return budget.acquirePermission(estimateTokens(prompt));
    }

    /** Tokens a call may spend: the prompt's and room for the answer. */
    public static int estimateTokens(String prompt) {
        return promptTokens(prompt) + 700;
    }

    /** The prompt's size in tokens, estimated at four characters a token. */
    public static int promptTokens(String prompt) {
        return prompt.length() / 4;
    }

    /**
     * The answer, after retries; fails at once with CallNotPermittedException while the circuit is
     * open, and with BulkheadFullException while {@code analysis.capacity} calls are still under way.
     */
    public CompletableFuture<String> call(String prompt) {
        return Bulkhead.decorateCompletionStage(
                        underWay,
                        breaker.decorateCompletionStage(
                                Retry.decorateCompletionStage(retry, scheduler, () -> client.converse(prompt))))
                .get()
                .toCompletableFuture();
    }

    /** Calls started and not yet ended. */
    public int callsUnderWay() {
        return underWay.getBulkheadConfig().getMaxConcurrentCalls()
                - underWay.getMetrics().getAvailableConcurrentCalls();
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    static boolean retryable(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof SdkServiceException se) {
            return se.isThrottlingException() || se.statusCode() == 429 || se.statusCode() >= 500;
        }
        return c instanceof SdkClientException || c instanceof java.io.IOException;
    }

    /** A short machine-readable code for a failure, for dead letters and metrics. */
    public static String codeOf(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof io.github.resilience4j.circuitbreaker.CallNotPermittedException) {
            return "circuit_open";
        }
        if (c instanceof BulkheadFullException) {
            return "model_busy";
        }
        if (c instanceof SdkServiceException se) {
            return se.isThrottlingException() || se.statusCode() == 429
                    ? "throttled"
                    : se.statusCode() >= 500 ? "model_error" : "model_rejected";
        }
        if (c instanceof java.util.concurrent.TimeoutException) {
            return "deadline_exceeded";
        }
        return "model_unreachable";
    }
}
