package dev.attune.job;

import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.analysis.BedrockModelClient;
import dev.attune.analysis.ModelClient;
import dev.attune.analysis.ModelGate;
import dev.attune.analysis.ModelOutcomes;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Redactor;
import dev.attune.io.Journal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * Asks the model for an intervention's analysis without holding anything else up (Flink Async
 * I/O, unordered, bounded capacity). The intervention waits at most {@code analysis.deadline};
 * past it, or on any failure, the heuristic intervention goes out and a dead letter (stage
 * {@code analysis}) says why; a late answer is only journaled. A call the budget does not allow
 * is an {@code llm_budget} suppression. In {@code replay} mode answers come from the journal.
 */
public final class AnalysisFunction extends RichAsyncFunction<AnalysisRequest, OutputRecord> {
    private static final long serialVersionUID = 1L;
    private final AnalysisSettings settings;
    private final Clients clients;

    /** Makes the model client when the operator opens: Amazon Bedrock, or a fake in tests. */
    public interface Clients extends java.io.Serializable {
        ModelClient open(AnalysisSettings s);
    }

    private transient ModelClient client;
    private transient ModelOutcomes outcomes;
    private transient ModelGate gate;
    private transient Journal journal;
    private transient Map<String, Journal.Entry> recorded;
    private transient ScheduledExecutorService scheduler;
    private transient Counter calls;
    private transient Counter answered;
    private transient Counter budgetSuppressions;
    private transient Map<String, Counter> fallbacks;
    private transient Histogram latency;

    public AnalysisFunction(AnalysisSettings settings) {
        this(
                settings,
                s -> new BedrockModelClient(s.modelId(), s.region(), s.endpoint(), s.callTimeout(), s.capacity()));
    }

    AnalysisFunction(AnalysisSettings settings, Clients clients) {
        this.settings = settings;
        this.clients = clients;
    }

    @Override
    public void open(OpenContext ctx) {
        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "attune-model-timer");
            t.setDaemon(true);
            return t;
        });
        journal = new Journal(settings.journalPath());
        outcomes = new ModelOutcomes(settings);
        if ("replay".equals(settings.mode())) {
            recorded = journal.readAll();
        } else {
            client = clients.open(settings);
            gate = new ModelGate(
                    client, settings, getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks(), scheduler);
        }
        // Managed Flink publishes to CloudWatch only the metrics under the group "kinesisanalytics".
        var group = getRuntimeContext()
                .getMetricGroup()
                .addGroup("kinesisanalytics")
                .addGroup("analysis");
        calls = group.counter("modelCalls");
        answered = group.counter("modelAnswersUsed");
        budgetSuppressions = group.counter("budgetSuppressions");
        fallbacks = new LinkedHashMap<>();
        for (String cause : List.of(
                "deadline_exceeded",
                "throttled",
                "model_error",
                "model_rejected",
                "circuit_open",
                "model_busy",
                "model_unreachable",
                "invalid_answer",
                "not_in_journal")) {
            fallbacks.put(cause, group.addGroup("fallbacks").counter(cause));
        }
        latency = group.histogram("modelLatencyMs", new DescriptiveStatisticsHistogram(1000));
    }

    @Override
    public void close() throws Exception {
        if (client != null) {
            client.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    @Override
    public void asyncInvoke(AnalysisRequest req, ResultFuture<OutputRecord> result) {
        if ("replay".equals(settings.mode())) {
            result.complete(replay(req));
            return;
        }
        if (!gate.takeBudget(req.prompt)) {
            budgetSuppressions.inc();
            journal.append(new Journal.Entry(req.promptHash, "budget", null, "llm_budget", "token budget spent"));
            result.complete(outcomes.overBudget(req));
            return;
        }
        calls.inc();
        long started = System.nanoTime();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<String> call = gate.call(req.prompt);
        scheduler.schedule(
                () -> {
                    if (done.compareAndSet(false, true)) {
                        fallbacks.get("deadline_exceeded").inc();
                        result.complete(outcomes.deadlineExceeded(req));
                    }
                },
                settings.deadline().toMillis(),
                TimeUnit.MILLISECONDS);
        call.whenComplete((answer, error) -> {
            latency.update((System.nanoTime() - started) / 1_000_000);
            // Contact details the model wrote go before anything reads or keeps the answer: the journal
            // holds none, and a replay parses exactly what the live run parsed.
            String text = Redactor.redact(answer);
            boolean inTime = done.compareAndSet(false, true);
            if (!inTime) {
                journal.append(new Journal.Entry(
                        req.promptHash,
                        "late",
                        text,
                        error == null ? null : ModelGate.codeOf(error),
                        error == null ? null : String.valueOf(error),
                        ModelGate.promptTokens(req.prompt)));
                return;
            }
            if (error != null) {
                String code = ModelGate.codeOf(error);
                fallbacks.get(code).inc();
                journal.append(new Journal.Entry(
                        req.promptHash, "failed", null, code, message(error), ModelGate.promptTokens(req.prompt)));
                result.complete(outcomes.fallback(req, code, message(error)));
                return;
            }
            ModelOutcomes.Answer a = outcomes.answered(req, text, "bedrock");
            boolean used = a.invalid() == null;
            journal.append(new Journal.Entry(
                    req.promptHash,
                    used ? "answered" : "invalid",
                    text,
                    used ? null : "invalid_answer",
                    a.invalid(),
                    ModelGate.promptTokens(req.prompt)));
            (used ? answered : fallbacks.get("invalid_answer")).inc();
            result.complete(a.outputs());
        });
    }

    @Override
    public void timeout(AnalysisRequest req, ResultFuture<OutputRecord> result) {
        fallbacks.get("deadline_exceeded").inc();
        result.complete(outcomes.fallback(req, "deadline_exceeded", "async operator timeout"));
    }

    /** The live run's outcome again: same answer, same fallback, same suppression, no call. */
    List<OutputRecord> replay(AnalysisRequest req) {
        Journal.Entry e = recorded.get(req.promptHash);
        if (e == null) {
            fallbacks.get("not_in_journal").inc();
            return outcomes.replayed(req, null, null, null, null);
        }
        return outcomes.replayed(req, e.outcome(), e.text(), e.errorCode(), e.errorMessage());
    }

    private static String message(Throwable t) {
        Throwable c = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
        String m = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        return m.length() > 300 ? m.substring(0, 300) : m;
    }
}
