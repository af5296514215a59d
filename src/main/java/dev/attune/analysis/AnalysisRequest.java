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
    /**
     * For a help tip: the live-chat offer the rules would give in its place (same reasons, the rules'
     * score), which goes out instead where the model's exit risk raises the score to the live-chat
     * cut-off. Null for every other request.
     */
    public String raisedJson;

    public String raisedId;
    public int ruleScore;

    public AnalysisRequest() {}
}
