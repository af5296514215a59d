package dev.attune.job;

import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.analysis.AnswerParser;
import dev.attune.analysis.BedrockModelClient;
import dev.attune.analysis.Enrichment;
import dev.attune.analysis.ModelClient;
import dev.attune.analysis.ModelGate;
import dev.attune.contract.Analysis;
import dev.attune.contract.DeadLetter;
import dev.attune.contract.DeadLetters;
import dev.attune.contract.Ids;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Outputs;
import dev.attune.contract.Streams;
import dev.attune.io.Journal;
import java.util.ArrayList;
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

    private transient ModelClient client;
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
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "attune-model-timer");
            t.setDaemon(true);
            return t;
        });
        journal = new Journal(settings.journalPath());
        if ("replay".equals(settings.mode())) {
            recorded = journal.readAll();
        } else {
            client = new BedrockModelClient(
                    settings.modelId(),
                    settings.region(),
                    settings.endpoint(),
                    settings.callTimeout(),
                    settings.capacity());
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
            result.complete(budget(req));
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
                        result.complete(fallback(
                                req,
                                "deadline_exceeded",
                                "no answer within analysis.deadline ("
                                        + settings.deadline().toMillis() + " ms)"));
                    }
                },
                settings.deadline().toMillis(),
                TimeUnit.MILLISECONDS);
        call.whenComplete((text, error) -> {
            latency.update((System.nanoTime() - started) / 1_000_000);
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
                result.complete(fallback(req, code, message(error)));
                return;
            }
            try {
                Analysis a = AnswerParser.parse(text, req.kind, settings.modelId(), "bedrock", null);
                journal.append(new Journal.Entry(
                        req.promptHash, "answered", text, null, null, ModelGate.promptTokens(req.prompt)));
                answered.inc();
                result.complete(List.of(enriched(req, a)));
            } catch (AnswerParser.InvalidAnswer e) {
                fallbacks.get("invalid_answer").inc();
                journal.append(new Journal.Entry(
                        req.promptHash,
                        "invalid",
                        text,
                        "invalid_answer",
                        e.getMessage(),
                        ModelGate.promptTokens(req.prompt)));
                result.complete(fallback(req, "invalid_answer", e.getMessage()));
            }
        });
    }

    @Override
    public void timeout(AnalysisRequest req, ResultFuture<OutputRecord> result) {
        fallbacks.get("deadline_exceeded").inc();
        result.complete(fallback(req, "deadline_exceeded", "async operator timeout"));
    }

    /** The live run's outcome again: same answer, same fallback, same suppression, no call. */
    List<OutputRecord> replay(AnalysisRequest req) {
        Journal.Entry e = recorded.get(req.promptHash);
        if (e == null) {
            fallbacks.get("not_in_journal").inc();
            return List.of(heuristic(req));
        }
        switch (e.outcome()) {
            case "answered" -> {
                try {
                    return List.of(enriched(
                            req, AnswerParser.parse(e.text(), req.kind, settings.modelId(), "replay-cache", null)));
                } catch (AnswerParser.InvalidAnswer ex) {
                    return fallback(req, "invalid_answer", ex.getMessage());
                }
            }
            case "budget" -> {
                return budget(req);
            }
            case "late" -> {
                return fallback(
                        req,
                        "deadline_exceeded",
                        "no answer within analysis.deadline ("
                                + settings.deadline().toMillis() + " ms)");
            }
            default -> {
                return fallback(req, e.errorCode(), e.errorMessage());
            }
        }
    }

    private OutputRecord enriched(AnalysisRequest req, Analysis a) {
        return new OutputRecord(
                Streams.INTERVENTIONS,
                req.userId,
                req.interventionId,
                Enrichment.withAnalysis(req.interventionJson, a));
    }

    private static OutputRecord heuristic(AnalysisRequest req) {
        return new OutputRecord(Streams.INTERVENTIONS, req.userId, req.interventionId, req.interventionJson);
    }

    /** The heuristic intervention, and a dead letter saying why the model's answer was not used. */
    static List<OutputRecord> fallback(AnalysisRequest req, String code, String message) {
        List<OutputRecord> out = new ArrayList<>(2);
        out.add(heuristic(req));
        DeadLetter d = DeadLetter.of(
                Streams.INTERVENTIONS,
                req.interventionId,
                req.interventionJson,
                false,
                "analysis",
                code,
                message == null ? code : message);
        d.userId = req.userId;
        d.eventTime = req.eventTime;
        out.add(DeadLetters.toOutput(d));
        return out;
    }

    List<OutputRecord> budget(AnalysisRequest req) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("tokensPerMinute", settings.tokensPerMinute());
        details.put("tokensNeeded", ModelGate.estimateTokens(req.prompt));
        details.put("analysis", "heuristic");
        String id = Ids.of(Streams.SUPPRESSIONS, req.userId, req.interventionType, "llm_budget", req.triggerMessageId);
        return List.of(
                heuristic(req),
                Outputs.interventionSuppression(
                        id,
                        req.userId,
                        req.eventTime,
                        req.interventionType,
                        req.triggerMessageId,
                        "llm_budget",
                        details));
    }

    private static String message(Throwable t) {
        Throwable c = t.getCause() != null && t instanceof java.util.concurrent.CompletionException ? t.getCause() : t;
        String m = c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        return m.length() > 300 ? m.substring(0, 300) : m;
    }
}
