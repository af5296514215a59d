package dev.attune.signals;

/**
 * Intervention types of CONTRACT.md, with the action and the channel each one asks for first (a
 * message's channel may move to another the contact policy allows). Only append.
 */
public enum InterventionType {
    LIVE_CHAT_OFFER("live_chat_offer", "show_live_chat_popup", "in_app"),
    HELP_TIP("help_tip", "show_help_tip", "in_app"),
    RETENTION_OFFER("retention_offer", "show_retention_offer", "in_app"),
    WIN_BACK("win_back", "start_win_back_sequence", "email"),
    SERVICE_RECOVERY("service_recovery", "agent_callback", "voice");

    public final String wire;
    public final String action;
    public final String channel;

    InterventionType(String wire, String action, String channel) {
        this.wire = wire;
        this.action = action;
        this.channel = channel;
    }

    /** In-product help (a popup, a tip, an offer on the page): not a message, not capped, not held by quiet hours. */
    public boolean inProduct() {
        return "in_app".equals(channel);
    }

    public int bit() {
        return 1 << ordinal();
    }
}
