package dev.attune.text;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import opennlp.tools.doccat.BagOfWordsFeatureGenerator;
import opennlp.tools.doccat.DoccatFactory;
import opennlp.tools.doccat.DoccatModel;
import opennlp.tools.doccat.DocumentCategorizerME;
import opennlp.tools.doccat.DocumentSample;
import opennlp.tools.doccat.FeatureGenerator;
import opennlp.tools.doccat.NGramFeatureGenerator;
import opennlp.tools.ml.maxent.io.BinaryGISModelReader;
import opennlp.tools.ml.maxent.io.BinaryGISModelWriter;
import opennlp.tools.ml.model.AbstractModel;
import opennlp.tools.ml.model.MaxentModel;
import opennlp.tools.util.ObjectStreamUtils;
import opennlp.tools.util.TrainingParameters;

/**
 * A trained reading of anger and urgency, for what no lexicon entry names: Apache OpenNLP's
 * maximum-entropy document categorizer over words, word pairs and character n-grams of the
 * accent-folded, lower-cased text (so inflections, typos and missing accents still match), trained
 * on the labelled texts in {@code text/training/} (angry against calm and polite, in English,
 * German, French and Spanish). GIS training is deterministic: the same texts give the same model,
 * and the same text the same probability, on every run. The jar ships the model those texts train
 * ({@code text/anger-model.bin.gz}, read in well under a second instead of seconds of training in
 * every JVM); {@code AngerModelTest} fails when it is not the one the texts train, and
 * {@code -Dattune.regenerate=true} on that test writes it anew.
 */
public final class AngerModel {
    /** One labelled text. */
    public record Example(String text, boolean angry) {}

    static final String ANGRY = "angry";
    static final String CALM = "calm";

    /** The bundled training texts, one per line: {@code <kind><batch>_<language>.txt} listed in {@code files.txt}. */
    static final String TRAINING = "/text/training/";

    /** The model the bundled texts train, as OpenNLP's binary GIS model format, gzipped. */
    static final String SHIPPED = "/text/anger-model.bin.gz";

    /** What the categorizer sees of a text: words, word pairs, character n-grams. */
    private static final FeatureGenerator[] FEATURES = features();

    private final MaxentModel model;
    private final int angry;

    private AngerModel(MaxentModel model) {
        this.model = model;
        this.angry = model.getIndex(ANGRY);
    }

    private static FeatureGenerator[] features() {
        try {
            return new FeatureGenerator[] {
                new BagOfWordsFeatureGenerator(), new NGramFeatureGenerator(2, 2), new CharacterNGrams()
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Bundled {
        static final AngerModel MODEL = shipped();
    }

    /** The model trained on the bundled texts, as the jar ships it (read on first use; the caller waits for it). */
    public static AngerModel bundled() {
        return Bundled.MODEL;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean WARMING =
            new java.util.concurrent.atomic.AtomicBoolean();

    /** Starts reading the shipped model on a daemon thread, once per JVM, so that no first text waits for it. */
    public static void warmUp() {
        if (WARMING.compareAndSet(false, true)) {
            Thread t = new Thread(AngerModel::bundled, "attune-anger-model");
            t.setDaemon(true);
            t.start();
        }
    }

    /** A model trained on {@code examples}. */
    public static AngerModel train(List<Example> examples) {
        List<DocumentSample> samples = new ArrayList<>(examples.size());
        for (Example e : examples) {
            String[] tokens = tokens(e.text());
            if (tokens.length > 0) {
                samples.add(new DocumentSample(e.angry() ? ANGRY : CALM, tokens));
            }
        }
        TrainingParameters params = TrainingParameters.defaultParams();
        params.put(TrainingParameters.ITERATIONS_PARAM, 100);
        params.put(TrainingParameters.CUTOFF_PARAM, 3);
        try {
            DoccatModel trained = DocumentCategorizerME.train(
                    "mul", ObjectStreamUtils.createObjectStream(samples), params, new DoccatFactory(FEATURES));
            return new AngerModel(trained.getMaxentModel());
        } catch (IOException e) {
            throw new UncheckedIOException("training the anger model", e);
        }
    }

    /** The model the jar ships ({@link #SHIPPED}). */
    static AngerModel shipped() {
        try (InputStream in = AngerModel.class.getResourceAsStream(SHIPPED)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + SHIPPED);
            }
            DataInputStream data = new DataInputStream(new BufferedInputStream(new GZIPInputStream(in)));
            return new AngerModel(new BinaryGISModelReader(data).getModel());
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SHIPPED, e);
        }
    }

    /** Writes this model as {@link #SHIPPED} is read. */
    void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(new GZIPOutputStream(out));
        new BinaryGISModelWriter((AbstractModel) model, data).persist();
        data.flush();
        data.close();
    }

    /** The probability that {@code text} is angry or urgent; 0 for a text with no words. */
    public double anger(String text) {
        String[] tokens = tokens(text);
        if (tokens.length == 0) {
            return 0;
        }
        // The context DocumentCategorizerME builds, evaluated on the (thread-safe) maximum-entropy model itself.
        List<String> context = new ArrayList<>();
        for (FeatureGenerator f : FEATURES) {
            context.addAll(f.extractFeatures(tokens, Map.of()));
        }
        return model.eval(context.toArray(String[]::new))[angry];
    }

    /**
     * Lower-cased, accents and ß folded, split into words; {@code !!} and words of three letters or
     * more in capitals (two or more) add a marker each, as the way a text is written says something too.
     */
    static String[] tokens(String text) {
        if (text == null) {
            return new String[0];
        }
        List<String> out = new ArrayList<>();
        int shouted = 0;
        for (String w : text.split("[^\\p{L}\\p{N}]+")) {
            if (w.length() >= 3 && w.equals(w.toUpperCase(Locale.ROOT)) && !w.equals(w.toLowerCase(Locale.ROOT))) {
                shouted++;
            }
        }
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .replace("ß", "ss");
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        if (shouted >= 2) {
            out.add("__shouted");
        }
        if (text.contains("!!") || text.contains("?!")) {
            out.add("__exclaimed");
        }
        return out.toArray(String[]::new);
    }

    /** Character 3- to 5-grams of each word, with its edges marked. */
    static final class CharacterNGrams implements FeatureGenerator {
        @Override
        public Collection<String> extractFeatures(String[] text, Map<String, Object> extraInformation) {
            List<String> out = new ArrayList<>();
            for (String t : text) {
                if (t.startsWith("__")) {
                    continue;
                }
                String w = "<" + t + ">";
                for (int n = 3; n <= 4; n++) {
                    for (int i = 0; i + n <= w.length(); i++) {
                        out.add("c=" + w.substring(i, i + n));
                    }
                }
            }
            return out;
        }
    }

    /** Every bundled labelled text: angry files against calm and polite ones. */
    static List<Example> bundledExamples() {
        List<Example> out = new ArrayList<>();
        for (String file : lines(TRAINING + "files.txt")) {
            boolean angry = file.startsWith(ANGRY);
            for (String t : lines(TRAINING + file)) {
                out.add(new Example(t, angry));
            }
        }
        return out;
    }

    static List<String> lines(String resource) {
        try (InputStream in = AngerModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            List<String> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(line.strip());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
    }
}
