package dev.attune.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.testing.Defaults;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ModelGateTest {
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    /** A model that answers only when told to. */
    static final class HangingModel implements ModelClient {
        final List<CompletableFuture<String>> calls = new ArrayList<>();

        @Override
        public synchronized CompletableFuture<String> converse(String prompt) {
            CompletableFuture<String> f = new CompletableFuture<>();
            calls.add(f);
            return f;
        }

        @Override
        public String modelId() {
            return "hanging";
        }
    }

    static AnalysisSettings capacity(int n) {
        return Defaults.bedrock(n, Defaults.heuristic().minRiskLevel());
    }

    @Test
    void callsGivenUpByTheCallerStillCountUntilTheyEnd() throws Exception {
        HangingModel model = new HangingModel();
        ModelGate gate = new ModelGate(model, capacity(2), 1, scheduler);
        CompletableFuture<String> first = gate.call("a");
        CompletableFuture<String> second = gate.call("b");
        CompletableFuture<String> third = gate.call("c");
        assertThat(model.calls).as("calls that reached the model").hasSize(2);
        assertThat(gate.callsUnderWay()).isEqualTo(2);
        assertThat(third).isCompletedExceptionally();
        assertThat(ModelGate.codeOf(third.handle((v, e) -> e).get(1, TimeUnit.SECONDS)))
                .isEqualTo("model_busy");
        // The caller gave up on the first long ago (the Async I/O deadline); only its end frees the place.
        model.calls.get(0).complete("{}");
        assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo("{}");
        assertThat(gate.callsUnderWay()).isEqualTo(1);
        CompletableFuture<String> fourth = gate.call("d");
        assertThat(fourth).isNotDone();
        assertThat(model.calls).hasSize(3);
        model.calls.get(1).complete("{}");
        model.calls.get(2).complete("{}");
        assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo("{}");
        assertThat(fourth.get(1, TimeUnit.SECONDS)).isEqualTo("{}");
        assertThat(gate.callsUnderWay()).isZero();
    }

    @Test
    void aBusyModelIsNotRetriedAndDoesNotOpenTheCircuit() throws Exception {
        HangingModel model = new HangingModel();
        ModelGate gate = new ModelGate(model, capacity(1), 1, scheduler);
        gate.call("a");
        for (int i = 0; i < 30; i++) {
            assertThat(gate.call("b" + i)).isCompletedExceptionally();
        }
        assertThat(model.calls).hasSize(1);
        assertThat(gate.circuitState()).isEqualTo(io.github.resilience4j.circuitbreaker.CircuitBreaker.State.CLOSED);
    }
}
