package dev.attune.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.analysis.ModelClient;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.signals.Events;
import dev.attune.testing.Defaults;
import dev.attune.testing.LocalBedrock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.AsyncDataStream;
import org.apache.flink.streaming.api.operators.async.AsyncWaitOperatorFactory;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model-analysis operator in Flink's async operator, with a fake model client: an answer in
 * time enriches the intervention; a failure, an answer that fails its checks or no answer within
 * the deadline sends the heuristic intervention and a dead letter saying why; nothing is lost.
 */
class AnalysisFunctionHarnessTest {
    @TempDir
    Path dir;

    /** A fake client whose answer the test sets; serialisable so the operator can be built with it. */
    static final class Fake implements ModelClient {
        static volatile CompletableFuture<String> next;

        @Override
        public CompletableFuture<String> converse(String prompt) {
            return next;
        }

        @Override
        public String modelId() {
            return "fake";
        }
    }

    AnalysisSettings settings() {
        AnalysisSettings b = Defaults.bedrock(4, "critical");
        return new AnalysisSettings(
                "bedrock",
                b.modelId(),
                "us-east-1",
                null,
                b.capacity(),
                Duration.ofMillis(300),
                b.callTimeout(),
                0,
                b.retryBackoff(),
                b.circuitWindow(),
                b.circuitFailureRate(),
                b.circuitOpenFor(),
                b.tokensPerMinute(),
                b.cooldown(),
                dir.resolve("journal").toString(),
                "critical",
                AnalysisSettings.ModelRaise.DEFAULTS);
    }

    /** The request the engine makes for a consenting customer's cancellation (a win-back always asks). */
    AnalysisRequest winBackRequest() {
        CustomerEngine engine = new CustomerEngine(Defaults.signals(), Defaults.policy(), settings());
        List<AnalysisRequest> asked = new ArrayList<>();
        engine.decideInto(
                Events.Run.consenting().state,
                Events.cancelled("c-1", Events.T0, "Too expensive for what we use"),
                new CustomerEngine.Emitter() {
                    @Override
                    public void output(OutputRecord r) {}

                    @Override
                    public void analysis(AnalysisRequest r) {
                        asked.add(r);
                    }
                });
        assertThat(asked).hasSize(1);
        return asked.get(0);
    }

    List<JsonNode> run(CompletableFuture<String> answer) throws Exception {
        Fake.next = answer;
        AnalysisSettings s = settings();
        var factory = new AsyncWaitOperatorFactory<>(
                new AnalysisFunction(s, x -> new Fake()),
                s.deadline().plus(s.callTimeout()).toMillis(),
                s.capacity(),
                AsyncDataStream.OutputMode.UNORDERED);
        var harness = new OneInputStreamOperatorTestHarness<>(
                factory, TypeInformation.of(AnalysisRequest.class).createSerializer(new SerializerConfigImpl()));
        harness.open();
        AnalysisRequest req = winBackRequest();
        harness.processElement(new StreamRecord<>(req, req.eventTime));
        harness.endInput();
        List<JsonNode> out = new ArrayList<>();
        for (OutputRecord o : harness.extractOutputValues()) {
            JsonNode n = Json.MAPPER.readTree(o.json);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_stream", o.stream);
            out.add(n);
        }
        harness.close();
        return out;
    }

    @Test
    void anAnswerInTimeEnrichesTheIntervention() throws Exception {
        List<JsonNode> out = run(CompletableFuture.completedFuture(LocalBedrock.VALID_WINBACK_JSON));
        assertThat(out).singleElement().satisfies(n -> {
            assertThat(n.get("_stream").asText()).isEqualTo(Streams.INTERVENTIONS);
            assertThat(n.at("/analysis/source").asText()).isEqualTo("bedrock");
            assertThat(n.at("/analysis/churnCategory").asText()).isEqualTo("pricing");
            assertThat(n.get("channel").asText()).isEqualTo("email");
        });
    }

    @Test
    void aFailedCallSendsTheHeuristicInterventionAndSaysWhy() throws Exception {
        List<JsonNode> out = run(CompletableFuture.failedFuture(new IllegalStateException("boom")));
        assertFallback(out, "model_unreachable"); // not a service error: the client could not reach the model
    }

    @Test
    void anAnswerThatFailsItsChecksIsNotUsed() throws Exception {
        List<JsonNode> out = run(CompletableFuture.completedFuture(LocalBedrock.MALFORMED_TEXT));
        assertFallback(out, "invalid_answer");
    }

    @Test
    void noAnswerWithinTheDeadlineSendsTheHeuristicIntervention() throws Exception {
        List<JsonNode> out = run(new CompletableFuture<>());
        assertFallback(out, "deadline_exceeded");
    }

    @Test
    void theJournalHoldsNoContactDetailTheModelWrote() throws Exception {
        String answer = LocalBedrock.VALID_WINBACK_JSON.replaceFirst(
                "\\{", "{\"note\":\"write to jane.doe@example.com or call +44 7700 900123\",");
        run(CompletableFuture.completedFuture(answer));
        String journal;
        try (var files = java.nio.file.Files.walk(dir.resolve("journal"))) {
            journal = files.filter(java.nio.file.Files::isRegularFile)
                    .map(f -> {
                        try {
                            return java.nio.file.Files.readString(f);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .reduce("", String::concat);
        }
        assertThat(journal).contains("answered").doesNotContain("jane.doe").doesNotContain("7700 900123");
    }

    static void assertFallback(List<JsonNode> out, String code) {
        assertThat(out).hasSize(2);
        JsonNode intervention = out.stream()
                .filter(n -> n.get("_stream").asText().equals(Streams.INTERVENTIONS))
                .findFirst()
                .orElseThrow();
        assertThat(intervention.at("/analysis/source").asText()).isEqualTo("heuristic");
        JsonNode dead = out.stream()
                .filter(n -> n.get("_stream").asText().equals(Streams.DEAD_LETTER))
                .findFirst()
                .orElseThrow();
        assertThat(dead.get("stage").asText()).isEqualTo("analysis");
        assertThat(dead.at("/error/code").asText()).isEqualTo(code);
        assertThat(dead.get("userId").asText())
                .isEqualTo(intervention.get("userId").asText());
    }
}
