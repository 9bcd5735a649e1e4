package org.mciengagements.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Imports a deterministic file of 1,000,000 tenants through the API into a running server, twice:
 * into the demo directory (every row new), then the same file again (every row unchanged). Writes
 * the figures and the machine into the "Directory import" section of {@code docs/benchmarks.md}.
 * Not part of {@code mvn verify}; run it with
 * {@code mvn -B -o test -Dtest=DirectoryImportBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=directory-import-benchmark", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class DirectoryImportBenchmark {

    static final int ROWS = 1_000_000;
    static final long SEED = 20261121L;
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String COMMAND = "mvn -B -o test -Dtest=DirectoryImportBenchmark -Dsurefire.failIfNoSpecifiedTests=false";

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;

    record Run(String what, double uploadSeconds, double totalSeconds, double databaseCpuSeconds, long imported) {
        double rowsPerSecond() {
            return imported / totalSeconds;
        }
    }

    @Test
    void importAMillionTenantsThroughTheApi() throws IOException {
        Path file = Path.of("target", "bench", "tenants-1m.csv");
        long domains = generate(file);
        long before = jdbc.sql("select count(*) from directory_customer").query(Long.class).single();
        String loadAverage = String.join(" ", java.util.Arrays.copyOf(
                Files.readString(Path.of("/proc/loadavg")).strip().split(" "), 3));

        List<Run> runs = new ArrayList<>();
        runs.add(importOnce(file, "new tenants (empty directory but the demo)"));
        assertThat(jdbc.sql("select count(*) from directory_customer").query(Long.class).single())
                .isEqualTo(before + ROWS);
        assertThat(jdbc.sql("select count(*) from directory_domain where domain like '%.bench.example'")
                .query(Long.class).single()).isEqualTo(domains);
        runs.add(importOnce(file, "the same file again (every row unchanged)"));

        String section = section(file, domains, runs, loadAverage);
        System.out.println(section);
        write(Path.of("docs", "benchmarks.md"), section);
    }

    private Run importOnce(Path file, String what) {
        Http http = new Http(port);
        long started = System.nanoTime();
        HttpResponse<String> accepted;
        try {
            accepted = http.send("oscar", HttpRequest.newBuilder(http.uri(
                            "/api/v1/admin/directory/imports?kind=TENANTS&fileName=tenants-1m.csv"))
                    .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofFile(file)));
        } catch (java.io.FileNotFoundException e) {
            throw new IllegalStateException(e);
        }
        double upload = (System.nanoTime() - started) / 1e9;
        assertThat(accepted.statusCode()).isEqualTo(202);
        String location = accepted.headers().firstValue("Location").orElseThrow();
        String backend = "mci-directory-import-" + location.replaceAll(".*/", "");
        int[] pid = {0};
        long[] cpuAtStart = {0};
        JsonNode[] done = {null};
        await().atMost(Duration.ofMinutes(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (pid[0] == 0) {
                pid[0] = jdbc.sql("select coalesce(max(pid), 0) from pg_stat_activity where application_name = ?")
                        .param(backend).query(Integer.class).single();
                cpuAtStart[0] = pid[0] == 0 ? 0 : cpuMillis(pid[0]);
            }
            done[0] = JSON.readTree(http.get("oscar", location).body());
            return List.of("SUCCEEDED", "FAILED").contains(done[0].get("status").asString());
        });
        double total = (System.nanoTime() - started) / 1e9;
        double cpu = pid[0] == 0 ? Double.NaN : (cpuMillis(pid[0]) - cpuAtStart[0]) / 1000.0;
        assertThat(done[0].get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done[0].get("rowsImported").asLong()).isEqualTo(ROWS);
        assertThat(done[0].get("problemCount").asLong()).isZero();
        return new Run(what, upload, total, cpu, done[0].get("rowsImported").asLong());
    }

    /**
     * CPU time (user and system) a process has used so far, from {@code /proc}: the embedded
     * database runs on this machine, so the import's backend can be measured on its own.
     */
    static long cpuMillis(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * One million tenants with random (seeded) GUIDs, a name, one of 12 countries, a TPID on every
     * third, one verified domain each and a second on every other (1.5 per tenant), and five
     * attributes: two integers, a text, a boolean and a decimal. Returns the number of domains.
     */
    static long generate(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        String[] countries = {"NL", "US", "DE", "TR", "BE", "FR", "GB", "ES", "IT", "PL", "SE", "DK"};
        String[] industries = {"Retail", "Manufacturing", "Financial Services", "Healthcare", "Software",
                "Public Sector", "Education", "Energy"};
        Random random = new Random(SEED);
        long domains = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("tenant_id,name,country,tpid,domains,attr:paidSeats,attr:monthlyActiveUsers,attr:industry,"
                    + "attr:coSellEligible,attr:azureMonthlyConsumptionUsd\n");
            for (int i = 0; i < ROWS; i++) {
                UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                        (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
                String slug = "customer-" + Integer.toString(i, 36);
                int seats = 1 + random.nextInt(20_000);
                out.write(id + ",\"Customer " + i + ", Ltd.\"," + countries[random.nextInt(countries.length)] + ","
                        + (i % 3 == 0 ? String.valueOf(1_000_000 + i / 3) : "") + ","
                        + slug + ".bench.example" + (i % 2 == 0 ? " mail." + slug + ".bench.example" : "") + ","
                        + seats + "," + random.nextInt(seats + 1) + "," + industries[random.nextInt(industries.length)]
                        + "," + random.nextBoolean() + "," + String.format(Locale.ROOT, "%.2f",
                        random.nextInt(5_000_000) / 100.0) + "\n");
                domains += i % 2 == 0 ? 2 : 1;
            }
        }
        return domains;
    }

    private String section(Path file, long domains, List<Run> runs, String loadAverage) throws IOException {
        String postgres = jdbc.sql("select version()").query(String.class).single();
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> String.format(Locale.ROOT, "%.1f GiB",
                        Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0)).findFirst().orElse("?");
        StringBuilder text = new StringBuilder();
        text.append("## Directory import\n\n");
        text.append("A tenants file of ").append(String.format(Locale.ROOT, "%,d", ROWS))
                .append(" rows imported through the API (`POST /api/v1/admin/directory/imports`, raw `text/csv` body) ")
                .append("into a running test server on the embedded PostgreSQL, timed from the first byte of the upload ")
                .append("until the import reports `SUCCEEDED`; then the same file again, when every row is unchanged and ")
                .append("nothing is written. The file is generated, deterministically (seed ").append(SEED)
                .append("): random tenant GUIDs, a name with a quoted comma, a country, a TPID on every third row, ")
                .append("one verified domain on each row and a second on every other (")
                .append(String.format(Locale.ROOT, "%,d", domains)).append(" domains), and five attributes ")
                .append("(two integers, a text, a boolean, a decimal); ")
                .append(String.format(Locale.ROOT, "%.0f", Files.size(file) / 1024.0 / 1024.0)).append(" MB.\n\n");
        text.append("```\n").append(COMMAND).append("\n```\n\n");
        text.append("| import | rows | upload (s) | total (s) | rows/s | database CPU (s) |\n"
                + "|---|---:|---:|---:|---:|---:|\n");
        for (Run run : runs) {
            text.append(String.format(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %,.0f | %.1f |\n", run.what(),
                    run.imported(), run.uploadSeconds(), run.totalSeconds(), run.rowsPerSecond(),
                    run.databaseCpuSeconds()));
        }
        text.append("\n*Database CPU* is the CPU time of the PostgreSQL backend that applied the file (user and ")
                .append("system, from `/proc`). The import is bound by that one backend, so on a machine whose cores ")
                .append("other work shares, *total* grows with the load while *database CPU* stays about the same.\n");
        text.append("\nMachine: ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs (`nproc`), ")
                .append(memory).append(" memory, JDK ").append(System.getProperty("java.version")).append(" (")
                .append(System.getProperty("java.vendor")).append("), ").append(postgres.replaceAll(" on .*", ""))
                .append(" (embedded, default settings); load average before the run ").append(loadAverage)
                .append(" (1, 5, 15 minutes; other work on the machine shares its cores). Measured ")
                .append(LocalDate.ofInstant(Instant.now(), ZoneOffset.UTC)).append(".\n");
        return text.toString();
    }

    /** Replaces this section of the file (up to the next second-level heading), or appends it; creates the file. */
    static void write(Path doc, String section) throws IOException {
        String existing = Files.exists(doc) ? Files.readString(doc)
                : "# Benchmarks\n\nHow to measure, and the latest figures with the machine they were taken on.\n";
        int start = existing.indexOf("## Directory import\n");
        String updated;
        if (start < 0) {
            updated = existing.stripTrailing() + "\n\n" + section;
        } else {
            int next = existing.indexOf("\n## ", start + 1);
            updated = existing.substring(0, start) + section + (next < 0 ? "" : existing.substring(next));
        }
        Files.writeString(doc, updated);
    }
}
