package dev.attune.report;

import dev.attune.io.Journal;
import java.util.Map;
import java.util.TreeMap;

/**
 * Model calls recorded in the response journal, with an estimated cost: prompt tokens as recorded,
 * answer tokens at four characters a token, priced per 1,000 tokens.
 */
public record ModelUse(
        String mode,
        String modelId,
        String journalPath,
        long calls,
        Map<String, Long> outcomes,
        long promptTokens,
        long answerTokens,
        double estimatedUsd) {

    /** Reads the journal; a missing journal is a run without calls. */
    public static ModelUse read(
            String mode, String modelId, String journalPath, double inputPer1k, double outputPer1k) {
        Map<String, Long> outcomes = new TreeMap<>();
        long[] calls = new long[1];
        long[] prompt = new long[1];
        long[] answer = new long[1];
        if (!"heuristic".equals(mode)) {
            new Journal(journalPath).forEach(e -> {
                outcomes.merge(e.outcome(), 1L, Long::sum);
                if (e.called()) {
                    calls[0]++;
                    prompt[0] += e.promptTokens();
                    answer[0] += e.text() == null ? 0 : e.text().length() / 4;
                }
            });
        }
        double usd = prompt[0] / 1000.0 * inputPer1k + answer[0] / 1000.0 * outputPer1k;
        return new ModelUse(mode, modelId, journalPath, calls[0], outcomes, prompt[0], answer[0], usd);
    }
}
