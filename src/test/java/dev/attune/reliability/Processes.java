package dev.attune.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The run's child processes (broker, model server, JobManager, TaskManagers), each logging to its own file. */
public final class Processes {
    /** Flink's scripts open these packages on Java 17; Flink's classes need them. */
    public static final List<String> OPENS = List.of(
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED");

    private final Path logs;
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Map<Process, Path> logOf = new java.util.concurrent.ConcurrentHashMap<>();
    private int sequence;

    public Processes(Path logs) throws IOException {
        this.logs = Files.createDirectories(logs);
        // Whatever way the run ends, none of its processes outlives it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> started.forEach(Process::destroyForcibly)));
    }

    /** Starts {@code java <command>} with stdout and stderr in {@code logs/<name>-<n>.log}. */
    public Process java(String name, List<String> command, Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(command);
        Path log = logs.resolve(name + "-" + (++sequence) + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            started.add(p);
            logOf.put(p, log);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    /** A finished command's exit code and output. */
    public record Outcome(int exit, String output) {}

    /** The log file of a process this started. */
    public Path log(Process p) {
        return logOf.get(p);
    }

    /** Runs {@code java <command>} to its end and returns its output; fails on a non-zero exit. */
    public static String runJava(List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("failed: " + String.join(" ", command) + "\n" + out);
        }
        return out;
    }

    /** SIGKILL: the process dies at once, as in a crash. */
    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for a clean shutdown (SIGKILL after 60 s). */
    public static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            kill(p);
        }
    }

    public void stopAll() throws InterruptedException {
        for (Process p : started) {
            if (p.isAlive()) {
                stop(p);
            }
        }
    }

    public static void awaitPort(int port, long timeoutMillis, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port + " within " + timeoutMillis + " ms");
    }

    static void requireFree(int port, String what) {
        try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            // free
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " (" + what + ") is in use on 127.0.0.1: is another "
                    + "fault run still going? Choose others with --port-offset N");
        }
    }
}
