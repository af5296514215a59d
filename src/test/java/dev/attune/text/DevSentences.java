package dev.attune.text;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** The development sentences of src/test/resources/text-dev: one per line, per language and class. */
final class DevSentences {
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

    private DevSentences() {}

    /**
     * Where a file is: the batches the model is trained on ship with it ({@code text/training/} of the main
     * resources); the checks no rule or model saw (batches 13 and 14) and the churn texts are test resources.
     */
    static String path(String file) {
        String training = "/text/training/" + file;
        return DevSentences.class.getResource(training) != null ? training : "/text-dev/" + file;
    }

    static List<String> lines(String file) {
        return AngerModel.lines(path(file));
    }

    /**
     * The later batches, each written before the rules were changed for it: {@code <kind><batch>_<lang>.txt}. Batch
     * 13 is left out: it is the check of how the rules read text nobody tuned them on (README, "Limits").
     */
    static final List<String> BATCHES = List.of("", "6", "7", "8", "9", "10", "11", "12");

    /**
     * (language, text) for every sentence of the class ("angry", "calm", "polite") in every language: its file
     * {@code <kind>_<lang>.txt} and, where there is one, each later batch's {@code <kind><batch>_<lang>.txt}.
     */
    static List<Arguments> of(String kind) {
        List<Arguments> out = new ArrayList<>();
        for (String l : LANGUAGES) {
            for (String batch : BATCHES) {
                String file = kind + batch + "_" + l + ".txt";
                if (DevSentences.class.getResource(path(file)) == null) {
                    continue;
                }
                for (String t : lines(file)) {
                    out.add(Arguments.of(l, t));
                }
            }
        }
        return out;
    }

    /** (language, category, text) for every churn sentence. */
    static List<Arguments> churn() {
        List<Arguments> out = new ArrayList<>();
        for (String l : LANGUAGES) {
            for (String line : lines("churn_" + l + ".txt")) {
                String[] p = line.split("\\|", 2);
                out.add(Arguments.of(l, p[0].strip(), p[1].strip()));
            }
        }
        return out;
    }
}
