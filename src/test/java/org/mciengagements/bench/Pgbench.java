package org.mciengagements.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code pgbench} (the PostgreSQL client's, {@code /usr/bin/pgbench} by default) with one of the
 * scripts under {@code bench/pgbench/}: a warm-up, then the measured run with per-transaction logs,
 * from which the percentiles are computed exactly as for the HTTP load.
 */
final class Pgbench {

    static final String BINARY = System.getProperty("mci.bench.pgbench", "/usr/bin/pgbench");
    static final Path SCRIPTS = Path.of("bench/pgbench");

    private Pgbench() {}

    static Load.Stats run(int postgresPort, String script, int clients, Duration warmUp, Duration measured,
                          Map<String, String> variables) throws IOException, InterruptedException {
        run(postgresPort, script, clients, warmUp, variables, null);
        Path logs = Files.createTempDirectory(Path.of("target/bench"), "pgbench-");
        String output = run(postgresPort, script, clients, measured, variables, logs);
        List<Long> micros = new ArrayList<>();
        try (Stream<Path> files = Files.list(logs)) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3 && !fields[2].equals("failed")) {
                        micros.add(Long.parseLong(fields[2]));
                    }
                }
                Files.delete(file);
            }
        }
        Files.delete(logs);
        long[] nanos = micros.stream().mapToLong(m -> m * 1000).sorted().toArray();
        Matcher failed = Pattern.compile("number of failed transactions: ([0-9]+)").matcher(output);
        return Load.Stats.of(clients, failed.find() ? Long.parseLong(failed.group(1)) : 0, measured.toNanos() / 1e9,
                nanos);
    }

    private static String run(int port, String script, int clients, Duration time, Map<String, String> variables,
                              Path logs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(BINARY, "-n", "-M", "prepared", "-h", "localhost",
                "-p", Integer.toString(port), "-U", "postgres", "-c", Integer.toString(clients),
                "-j", Integer.toString(Math.min(clients, 2)), "-T", Long.toString(Math.max(1, time.toSeconds())),
                "-f", SCRIPTS.resolve(script).toString()));
        variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        if (logs != null) {
            command.addAll(List.of("-l", "--log-prefix=" + logs.resolve("log")));
        }
        command.add("postgres");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(time.toSeconds() + 120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("pgbench " + script + " failed:\n" + output);
        }
        return output;
    }
}
