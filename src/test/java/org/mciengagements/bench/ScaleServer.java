package org.mciengagements.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * The service as the benchmarks measure it: its own JVM with {@code -Xmx512m}, on the scale
 * program in an embedded PostgreSQL under {@code target/scale/postgres} (generated at its first
 * start, which takes minutes; kept for later runs). The deadline job does not run during the load.
 * The server's heap is sampled from its metrics endpoint while it runs (one meter: a Prometheus
 * scrape four times a second would take several percent of the server's CPU from the load).
 */
final class ScaleServer implements AutoCloseable {

    static final long SCALE = Long.getLong("mci.bench.scale", 1_000_000);
    static final Path DATA_DIR = Path.of(System.getProperty("mci.bench.data-dir", "target/scale/postgres"));

    final int port;
    final int postgresPort;
    private final Process process;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The load clients' connections, by client number: each client sends from one thread at a time. */
    private final Map<Integer, KeepAliveConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong maxHeapUsed = new AtomicLong();
    private final java.util.concurrent.ScheduledExecutorService sampler =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor();

    ScaleServer(String... extraJvmOptions) throws IOException {
        port = freePort();
        postgresPort = freePort();
        Path log = Path.of("target/bench/server.log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        command.addAll(Arrays.asList(extraJvmOptions));
        command.addAll(List.of("-cp", mainClassPath(), "org.mciengagements.Application",
                "--mci.demo.scale=" + SCALE,
                "--mci.embedded-database.data-dir=" + DATA_DIR.toAbsolutePath(),
                "--mci.embedded-database.port=" + postgresPort,
                "--server.port=" + port,
                "--mci.jobs.deadlines.initial-delay=24h",
                "--spring.datasource.hikari.maximum-pool-size=20"));
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // The first start generates the program: minutes, not seconds.
            Awaitility.await().atMost(Duration.ofMinutes(40)).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("The server stopped; see " + log);
                        }
                        return status("/actuator/health") == 200;
                    });
        } catch (RuntimeException e) {
            process.destroy();
            throw e;
        }
        sampler.scheduleAtFixedRate(() -> {
            try {
                maxHeapUsed.accumulateAndGet(heapUsed(), Math::max);
            } catch (Exception e) {
                // a missed sample; the next one counts
            }
        }, 0, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The main classes and dependencies without the test classes and their test configuration. */
    private static String mainClassPath() {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classPath.split(File.pathSeparator)).filter(entry -> !entry.endsWith("test-classes"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":demo").getBytes(StandardCharsets.UTF_8));
    }

    int status(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The connection load client {@code client} keeps open across requests and runs. */
    KeepAliveConnection connection(int client) {
        return connections.computeIfAbsent(client, c -> new KeepAliveConnection("localhost", port));
    }

    HttpResponse<String> get(String user, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic(user))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String user, String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url(path))).header("Authorization", basic(user))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static final Pattern VALUE = Pattern.compile("\"statistic\":\"VALUE\",\"value\":([0-9.eE+]+)");

    /** Bytes of heap in use now (all heap pools), from the server's own metrics. */
    long heapUsed() throws IOException, InterruptedException {
        Matcher m = VALUE.matcher(get("oscar", "/actuator/metrics/jvm.memory.used?tag=area:heap").body());
        if (!m.find()) {
            throw new IOException("no heap figure");
        }
        return (long) Double.parseDouble(m.group(1));
    }

    long maxHeapUsedMb() {
        return maxHeapUsed.get() / (1024 * 1024);
    }

    Connection database() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres", "postgres", "");
    }

    @Override
    public void close() throws Exception {
        sampler.shutdownNow();
        connections.values().forEach(KeepAliveConnection::close);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
