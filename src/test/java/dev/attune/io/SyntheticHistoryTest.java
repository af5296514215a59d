package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.signals.CustomerState;
import dev.attune.testing.Defaults;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyntheticHistoryTest {
    static final int CUSTOMERS = 2_000; // the standard workload (local profile, benchmark)

    static final List<String> CONTACT_REASONS =
            List.of("no_consent", "unsubscribed", "unreachable", "fatigue_cap", "service_recovery_in_progress");

    @Test
    void everyCustomerWhoseAtRiskSessionArrivesGetsAnInterventionOrAReasonWhyNot() {
        SyntheticHistory h = new SyntheticHistory(42, CUSTOMERS, "2026-11-21T08:00:00Z", 0.002, 0.01);
        Map<String, List<InputRecord>> byCustomer = new HashMap<>();
        for (long i = 0; i < h.size(); i++) {
            SyntheticHistory.Generated g = h.at(i);
            Inbound in = RecordParser.parse(g.stream(), "generator#" + i, g.bytes());
            if (in.isValid()) {
                byCustomer
                        .computeIfAbsent(in.record.userId, k -> new ArrayList<>())
                        .add(in.record);
            }
        }
        CustomerEngine engine = Defaults.engine(Defaults.signals());
        Set<String> intervened = new HashSet<>();
        byCustomer.forEach((user, records) -> {
            records.sort(Comparator.comparingLong((InputRecord r) -> r.timestamp));
            CustomerState s = new CustomerState();
            for (InputRecord r : records) {
                engine.decide(s, r, (OutputRecord o) -> {
                    // An intervention, or one the contact policy held with its reason (a message to a customer
                    // who refused the channel or is under a cap); never nothing.
                    if (o.stream.equals(Streams.INTERVENTIONS)
                            || (o.stream.equals(Streams.SUPPRESSIONS)
                                    && o.json.contains("\"interventionType\"")
                                    && CONTACT_REASONS.stream()
                                            .anyMatch(reason -> o.json.contains("\"reason\":\"" + reason + "\"")))) {
                        intervened.add(user);
                    }
                });
            }
        });
        List<String> missed = new ArrayList<>();
        int atRisk = 0;
        int labelled = 0;
        for (int c = 0; c < CUSTOMERS; c++) {
            labelled += h.archetype(c).atRisk ? 1 : 0;
            if (h.atRisk(c)) {
                atRisk++;
                if (!intervened.contains(SyntheticHistory.userId(c))) {
                    missed.add(SyntheticHistory.userId(c) + " " + h.archetype(c) + " " + h.locale(c));
                }
            }
        }
        assertThat(missed)
                .as("at-risk customers with neither an intervention nor a reason, in any language")
                .isEmpty();
        // The label leaves out only the 7 whose key record a retry replaced or corruption spoiled.
        assertThat(labelled - atRisk).isEqualTo(7);
        assertThat(h.atRisk(1801))
                .as("user-001801's survey has the timestamp 'yesterday'")
                .isFalse();
        assertThat(h.archetype(1801).atRisk).isTrue();
    }

    @Test
    void aShareOfCustomersLiveInOtherLanguagesAndWriteInThem() {
        SyntheticHistory h = new SyntheticHistory(42, CUSTOMERS, "2026-11-21T08:00:00Z", 0, 0);
        Map<String, Integer> byLocale = new java.util.TreeMap<>();
        for (int c = 0; c < CUSTOMERS; c++) {
            byLocale.merge(h.locale(c), 1, Integer::sum);
        }
        assertThat(byLocale).containsKeys("en-GB", "en-US", "de-DE", "fr-FR", "es-ES");
        for (String l : List.of("de-DE", "fr-FR", "es-ES")) {
            assertThat(byLocale.get(l)).as(l).isBetween(CUSTOMERS / 15, CUSTOMERS / 6);
        }
        Set<String> others = Set.of("de-DE", "fr-FR", "es-ES");
        Set<String> written = new HashSet<>();
        for (long i = 0; i < h.size(); i++) {
            SyntheticHistory.Generated g = h.at(i);
            String locale = h.locale(g.customer());
            String json = new String(g.bytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean customerText = json.contains("\"Support Ticket Created\"")
                    || json.contains("\"Subscription Cancelled\"")
                    || json.contains("\"comment\"");
            if (customerText && others.contains(locale)) {
                assertThat(json)
                        .as("a text of a %s customer in English", locale)
                        .doesNotContain("Too expensive", "Disappointed", "furious", "Love it");
                written.add(locale);
            }
        }
        assertThat(written).containsExactlyInAnyOrder("de-DE", "fr-FR", "es-ES");
    }
}
