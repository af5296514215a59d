package dev.attune.policy;

/** What became of one campaign request, for the campaign's summary. A Flink POJO. */
public class CampaignFact {
    public String campaignId;
    public String requestId;
    public long eventTime;
    /** The channel sent on; null for a suppression. */
    public String channel;
    /** The suppression reason; null for a send. */
    public String reason;

    public double cost;
    /** What the send would have cost on the request's first channel. */
    public double firstChoiceCost;
    /** A repeat of a request already decided: counted as a suppression, not as a request. */
    public boolean duplicate;
    /**
     * What followed a send or a holdout ({@code delivered}, {@code opened}, ..., {@code converted}), with the
     * order's revenue; null for the decision on a request. {@code requestId} is then the event's messageId.
     */
    public String outcome;

    public double revenue;
    /** The outcome of a customer held out of the campaign. */
    public boolean holdout;

    public CampaignFact() {}
}
