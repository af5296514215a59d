package dev.attune.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScorerTest {
    static JsonNode json(String s) throws Exception {
        return Scorer.MAPPER.readTree(s.replace('\'', '"'));
    }

    static final String STRUGGLER = "{'journeyId':'j1','userId':'u1','kind':'decisive_struggle','language':null,"
            + "'expect':{'types':['live_chat_offer'],'firstStrongSign':'m1','maxDelayMs':5000},'mustNot':['win_back']}";
    static final String CALM = "{'journeyId':'j2','userId':'u2','kind':'calm_browsing','language':null,"
            + "'expect':{'types':[]},'mustNot':['*']}";
    static final String CANCELLED = "{'journeyId':'j3','userId':'u3','kind':'cancelled','language':'de',"
            + "'expect':{'types':['win_back'],'firstStrongSign':'m3','churnCategory':'pricing','refusedChannels':['sms']},"
            + "'mustNot':[]}";

    @Test
    void anEmptySetOrAnEmptyRunFailsLoudly() throws Exception {
        JsonNode i = json("{'userId':'u1','type':'help_tip','eventTime':'2026-11-02T10:00:00.000Z'}");
        assertThatThrownBy(() -> new Scorer(List.of(), List.of(), Map.of("interventions", List.of(i))))
                .hasMessageContaining("no labels");
        assertThatThrownBy(() -> new Scorer(List.of(json(CALM)), List.of(), Map.of()))
                .hasMessageContaining("no interventions");
    }

    @Test
    @SuppressWarnings("unchecked")
    void scoresRecallDelayFalseAlarmsChurnAndRefusedChannels() throws Exception {
        List<JsonNode> inputs = List.of(
                json("{'messageId':'m1','timestamp':'2026-11-02T11:00:00.000+01:00'}"),
                json("{'messageId':'m3','timestamp':1793613600000}"));
        List<JsonNode> interventions = List.of(
                json("{'userId':'u1','type':'live_chat_offer','eventTime':'2026-11-02T10:00:07.000Z'}"),
                json("{'userId':'u2','type':'help_tip','eventTime':'2026-11-02T10:00:00.000Z'}"),
                json("{'userId':'u3','type':'win_back','channel':'sms','eventTime':'2026-11-02T10:00:00.000Z',"
                        + "'analysis':{'churnCategory':'unclear'}}"));
        Map<String, Object> s = new Scorer(
                        List.of(json(STRUGGLER), json(CALM), json(CANCELLED)),
                        inputs,
                        Map.of("interventions", interventions))
                .score();
        Map<String, Map<String, Object>> kinds = (Map<String, Map<String, Object>>) s.get("perKind");
        assertThat(kinds.get("decisive_struggle")).containsEntry("recall", 1.0);
        assertThat(s.get("falseAlarmRate")).isEqualTo(1.0);
        Map<String, Object> delay = (Map<String, Object>) s.get("delay");
        assertThat(delay).containsEntry("late", 1).containsEntry("maxMs", 7000L);
        Map<String, Map<String, Object>> churn = (Map<String, Map<String, Object>>) s.get("churnCategory");
        assertThat(churn.get("de")).containsEntry("accuracy", 0.0);
        assertThat(s.get("invariantViolations")).isEqualTo(1);
        assertThat(Scorer.table("t", s)).contains("decisive_struggle", "churn category de");
    }
}
