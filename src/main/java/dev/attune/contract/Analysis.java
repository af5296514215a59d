package dev.attune.contract;

import java.util.List;

/**
 * What an analyser concluded about a customer; {@code source} says who concluded it
 * ({@code heuristic}, {@code bedrock}, {@code replay-cache}). Text fields are written by Attune
 * or the model, never copied from customer text.
 */
public record Analysis(
        String source,
        String modelId,
        String churnCategory,
        Double confidence,
        String engagementLevel,
        List<String> insights,
        List<String> recommendedActions,
        String message,
        List<WinBackMessage> winBackSequence) {

    public record WinBackMessage(int step, int sendAfterDays, String subject, String body) {}
}
