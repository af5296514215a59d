package dev.attune.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One language's word lists, from the resource {@code text/<language>.txt}: sections of phrases
 * ({@code [positive]}, {@code [negative]} with a valence, {@code [anger]}, {@code [urgency]},
 * {@code [resolved]}, {@code [negator]}, {@code [intensifier]} with a factor, {@code [sarcasm]},
 * {@code [opener]}, {@code [repeat]}, {@code [thanks]} and {@code [damage]} (thanks for breaking it is sarcasm), {@code [polite]},
 * {@code [churn.<category>]}). A phrase is one or more words; a word
 * ending in {@code *} matches any word it begins. Phrases and text are folded alike ({@link #fold}):
 * lower case, umlauts as ae/oe/ue, other accents dropped, apostrophes split words.
 */
final class Lexicon {
    static final List<String> CHURN_CATEGORIES =
            List.of("business_closure", "competition", "onboarding", "features", "pricing");

    /** A phrase and all the sections it is in. */
    static final class Entry {
        final String[] words;
        final String phrase;
        double valence;
        boolean anger;
        boolean urgency;
        boolean resolved;
        boolean negator;
        double intensity;
        boolean sarcasm;
        boolean opener;
        boolean repeat;
        boolean thanks;
        boolean polite;
        boolean damage;
        /** Whether the phrase holds its own negation ("not bad", "ne marche pas"): no negator before it turns it. */
        boolean negationInside;
        /** Index into {@link #CHURN_CATEGORIES}, or -1. */
        int churn = -1;

        Entry(String[] words, String phrase) {
            this.words = words;
            this.phrase = phrase;
        }

        boolean matches(String[] tokens, int at) {
            if (at + words.length > tokens.length) {
                return false;
            }
            for (int i = 0; i < words.length; i++) {
                String w = words[i];
                String t = tokens[at + i];
                boolean ok = w.endsWith("*") ? t.startsWith(w.substring(0, w.length() - 1)) : t.equals(w);
                if (!ok) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    final String language;
    private final Map<String, List<Entry>> byWord = new HashMap<>();
    private final Map<String, List<Entry>> byPrefix = new HashMap<>();
    private final Map<String, Entry> byPhrase = new HashMap<>();

    private Lexicon(String language) {
        this.language = language;
    }

    static Lexicon load(String language) {
        Lexicon lx = new Lexicon(language);
        String resource = "/text/" + language + ".txt";
        try (InputStream in = Lexicon.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("lexicon " + resource + " missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String section = null;
            String line;
            while ((line = r.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("[") && line.endsWith("]")) {
                    section = line.substring(1, line.length() - 1);
                    continue;
                }
                lx.add(section, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(resource, e);
        }
        for (Entry e : lx.byPhrase.values()) {
            for (String w : e.words) {
                Entry single = lx.byPhrase.get(w);
                e.negationInside |= e.words.length > 1 && single != null && single.negator;
            }
        }
        // Longest phrase first; among as long, the most specific (longest spelled) first.
        Comparator<Entry> order = Comparator.<Entry>comparingInt(e -> e.words.length)
                .thenComparingInt(e -> e.phrase.length())
                .reversed();
        for (List<Entry> l : lx.byWord.values()) {
            l.sort(order);
        }
        for (List<Entry> l : lx.byPrefix.values()) {
            l.sort(order);
        }
        return lx;
    }

    private void add(String section, String line) {
        if (section == null) {
            throw new IllegalStateException(language + ": phrase before any section: " + line);
        }
        double weight = Double.NaN;
        int space = line.lastIndexOf(' ');
        if (space > 0) {
            try {
                weight = Double.parseDouble(line.substring(space + 1));
                line = line.substring(0, space).strip();
            } catch (NumberFormatException e) {
                // no weight: the whole line is the phrase
            }
        }
        String[] words = words(line);
        if (words.length == 0) {
            return;
        }
        String key = String.join(" ", words);
        Entry e = byPhrase.get(key);
        if (e == null) {
            e = new Entry(words, key);
            byPhrase.put(key, e);
            String first = words[0];
            if (first.endsWith("*")) {
                if (first.length() < 4) {
                    throw new IllegalStateException(language + ": stem shorter than 3 letters: " + line);
                }
                byPrefix.computeIfAbsent(first.substring(0, 3), k -> new ArrayList<>())
                        .add(e);
            } else {
                byWord.computeIfAbsent(first, k -> new ArrayList<>()).add(e);
            }
        }
        switch (section) {
            case "positive" -> e.valence = Double.isNaN(weight) ? 2 : weight;
            case "negative" -> e.valence = -(Double.isNaN(weight) ? 2 : weight);
            case "anger" -> e.anger = true;
            case "urgency" -> e.urgency = true;
            case "resolved" -> e.resolved = true;
            case "negator" -> e.negator = true;
            case "intensifier" -> e.intensity = Double.isNaN(weight) ? 1.3 : weight;
            case "sarcasm" -> e.sarcasm = true;
            case "opener" -> e.opener = true;
            case "repeat" -> e.repeat = true;
            case "thanks" -> e.thanks = true;
            case "polite" -> e.polite = true;
            case "damage" -> e.damage = true;
            default -> {
                if (section.startsWith("churn.") && CHURN_CATEGORIES.contains(section.substring(6))) {
                    e.churn = CHURN_CATEGORIES.indexOf(section.substring(6));
                } else {
                    throw new IllegalStateException(language + ": unknown section [" + section + "]");
                }
            }
        }
    }

    /** The longest phrase starting at token {@code at}, or null. */
    Entry match(String[] tokens, int at) {
        String t = tokens[at];
        Entry best = first(byWord.get(t), tokens, at);
        if (t.length() >= 3) {
            Entry p = first(byPrefix.get(t.substring(0, 3)), tokens, at);
            if (p != null && (best == null || p.words.length > best.words.length)) {
                best = p;
            }
        }
        return best;
    }

    private static Entry first(List<Entry> candidates, String[] tokens, int at) {
        if (candidates != null) {
            for (Entry e : candidates) {
                if (e.matches(tokens, at)) {
                    return e;
                }
            }
        }
        return null;
    }

    /** Lower case; ä ö ü ß as ae oe ue ss; other accents dropped; typographic apostrophes plain. */
    static String fold(String s) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 128;
        }
        if (ascii) {
            return s.toLowerCase(Locale.ROOT);
        }
        String lower = s.toLowerCase(Locale.ROOT)
                .replace("ä", "ae")
                .replace("ö", "oe")
                .replace("ü", "ue")
                .replace("ß", "ss");
        return MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFD)).replaceAll("");
    }

    /** A phrase's words; {@code *} kept at a word's end. */
    private static String[] words(String phrase) {
        List<String> out = new ArrayList<>();
        for (String w : fold(phrase).split("[^\\p{L}\\p{N}*]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out.toArray(String[]::new);
    }
}
