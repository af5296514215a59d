package dev.attune.text;

import java.util.ArrayList;
import java.util.List;

/**
 * How the text reading does on angry and calm texts it was not built on: for each training batch,
 * the model trained without it reads it (leave one batch out); batches 13, 14, 16, 19 and 21, never trained on,
 * are read by the bundled model. Rules alone against rules or the model at each threshold; per
 * language. {@code java -cp ... dev.attune.text.AngerGeneralisation} (README "Limits" has the figures).
 */
public final class AngerGeneralisation {
    private AngerGeneralisation() {}

    static final double[] THRESHOLDS = {0.7, 0.8, 0.9, 0.95, 0.98};

    public static void main(String[] args) {
        List<AngerModel.Example> all = AngerModel.bundledExamples();
        System.out.printf("%-10s %-4s %13s %s%n", "batch", "lang", "rules", thresholdsHeader());
        for (String batch : List.of("8", "9", "10", "11", "12", "17", "18", "20")) {
            List<AngerModel.Example> train = new ArrayList<>();
            for (String file : AngerModel.lines(AngerModel.TRAINING + "files.txt")) {
                if (batchOf(file).equals(batch)) {
                    continue;
                }
                boolean angry = file.startsWith(AngerModel.ANGRY);
                for (String t : AngerModel.lines(AngerModel.TRAINING + file)) {
                    train.add(new AngerModel.Example(t, angry));
                }
            }
            report("left out " + batch, batch, AngerModel.train(train));
        }
        for (String batch : List.of("13", "14", "16", "19", "21")) {
            report("unseen " + batch, batch, AngerModel.bundled());
        }
        System.out.printf("(trained on %d texts in all)%n", all.size());
    }

    static String batchOf(String file) {
        String stem = file.substring(0, file.indexOf('_'));
        return stem.replaceAll("^[a-z]+", "");
    }

    static String thresholdsHeader() {
        StringBuilder b = new StringBuilder();
        for (double t : THRESHOLDS) {
            b.append(String.format("%13s", "model>=" + t));
        }
        b.append(String.format("%13s", "shipped"));
        return b.toString();
    }

    static void report(String label, String batch, AngerModel model) {
        for (String lang : DevSentences.LANGUAGES) {
            List<String> angry = DevSentences.lines("angry" + batch + "_" + lang + ".txt");
            List<String> calm = new ArrayList<>(DevSentences.lines("calm" + batch + "_" + lang + ".txt"));
            if (DevSentences.class.getResource(DevSentences.path("polite" + batch + "_" + lang + ".txt")) != null) {
                calm.addAll(DevSentences.lines("polite" + batch + "_" + lang + ".txt"));
            }
            int[] caught = read(angry, model);
            int[] alarms = read(calm, model);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i <= THRESHOLDS.length; i++) {
                b.append(String.format(
                        "%13s", caught[i + 1] + "/" + angry.size() + " " + alarms[i + 1] + "/" + calm.size()));
            }
            System.out.printf(
                    "%-10s %-4s %13s%s%n",
                    label, lang, caught[0] + "/" + angry.size() + " " + alarms[0] + "/" + calm.size(), b);
        }
    }

    /**
     * How many of {@code texts} read angry or urgent: by the lexicons alone, with the model at each
     * threshold, then as shipped (the model's threshold as {@link Texts#trainedThreshold} sets it).
     */
    static int[] read(List<String> texts, AngerModel model) {
        int[] n = new int[THRESHOLDS.length + 2];
        for (String t : texts) {
            TextReading r = Texts.read(t);
            boolean rules = (r.anger() && !r.cues().contains(Texts.TRAINED_CUE)) || r.urgency();
            TextReading lexicons = new TextReading(r.language(), r.sentiment(), rules, r.urgency(), r.cues());
            double p = Texts.asksModel(lexicons) ? model.anger(t) : 0;
            n[0] += rules ? 1 : 0;
            for (int i = 0; i < THRESHOLDS.length; i++) {
                n[i + 1] += rules || p >= THRESHOLDS[i] ? 1 : 0;
            }
            n[THRESHOLDS.length + 1] += rules || p >= Texts.trainedThreshold(t) ? 1 : 0;
        }
        return n;
    }
}
