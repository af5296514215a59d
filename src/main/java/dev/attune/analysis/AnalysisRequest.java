package dev.attune.analysis;

/**
 * An intervention that waits for a model's analysis: the heuristic version ready to go, and
 * the prompt to ask. A Flink POJO.
 */
public class AnalysisRequest {
    /** {@code journey} or {@code churn}. */
    public String kind;

    public String prompt;
    /** SHA-256 of model id and prompt: the journal key. */
    public String promptHash;
    /** The intervention with the heuristic analysis, in its output format. */
    public String interventionJson;

    public String interventionId;
    public String interventionType;
    public String userId;
    public String triggerMessageId;
    public long eventTime;

    public AnalysisRequest() {}
}
