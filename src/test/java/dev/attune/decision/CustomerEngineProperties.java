package dev.attune.decision;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Schemas;
import dev.attune.contract.Streams;
import dev.attune.signals.*;
import dev.attune.signals.Histories.Render;
import dev.attune.signals.Histories.Step;
import dev.attune.testing.Defaults;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/** Invariants of the whole per-customer decision over generated histories. */
class CustomerEngineProperties {
    private static final SignalSettings SETTINGS = Defaults.signals();

    @Provide
    Arbitrary<List<Step>> histories() {
        return Histories.histories();
    }

    @Property(tries = 200)
    void riskScoreIsInRangeAndExplainedByItsReasons(@ForAll("histories") List<Step> steps) {
        List<OutputRecord> out = Histories.run(Histories.render(steps, Render.PLAIN));
        for (OutputRecord o : out) {
            if (!Streams.INTERVENTIONS.equals(o.stream)) {
                continue;
            }
            JsonNode n = Events.json(o);
            int score = n.get("riskScore").asInt();
            assertThat(score).as("riskScore of %s", o.json).isBetween(0, 100);
            int sum = 0;
            for (JsonNode r : n.get("reasons")) {
                int c = r.path("contribution").asInt();
                assertThat(c).as("contribution in %s", o.json).isPositive();
                sum += c;
            }
            assertThat(sum).as("sum of contributions in %s", o.json).isEqualTo(score);
            assertThat(n.get("riskLevel").asText()).isEqualTo(SETTINGS.risk().level(score));
        }
        Statistics.label("events")
                .collect(
                        steps.size() <= 5
                                ? "1-5"
                                : steps.size() <= 20 ? "6-20" : steps.size() <= 40 ? "21-40" : "41-60");
        Statistics.label("interventions")
                .collect(
                        out.stream()
                                                .filter(o -> o.stream.equals(Streams.INTERVENTIONS))
                                                .count()
                                        > 0
                                ? "some"
                                : "none");
    }

    @Property(tries = 200)
    void interventionsOfATypeAreAtLeastItsCooldownApart(@ForAll("histories") List<Step> steps) {
        List<OutputRecord> out = Histories.run(Histories.render(steps, Render.PLAIN));
        Map<InterventionType, Long> last = new EnumMap<>(InterventionType.class);
        for (OutputRecord o : out) {
            if (!Streams.INTERVENTIONS.equals(o.stream)) {
                continue;
            }
            JsonNode n = Events.json(o);
            InterventionType t = typeOf(n.get("type").asText());
            long at = Instant.parse(n.get("eventTime").asText()).toEpochMilli();
            Long before = last.put(t, at);
            if (before != null) {
                assertThat(at - before)
                        .as("%s given at %s and again at %s", t, Instant.ofEpochMilli(before), Instant.ofEpochMilli(at))
                        .isGreaterThanOrEqualTo(SETTINGS.cooldown(t));
            }
            Statistics.label("type").collect(t);
        }
    }

    @Property(tries = 200)
    void sameHistoryGivesByteIdenticalOutputs(@ForAll("histories") List<Step> steps) {
        List<InputRecord> records = Histories.render(steps, Render.PLAIN);
        List<OutputRecord> first = Histories.run(records);
        List<OutputRecord> second = Histories.run(Histories.render(steps, Render.PLAIN));
        assertThat(second)
                .extracting(o -> o.stream + " " + o.id + " " + o.key + " " + o.json)
                .containsExactlyElementsOf(first.stream()
                        .map(o -> o.stream + " " + o.id + " " + o.key + " " + o.json)
                        .toList());
        // Every output is one its stream's schema accepts, and an id names one record: two outputs share
        // an id only when they are the same record (a re-sent trigger's duplicate suppression, sent again).
        Map<String, String> byId = new HashMap<>();
        for (OutputRecord o : first) {
            assertThat(Schemas.validate(o.stream, Events.json(o)))
                    .as("%s %s", o.stream, o.json)
                    .isEmpty();
            String other = byId.putIfAbsent(o.id, o.json);
            assertThat(other == null ? o.json : other)
                    .as("records with id %s", o.id)
                    .isEqualTo(o.json);
        }
    }

    private static InterventionType typeOf(String wire) {
        for (InterventionType t : InterventionType.values()) {
            if (t.wire.equals(wire)) {
                return t;
            }
        }
        throw new AssertionError("unknown intervention type " + wire);
    }
}
