package dev.attune.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.contract.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * {@link RunSummary#currentSummaries}, which reads only the members that choose a campaign's current summary,
 * chooses exactly the summary that reading every record whole and offering it to {@link RunSummary#keepCurrent}
 * chooses: random campaigns, weights made of every member that counts (ties on purpose), event times, nulls,
 * decimals and nested members that do not count, in random member order.
 */
class CurrentSummaryProperties {
    @Property(tries = 300)
    void chosenAsFromWholeRecords(@ForAll long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> lines = new ArrayList<>();
        int n = 1 + rnd.nextInt(40);
        for (int i = 0; i < n; i++) {
            lines.add(summary(rnd));
        }
        Map<String, JsonNode> whole = new TreeMap<>();
        for (String line : lines) {
            RunSummary.keepCurrent(whole, Json.MAPPER.readTree(line));
        }
        assertThat(RunSummary.currentSummaries(lines)).isEqualTo(whole);
    }

    private static String summary(Random rnd) {
        List<String> members = new ArrayList<>();
        members.add("\"campaignId\":\"c" + rnd.nextInt(4) + "\"");
        members.add("\"eventTime\":\"2026-11-0" + (1 + rnd.nextInt(3)) + "T00:00:00Z\"");
        members.add("\"requests\":" + rnd.nextInt(3));
        members.add("\"suppressions\":{\"fatigue_cap\":" + rnd.nextInt(2) + ",\"duplicate\":" + rnd.nextInt(2) + "}");
        members.add("\"sends\":{\"email\":" + rnd.nextInt(5) + "}");
        if (rnd.nextBoolean()) {
            members.add("\"holdout\":{\"customers\":3,\"converted\":" + rnd.nextInt(2) + ",\"cancelled\":"
                    + (rnd.nextBoolean() ? "null" : String.valueOf(rnd.nextInt(2))) + "}");
        }
        for (String outcome : List.of("delivered", "opened", "converted", "cancelled", "bounced")) {
            int pick = rnd.nextInt(4);
            if (pick == 1) {
                members.add("\"" + outcome + "\":" + rnd.nextInt(2));
            } else if (pick == 2) {
                members.add("\"" + outcome + "\":null");
            } else if (pick == 3) {
                members.add("\"" + outcome + "\":1.5");
            }
        }
        members.add("\"estimatedCost\":{\"amount\":0.0125,\"currency\":\"USD\"}");
        members.add(
                "\"uplift\":{\"ci95\":[-0.1,0.2],\"verdict\":\"inconclusive\",\"nested\":[{\"a\":[1,{\"b\":null}]}]}");
        members.add("\"interventionType\":" + (rnd.nextBoolean() ? "null" : "\"win_back\""));
        java.util.Collections.shuffle(members, rnd);
        return "{" + String.join(",", members) + "}";
    }
}
