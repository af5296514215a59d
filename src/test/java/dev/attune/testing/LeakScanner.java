package dev.attune.testing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.i18n.phonenumbers.PhoneNumberMatch;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Finds contact details from an input history in outputs and logs. It collects every email address
 * and phone number in the input records (JSON lines, {@code .jsonl} or {@code .jsonl.gz}, any folder
 * depth; phone numbers as libphonenumber's {@code findNumbers} finds them in text: valid numbers
 * of the UK or the US, and any possible number written with its country code, such as the UK's
 * numbers reserved for fiction, {@code +44 7700 900123}, which test data uses and which are not
 * valid; at least eight digits and not a date or time), then reads every file under the scanned
 * folders line by line and reports each line holding one of them, as {@code file:line}.
 *
 * <p>A phone number is matched by its national significant digits inside any run of digits and
 * separators, so {@code +44 7700 900123}, {@code 07700900123} and {@code (7700) 900-123} are one
 * number. Ids, times and other structural fields of the input are not searched for phone numbers
 * (they are not contact details, and outputs carry them by contract).
 *
 * <p>{@code --allow-dead-letter-raw}: the {@code raw} field of a dead-letter record is the input
 * record kept as it was read (CONTRACT.md), so it is left out of the scan; the rest of the record is
 * scanned.
 *
 * <pre>
 * java -cp … dev.attune.testing.LeakScanner --inputs DIR_OR_FILE... --scan DIR_OR_FILE... [--allow-dead-letter-raw]
 * </pre>
 * Exit codes: 0 no hit, 1 hits (each printed), 2 bad arguments.
 */
public final class LeakScanner {
    /** One line of a scanned file that holds a contact detail of the input. */
    public record Hit(Path file, long line, String kind, String value) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + kind + " " + value;
        }
    }

    /** The contact details of an input history. */
    public static final class Contacts {
        /** Lower-cased addresses, grouped by domain: domain -> local parts. */
        final Map<String, Set<String>> emailsByDomain = new TreeMap<>();
        /** National significant digits -> the number as first written in the input. */
        final Map<String, String> phones = new TreeMap<>();

        int minPhoneDigits = Integer.MAX_VALUE;
        int maxPhoneDigits = 0;

        public Set<String> emails() {
            Set<String> all = new TreeSet<>();
            emailsByDomain.forEach((d, locals) -> locals.forEach(l -> all.add(l + "@" + d)));
            return all;
        }

        public Map<String, String> phones() {
            return phones;
        }

        void addEmail(String email) {
            String e = email.toLowerCase(Locale.ROOT);
            int at = e.lastIndexOf('@');
            emailsByDomain
                    .computeIfAbsent(e.substring(at + 1), k -> new TreeSet<>())
                    .add(e.substring(0, at));
        }

        void addPhone(String nsn, String written) {
            phones.putIfAbsent(nsn, written);
            minPhoneDigits = Math.min(minPhoneDigits, nsn.length());
            maxPhoneDigits = Math.max(maxPhoneDigits, nsn.length());
        }
    }

    /** An address: a local part, '@', a domain of at least two labels ending in a letter label. */
    static final Pattern EMAIL = Pattern.compile(
            "(?<![\\p{L}\\p{N}._%+'-])[\\p{L}\\p{N}._%+'-]{1,64}+@(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,62}+)\\.){1,8}+\\p{L}{2,24}+");
    /** Digits with the separators phone numbers are written with. */
    static final Pattern DIGIT_RUN = Pattern.compile("\\d[\\d\\s().+\\-/]*+");
    /** Input fields that hold ids and times, never contact details. */
    static final Set<String> STRUCTURAL = Set.of(
            "messageId",
            "userId",
            "anonymousId",
            "requestId",
            "campaignId",
            "sendId",
            "timestamp",
            "sentAt",
            "receivedAt",
            "originalTimestamp",
            "notAfter",
            "schemaVersion",
            "type",
            "event");
    /** The same fields inside a record that is not JSON (cut, corrupt): {@code "field":"value"}. */
    static final Pattern STRUCTURAL_PAIR =
            Pattern.compile("\"(?:" + String.join("|", STRUCTURAL) + ")\"\\s*:\\s*(?:\"[^\"]*\"|[-\\d.eE+]+)");
    /**
     * Fewer digits than a subscriber number anywhere we send to: shorter "possible" numbers are years,
     * counts and codes.
     */
    static final int MIN_PHONE_DIGITS = 8;
    /** A date or a time of day, which POSSIBLE leniency takes for a number: 2026-10-25, 25/10/2026, 10:15. */
    static final Pattern DATE_OR_TIME =
            Pattern.compile("\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{1,2}[-/.]\\d{1,2}[-/.]\\d{4}|\\d{1,2}:\\d{2}");
    /** Regions a number written without a country code is read in. */
    static final List<String> REGIONS = List.of("GB", "US");

    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private LeakScanner() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        List<Path> inputs = new ArrayList<>();
        List<Path> scan = new ArrayList<>();
        boolean allowRaw = false;
        List<Path> current = null;
        for (String a : args) {
            if (a.equals("--inputs")) {
                current = inputs;
            } else if (a.equals("--scan")) {
                current = scan;
            } else if (a.equals("--allow-dead-letter-raw")) {
                allowRaw = true;
            } else if (a.startsWith("--") || current == null) {
                err.println("leak-scan: unexpected argument '" + a + "'");
                return usage(err);
            } else {
                current.add(Path.of(a));
            }
        }
        if (inputs.isEmpty() || scan.isEmpty()) {
            return usage(err);
        }
        for (Path p : inputs) {
            if (!Files.exists(p)) {
                err.println("leak-scan: no such input: " + p);
                return 2;
            }
        }
        Contacts contacts = collect(inputs);
        List<Hit> hits = scan(contacts, scan, allowRaw);
        out.printf(
                "leak-scan: %d email addresses and %d phone numbers in the input; %d files scanned; %d hits%n",
                contacts.emails().size(), contacts.phones().size(), countFiles(scan), hits.size());
        hits.forEach(out::println);
        return hits.isEmpty() ? 0 : 1;
    }

    private static int usage(PrintStream err) {
        err.println("usage: LeakScanner --inputs DIR_OR_FILE... --scan DIR_OR_FILE... [--allow-dead-letter-raw]");
        return 2;
    }

    /** Every email address and phone number in the input records under these files and folders. */
    public static Contacts collect(List<Path> inputs) {
        Contacts c = new Contacts();
        for (Path root : inputs) {
            for (Path f : files(root)) {
                String name = f.getFileName().toString();
                if (name.endsWith(".jsonl") || name.endsWith(".jsonl.gz") || name.endsWith(".json")) {
                    lines(f, (line, n) -> collectLine(line, c));
                }
            }
        }
        return c;
    }

    static void collectLine(String line, Contacts c) {
        Matcher m = EMAIL.matcher(line);
        while (m.find()) {
            c.addEmail(m.group());
        }
        JsonNode node = null;
        try {
            node = JSON.readTree(line);
        } catch (IOException | RuntimeException e) {
            // not JSON: read it as text
        }
        if (node != null && node.isContainerNode()) {
            collectStrings(node, c);
        } else {
            collectText(STRUCTURAL_PAIR.matcher(line).replaceAll(""), c);
        }
    }

    private static void collectStrings(JsonNode node, Contacts c) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!(STRUCTURAL.contains(e.getKey()) && e.getValue().isValueNode())) {
                    collectStrings(e.getValue(), c);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectStrings(n, c));
        } else if (node.isTextual()) {
            collectText(node.textValue(), c);
        }
    }

    /** Emails by pattern (JSON escapes resolved), phone numbers as libphonenumber finds them. */
    static void collectText(String text, Contacts c) {
        if (text.indexOf('@') >= 0) {
            Matcher m = EMAIL.matcher(text);
            while (m.find()) {
                c.addEmail(m.group());
            }
        }
        if (digits(text) < 5) {
            return;
        }
        for (String region : REGIONS) {
            for (PhoneNumberMatch m :
                    PHONES.findNumbers(text, region, PhoneNumberUtil.Leniency.POSSIBLE, Long.MAX_VALUE)) {
                String nsn = PHONES.getNationalSignificantNumber(m.number());
                boolean international =
                        m.rawString().startsWith("+") || m.rawString().startsWith("00");
                if (nsn.length() >= MIN_PHONE_DIGITS
                        && !DATE_OR_TIME.matcher(m.rawString()).find()
                        && (international || PHONES.isValidNumber(m.number()))) {
                    c.addPhone(nsn, m.rawString());
                }
            }
        }
    }

    /** Every line of every file under the folders that holds one of the contact details. */
    public static List<Hit> scan(Contacts contacts, List<Path> roots, boolean allowDeadLetterRaw) {
        List<Hit> hits = new ArrayList<>();
        for (Path root : roots) {
            for (Path f : files(root)) {
                lines(f, (line, n) -> {
                    String text = allowDeadLetterRaw ? withoutDeadLetterRaw(line) : line;
                    for (Found found : find(contacts, text)) {
                        hits.add(new Hit(f, n, found.kind(), found.value()));
                    }
                });
            }
        }
        return hits;
    }

    /** A contact detail of the input, as the input wrote it. */
    record Found(String kind, String value) {}

    /** The contact details of the input found in one line of text. */
    static List<Found> find(Contacts c, String text) {
        List<Found> found = new ArrayList<>();
        String lower = null;
        for (int at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
            lower = lower == null ? text.toLowerCase(Locale.ROOT) : lower;
            int from = at;
            while (from > 0 && isLocalChar(lower.charAt(from - 1))) {
                from--;
            }
            int to = at + 1;
            while (to < lower.length() && isDomainChar(lower.charAt(to))) {
                to++;
            }
            String left = lower.substring(from, at);
            String right = lower.substring(at + 1, to);
            for (Map.Entry<String, Set<String>> d : c.emailsByDomain.entrySet()) {
                if (right.startsWith(d.getKey())) {
                    for (String local : d.getValue()) {
                        if (left.endsWith(local)) {
                            found.add(new Found("email", local + "@" + d.getKey()));
                        }
                    }
                }
            }
        }
        if (c.phones.isEmpty()) {
            return found;
        }
        Matcher run = DIGIT_RUN.matcher(text);
        while (run.find()) {
            String digits = run.group().replaceAll("\\D", "");
            for (int len = c.minPhoneDigits; len <= Math.min(c.maxPhoneDigits, digits.length()); len++) {
                for (int i = 0; i + len <= digits.length(); i++) {
                    String written = c.phones.get(digits.substring(i, i + len));
                    if (written != null) {
                        found.add(new Found("phone", written));
                    }
                }
            }
        }
        return found;
    }

    private static boolean isLocalChar(char ch) {
        return Character.isLetterOrDigit(ch) || "._%+'-".indexOf(ch) >= 0;
    }

    private static boolean isDomainChar(char ch) {
        return Character.isLetterOrDigit(ch) || ch == '.' || ch == '-';
    }

    /** A dead-letter record without its {@code raw} input record; any other line as it is. */
    static String withoutDeadLetterRaw(String line) {
        if (!line.contains("\"deadLetterId\"")) {
            return line;
        }
        try {
            JsonNode n = JSON.readTree(line);
            if (n instanceof ObjectNode o && o.has("deadLetterId")) {
                o.remove("raw");
                return o.toString();
            }
        } catch (IOException | RuntimeException e) {
            // not a record: scan it whole
        }
        return line;
    }

    private static int digits(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Character.isDigit(s.charAt(i))) {
                n++;
            }
        }
        return n;
    }

    private static List<Path> files(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countFiles(List<Path> roots) {
        return roots.stream().mapToLong(r -> files(r).size()).sum();
    }

    interface LineConsumer {
        void accept(String line, long number);
    }

    /** Each line as UTF-8, bytes that are not replaced; {@code .gz} files decompressed. */
    static void lines(Path f, LineConsumer each) {
        try (InputStream raw = Files.newInputStream(f);
                InputStream in = f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPLACE)
                                .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            String line;
            long n = 0;
            while ((line = r.readLine()) != null) {
                each.accept(line, ++n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
