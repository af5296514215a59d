package dev.attune.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Programs the tests run: a command with a time limit, a program on the PATH, a Debian package installed when missing. */
public final class Commands {
    private Commands() {}

    /** A finished command: exit code and everything it printed. */
    public record Result(int exit, String stdout, String stderr) {
        public String all() {
            return stdout + (stderr.isEmpty() ? "" : "\n" + stderr);
        }
    }

    /** Runs a command in {@code dir} with {@code env} changes; fails the test when it takes longer than {@code seconds}. */
    public static Result run(Path dir, Map<String, String> env, long seconds, List<String> command) {
        try {
            File out = File.createTempFile("attune-deploy-test", ".out");
            File err = File.createTempFile("attune-deploy-test", ".err");
            out.deleteOnExit();
            err.deleteOnExit();
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command))
                    .directory(dir.toFile())
                    .redirectOutput(out)
                    .redirectError(err)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            env.forEach((k, v) -> { // a null value removes the variable
                if (v == null) {
                    pb.environment().remove(k);
                } else {
                    pb.environment().put(k, v);
                }
            });
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + seconds + " s");
            }
            return new Result(
                    p.exitValue(),
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An executable on the PATH, or null. */
    public static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The program {@code command}, installing Debian's {@code pkg} with apt-get when it is not on the PATH (the
     * test must run as root for that; otherwise it fails saying what to install).
     */
    public static Path debianProgram(String command, String pkg) {
        Path found = onPath(command);
        if (found != null) {
            return found;
        }
        Path here = Path.of("").toAbsolutePath();
        boolean root =
                "0".equals(run(here, Map.of(), 10, List.of("id", "-u")).stdout().strip());
        if (!root) {
            fail(command + " is not on the PATH and this test is not running as root, so it cannot install it: "
                    + "run `sudo apt-get install -y --no-install-recommends " + pkg + "`, then re-run.");
        }
        List<String> install = List.of("apt-get", "install", "-y", "-q", "--no-install-recommends", pkg);
        System.out.println(command + " is missing; installing Debian's package: " + String.join(" ", install));
        Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
        Result r = run(here, env, 600, install);
        if (r.exit() != 0) {
            System.out.println("apt-get install failed (exit " + r.exit() + "); running apt-get update -q first");
            Result update = run(here, env, 300, List.of("apt-get", "update", "-q"));
            assertThat(update.exit()).as("apt-get update -q:\n" + update.all()).isZero();
            r = run(here, env, 600, install);
        }
        assertThat(r.exit()).as(String.join(" ", install) + ":\n" + r.all()).isZero();
        System.out.println(r.stdout()
                .lines()
                .filter(l -> l.startsWith("Setting up"))
                .reduce((a, b) -> a + "\n" + b)
                .orElse("installed"));
        found = onPath(command);
        assertThat(found)
                .as(command + " on the PATH after apt-get install " + pkg)
                .isNotNull();
        return found;
    }
}
