package dev.attune.config;

import java.time.Duration;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.description.TextElement;

/**
 * Prints the README's configuration table from {@link AttuneOptions}:
 * {@code java -cp target/attune.jar dev.attune.config.ConfigDocs}. ConfigDocsTest keeps the
 * README in step with it.
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
                    ? " One of: " + String.join(", ", ConfigValidator.CHOICES.get(o)) + "." : "";
            sb.append("| `").append(o.key()).append("` | ").append(defaultText(o)).append(" | ")
                    .append(describe(o)).append(allowed).append(" |\n");
        }
        sb.append("| `flink.*` | | Any Flink option, prefix removed, e.g. `--flink.taskmanager.numberOfTaskSlots 4`. |\n");
        return sb.toString();
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
