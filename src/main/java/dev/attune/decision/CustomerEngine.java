package dev.attune.decision;

import dev.attune.analysis.AnalysisRequest;
import dev.attune.analysis.AnalysisSettings;
import dev.attune.analysis.HeuristicAnalyser;
import dev.attune.analysis.Prompts;
import dev.attune.catalogue.TextCatalogue;
import dev.attune.contract.Analysis;
import dev.attune.contract.Channel;
import dev.attune.contract.Ids;
import dev.attune.contract.InputRecord;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.Outputs;
import dev.attune.contract.Streams;
import dev.attune.policy.Attribution;
import dev.attune.policy.CampaignFact;
import dev.attune.policy.CampaignPolicy;
import dev.attune.policy.FatigueLedger;
import dev.attune.policy.Holdouts;
import dev.attune.policy.PolicySettings;
import dev.attune.policy.Templates;
import dev.attune.signals.CustomerState;
import dev.attune.signals.Dedup;
import dev.attune.signals.EventKind;
import dev.attune.signals.InterventionRules;
import dev.attune.signals.InterventionType;
import dev.attune.signals.Risk;
import dev.attune.signals.RiskModel;
import dev.attune.signals.SignalSettings;
import dev.attune.signals.Signals;
import dev.attune.signals.StateMerge;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decides for one customer, one event at a time, in event-time order: plain Java, no Flink.
 * The keyed operator loads the state, calls {@link #decide}, and stores what it leaves.
 */
public class CustomerEngine implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What became of an event. */
    public enum Outcome {
        USED,
        DUPLICATE,
        FORGET,
        FORGOTTEN
    }

    /** Where decisions go: outputs, campaign facts for the summaries, and requests for a model. */
    public interface Emitter {
        void output(OutputRecord r);

        default void fact(CampaignFact f) {}

        default void analysis(AnalysisRequest r) {}
    }

    private final SignalSettings settings;
    private final PolicySettings policySettings;
    private final AnalysisSettings analysisSettings;
    private final TextCatalogue texts;
    private transient CampaignPolicy policy;
    private transient ContactPolicy contact;
    private transient Signals signals;
    private transient RiskModel risk;
    private transient InterventionRules rules;
    private transient HeuristicAnalyser analyser;
    private transient Attribution attribution;

    public CustomerEngine(
            SignalSettings settings,
            PolicySettings policySettings,
            AnalysisSettings analysisSettings,
            TextCatalogue texts) {
        this.settings = settings;
        this.policySettings = policySettings;
        this.analysisSettings = analysisSettings;
        this.texts = texts;
    }

    /** With the bundled texts. */
    public CustomerEngine(SignalSettings settings, PolicySettings policySettings, AnalysisSettings analysisSettings) {
        this(settings, policySettings, analysisSettings, TextCatalogue.defaults());
    }

    private void init() {
        if (signals == null) {
            signals = new Signals(settings);
            risk = new RiskModel(settings.risk(), settings.sentimentHalfLife());
            rules = new InterventionRules(settings);
            analyser = new HeuristicAnalyser(texts);
            contact = new ContactPolicy(policySettings);
            policy = new CampaignPolicy(policySettings, contact, texts);
            attribution = new Attribution(policySettings.holdouts(), policySettings.currency());
        }
    }

    public Outcome decide(CustomerState s, InputRecord e, Consumer<OutputRecord> out) {
        return decide(s, e, out, fact -> {});
    }

    /** Decides one event; campaign decisions also yield a fact for the campaign summary. */
    public Outcome decide(CustomerState s, InputRecord e, Consumer<OutputRecord> out, Consumer<CampaignFact> facts) {
        return decideInto(s, e, new Emitter() {
            @Override
            public void output(OutputRecord r) {
                out.accept(r);
            }

            @Override
            public void fact(CampaignFact f) {
                facts.accept(f);
            }
        });
    }

    /**
     * Whether the keyed operator may decide this event as soon as it arrives, in order for its
     * customer, instead of when the watermark passes it: it can lead to in-product help at most
     * ({@link InterventionRules#atMostInProduct}), never to a message, so no refusal or consent
     * still in flight can change whether a customer is messaged.
     */
    public boolean decidableOnArrival(InputRecord e) {
        return InterventionRules.atMostInProduct(settings.names().kind(e));
    }

    /** Decides one event; interventions worth a model's analysis go to {@link Emitter#analysis}. */
    public Outcome decideInto(CustomerState s, InputRecord e, Emitter emit) {
        Consumer<OutputRecord> out = emit::output;
        Consumer<CampaignFact> facts = emit::fact;
        init();
        if (s.forgottenAt != 0 && e.timestamp <= s.forgottenAt) {
            return Outcome.FORGOTTEN; // erased history arriving late is not the customer coming back
        }
        EventKind kind = settings.names().kind(e);
        if (kind == EventKind.MERGE) {
            if (!Dedup.seenOrRecord(s, e.messageId, e.timestamp, settings.dedupWindow())) {
                StateMerge.into(s, Identity.visitorOf(e));
            }
            return Outcome.USED;
        }
        if (Dedup.seenOrRecord(s, e.messageId, e.timestamp, settings.dedupWindow())) {
            if (kind == EventKind.CAMPAIGN_REQUEST) {
                CampaignPolicy.Decision d = policy.duplicate(e);
                out.accept(d.output());
                facts.accept(d.fact());
                return Outcome.DUPLICATE;
            }
            InterventionType t = InterventionRules.triggeredBy(s, Dedup.hash(e.messageId));
            if (t != null) {
                suppress(e, t, "duplicate", Map.of("duplicateOf", e.messageId), out);
                facts.accept(fact(e, t, null, "duplicate", true));
            }
            return Outcome.DUPLICATE;
        }
        if (kind == EventKind.FORGET_ME) {
            // The one record that names the customer at erasure: proof for the product team
            // that no intervention or send will follow from what was held on them.
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("erasedAt", dev.attune.contract.Times.format(e.timestamp));
            String id = Ids.of(Streams.SUPPRESSIONS, e.userId, "all", "forgotten", e.messageId);
            out.accept(Outputs.suppression(id, e, "all", null, null, "forgotten", details));
            return Outcome.FORGET;
        }
        if (kind == EventKind.CAMPAIGN_REQUEST && s.forgottenAt != 0 && s.lastEventTime == s.forgottenAt) {
            // A request for a customer erased and not back since: decided, but without their data.
            CampaignPolicy.Decision d = policy.forgotten(e);
            out.accept(d.output());
            facts.accept(d.fact());
            return Outcome.USED;
        }
        Signals.Observation said = signals.apply(s, e, kind);
        policy.outcomes(s, e, kind, facts);
        if (kind == EventKind.CAMPAIGN_REQUEST) {
            CampaignPolicy.Decision d = policy.decide(s, e, signals.sentimentAt(s, e.timestamp));
            out.accept(d.output());
            facts.accept(d.fact());
            return Outcome.USED;
        }
        if (kind == EventKind.MESSAGE_SENT
                && !FatigueLedger.isOwn(
                        s, FatigueLedger.hash(e.sendId), e.timestamp, policySettings.ledgerRetention())) {
            // Sends by other systems count toward the caps; Attune's own were counted when decided. An
            // echo of Attune's send that comes more than the longest cap window after it counts as sent then.
            FatigueLedger.record(s, Channel.fromWire(e.channel), e.timestamp, 0, policySettings.ledgerRetention());
        }
        Risk r = risk.assess(s, e.timestamp);
        rules.rearm(s, r);
        InterventionType t = rules.candidate(s, e, kind, r, said);
        if (t != null) {
            long hash = Dedup.hash(e.messageId);
            if (rules.coolingDown(s, t, e.timestamp)) {
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("cooldownMinutes", settings.cooldown(t) / 60_000);
                details.put("lastInterventionAt", dev.attune.contract.Times.format(s.lastIntervention[t.ordinal()]));
                details.put("riskScore", r.score());
                suppress(e, t, "cooldown", details, out);
                facts.accept(fact(e, t, null, "cooldown", false));
                rules.record(s, t, e.timestamp, hash, false);
            } else if (t.inProduct()) {
                if (!heldOut(s, e, t, r, emit)) {
                    give(s, e, t, r, intervention(s, e, t, r, null), Channel.IN_APP, emit);
                }
                rules.record(s, t, e.timestamp, hash, true);
            } else {
                // A message (a win-back sequence, an agent's callback): the contact policy every message passes.
                ContactPolicy.Verdict v = contact.forIntervention(s, t, e.timestamp);
                if (!v.allowed()) {
                    Map<String, Object> details = new LinkedHashMap<>(v.details());
                    details.put("riskScore", r.score());
                    suppress(e, t, v.reason(), details, out);
                    facts.accept(fact(e, t, null, v.reason(), false));
                    rules.record(s, t, e.timestamp, hash, false);
                } else {
                    if (!heldOut(s, e, t, r, emit)) {
                        OutputRecord message = intervention(s, e, t, r, v);
                        contact.record(s, v, t == InterventionType.WIN_BACK, e.timestamp, message.id);
                        give(s, e, t, r, message, v.channel(), emit);
                    }
                    rules.record(s, t, e.timestamp, hash, true);
                }
            }
        }
        s.lastRisk = r.score();
        return Outcome.USED;
    }

    /**
     * Whether the customer is in the type's holdout group ({@code holdout.interventions}): then
     * nothing is shown or sent, a {@code holdout} suppression says so, and what they do next is
     * measured for the held-out group. Asked only once the intervention would have been given.
     */
    private boolean heldOut(CustomerState s, InputRecord e, InterventionType t, Risk r, Emitter emit) {
        Holdouts h = policySettings.holdouts();
        if (!h.heldOut(t, e.userId)) {
            return false;
        }
        attribution.heldOut(s, t, e.timestamp);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("share", h.shareOf(t));
        details.put("riskScore", r.score());
        suppress(e, t, "holdout", details, emit::output);
        emit.fact(fact(e, t, null, "holdout", false));
        return true;
    }

    /** What became of an intervention the rules called for, for the type's summary. */
    private CampaignFact fact(InputRecord e, InterventionType t, Channel given, String reason, boolean duplicate) {
        CampaignFact f = new CampaignFact();
        f.campaignId = Attribution.key(t);
        f.requestId = e.messageId;
        f.eventTime = e.timestamp;
        f.reason = reason;
        f.duplicate = duplicate;
        if (given != null) {
            f.channel = given.wire();
            f.cost = policySettings.cost(given);
            f.firstChoiceCost = policySettings.cost(Channel.fromWire(t.channel));
        }
        return f;
    }

    /**
     * Gives an intervention on its channel: a touch for what follows, a fact for the type's summary,
     * and the record now, or to the model where its answer is worth the wait.
     */
    private void give(
            CustomerState s,
            InputRecord e,
            InterventionType t,
            Risk r,
            OutputRecord heuristic,
            Channel channel,
            Emitter emit) {
        attribution.given(s, t, e.timestamp, heuristic.id);
        emit.fact(fact(e, t, channel, null, false));
        if (asksModel(s, t, r, e.timestamp)) {
            emit.analysis(analysisRequest(s, e, t, r, heuristic));
            s.lastAnalysisAt = e.timestamp;
        } else {
            emit.output(heuristic);
        }
    }

    /** A copy of an already-decided record that arrived behind the watermark. */
    public void lateDuplicate(InputRecord e, Consumer<OutputRecord> out, Consumer<CampaignFact> facts) {
        init();
        if (settings.names().kind(e) == EventKind.CAMPAIGN_REQUEST) {
            CampaignPolicy.Decision d = policy.duplicate(e);
            out.accept(d.output());
            facts.accept(d.fact());
        }
    }

    private static final List<String> LEVELS = List.of("low", "medium", "high", "critical");

    /**
     * A model is asked only where its answer is worth a call: every win-back (the churn category
     * and the message sequence the customer receives are the model's), and a live chat or a
     * service recovery from {@code analysis.min-risk-level} on (critical by default: below it the
     * heuristic's insights serve the agent, and the popup is not held up); never twice for a
     * customer within the cooldown (so at most one call in flight each).
     */
    private boolean asksModel(CustomerState s, InterventionType t, Risk r, long now) {
        if (!analysisSettings.usesModel()) {
            return false;
        }
        boolean worthIt = t == InterventionType.WIN_BACK
                || ((t == InterventionType.LIVE_CHAT_OFFER || t == InterventionType.SERVICE_RECOVERY)
                        && LEVELS.indexOf(r.level()) >= LEVELS.indexOf(analysisSettings.minRiskLevel()))
                || (t == InterventionType.HELP_TIP && raisable(r));
        return worthIt
                && (s.lastAnalysisAt == 0
                        || now - s.lastAnalysisAt >= analysisSettings.cooldown().toMillis());
    }

    /** Whether the model's exit risk could lift this help tip's score to the live-chat cut-off. */
    private boolean raisable(Risk r) {
        AnalysisSettings.ModelRaise raise = analysisSettings.raise();
        return raise.maxPoints() > 0 && raise.score(r.score(), 100) >= raise.high();
    }

    private AnalysisRequest analysisRequest(
            CustomerState s, InputRecord e, InterventionType t, Risk r, OutputRecord heuristic) {
        String locale = Templates.locale(s);
        String engagement = Signals.engagementLevel(s);
        AnalysisRequest a = new AnalysisRequest();
        a.kind = t == InterventionType.WIN_BACK ? "churn" : "journey";
        a.prompt = t == InterventionType.WIN_BACK
                ? Prompts.churn(s, engagement, locale, e.text, e.timestamp)
                : Prompts.journey(
                        t.wire,
                        r,
                        s,
                        engagement,
                        locale,
                        t == InterventionType.SERVICE_RECOVERY ? e.text : null,
                        e.timestamp);
        a.promptHash = Prompts.hash(analysisSettings.modelId(), a.prompt);
        a.interventionJson = heuristic.json;
        a.interventionId = heuristic.id;
        a.interventionType = t.wire;
        a.userId = e.userId;
        a.triggerMessageId = e.messageId;
        a.eventTime = e.timestamp;
        if (t == InterventionType.HELP_TIP) {
            OutputRecord chat = intervention(s, e, InterventionType.LIVE_CHAT_OFFER, r, null);
            a.raisedJson = chat.json;
            a.raisedId = chat.id;
            a.ruleScore = r.score();
        }
        return a;
    }

    /** The intervention; {@code v} says where and when a message goes out (null for in-product help). */
    private OutputRecord intervention(
            CustomerState s, InputRecord e, InterventionType t, Risk r, ContactPolicy.Verdict v) {
        String locale = Templates.locale(s);
        String engagement = Signals.engagementLevel(s);
        Analysis a = t == InterventionType.WIN_BACK
                ? analyser.winBack(analyser.classify(e.text), engagement, s.tier, locale)
                : analyser.journey(t.wire, r, engagement, locale);
        String id = Ids.of(Streams.INTERVENTIONS, e.userId, t.wire, e.messageId);
        return Outputs.intervention(
                id,
                e,
                t.wire,
                t.action,
                v == null ? t.channel : v.channel().wire(),
                v == null ? 0 : v.at().toEpochMilli(),
                v == null ? null : v.zone().getId(),
                v == null ? Map.of() : v.excluded(),
                r.score(),
                r.level(),
                r.reasons(),
                a,
                locale,
                List.of(e.messageId));
    }

    private static void suppress(
            InputRecord e, InterventionType t, String reason, Map<String, Object> details, Consumer<OutputRecord> out) {
        String id = Ids.of(Streams.SUPPRESSIONS, e.userId, t.wire, reason, e.messageId);
        out.accept(Outputs.suppression(id, e, t.wire, null, null, reason, details));
    }
}
