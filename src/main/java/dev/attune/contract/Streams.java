package dev.attune.contract;

import java.util.List;

/** Names of the streams in CONTRACT.md; also the folder and topic names. */
public final class Streams {
    public static final String USER_EVENTS = "user-events";
    public static final String ENGAGEMENT_EVENTS = "engagement-events";
    public static final String CAMPAIGN_REQUESTS = "campaign-requests";

    public static final String INTERVENTIONS = "interventions";
    public static final String CAMPAIGN_SENDS = "campaign-sends";
    public static final String SUPPRESSIONS = "suppressions";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String CAMPAIGN_SUMMARIES = "campaign-summaries";

    public static final List<String> INPUTS = List.of(USER_EVENTS, ENGAGEMENT_EVENTS, CAMPAIGN_REQUESTS);
    public static final List<String> OUTPUTS =
            List.of(INTERVENTIONS, CAMPAIGN_SENDS, SUPPRESSIONS, DEAD_LETTER, CAMPAIGN_SUMMARIES);

    private Streams() {}
}
