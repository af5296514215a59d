package dev.attune.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.http.apache.ApacheHttpClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.regions.Region;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.KinesisClient;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Shard;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.StreamDescription;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * A local Kinesis-compatible server for tests: kinesis-local (kinesis-mock on Node, from npm,
 * installed into {@code src/test/kinesis/node_modules} by {@code npm ci} in the build's
 * generate-test-resources phase) in a child process on free loopback ports, and a client for
 * creating streams, writing and reading them. The test client is the AWS SDK v2 that
 * flink-connector-kinesis shades, so no second SDK is on the test classpath.
 *
 * <p>Account 000000000000, region us-east-1; data lives in the process's memory. The Flink
 * connector must use the plain http endpoint: its source's HTTP client does not trust the
 * server's self-signed certificate.
 */
public final class KinesisServer implements AutoCloseable {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    public static final String ACCESS_KEY = "000000000000";
    public static final String SECRET_KEY = "fake";
    static final Path PACKAGE = Path.of("src/test/kinesis/node_modules/kinesis-local");

    private final Process process;
    private final Thread reaper;
    private final int port;
    private final KinesisClient client;

    public KinesisServer() throws Exception {
        Path main = PACKAGE.resolve("main.js").toAbsolutePath();
        if (!Files.isRegularFile(main)) {
            throw new IllegalStateException(main + " is missing: the Kinesis tests need kinesis-local from npm. "
                    + "Run `mvn generate-test-resources` (it runs `npm ci --prefix src/test/kinesis`) with Node.js "
                    + "and npm installed.");
        }
        String node = findNode();
        port = freePort();
        int tlsPort = freePort();
        Path log = Path.of("target", "kinesis-local-" + port + ".log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(node, main.toString())
                .directory(PACKAGE.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port));
        pb.environment().put("KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort));
        pb.environment()
                .put(
                        "KINESIS_MOCK_CERT_PATH",
                        PACKAGE.resolve("server.json").toAbsolutePath().toString());
        pb.environment().put("CREATE_STREAM_DURATION", "100ms");
        pb.environment().put("LOG_LEVEL", "WARN");
        process = pb.start();
        reaper = new Thread(process::destroyForcibly, "kinesis-local-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            awaitPort(log);
        } catch (Exception e) {
            close();
            throw e;
        }
        client = KinesisClient.builder()
                .endpointOverride(URI.create(endpoint()))
                .region(Region.of(REGION))
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    /** A client of this server (HTTP/1.1, the test credentials). */
    public KinesisClient client() {
        return client;
    }

    /** CPU time the server process has used so far (zero where the OS does not say). */
    public Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** The plain http endpoint, for {@code kinesis.endpoint}. */
    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The arguments that point Attune at this server: region, endpoint, credentials, HTTP/1.1. */
    public List<String> connectorArgs() {
        return List.of(
                "--kinesis.region",
                REGION,
                "--kinesis.endpoint",
                endpoint(),
                "--kinesis.client.aws.credentials.provider",
                "BASIC",
                "--kinesis.client.aws.credentials.provider.basic.accesskeyid",
                ACCESS_KEY,
                "--kinesis.client.aws.credentials.provider.basic.secretkey",
                SECRET_KEY,
                "--kinesis.client.aws.http.protocol.version",
                "HTTP1_1");
    }

    public static String arn(String stream) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + stream;
    }

    /** Creates a stream, waits until it is ACTIVE and returns its ARN. */
    public String createStream(String name, int shards) throws InterruptedException {
        client.createStream(b -> b.streamName(name).shardCount(shards));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            StreamDescription d = client.describeStream(b -> b.streamName(name)).streamDescription();
            if (d.streamStatus() == StreamStatus.ACTIVE) {
                return d.streamARN();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + name + " is still " + d.streamStatus() + " after 30 s");
            }
            Thread.sleep(50);
        }
    }

    public List<Shard> shards(String stream) {
        return client.listShards(b -> b.streamName(stream)).shards();
    }

    /** Writes one record into one given shard (by its starting hash key). */
    public void putIntoShard(String stream, Shard shard, String data) {
        client.putRecord(b -> b.streamName(stream)
                .partitionKey("sentinel")
                .explicitHashKey(shard.hashKeyRange().startingHashKey())
                .data(SdkBytes.fromString(data, StandardCharsets.UTF_8)));
    }

    /** Every record of every shard, from TRIM_HORIZON to the end, as UTF-8 strings. */
    public List<String> readAll(String stream) {
        List<String> out = new ArrayList<>();
        for (Shard shard : shards(stream)) {
            String iterator = client.getShardIterator(b -> b.streamName(stream)
                            .shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
                    .shardIterator();
            while (iterator != null) {
                String it = iterator;
                GetRecordsResponse r =
                        client.getRecords(b -> b.shardIterator(it).limit(10_000));
                for (Record record : r.records()) {
                    out.add(record.data().asUtf8String());
                }
                if (r.records().isEmpty()) {
                    break;
                }
                iterator = r.nextShardIterator();
            }
        }
        return out;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException e) {
            // the JVM is shutting down already; the hook ends the process
        }
    }

    private void awaitPort(Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kinesis-local exited with code " + process.exitValue() + ": "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("kinesis-local did not open port " + port + " within 30 s: "
                + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The node executable on PATH; a clear failure (not a skipped test) where there is none. */
    static String findNode() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            for (String name : List.of("node", "node.exe")) {
                File f = new File(dir, name);
                if (f.isFile() && f.canExecute()) {
                    return f.getAbsolutePath();
                }
            }
        }
        throw new IllegalStateException(
                "node is not on PATH: the Kinesis tests run the local Kinesis server "
                        + "kinesis-local on Node.js (18 or later). Install Node.js and npm, then run `mvn generate-test-resources`.");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
