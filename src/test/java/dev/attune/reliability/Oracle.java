package dev.attune.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attune.analysis.AnalysisRequest;
import dev.attune.config.AttuneOptions;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.Json;
import dev.attune.contract.OutputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.CustomerEngine;
import dev.attune.decision.CustomerLifecycle;
import dev.attune.decision.Identity;
import dev.attune.job.AttuneJob;
import dev.attune.signals.CustomerState;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.flink.configuration.Configuration;

/**
 * What the decisions of a history must be, worked out without the job: no Flink, no watermarks, no state backend,
 * no partitions. Every valid input record, sorted by event time, goes through the two stages the job wires (visitors
 * keyed by anonymousId, customers keyed by userId) as a plain loop over maps of {@link CustomerState}, calling the
 * plain-Java {@link CustomerEngine} and the lifecycle rules ({@link CustomerLifecycle}, {@link Identity}) one event
 * time at a time. What a run committed is compared with it by id: interventions, campaign sends, suppressions.
 *
 * <p>An intervention that waits for a model is expected under its own id, or, for a help tip the model may raise, under
 * the live chat's id; exactly one of the two. Suppressions of the model's budget ({@code llm_budget}) are the model
 * stage's and are left out. Campaign summaries and dead letters are not compared.
 */
final class Oracle {
    /** The streams compared by id. */
    static final List<String> STREAMS = List.of(Streams.INTERVENTIONS, Streams.CAMPAIGN_SENDS, Streams.SUPPRESSIONS);

    /**
     * The expected ids per stream; {@code modelIds}: intervention id to the id the model may give it instead (the
     * same id when it cannot be raised).
     */
    record Expected(Map<String, Set<String>> ids, Map<String, String> modelIds, long records) {
        int count(String stream) {
            return ids.get(stream).size() + (Streams.INTERVENTIONS.equals(stream) ? modelIds.size() : 0);
        }
    }

    private final CustomerEngine engine;
    private final long ttl;
    private final Map<String, CustomerState> visitors = new HashMap<>();
    private final Map<String, CustomerState> customers = new HashMap<>();
    private final Map<String, Set<String>> ids = new LinkedHashMap<>();
    private final Map<String, String> modelIds = new LinkedHashMap<>();

    Oracle(Configuration conf) {
        engine = new CustomerEngine(
                AttuneJob.signalSettings(conf), AttuneJob.policySettings(conf), AttuneJob.analysisSettings(conf));
        ttl = conf.get(AttuneOptions.STATE_TTL).toMillis();
        STREAMS.forEach(s -> ids.put(s, new LinkedHashSet<>()));
    }

    /** The expected ids for the history in {@code dir/<input stream>/*.jsonl}, decided with the job's settings. */
    static Expected of(Path dir, Configuration conf) {
        return new Oracle(conf).run(read(dir));
    }

    /** Every valid record of the history files; what the parser refuses goes to dead letters, not decisions. */
    static List<InputRecord> read(Path dir) {
        List<InputRecord> out = new ArrayList<>();
        try {
            for (String stream : Streams.INPUTS) {
                Path d = dir.resolve(stream);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                List<Path> files;
                try (Stream<Path> list = Files.list(d)) {
                    files = list.filter(p -> p.toString().endsWith(".jsonl")
                                    || p.toString().endsWith(".jsonl.gz"))
                            .filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted()
                            .toList();
                }
                for (Path f : files) {
                    byte[] all;
                    try (InputStream in = f.toString().endsWith(".gz")
                            ? new GZIPInputStream(Files.newInputStream(f))
                            : Files.newInputStream(f)) {
                        all = in.readAllBytes();
                    }
                    int start = 0;
                    for (int i = 0; i <= all.length; i++) {
                        if (i < all.length && all[i] != '\n') {
                            continue;
                        }
                        byte[] line = Arrays.copyOfRange(all, start, i);
                        start = i + 1;
                        if (new String(line, StandardCharsets.ISO_8859_1).isBlank()) {
                            continue;
                        }
                        Inbound in = RecordParser.parse(stream, f.toString(), line);
                        if (in.isValid()) {
                            out.add(in.record);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    Expected run(List<InputRecord> history) {
        TreeMap<Long, List<InputRecord>> byTime = new TreeMap<>();
        for (InputRecord r : history) {
            byTime.computeIfAbsent(r.timestamp, t -> new ArrayList<>()).add(r);
        }
        for (List<InputRecord> atTime : byTime.values()) {
            // The visitor stage: a visitor's own records, and every record naming both ids (a link).
            Map<String, List<InputRecord>> visitorInput = new HashMap<>();
            List<InputRecord> customerInput = new ArrayList<>();
            for (InputRecord r : atTime) {
                if (r.anonymous) {
                    visitorInput
                            .computeIfAbsent(r.userId, k -> new ArrayList<>())
                            .add(r);
                } else if (r.anonymousId != null) {
                    visitorInput
                            .computeIfAbsent(r.anonymousId, k -> new ArrayList<>())
                            .add(r);
                }
                if (!r.anonymous && !"alias".equals(r.type)) {
                    customerInput.add(r);
                }
            }
            visitorInput.forEach((key, due) -> decide(visitors, key, due, true, customerInput));
            Map<String, List<InputRecord>> byCustomer = new HashMap<>();
            for (InputRecord r : customerInput) {
                byCustomer.computeIfAbsent(r.userId, k -> new ArrayList<>()).add(r);
            }
            byCustomer.forEach((key, due) -> decide(customers, key, due, false, null));
        }
        return new Expected(ids, modelIds, history.size());
    }

    /** One key's records at one event time, in the job's order; a visitor's linked records go to {@code forward}. */
    private void decide(
            Map<String, CustomerState> states,
            String key,
            List<InputRecord> due,
            boolean visitorStage,
            List<InputRecord> forward) {
        CustomerState s = states.getOrDefault(key, new CustomerState());
        due.sort(CustomerLifecycle.EVENT_TIME_ORDER);
        for (InputRecord e : due) {
            if (CustomerLifecycle.expired(s, e.timestamp, ttl)) {
                CustomerState kept = CustomerLifecycle.afterExpiry(s);
                s = kept == null ? new CustomerState() : kept;
            }
            if (visitorStage && s.forgottenAt < e.timestamp) {
                Identity.Route route = Identity.route(s, e);
                if (route == Identity.Route.LINK) {
                    if (Identity.isNewLink(s, e)) {
                        InputRecord handover = Identity.handover(s, e);
                        if (handover != null) {
                            forward.add(handover);
                        }
                        s = Identity.linked(s, e);
                    }
                    s.lastEventTime = Math.max(s.lastEventTime, e.timestamp);
                    continue;
                }
                if (route == Identity.Route.FORWARD) {
                    forward.add(e.asCustomer(s.linkedTo));
                    s.lastEventTime = Math.max(s.lastEventTime, e.timestamp);
                    continue;
                }
            }
            CustomerEngine.Outcome outcome = engine.decideInto(s, e, new CustomerEngine.Emitter() {
                @Override
                public void output(OutputRecord r) {
                    Set<String> set = ids.get(r.stream);
                    if (set != null) {
                        set.add(r.id);
                    }
                }

                @Override
                public void analysis(AnalysisRequest r) {
                    modelIds.put(r.interventionId, r.raisedId == null ? r.interventionId : r.raisedId);
                }
            });
            if (outcome == CustomerEngine.Outcome.FORGET) {
                s = CustomerLifecycle.afterForgetMe(s, e.timestamp);
            }
        }
        states.put(key, s);
    }

    /**
     * Problems of one run's committed outputs against the expected ids: ids missing, ids not expected (each with a
     * few examples), per stream. Empty when they agree.
     */
    static List<String> problems(String name, Expected want, Map<String, List<String>> outputs) {
        List<String> problems = new ArrayList<>();
        for (String stream : STREAMS) {
            Set<String> have = new LinkedHashSet<>();
            for (String line : outputs.getOrDefault(stream, List.of())) {
                JsonNode n = parse(line);
                if (FaultRunChecker.modelDecided(stream, n)) {
                    continue;
                }
                have.add(n.path(FaultRunChecker.ID_FIELD.get(stream)).asText());
            }
            Set<String> expected = want.ids().get(stream);
            List<String> missing = new ArrayList<>();
            List<String> extra = new ArrayList<>();
            for (String id : expected) {
                if (!have.contains(id)) {
                    missing.add(id);
                }
            }
            Set<String> allowed = new LinkedHashSet<>(expected);
            if (Streams.INTERVENTIONS.equals(stream)) {
                for (var m : want.modelIds().entrySet()) {
                    allowed.add(m.getKey());
                    allowed.add(m.getValue());
                    boolean own = have.contains(m.getKey());
                    boolean raised = !m.getKey().equals(m.getValue()) && have.contains(m.getValue());
                    if (!own && !raised) {
                        missing.add(m.getKey());
                    } else if (own && raised) {
                        extra.add(m.getValue());
                    }
                }
            }
            for (String id : have) {
                if (!allowed.contains(id)) {
                    extra.add(id);
                }
            }
            if (!missing.isEmpty()) {
                problems.add(String.format(
                        "%s: %d %s ids the oracle expects are missing, e.g. %s",
                        name, missing.size(), stream, missing.subList(0, Math.min(3, missing.size()))));
            }
            if (!extra.isEmpty()) {
                problems.add(String.format(
                        "%s: %d %s ids the oracle does not expect, e.g. %s",
                        name, extra.size(), stream, extra.subList(0, Math.min(3, extra.size()))));
            }
        }
        return problems;
    }

    private static JsonNode parse(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON record: " + line, e);
        }
    }
}
