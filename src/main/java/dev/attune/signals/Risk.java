package dev.attune.signals;

import dev.attune.contract.Reason;
import java.util.List;

/** An explainable risk: the score is exactly the sum of its reasons' contributions. */
public record Risk(int score, String level, List<Reason> reasons) {
    public boolean has(String code) {
        return reasons.stream().anyMatch(r -> r.code().equals(code));
    }
}
