package dev.attune.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

/**
 * Prints the configuration table of docs/configuration.md from {@link AttuneOptions}:
 * {@code java -cp target/attune.jar dev.attune.config.ConfigDocs}. ConfigDocsTest keeps the
 * page in step with it.
 */
public final class ConfigDocs {
    private ConfigDocs() {}

    public static void main(String[] args) {
        System.out.print(table());
    }

    public static String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| key | default | meaning |\n|---|---|---|\n");
        for (ConfigOption<?> o : AttuneOptions.all()) {
            String allowed = ConfigValidator.CHOICES.containsKey(o)
                    ? " One of: " + String.join(", ", ConfigValidator.CHOICES.get(o)) + "."
                    : "";
            sb.append("| `")
                    .append(o.key())
                    .append("` | ")
                    .append(defaultText(o))
                    .append(" | ")
                    .append(describe(o))
                    .append(allowed)
                    .append(" |\n");
        }
        sb.append(
                "| `flink.*` | | Any Flink option, prefix removed, e.g. `--flink.taskmanager.numberOfTaskSlots 4`. |\n");
        return sb.toString();
    }

    /**
     * {@code attune config}: every key, its default, the value {@code conf} gives it where that
     * differs, and its meaning, wrapped for a terminal.
     */
    public static String listing(org.apache.flink.configuration.Configuration conf) {
        StringBuilder sb = new StringBuilder();
        for (ConfigOption<?> o : AttuneOptions.all()) {
            sb.append(o.key())
                    .append("  (default ")
                    .append(plain(defaultText(o)))
                    .append(')');
            Object value = conf.getOptional(o).orElse(null);
            Object dflt = o.hasDefaultValue() ? o.defaultValue() : null;
            if (value != null && !value.equals(dflt)) {
                sb.append("  = ")
                        .append(
                                value instanceof Duration d
                                        ? org.apache.flink.util.TimeUtils.formatWithHighestUnit(d)
                                        : value);
            }
            sb.append('\n');
            String allowed = ConfigValidator.CHOICES.containsKey(o)
                    ? " One of: " + String.join(", ", ConfigValidator.CHOICES.get(o)) + "."
                    : "";
            wrap(sb, (describe(o) + allowed).replace("\\|", "|"), "    ", 100);
        }
        sb.append("flink.*\n");
        wrap(sb, "Any Flink option, prefix removed, e.g. --flink.taskmanager.numberOfTaskSlots 4.", "    ", 100);
        return sb.toString();
    }

    private static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    private static void wrap(StringBuilder sb, String text, String indent, int width) {
        int column = 0;
        for (String word : text.split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (column > indent.length() && column + 1 + word.length() > width) {
                sb.append('\n');
                column = 0;
            }
            if (column == 0) {
                sb.append(indent);
                column = indent.length();
            } else {
                sb.append(' ');
                column++;
            }
            sb.append(word);
            column += word.length();
        }
        sb.append('\n');
    }

    private static String defaultText(ConfigOption<?> o) {
        if (!o.hasDefaultValue()) {
            return "(none)";
        }
        Object v = o.defaultValue();
        if (v instanceof Duration d) {
            return "`" + org.apache.flink.util.TimeUtils.formatWithHighestUnit(d) + "`";
        }
        String s = String.valueOf(v);
        return s.isEmpty() ? "(empty)" : "`" + s + "`";
    }

    private static String describe(ConfigOption<?> o) {
        StringBuilder sb = new StringBuilder();
        o.description().getBlocks().forEach(b -> {
            if (b instanceof TextElement t) {
                sb.append(t.getFormat());
            }
        });
        return sb.toString().replace("|", "\\|");
    }
}
