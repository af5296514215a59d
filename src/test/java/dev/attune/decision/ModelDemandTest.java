package dev.attune.decision;

import static dev.attune.signals.Events.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.signals.*;
import dev.attune.testing.Defaults;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which interventions ask the model: every win-back; live chat and service recovery from analysis.min-risk-level. */
class ModelDemandTest {
    /** Bedrock with the model's exit risk unused, so help tips do not ask (ModelExitRiskTest covers them). */
    static AnalysisSettings bedrock(String minRiskLevel) {
        return Defaults.bedrock(Defaults.heuristic().capacity(), minRiskLevel)
                .withRaise(new AnalysisSettings.ModelRaise(0, 60, 85));
    }

    /** Types asked about, and types that went out at once, for one customer's events. */
    static List<String> asked(String minRiskLevel, List<InputRecord> events, List<String> direct) {
        CustomerEngine engine = new CustomerEngine(Defaults.signals(), Defaults.policy(), bedrock(minRiskLevel));
        CustomerState s = Events.Run.consenting().state;
        List<String> asked = new ArrayList<>();
        for (InputRecord e : events) {
            engine.decideInto(s, e, new CustomerEngine.Emitter() {
                @Override
                public void output(OutputRecord r) {
                    if (r.stream.equals("interventions")) {
                        direct.add(r.json.replaceAll(".*\"type\":\"([a-z_]+)\".*", "$1"));
                    }
                }

                @Override
                public void analysis(AnalysisRequest r) {
                    asked.add(r.interventionType);
                }
            });
        }
        return asked;
    }

    static List<InputRecord> struggleBurst() {
        List<InputRecord> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            events.add(struggle("s" + i, T0 + i * 3_000, "rage_click"));
        }
        events.add(error("e", T0 + 13_000, "E1"));
        events.add(error("e2", T0 + 14_000, "E1"));
        return events; // 48 + 20 points: high, not critical
    }

    @Test
    void aLiveChatBelowCriticalGoesOutAtOnceWithTheHeuristicAnalysis() {
        List<String> direct = new ArrayList<>();
        assertThat(asked("critical", struggleBurst(), direct)).isEmpty();
        assertThat(direct).contains("live_chat_offer");
        assertThat(asked("low", struggleBurst(), new ArrayList<>())).containsExactly("live_chat_offer");
    }

    @Test
    void aWinBackAlwaysAsks() {
        List<InputRecord> events = List.of(track("c", T0, "Subscription Cancelled", "reason", "Too expensive"));
        assertThat(asked("critical", events, new ArrayList<>())).containsExactly("win_back");
    }
}
