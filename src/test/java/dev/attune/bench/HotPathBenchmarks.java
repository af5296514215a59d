package dev.attune.bench;

import dev.attune.config.CommandLine;
import dev.attune.contract.Inbound;
import dev.attune.contract.InputRecord;
import dev.attune.contract.RecordParser;
import dev.attune.contract.Streams;
import dev.attune.decision.ContactPolicy;
import dev.attune.decision.CustomerEngine;
import dev.attune.io.Sources;
import dev.attune.io.SyntheticHistory;
import dev.attune.job.AttuneJob;
import dev.attune.policy.CampaignPolicy;
import dev.attune.signals.CustomerState;
import dev.attune.signals.RiskModel;
import dev.attune.signals.SignalSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH micro-benchmarks of the hot plain classes: parsing and validating one record, one risk
 * assessment, one campaign decision. Run by {@code bench/run} in full mode, or:
 * {@code java -cp target/test-classes:target/classes:$CP org.openjdk.jmh.Main HotPathBenchmarks -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HotPathBenchmarks {

    @State(Scope.Thread)
    public static class Records {
        String[] streams;
        byte[][] bytes;
        int next;

        @Setup(Level.Trial)
        public void generate() {
            SyntheticHistory h = Bench.history(500);
            int n = (int) h.size();
            streams = new String[n];
            bytes = new byte[n][];
            for (int i = 0; i < n; i++) {
                streams[i] = h.at(i).stream();
                bytes[i] = h.at(i).bytes();
            }
        }
    }

    /** A struggling customer's state and a campaign request for them, decided by the real engine. */
    @State(Scope.Thread)
    public static class Customer {
        RiskModel risk;
        CampaignPolicy policy;
        CustomerState state;
        InputRecord request;
        long now;

        @Setup(Level.Trial)
        public void build() {
            Configuration conf = CommandLine.parse(new String[0]).conf();
            SignalSettings signals = AttuneJob.signalSettings(conf);
            risk = new RiskModel(signals.risk(), signals.sentimentHalfLife());
            policy = new CampaignPolicy(
                    AttuneJob.policySettings(conf), new ContactPolicy(AttuneJob.policySettings(conf)));
            CustomerEngine engine =
                    new CustomerEngine(signals, AttuneJob.policySettings(conf), AttuneJob.analysisSettings(conf));
            SyntheticHistory h = Sources.history(conf);
            state = new CustomerState();
            // The first customer the generator makes a struggler: their whole history through the engine.
            int c = 0;
            while (h.archetype(c) != SyntheticHistory.Archetype.STRUGGLER) {
                c++;
            }
            String user = SyntheticHistory.userId(c);
            List<InputRecord> mine = new ArrayList<>();
            for (long i = 0; i < (long) SyntheticHistory.WAVE * SyntheticHistory.PER_CUSTOMER; i++) {
                SyntheticHistory.Generated g = h.at(i);
                if (g.customer() == c) {
                    Inbound in = RecordParser.parse(g.stream(), "jmh", g.bytes());
                    if (in.isValid() && !Streams.CAMPAIGN_REQUESTS.equals(g.stream())) {
                        mine.add(in.record);
                    }
                }
            }
            for (InputRecord r : mine) {
                engine.decide(state, r, o -> {});
            }
            now = mine.get(mine.size() - 1).timestamp + 60_000;
            request = new InputRecord();
            request.stream = Streams.CAMPAIGN_REQUESTS;
            request.type = "request";
            request.event = "Campaign Requested";
            request.messageId = "req-jmh";
            request.userId = user;
            request.campaignId = "jmh";
            request.category = "transactional"; // not counted against caps, so repeated decisions stay alike
            request.channels = "whatsapp,sms,email";
            request.offer = "{\"title\":\"Winter sale\",\"discountPct\":20}";
            request.timestamp = now;
        }
    }

    /**
     * A fresh copy of {@link Customer}'s state for every invocation: a decision adds to the
     * customer's ledger, so deciding on one state for the whole run measured a growing ledger
     * (the error was as large as the score). The copy is made outside the measured time.
     */
    @State(Scope.Thread)
    public static class FreshState {
        org.apache.flink.api.common.typeutils.TypeSerializer<CustomerState> copier =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(CustomerState.class)
                        .createSerializer(new org.apache.flink.api.common.serialization.SerializerConfigImpl());
        CustomerState state;

        @Setup(Level.Invocation)
        public void fresh(Customer c) {
            state = copier.copy(c.state);
        }
    }

    @Benchmark
    public Inbound parseAndValidate(Records r) {
        int i = r.next;
        r.next = (i + 1) % r.bytes.length;
        return RecordParser.parse(r.streams[i], "jmh", r.bytes[i]);
    }

    @Benchmark
    public Object riskAssess(Customer c) {
        return c.risk.assess(c.state, c.now);
    }

    @Benchmark
    public Object policyDecide(Customer c, FreshState f) {
        return c.policy.decide(f.state, c.request, -0.1);
    }

    /** A customer's 30-word ticket in one of four languages: language, sentiment, anger and urgency. */
    @Benchmark
    public Object readText(Tickets t) {
        int i = t.next;
        t.next = (i + 1) % Tickets.TEXTS.length;
        return dev.attune.text.Texts.read(Tickets.TEXTS[i]);
    }

    @State(Scope.Thread)
    public static class Tickets {
        static final String[] TEXTS = {
            "I have been trying to log in since this morning and it still says my password is wrong even after the"
                    + " reset, we have a client demo at three so please help",
            "Seit heute Morgen versuche ich mich einzuloggen und es heißt immer noch, mein Passwort sei falsch, auch"
                    + " nach dem Zurücksetzen, wir haben um drei eine Kundendemo, bitte helfen Sie",
            "J'essaie de me connecter depuis ce matin et il me dit toujours que mon mot de passe est faux même après"
                    + " la réinitialisation, nous avons une démo client à quinze heures",
            "Llevo toda la mañana intentando entrar y sigue diciendo que mi contraseña es incorrecta incluso después"
                    + " de restablecerla, tenemos una demo con un cliente a las tres"
        };
        int next;
    }
}
