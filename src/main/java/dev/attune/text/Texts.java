package dev.attune.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a customer's (redacted) text in English, German, French or Spanish: its language is detected
 * ({@link LanguageDetection}), then the language's lexicon ({@link Lexicon}) gives sentiment, anger,
 * urgency and the churn reason. Negation ("not bad", "nicht schlecht", "pas mal", "no está mal") turns a
 * word's valence over within three words of the same clause; intensifiers scale the next word; a
 * positive opener in a text about a (repeated) problem ("Great, another outage", "Super, schon wieder")
 * is read as sarcasm, which is anger, as is thanks for damage ("thanks for breaking everything"). Some problems
 * show only in parts read together: money that has not come, a failure with a duration, a charge after
 * cancelling, a repeated problem, a broken promise (urgent); a short shouted text, a run of "!!" on a problem,
 * a denial in capitals, leaving for a rival (angry); a patient writer ("no rush") keeps these quiet. Text is read
 * with the detected language's lexicon, or, when that recognises little of it, with the lexicon whose cues cover
 * the most words. Only the first {@link #MAX_CHARS} characters are read, so cost stays bounded.
 */
public final class Texts {
    private Texts() {}

    /** The most text read; sentiment and cues have long settled by then. */
    public static final int MAX_CHARS = 2_000;
    /** VADER's normalisation constant: sum / sqrt(sum² + ALPHA). */
    private static final double ALPHA = 15;
    /** At or below this sentiment a text counts as angry without an anger word. */
    static final double ANGRY_SENTIMENT = -0.6;
    /** The valence of an anger or urgency cue that has none of its own. */
    private static final double CUE_VALENCE = 1.5;
    /** Fewer words than this are too few to tell the language by. */
    static final int MIN_WORDS = 3;
    /** Words after a thank-you within which damage ("thanks for deleting my data") is sarcasm. */
    private static final int THANKS_SCOPE = 8;
    /** Words after a negator that it turns over. */
    private static final int NEGATION_SCOPE = 3;
    /** Words after a noun negator ("ohne") it turns over when the text's capitals do not show where its noun ends. */
    private static final int NOUN_NEGATION_SCOPE = 2;
    /** How much of its sentiment a question asking for information keeps. */
    private static final double QUESTION_DAMPING = 0.5;
    /** The most words a shouted text has: a short one mostly in capitals ("REFUND ME NOW", "GELD ZURÜCK"). */
    static final int SHOUT_WORDS = 12;

    private static final Map<String, Lexicon> LEXICONS = Map.of(
            "en", Lexicon.load("en"), "de", Lexicon.load("de"), "fr", Lexicon.load("fr"), "es", Lexicon.load("es"));
    private static final List<String> ORDER = List.of("en", "de", "fr", "es");

    /** How the text reads; {@link TextReading#EMPTY} for null or blank text. */
    public static TextReading read(String redactedText) {
        if (redactedText == null || redactedText.isBlank()) {
            return TextReading.EMPTY;
        }
        String text = capped(redactedText);
        Tokens tokens = Tokens.of(text);
        String language = language(text, tokens);
        return trained(text, scan(language, tokens).reading(language));
    }

    /**
     * The trained model's probability at or above which a text the lexicons find neither angry nor
     * urgent reads angry: chosen on the development texts of batches left out of training (README,
     * "Limits").
     */
    static final double TRAINED_ANGER = 0.8;

    /**
     * The same for a text that ends with a question ("Seriously?", "Is anyone reading these?"): most
     * questions are calm ones, so the model must be surer.
     */
    static final double TRAINED_ANGER_QUESTION = 0.95;

    static final String TRAINED_CUE = "trained_anger";

    /**
     * Whether the model is asked about a text the lexicons read as {@code r}: when they see neither
     * anger nor urgency in a text that does not read positive ("Customer since 2015, still happy" is
     * not a complaint, whatever its words share with complaints).
     */
    static boolean asksModel(TextReading r) {
        return !r.anger() && !r.urgency() && r.sentiment() <= 0;
    }

    /** The model's probability at or above which a text the lexicons read as {@code r} reads angry. */
    static double trainedThreshold(String text) {
        return text.strip().endsWith("?") ? TRAINED_ANGER_QUESTION : TRAINED_ANGER;
    }

    /**
     * Anger no lexicon names, read by {@link AngerModel}: asked only where {@link #asksModel} says, at
     * {@link #trainedThreshold}, and named by the cue {@code trained_anger}.
     */
    static TextReading trained(String text, TextReading r) {
        if (!asksModel(r) || AngerModel.bundled().anger(text) < trainedThreshold(text)) {
            return r;
        }
        List<String> cues = new ArrayList<>(r.cues());
        cues.add(TRAINED_CUE);
        return new TextReading(r.language(), r.sentiment(), true, false, List.copyOf(cues));
    }

    /** The churn reason of a (redacted) cancellation text; {@code unclear} at 0.3 when it has no cue. */
    public static ChurnReading churn(String redactedText) {
        if (redactedText == null || redactedText.isBlank()) {
            return new ChurnReading(ChurnReading.UNCLEAR, 0.3, 0);
        }
        String text = capped(redactedText);
        Tokens tokens = Tokens.of(text);
        return scan(language(text, tokens), tokens).churn();
    }

    /** How a cancellation's text reads and why the customer left: {@link #read} and {@link #churn} of it. */
    public record Cancellation(TextReading reading, ChurnReading churn) {}

    /** {@link #read} and {@link #churn} of one text, tokenised, detected and scanned once for both. */
    public static Cancellation cancellation(String redactedText) {
        if (redactedText == null || redactedText.isBlank()) {
            return new Cancellation(TextReading.EMPTY, churn(redactedText));
        }
        String text = capped(redactedText);
        Tokens tokens = Tokens.of(text);
        String language = language(text, tokens);
        Scan scan = scan(language, tokens);
        ChurnReading churn = scan.churn();
        return new Cancellation(trained(text, scan.reading(language)), churn);
    }

    private static String capped(String text) {
        if (text.length() <= MAX_CHARS) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        return text.substring(0, end);
    }

    /** The detected language; {@code und} for texts of fewer than {@link #MIN_WORDS} words (too short to tell). */
    private static String language(String text, Tokens tokens) {
        return tokens.words().length < MIN_WORDS ? TextReading.UNDETERMINED : LanguageDetection.detect(text);
    }

    /**
     * The scan by the detected language's lexicon when its cues cover two words or more; otherwise by the
     * lexicon whose cues cover the most words, the detected language's on a tie: short texts are sometimes
     * detected wrongly, and customers mix languages.
     */
    private static Scan scan(String language, Tokens tokens) {
        Scan best = language.equals(TextReading.UNDETERMINED) ? null : scan(LEXICONS.get(language), tokens);
        if (best != null && best.matched >= 2) {
            return best; // the detected language's lexicon recognises the text: no need to try the others
        }
        for (String l : ORDER) {
            if (!l.equals(language)) {
                Scan s = scan(LEXICONS.get(l), tokens);
                if (best == null || s.matched > best.matched) {
                    best = s;
                }
            }
        }
        return best;
    }

    /**
     * The text's words (lower case, folded per lexicon when scanned), which of them are capitalised and which
     * written in capitals, where clauses start, and its emphasis: exclamations, words in capitals, the longest run
     * of {@code !}, whether it is shouted (a short text written mostly in capitals) and whether it ends with a
     * question mark.
     */
    record Tokens(
            String[] words,
            boolean[] capitalised,
            boolean[] inCapitals,
            boolean[] clauseStart,
            int exclamations,
            int capitalWords,
            int exclamationRun,
            boolean shouted,
            boolean mixedCase,
            boolean endsWithQuestion,
            String[][] folds) {
        /** The words as the lexicon folds them; German folds umlauts apart, the other languages alike (cached). */
        String[] folded(Lexicon lx) {
            int k = lx.language.equals("de") ? 0 : 1;
            if (folds[k] == null) {
                folds[k] = lx.fold(words);
            }
            return folds[k];
        }

        static Tokens of(String text) {
            List<String> words = new ArrayList<>();
            List<Boolean> starts = new ArrayList<>();
            List<Boolean> capitalised = new ArrayList<>();
            List<Boolean> inCapitals = new ArrayList<>();
            int exclamations = 0;
            int capitals = 0;
            int longWords = 0;
            int run = 0;
            int longestRun = 0;
            boolean anyUpper = false;
            boolean anyLower = false;
            boolean boundary = true;
            StringBuilder w = new StringBuilder();
            boolean allUpper = true;
            int letters = 0;
            for (int i = 0; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : ' ';
                if (Character.isLetterOrDigit(c)) {
                    w.append(c);
                    if (Character.isLetter(c)) {
                        letters++;
                        allUpper &= Character.isUpperCase(c);
                        anyUpper |= Character.isUpperCase(c);
                        anyLower |= Character.isLowerCase(c);
                    }
                    continue;
                }
                if (w.length() > 0) {
                    if (letters >= 3) {
                        longWords++;
                        if (allUpper) {
                            capitals++;
                        }
                    }
                    capitalised.add(Character.isUpperCase(w.charAt(0)));
                    inCapitals.add(allUpper && letters >= 2);
                    words.add(w.toString().toLowerCase(Locale.ROOT));
                    starts.add(boundary);
                    boundary = false;
                    w.setLength(0);
                    allUpper = true;
                    letters = 0;
                }
                if (c == '!') {
                    exclamations++;
                    longestRun = Math.max(longestRun, ++run);
                } else if (!Character.isWhitespace(c)) {
                    run = 0;
                }
                if (c == '.' || c == '!' || c == '?' || c == ';' || c == ':' || c == ',' || c == '\n' || c == '('
                        || c == ')') {
                    boundary = true;
                }
            }
            boolean[] s = new boolean[starts.size()];
            boolean[] caps = new boolean[starts.size()];
            boolean[] upper = new boolean[starts.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = starts.get(i);
                caps[i] = capitalised.get(i);
                upper[i] = inCapitals.get(i);
            }
            boolean shouted = words.size() <= SHOUT_WORDS && capitals >= 2 && capitals * 3 >= longWords * 2;
            return new Tokens(
                    words.toArray(String[]::new),
                    caps,
                    upper,
                    s,
                    exclamations,
                    capitals,
                    longestRun,
                    shouted,
                    anyUpper && anyLower,
                    text.strip().endsWith("?"),
                    new String[2][]);
        }
    }

    /** What one lexicon found in the text. */
    private static final class Scan {
        final String lexicon;
        /** Words covered by cues (negators and intensifiers alone do not count). */
        int matched;

        double positive;
        double negative;
        /** Positive words as written (not negated negatives). */
        double praise;

        double openerValence;
        boolean opener;
        boolean openerAlone;
        boolean sarcasm;
        boolean repeat;
        boolean resolved;
        boolean polite;
        // The parts that rules read together (Lexicon's [duration], [pending], [money], [charge], [cancelled],
        // [promise] sections).
        boolean duration;
        boolean pending;
        boolean money;
        boolean charge;
        boolean cancelled;
        boolean promise;
        /** "No rush", "kein Problem", "sin prisa": the writer is content to wait. */
        boolean patient;
        /** A negator was read ("never", "nie", "jamais", "nunca"). */
        boolean denied;
        /** A positive word denied by a negator in capitals ("It is NOT fine", "Es ist NICHT in Ordnung"). */
        boolean insisted;
        /** Opens a question asking for information ("how long", "combien de temps"). */
        boolean question;
        /** The positive valence of thank-yous: courtesy, not praise, in a text about a problem still open. */
        double courtesy;

        int angerCues;
        int urgencyCues;
        final int[] churn = new int[Lexicon.CHURN_CATEGORIES.size()];
        final Set<String> cues = new LinkedHashSet<>();
        double emphasis = 1;
        final Tokens tokens;

        Scan(String lexicon, Tokens tokens) {
            this.lexicon = lexicon;
            this.tokens = tokens;
        }

        /** A problem that the words show only together: counts as an urgency cue. */
        private void urgent(String cue) {
            urgencyCues++;
            negative -= CUE_VALENCE;
            cues.add(cue);
        }

        /** Anger that the words show only together: counts as an anger cue. */
        private void angry(String cue) {
            angerCues++;
            negative -= CUE_VALENCE;
            cues.add(cue);
        }

        /** The rules that read the parts together, before sentiment and anger are settled. */
        private void combine() {
            if (resolved || patient) {
                return; // fixed, or the writer is content to wait: the parts are no problem
            }
            boolean problem = urgencyCues > 0 || negative < 0 || angerCues > 0;
            // "Where is my refund", "toujours pas remboursé", "no veo el dinero": money that has not come.
            if (money && pending) {
                urgent("missing_money");
            }
            // "for 9 days", "seit drei Wochen", "depuis deux semaines" with a failure or a wait: it has lasted.
            if (duration && (pending || problem)) {
                urgent("lasting_problem");
            }
            // "charged after I cancelled", "trotz Kündigung abgebucht", "me siguen cobrando si ya cancelé".
            if (charge && cancelled) {
                urgent("charged_after_cancelling");
            }
            // "promised a technician ... nobody came", "Rückruf versprochen, nie passiert", "says delivered to an
            // address I've never lived at": a promise or a claim, broken or denied.
            if (promise && (pending || denied)) {
                urgent("broken_promise");
            }
            // "schon wieder", "encore une fois", "otra vez" about a failure or a wait: it happened before.
            if (repeat && (pending || problem)) {
                urgent("repeated_problem");
            }
            problem = urgencyCues > 0 || negative < 0 || angerCues > 0;
            // "I'm cancelling. Your competitor answered in five minutes": leaving for a rival, said to support.
            if (cancelled && churn[Lexicon.CHURN_CATEGORIES.indexOf("competition")] > 0) {
                angry("leaving_for_rival");
            }
            if (insisted) {
                angry("insisted_denial");
            }
            // A short text in capitals about a problem or money ("REFUND ME NOW", "GELD ZURÜCK, SOFORT") is shouted.
            if (tokens.shouted() && (problem || money)) {
                angry("shouting");
            }
            // A run of exclamation marks on a problem ("charged again!!!").
            if (tokens.exclamationRun() >= 2 && (problem || pending)) {
                angry("exclamations");
            }
            if (urgencyCues > 0 || angerCues > 0) {
                positive -= courtesy;
                praise -= courtesy;
            }
        }

        TextReading reading(String language) {
            combine();
            if (negative < 0 || angerCues > 0) {
                int loud = Math.min(3, tokens.exclamations()) + Math.min(3, tokens.capitalWords());
                emphasis = 1 + 0.1 * loud;
                if (loud >= 2) {
                    cues.add("emphasis");
                }
            }
            boolean problem = urgencyCues > 0 || negative < 0 || angerCues > 0;
            boolean otherPraise = praise - openerValence > 0;
            boolean aloneOnAProblem = openerAlone && (urgencyCues > 0 || angerCues > 0) && !otherPraise;
            if (!sarcasm && opener && problem && !resolved && (repeat || aloneOnAProblem)) {
                sarcasm = true;
                cues.add("sarcasm");
            }
            // Sarcasm turns the praise around: "great", "thanks" count against.
            double sum = sarcasm ? negative - positive - 1.5 : negative + positive;
            sum *= emphasis;
            if (question && tokens.endsWithQuestion() && angerCues == 0 && !sarcasm) {
                // "How long does a card stay blocked after a refused payment?" asks; it does not complain.
                sum *= QUESTION_DAMPING;
                cues.add("question");
            }
            double sentiment = sum == 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
            boolean urgent = urgencyCues > 0 && !resolved;
            // A polite request about a problem ("could you please look", "pourriez-vous") is not angry for
            // its negative words alone.
            boolean angry = angerCues > 0 || sarcasm || (sentiment <= ANGRY_SENTIMENT && !polite);
            if (angry && angerCues == 0 && !sarcasm) {
                cues.add("very_negative");
            }
            List<String> c = new ArrayList<>(cues.size() + 1);
            c.add("lexicon_" + lexicon);
            c.addAll(cues);
            return new TextReading(language, Math.max(-1, Math.min(1, sentiment)), angry, urgent, List.copyOf(c));
        }

        ChurnReading churn() {
            int best = -1;
            for (int i = 0; i < churn.length; i++) {
                if (churn[i] > 0 && (best < 0 || churn[i] > churn[best])) {
                    best = i;
                }
            }
            if (best < 0) {
                return new ChurnReading(ChurnReading.UNCLEAR, 0.3, 0);
            }
            int hits = churn[best];
            double confidence = Math.min(0.9, 0.55 + 0.15 * hits);
            return new ChurnReading(Lexicon.CHURN_CATEGORIES.get(best), Math.round(confidence * 100) / 100.0, hits);
        }
    }

    private static Scan scan(Lexicon lx, Tokens t) {
        Scan s = new Scan(lx.language, t);
        String[] w = t.folded(lx);
        String[] loose = lx.loose(w);
        int thankedAt = -THANKS_SCOPE - 1;
        int negatedUntil = -1;
        double boost = 1;
        int boostUntil = -1;
        double clausePraise = 0;
        int clauseEnd = 0;
        boolean emphatic = false;
        for (int i = 0; i < w.length; ) {
            if (t.clauseStart()[i]) {
                negatedUntil = -1;
                boostUntil = -1;
                clausePraise = 0;
            }
            if (i >= clauseEnd) {
                clauseEnd = i + 1;
                while (clauseEnd < w.length && !t.clauseStart()[clauseEnd]) {
                    clauseEnd++;
                }
            }
            Lexicon.Entry e = lx.match(w, loose, i, clauseEnd);
            if (e == null) {
                i++;
                continue;
            }
            if (e.valence != 0 || e.anger || e.urgency || e.churn >= 0 || e.sarcasm) {
                s.matched += e.words.length;
            } else if (e.duration || e.pending || e.money || e.charge || e.cancelled || e.promise) {
                s.matched++;
            }
            int end = i + e.words.length;
            boolean negated = i <= negatedUntil && !e.negator && !e.negationInside;
            if (e.after && (end >= w.length || t.clauseStart()[end])) {
                // Last in its clause ("klappt die Überweisung nicht"): the clause's praise is turned over, and
                // something does not happen.
                s.positive -= clausePraise;
                s.praise -= clausePraise;
                s.negative -= 0.75 * clausePraise;
                if (clausePraise > 0) {
                    s.cues.add("negated_positive");
                }
                clausePraise = 0;
                s.pending = true;
            }
            if (e.negator && e.valence == 0 && !e.urgency && !e.anger && e.churn < 0) {
                // A negator in capitals in a text otherwise in lower case ("It is NOT fine") insists.
                emphatic = t.inCapitals()[i] && t.mixedCase() && !t.shouted();
                s.denied = true;
                negatedUntil = end - 1 + (e.nounScope ? nounScope(t, end) : NEGATION_SCOPE);
                i = end;
                continue;
            }
            if (e.intensity != 0) {
                boost = e.intensity;
                boostUntil = end + 2; // "a bit slow and buggy": the next words of the clause
                i = end;
                continue;
            }
            double b = i <= boostUntil ? boost : 1;
            if (e.negationInside && e.valence < 0 && t.mixedCase() && !t.shouted()) {
                for (int j = i; j < end; j++) {
                    s.insisted |= t.inCapitals()[j]; // "Es ist NICHT in Ordnung"
                }
            }
            if (e.valence != 0) {
                double v = e.valence * b;
                if (negated) {
                    v = v < 0 ? -0.5 * v : -0.75 * v;
                    s.cues.add(v > 0 ? "negated_negative" : "negated_positive");
                    s.insisted |= emphatic && v < 0;
                }
                if (e.opener && !negated) {
                    s.opener = true;
                    s.openerValence += v;
                    boolean endsClause = end >= w.length || t.clauseStart()[end];
                    s.openerAlone |= t.clauseStart()[i] && endsClause;
                }
                if (v > 0) {
                    s.positive += v;
                    s.praise += e.valence > 0 ? v : 0;
                    clausePraise += e.valence > 0 && !e.thanks ? v : 0;
                } else {
                    s.negative += v;
                }
            }
            if (!negated) {
                // An anger or urgency cue without a valence of its own counts as a negative word.
                if (e.anger) {
                    s.angerCues++;
                    s.cues.add("anger");
                    s.negative -= e.valence == 0 ? CUE_VALENCE : 0;
                }
                if (e.urgency) {
                    s.urgencyCues++;
                    s.cues.add("urgency");
                    s.negative -= e.valence == 0 && !e.anger ? CUE_VALENCE : 0;
                }
                if (e.sarcasm) {
                    s.sarcasm = true;
                    s.cues.add("sarcasm");
                }
            }
            if (e.churn >= 0) {
                s.churn[e.churn]++; // "can't afford", "doesn't have": a churn cue whatever negates it
            }
            if (e.thanks) {
                thankedAt = i;
                s.courtesy += Math.max(0, e.valence);
            }
            s.duration |= e.duration;
            s.pending |= e.pending;
            s.money |= e.money;
            s.charge |= e.charge;
            s.cancelled |= e.cancelled;
            s.patient |= e.patient;
            s.question |= e.question;
            s.promise |= e.promise;
            s.repeat |= e.repeat && !negated; // "nicht wieder aufgetreten" did not happen again
            if (e.partOnly()) {
                i++; // a part does not hide the words inside it ("après ma résiliation" is still a résiliation)
                continue;
            }
            s.polite |= e.polite || e.thanks;
            if (e.damage && !negated && i - thankedAt <= THANKS_SCOPE) {
                s.sarcasm = true;
                s.cues.add("sarcasm");
            }
            if (e.resolved && !negated) {
                s.resolved = true;
                s.cues.add("resolved");
            }
            s.pending |= e.resolved && negated; // "not fixed", "nicht behoben", "pas réglé": still open
            i = end;
        }
        return s;
    }

    /**
     * The words a noun negator ("ohne") turns over: up to its noun, the first capitalised word after it ("ohne
     * Vorwarnung gesperrt" negates the warning, not the blocking; "ohne größere Probleme" both words), when the
     * text's capitals tell nouns apart; otherwise the next {@link #NOUN_NEGATION_SCOPE} words.
     */
    private static int nounScope(Tokens t, int from) {
        if (!t.mixedCase() || t.shouted()) {
            return NOUN_NEGATION_SCOPE;
        }
        for (int j = from; j < Math.min(t.words().length, from + NEGATION_SCOPE); j++) {
            if (t.capitalised()[j]) {
                return j - from + 1;
            }
        }
        return NOUN_NEGATION_SCOPE;
    }
}
