package dev.attune.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** The development sentences of src/test/resources/text-dev: one per line, per language and class. */
final class DevSentences {
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

    private DevSentences() {}

    static List<String> lines(String file) {
        try (InputStream in = DevSentences.class.getResourceAsStream("/text-dev/" + file)) {
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
            throw new UncheckedIOException(file, e);
        }
    }

    /**
     * (language, text) for every sentence of the class ("angry", "calm", "polite") in every language: its
     * file {@code <kind>_<lang>.txt} and, where there is one, the later batches {@code <kind>6_<lang>.txt}, {@code <kind>7_<lang>.txt}, {@code <kind>8_<lang>.txt}, {@code <kind>9_<lang>.txt} and {@code <kind>10_<lang>.txt}.
     */
    static List<Arguments> of(String kind) {
        List<Arguments> out = new ArrayList<>();
        for (String l : LANGUAGES) {
            for (String file : List.of(
                    kind + "_" + l + ".txt",
                    kind + "6_" + l + ".txt",
                    kind + "7_" + l + ".txt",
                    kind + "8_" + l + ".txt",
                    kind + "9_" + l + ".txt",
                    kind + "10_" + l + ".txt")) {
                if (DevSentences.class.getResource("/text-dev/" + file) == null) {
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
