package dev.attune.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One command for one split: {@code bench/eval tune|heldout [--every N] [--json FILE]}. Replays the split, prints
 * the table and writes the figures as JSON (default {@code bench/out/eval-<split>.json}).
 */
public final class EvalMain {
    private EvalMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("tune") || args[0].equals("heldout"))) {
            System.err.println("usage: bench/eval tune|heldout [--every N] [--json FILE]");
            System.exit(2);
        }
        String split = args[0];
        int every = 1;
        Path json = Path.of("bench/out/eval-" + split + ".json");
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--every" -> every = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> {
                    System.err.println("bench/eval: unknown argument " + args[i]);
                    System.exit(2);
                }
            }
        }
        Path work = Files.createTempDirectory("attune-eval-" + split);
        try {
            Evaluation.Result r = Evaluation.run(split, every, work, System.out);
            if (json.getParent() != null) {
                Files.createDirectories(json.getParent());
            }
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), r.figures());
            System.out.println("figures: " + json);
        } finally {
            dev.attune.testing.TestFiles.deleteQuietly(work);
        }
        System.exit(0); // Flink leaves non-daemon threads behind
    }
}
