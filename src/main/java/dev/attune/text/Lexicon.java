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
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One language's word lists, from the resource {@code text/<language>.txt}: sections of phrases
 * ({@code [positive]}, {@code [negative]} with a valence, {@code [anger]}, {@code [urgency]},
 * {@code [resolved]}, {@code [negator]}, {@code [intensifier]} with a factor, {@code [sarcasm]},
 * {@code [opener]}, {@code [repeat]}, {@code [thanks]} and {@code [damage]} (thanks for breaking it is sarcasm), {@code [polite]},
 * {@code [churn.<category>]}), the parts a rule puts together ({@code [duration]} "for 9 days", "seit drei Wochen";
 * {@code [pending]} "still no", "toujours pas"; {@code [money]} refund, Geld; {@code [charge]} charged, abgebucht;
 * {@code [cancelled]} "after I cancelled", "trotz Kündigung"; {@code [patient]} "no rush", "kein Problem"; {@code [promise]} a promise or claim: promised, versprochen, "marked as delivered"), {@code [number]} (the number words {@code {n}}
 * stands for), {@code [negator.noun]} (a preposition that negates only its noun: "ohne Probleme" but not the
 * verb after "ohne Vorwarnung"), {@code [negator.after]} (a negator that, last in its clause, turns the words
 * before it: "klappt die Überweisung nicht"), {@code [question]} (opens a question asking for information: "how
 * long", "wie lange") and {@code [exact]} (words matched only as spelled). A phrase is one or more
 * words ("fällt ... aus": a German separable verb, its particle last in the clause or before und, aber, oder); a word ending in {@code *} matches any word it begins; {@code {n}} matches a number (digits, an ordinal
 * such as 4th or 3e, or a number word). Phrases and text are folded alike, per language ({@link #fold}): lower
 * case, accents dropped, apostrophes split words; in German umlauts are ae/oe/ue, and a word written without
 * them ("zuruck", "Kundigung") matches the lexicon's ("zurueck") unless the lexicon marks that word
 * {@code [exact]} ("schoen" is not "schon").
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
        boolean duration;
        boolean pending;
        boolean money;
        boolean charge;
        boolean cancelled;
        boolean patient;
        boolean question;
        boolean promise;
        /** A negator that, last in its clause, turns the clause's words before it ("klappt die Überweisung nicht"). */
        boolean after;
        /** A negator whose scope is its noun ("ohne Probleme"), not the words after it. */
        boolean nounScope;
        /**
         * The words that end the clause when the phrase is a separable verb ("fällt ... aus", "stürzt ... ab"), or
         * null.
         */
        String[] particle;
        /** The words as a German writer without umlauts would spell them, or null when only exact spelling matches. */
        String[] loose;
        /** Whether the phrase holds its own negation ("not bad", "ne marche pas"): no negator before it turns it. */
        boolean negationInside;
        /** Index into {@link #CHURN_CATEGORIES}, or -1. */
        int churn = -1;

        Entry(String[] words, String phrase) {
            this.words = words;
            this.phrase = phrase;
        }

        /** Whether the phrase is only a part that rules combine (a duration, money, a wait...): it has no reading of its own. */
        boolean partOnly() {
            return (duration || pending || money || charge || cancelled || patient || repeat || question || promise)
                    && valence == 0
                    && !anger
                    && !urgency
                    && !sarcasm
                    && churn < 0
                    && !negator
                    && intensity == 0
                    && !resolved
                    && !thanks
                    && !polite
                    && !damage
                    && !opener;
        }

        boolean matches(Lexicon lx, String[] tokens, String[] looseTokens, int at, int clauseEnd) {
            if (at + words.length > tokens.length) {
                return false;
            }
            if (particle != null && !particleEnds(tokens, at + words.length, clauseEnd)) {
                return false;
            }
            for (int i = 0; i < words.length; i++) {
                String t = tokens[at + i];
                boolean ok = words[i].equals("#")
                        ? lx.isNumber(t)
                        : same(words[i], t)
                                || (loose != null && looseTokens != null && same(loose[i], looseTokens[at + i]));
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        /** Whether the particle stands last in the clause, or last before a conjunction ("fällt aus und ..."). */
        private boolean particleEnds(String[] tokens, int from, int clauseEnd) {
            for (int j = from; j + particle.length <= clauseEnd; j++) {
                int after = j + particle.length;
                if (after < clauseEnd && !CONJUNCTIONS.contains(tokens[after])) {
                    continue;
                }
                boolean ok = true;
                for (int k = 0; k < particle.length && ok; k++) {
                    ok = tokens[j + k].equals(particle[k]);
                }
                if (ok) {
                    return true;
                }
            }
            return false;
        }

        private static boolean same(String w, String t) {
            int stem = w.length() - 1;
            return w.charAt(stem) == '*' ? t.length() >= stem && t.regionMatches(0, w, 0, stem) : t.equals(w);
        }
    }

    /** German conjunctions that end a main clause, where a separable verb's particle may stand before them. */
    private static final Set<String> CONJUNCTIONS = Set.of("und", "aber", "oder", "sondern", "denn");

    /** Digits, optionally with an ordinal ending (4th, 3e, 2eme, 3a). */
    private static final Pattern NUMERAL = Pattern.compile("\\d+(st|nd|rd|th|e|eme|er|re|o|a|te|ten)?");

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");

    final String language;
    private final Map<String, List<Entry>> byWord = new HashMap<>();
    private final Map<String, List<Entry>> byPrefix = new HashMap<>();
    private final Map<String, Entry> byPhrase = new HashMap<>();
    private final Map<String, List<Entry>> byLooseWord = new HashMap<>();
    private final Map<String, List<Entry>> byLoosePrefix = new HashMap<>();
    private final Set<String> numbers = new HashSet<>();
    private final Set<String> exact = new HashSet<>();

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
            if (lx.language.equals("de")) {
                lx.indexLoose(e);
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
        for (List<Entry> l : lx.byLooseWord.values()) {
            l.sort(order);
        }
        for (List<Entry> l : lx.byLoosePrefix.values()) {
            l.sort(order);
        }
        return lx;
    }

    /** Indexes a German phrase by its spelling without umlauts, when that differs and no word is {@code [exact]}. */
    private void indexLoose(Entry e) {
        String[] l = new String[e.words.length];
        boolean differs = false;
        for (int i = 0; i < l.length; i++) {
            if (exact.contains(e.words[i])) {
                return;
            }
            l[i] = loose(e.words[i]);
            differs |= !l[i].equals(e.words[i]);
        }
        if (!differs) {
            return;
        }
        e.loose = l;
        String first = l[0];
        if (first.endsWith("*")) {
            byLoosePrefix
                    .computeIfAbsent(first.substring(0, 3), k -> new ArrayList<>())
                    .add(e);
        } else {
            byLooseWord.computeIfAbsent(first, k -> new ArrayList<>()).add(e);
        }
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
        int gap = line.indexOf(" ... ");
        String[] particle = gap < 0 ? null : words(line.substring(gap + 5), language);
        String[] words = words(gap < 0 ? line : line.substring(0, gap), language);
        if (words.length == 0 || (particle != null && particle.length == 0)) {
            return;
        }
        if (section.equals("number") || section.equals("exact")) {
            (section.equals("number") ? numbers : exact).add(String.join(" ", words));
            return;
        }
        String key = String.join(" ", words) + (particle == null ? "" : " ... " + String.join(" ", particle));
        Entry e = byPhrase.get(key);
        if (e == null) {
            e = new Entry(words, key);
            e.particle = particle;
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
            case "negator.noun" -> {
                e.negator = true;
                e.nounScope = true;
            }
            case "negator.after" -> {
                e.negator = true;
                e.after = true;
            }
            case "patient" -> e.patient = true;
            case "question" -> e.question = true;
            case "promise" -> e.promise = true;
            case "duration" -> e.duration = true;
            case "pending" -> e.pending = true;
            case "money" -> e.money = true;
            case "charge" -> e.charge = true;
            case "cancelled" -> e.cancelled = true;
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

    /** Whether a (folded) word is a number: digits, an ordinal such as 4th, or a {@code [number]} word. */
    boolean isNumber(String t) {
        return numbers.contains(t)
                || (!t.isEmpty() && isDigit(t.charAt(0)) && NUMERAL.matcher(t).matches());
    }

    /** An ASCII digit, as the pattern's {@code \d} reads one: a numeral starts with one. */
    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /**
     * The longest phrase starting at token {@code at}, or null. {@code looseTokens} are the tokens spelled without
     * umlauts ({@link #loose}) for German, null otherwise; {@code clauseEnd} is where the token's clause ends
     * (exclusive), where a separable verb's particle stands.
     */
    Entry match(String[] tokens, String[] looseTokens, int at, int clauseEnd) {
        String t = tokens[at];
        Entry best = longer(null, byWord.get(t), tokens, looseTokens, at, clauseEnd);
        if (t.length() >= 3) {
            best = longer(best, byPrefix.get(t.substring(0, 3)), tokens, looseTokens, at, clauseEnd);
        }
        if (isNumber(t)) {
            best = longer(best, byWord.get("#"), tokens, looseTokens, at, clauseEnd);
        }
        if (looseTokens != null) {
            String l = looseTokens[at];
            best = longer(best, byLooseWord.get(l), tokens, looseTokens, at, clauseEnd);
            if (l.length() >= 3) {
                best = longer(best, byLoosePrefix.get(l.substring(0, 3)), tokens, looseTokens, at, clauseEnd);
            }
        }
        return best;
    }

    private Entry longer(
            Entry best, List<Entry> candidates, String[] tokens, String[] looseTokens, int at, int clauseEnd) {
        if (candidates != null) {
            for (Entry e : candidates) {
                if (e.matches(this, tokens, looseTokens, at, clauseEnd)) {
                    return best == null || e.words.length > best.words.length ? e : best;
                }
            }
        }
        return best;
    }

    /** The text's words as this lexicon folds them ({@link #fold}): alike for every language but German. */
    String[] fold(String[] lowerCaseWords) {
        String[] out = new String[lowerCaseWords.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = fold(lowerCaseWords[i], language);
        }
        return out;
    }

    /** The folded words spelled without umlauts, for German; null for the other languages. */
    String[] loose(String[] folded) {
        if (!language.equals("de")) {
            return null;
        }
        String[] out = new String[folded.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = loose(folded[i]);
        }
        return out;
    }

    /** A folded German word as written without umlauts: ae, oe, ue as a, o, u ("zurueck" and "zuruck" alike). */
    static String loose(String folded) {
        return folded.replace("ae", "a").replace("oe", "o").replace("ue", "u");
    }

    /**
     * Lower case, accents dropped and typographic apostrophes plain, as the language writes without them: in German
     * ä ö ü ß as ae oe ue ss; in French œ æ as oe ae; in Spanish and English ü is u ("vergüenza" as "verguenza", as
     * Spanish writers without accents spell it).
     */
    static String fold(String s, String language) {
        boolean ascii = true;
        for (int i = 0; i < s.length() && ascii; i++) {
            ascii = s.charAt(i) < 128;
        }
        if (ascii) {
            return s.toLowerCase(Locale.ROOT);
        }
        String lower =
                s.toLowerCase(Locale.ROOT).replace("ß", "ss").replace("œ", "oe").replace("æ", "ae");
        if (language.equals("de")) {
            lower = lower.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue");
        }
        return MARKS.matcher(Normalizer.normalize(lower, Normalizer.Form.NFD)).replaceAll("");
    }

    /** A phrase's words; {@code *} kept at a word's end, {@code #} (a number) kept as a word. */
    private static String[] words(String phrase, String language) {
        List<String> out = new ArrayList<>();
        for (String w : fold(phrase.replace("{n}", " # "), language).split("[^\\p{L}\\p{N}*#]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out.toArray(String[]::new);
    }
}
