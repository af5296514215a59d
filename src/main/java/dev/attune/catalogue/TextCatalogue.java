package dev.attune.catalogue;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every customer-facing text, by key and language: the bundled {@code texts/attune*.properties}
 * (British English in {@code attune.properties}, American spelling in {@code _en_US}, German,
 * French and Spanish in {@code _de}, {@code _fr}, {@code _es}), overlaid key by key by an
 * operator's files ({@link #withOverrides}). A text's placeholders are {@code {name}}; nothing
 * else in a text is special (no {@link java.text.MessageFormat} apostrophe or brace rules), and a
 * parameter's value is inserted as it is, never read for placeholders itself. Same key, locale
 * and parameters give the same text. Small and serializable: built once at start-up and shipped
 * with the job graph.
 */
public final class TextCatalogue implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The base name of every catalogue file: {@code attune.properties}, {@code attune_de.properties}, ... */
    public static final String BASE = "attune";
    /** The language suffixes a catalogue has files for ({@code ""}: British English, every other language's fallback). */
    public static final List<String> SUFFIXES = List.of("", "en_US", "de", "fr", "es");
    /** The languages with texts of their own (ISO 639-1); any other gets British English. */
    public static final Set<String> LANGUAGES = Set.of("en", "de", "fr", "es");
    /** The locale of the British defaults, used when nothing better is known. */
    public static final String DEFAULT_LOCALE = "en-GB";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)\\}");
    private static final Pattern FILE = Pattern.compile(BASE + "(?:_([A-Za-z0-9_]+))?\\.properties");
    private static final TextCatalogue DEFAULTS = bundled();

    /** Suffix → key → text. */
    private final HashMap<String, HashMap<String, String>> bundles;
    /** Locale tag → the bundles to look in, in fallback order. */
    private transient java.util.concurrent.ConcurrentHashMap<String, List<Map<String, String>>> chains;

    private TextCatalogue(HashMap<String, HashMap<String, String>> bundles) {
        this.bundles = bundles;
    }

    /** The bundled texts. */
    public static TextCatalogue defaults() {
        return DEFAULTS;
    }

    private static TextCatalogue bundled() {
        HashMap<String, HashMap<String, String>> bundles = new HashMap<>();
        for (String suffix : SUFFIXES) {
            String name = fileName(suffix);
            try (InputStream in = TextCatalogue.class.getResourceAsStream("/texts/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("texts/" + name + " is missing from the jar");
                }
                bundles.put(suffix, parse(name, in.readAllBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TextCatalogue(bundles);
    }

    /**
     * This catalogue with an operator's files laid over it, key by key: file name ({@code
     * attune.properties}, {@code attune_de.properties}, ...) → its bytes (UTF-8). A file whose name
     * is not one of {@link #SUFFIXES}, that is not UTF-8 properties text, or that holds a key the
     * catalogue does not have, an empty text, or a placeholder the key's British text does not have
     * is refused with a {@link CatalogueException} naming the file and the key.
     */
    public TextCatalogue withOverrides(Map<String, byte[]> files) {
        HashMap<String, HashMap<String, String>> merged = new HashMap<>();
        bundles.forEach((suffix, texts) -> merged.put(suffix, new HashMap<>(texts)));
        for (String name : new TreeSet<>(files.keySet())) {
            Matcher m = FILE.matcher(name);
            String suffix = m.matches() ? (m.group(1) == null ? "" : m.group(1)) : null;
            if (suffix == null) {
                throw new CatalogueException(
                        name,
                        null,
                        "not a catalogue file; name files " + BASE + ".properties or " + BASE
                                + "_<language>.properties");
            }
            if (!SUFFIXES.contains(suffix)) {
                throw new CatalogueException(
                        name,
                        null,
                        "unknown language suffix '" + suffix + "'; known: (none, British English), "
                                + String.join(", ", SUFFIXES.subList(1, SUFFIXES.size())));
            }
            HashMap<String, String> given = parse(name, files.get(name));
            for (String key : new TreeSet<>(given.keySet())) {
                String text = given.get(key);
                String british = bundles.get("").get(key);
                if (british == null) {
                    throw new CatalogueException(name, key, "unknown key (see the bundled texts/attune.properties)");
                }
                if (text.isBlank()) {
                    throw new CatalogueException(name, key, "empty text");
                }
                Set<String> allowed = placeholders(british);
                for (String p : placeholders(text)) {
                    if (!allowed.contains(p)) {
                        throw new CatalogueException(
                                name,
                                key,
                                "placeholder {" + p + "} is not one this text has"
                                        + (allowed.isEmpty() ? " (it has none)" : " (it has " + braces(allowed) + ")"));
                    }
                }
                merged.get(suffix).put(key, text);
            }
        }
        return new TextCatalogue(merged);
    }

    /**
     * The locale a customer's texts are written in: their {@code locale} trait (BCP 47) if its
     * language has texts; else the language detected from their own writing (ISO 639-1) if it has;
     * else {@value #DEFAULT_LOCALE}. The trait is kept as given ({@code de-AT} reads German, {@code
     * en-US} American English, any other English British English), so outputs carry it.
     */
    public static String localeFor(String localeTrait, String detectedLanguage) {
        if (localeTrait != null && !localeTrait.isBlank()) {
            Locale l = Locale.forLanguageTag(localeTrait.trim().replace('_', '-'));
            if (LANGUAGES.contains(l.getLanguage())) {
                return l.toLanguageTag();
            }
        }
        if (detectedLanguage != null) {
            String lang = detectedLanguage.trim().toLowerCase(Locale.ROOT);
            if (LANGUAGES.contains(lang)) {
                return lang.equals("en") ? DEFAULT_LOCALE : lang;
            }
        }
        return DEFAULT_LOCALE;
    }

    /**
     * The text of a key in a locale (as {@link #localeFor} gives it), its placeholders filled from
     * {@code params}. The JDK's resource-bundle fallback picks the file: {@code de-AT} looks in
     * {@code _de_AT}, {@code _de}, then the British defaults.
     */
    public String text(String locale, String key, Map<String, ?> params) {
        String template = null;
        for (Map<String, String> bundle : chain(locale == null ? DEFAULT_LOCALE : locale)) {
            if ((template = bundle.get(key)) != null) {
                break;
            }
        }
        if (template == null) {
            throw new IllegalArgumentException("no text for key " + key);
        }
        return fill(template, key, params);
    }

    /** The template with each {@code {name}} replaced by its parameter, in one pass (values are not read again). */
    private static String fill(String template, String key, Map<String, ?> params) {
        int open = template.indexOf('{');
        if (open < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int from = 0;
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find(open)) {
            Object value = params.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "} in " + key);
            }
            out.append(template, from, m.start()).append(value);
            from = m.end();
            open = template.indexOf('{', from);
            if (open < 0) {
                break;
            }
        }
        return out.append(template, from, template.length()).toString();
    }

    /** The bundles a locale looks in; remembered for the first {@value #CHAINS_KEPT} locales (input decides how many there are). */
    private List<Map<String, String>> chain(String locale) {
        if (chains == null) {
            chains = new java.util.concurrent.ConcurrentHashMap<>();
        }
        List<Map<String, String>> known = chains.get(locale);
        if (known != null) {
            return known;
        }
        List<Map<String, String>> chain = CONTROL.getCandidateLocales(BASE, Locale.forLanguageTag(locale)).stream()
                .map(candidate -> (Map<String, String>) bundles.get(candidate.toString()))
                .filter(java.util.Objects::nonNull)
                .toList();
        if (chains.size() < CHAINS_KEPT) {
            chains.put(locale, chain);
        }
        return chain;
    }

    private static final int CHAINS_KEPT = 1_000;

    /** A text without placeholders. */
    public String text(String locale, String key) {
        return text(locale, key, Map.of());
    }

    /** Every key (those of the British defaults). */
    public Set<String> keys() {
        return new TreeSet<>(bundles.get("").keySet());
    }

    /** The keys a language file itself gives ({@code ""} for the British defaults). */
    public Set<String> keys(String suffix) {
        return new TreeSet<>(bundles.getOrDefault(suffix, new HashMap<>()).keySet());
    }

    /** The placeholders ({@code {name}}) of a text, in order. */
    public static Set<String> placeholders(String text) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** The raw text a language file gives for a key (no fallback), or null. */
    public String raw(String suffix, String key) {
        Map<String, String> b = bundles.get(suffix);
        return b == null ? null : b.get(key);
    }

    static String fileName(String suffix) {
        return BASE + (suffix.isEmpty() ? "" : "_" + suffix) + ".properties";
    }

    private static final java.util.ResourceBundle.Control CONTROL =
            java.util.ResourceBundle.Control.getControl(java.util.ResourceBundle.Control.FORMAT_PROPERTIES);

    private static HashMap<String, String> parse(String name, byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CatalogueException(name, null, "not UTF-8 text");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new CatalogueException(name, null, "not a properties file: " + e.getMessage());
        }
        HashMap<String, String> out = new HashMap<>();
        p.forEach((k, v) -> out.put((String) k, (String) v));
        return out;
    }

    private static String braces(Set<String> names) {
        return String.join(", ", names.stream().map(n -> "{" + n + "}").toList());
    }
}
