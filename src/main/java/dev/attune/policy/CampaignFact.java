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

    public CampaignFact() {}
}
