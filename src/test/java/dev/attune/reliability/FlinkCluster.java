package dev.attune.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A standalone Flink cluster on loopback, started as Flink's own scripts start one, from Flink's
 * Maven artifacts (the project's provided scope, listed by the build in
 * {@code target/flink-dist.classpath}) instead of a distribution folder: a JobManager (session or
 * application mode) and TaskManagers, each its own JVM sized by Flink's {@code BashJavaUtils}.
 * The folder is laid out as a Flink home ({@code conf/}, {@code lib/}, {@code usrlib/}), and
 * {@code FLINK_LIB_DIR} points into it, so {@code usrlib} jars are found as in the docker image.
 */
public final class FlinkCluster implements AutoCloseable {
    public static final Path DIST_CLASSPATH = Path.of("target", "flink-dist.classpath");

    /** The Flink processes' Log4j 2 configuration: INFO to the console (their log file), Kafka's at WARN. */
    public static final String LOG4J = String.join(
            "\n",
            "rootLogger.level = INFO",
            "rootLogger.appenderRef.console.ref = Console",
            "appender.console.name = Console",
            "appender.console.type = Console",
            "appender.console.layout.type = PatternLayout",
            "appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
            "logger.kafka.name = org.apache.kafka",
            "logger.kafka.level = WARN",
            "");

    private final Path home;
    private final Processes processes;
    private final Map<String, String> env;
    private final String classpath;
    private final int restPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> taskManagers = new ArrayList<>();
    private Process jobManager;

    /**
     * @param properties Flink configuration as the docker image's {@code FLINK_PROPERTIES} gives it;
     *     addresses and ports are set here to loopback and free ports
     * @param env the processes' environment (credentials and the like)
     */
    public FlinkCluster(Path home, Map<String, String> properties, Map<String, String> env) throws IOException {
        this.home = home;
        this.processes = new Processes(home.resolve("log"));
        Files.createDirectories(home.resolve("lib"));
        Files.createDirectories(home.resolve("usrlib"));
        Files.createDirectories(home.resolve("tmp"));
        if (!Files.isRegularFile(DIST_CLASSPATH)) {
            throw new IllegalStateException(DIST_CLASSPATH + " is missing: run through Maven (mvn verify)");
        }
        // The cluster's own classpath, plus this test's classes for the application-mode entry point.
        this.classpath = Files.readString(DIST_CLASSPATH).strip()
                + java.io.File.pathSeparator
                + Path.of("target", "test-classes").toAbsolutePath();
        this.restPort = freePort();
        Map<String, String> conf = new LinkedHashMap<>(properties);
        conf.put("jobmanager.rpc.address", "127.0.0.1");
        conf.put("jobmanager.rpc.port", Integer.toString(freePort()));
        conf.put("jobmanager.bind-host", "127.0.0.1");
        conf.put("rest.address", "127.0.0.1");
        conf.put("rest.bind-address", "127.0.0.1");
        conf.put("rest.port", Integer.toString(restPort));
        conf.put("taskmanager.host", "127.0.0.1");
        conf.put("taskmanager.bind-host", "127.0.0.1");
        conf.put("io.tmp.dirs", home.resolve("tmp").toString());
        StringBuilder yaml = new StringBuilder();
        conf.forEach((k, v) -> yaml.append(k).append(": ").append(v).append('\n'));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("config.yaml"), yaml);
        Files.writeString(home.resolve("conf").resolve("log4j2.properties"), LOG4J);
        this.env = new LinkedHashMap<>(env);
        this.env.put("FLINK_LIB_DIR", home.resolve("lib").toString());
        this.env.put("FLINK_CONF_DIR", home.resolve("conf").toString());
    }

    public Path usrlib() {
        return home.resolve("usrlib");
    }

    public Path home() {
        return home;
    }

    public int restPort() {
        return restPort;
    }

    /** A session cluster's JobManager: jobs come from {@code flink run}. */
    public Process startSessionJobManager() throws Exception {
        jobManager = start(
                "jobmanager",
                "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                List.of());
        Processes.awaitPort(restPort, 120_000, "the JobManager");
        return jobManager;
    }

    /** An application-mode JobManager running {@code main} of the jar in usrlib: {@code standalone-job ARGS}. */
    public Process startApplicationJobManager(List<String> standaloneJobArguments) throws Exception {
        jobManager = start(
                "jobmanager",
                "GET_JM_RESOURCE_PARAMS",
                "dev.attune.testing.ApplicationModeEntryPoint",
                standaloneJobArguments);
        Processes.awaitPort(restPort, 120_000, "the JobManager");
        return jobManager;
    }

    public Process startTaskManager() throws Exception {
        Process tm = start(
                "taskmanager",
                "GET_TM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                List.of());
        taskManagers.add(tm);
        return tm;
    }

    /** The TaskManagers started so far, in order. */
    public List<Process> taskManagers() {
        return List.copyOf(taskManagers);
    }

    public Process jobManager() {
        return jobManager;
    }

    /** Flink's command-line client ({@code bin/flink ARGS}) against this cluster; its exit code and output. */
    public Result flink(List<String> arguments, long timeoutSeconds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Processes.OPENS);
        cmd.add("-Dlog4j.configurationFile="
                + home.resolve("conf").resolve("log4j2.properties").toUri());
        cmd.addAll(List.of("-cp", classpath, "org.apache.flink.client.cli.CliFrontend"));
        cmd.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(timeoutSeconds, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }

    public record Result(int exit, String output) {}

    /** A REST resource of the JobManager, e.g. {@code /jobs/overview}. */
    public String rest(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** Free task slots the JobManager knows of, or -1 while its REST API does not answer. */
    public int freeSlots() {
        try {
            String body = rest("/overview");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"slots-available\":(\\d+)")
                    .matcher(body);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * JVM flags and dynamic properties from Flink's own calculation, as its start scripts get them
     * ({@code GET_JM_RESOURCE_PARAMS} or {@code GET_TM_RESOURCE_PARAMS}).
     */
    public static List<List<String>> resources(String classpath, Path conf, String which, Map<String, String> env)
            throws Exception {
        String out = Processes.runJava(
                List.of(
                        "-cp",
                        classpath,
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        which,
                        "--configDir",
                        conf.toString()),
                env,
                120);
        List<List<String>> result = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                String v =
                        line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()).trim();
                result.add(v.isEmpty() ? List.of() : List.of(v.split(" ")));
            }
        }
        if (result.size() != 2) {
            throw new IllegalStateException("unexpected BashJavaUtils output:\n" + out);
        }
        return result;
    }

    private Process start(String name, String resources, String mainClass, List<String> arguments) throws Exception {
        Path conf = home.resolve("conf");
        List<List<String>> result = resources(classpath, conf, resources, env);
        List<String> cmd = new ArrayList<>(result.get(0));
        cmd.addAll(Processes.OPENS);
        cmd.add("-Dlog4j.configurationFile=" + conf.resolve("log4j2.properties").toUri());
        cmd.addAll(List.of("-cp", classpath, mainClass, "--configDir", conf.toString()));
        cmd.addAll(result.get(1));
        cmd.addAll(arguments);
        return processes.java(name, cmd, env);
    }

    /** The log of every process so far, for a failing test's message. */
    public String logs() throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(home.resolve("log"))) {
            for (Path f : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                all.append("==== ").append(f.getFileName()).append(" (last 60 lines)\n");
                lines.subList(Math.max(0, lines.size() - 60), lines.size())
                        .forEach(l -> all.append(l).append('\n'));
            }
        }
        return all.toString();
    }

    @Override
    public void close() throws Exception {
        processes.stopAll();
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
