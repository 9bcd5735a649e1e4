package org.mciengagements.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * HTTP load on the scale program beside {@code pgbench} running the same statements, in one run:
 * the Customers page API (each tab, first and deep page), {@code POST /api/v1/customer-checks}
 * over all engagements and {@code POST /api/v1/claims}, at 1 and 16 clients. Writes its section of
 * {@code docs/benchmarks.md}. Run:
 * {@code mvn -B -o test -Dtest=HttpLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * (the first run generates the program, which takes minutes).
 *
 * <p>Nominations use "fresh" tenants, which have no claims and meet every criterion: each request
 * takes the next (engagement, tenant) slot from the sequence {@code bench_slot}, which pgbench's
 * script takes from too, so no two nominations collide and every one must succeed.
 */
class HttpLoadBenchmark {

    static final String SECTION = "HTTP load and the database's ceiling";
    static final String PLANS = "Query plans at scale";
    static final String ENGAGEMENT = System.getProperty("mci.bench.engagement", "copilot-readiness-workshop");
    static final String USER = "anna";
    static final String AUTHORIZATION = ScaleServer.basic(USER);
    static final String LOCATION = "4100231";
    static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("mci.bench.warmup", 3));
    /** Load on every read operation before the first is measured: the server compiles its request path meanwhile. */
    static final Duration SERVER_WARM_UP = Duration.ofSeconds(Long.getLong("mci.bench.server-warmup", 5));
    /**
     * Measured time per side of each figure. 15 s in 3 turns gave the same code ratios nine points
     * apart from one run to the next on these machines; twice the time in twice as many turns lets
     * a drift of the machine fall on both sides of a ratio more evenly.
     */
    static final Duration MEASURED = Duration.ofSeconds(Long.getLong("mci.bench.seconds", 30));
    /** The measured time of each side is taken in this many turns, HTTP and pgbench alternating. */
    static final int ROUNDS = Integer.getInteger("mci.bench.rounds", 6);
    static final Duration ROUND_WARM_UP = Duration.ofSeconds(1);
    static final int[] CLIENTS = {1, 16};
    static final int DEEP_PAGE = Integer.getInteger("mci.bench.deep-page", 100);

    /** One measured operation: its HTTP request and the pgbench script (with variables) that does what it does in SQL. */
    private record Operation(String name, Load.Request http, String script, Map<String, String> variables) {}

    private record Measured(Operation operation, Load.Stats http, Load.Stats pgbench) {
        double ratio() {
            return pgbench.throughput() == 0 ? 0 : http.throughput() / pgbench.throughput();
        }
    }

    @Test
    void customersChecksAndClaimsUnderLoadBesideTheDatabasesOwnCeiling() throws Exception {
        List<String> jvm = new ArrayList<>();
        if (Boolean.getBoolean("mci.bench.jfr")) {
            jvm.add("-XX:StartFlightRecording=filename=target/bench/server.jfr,settings=profile,dumponexit=true");
        }
        try (ScaleServer server = new ScaleServer(jvm.toArray(String[]::new))) {
            String postgres;
            long engagements;
            try (Connection db = server.database()) {
                postgres = single(db, "select version()").replaceAll(" on .*", "");
                engagements = prepare(server, db);
            }
            List<Operation> operations = new ArrayList<>();
            for (String tab : List.of("eligible", "ineligible", "complete")) {
                operations.add(customers(server, tab, false));
                operations.add(customers(server, tab, true));
            }
            try (Connection db = server.database(); Statement s = db.createStatement()) {
                // The first request built the partner's read model; measure it as autovacuum keeps it.
                s.execute("vacuum analyze known_customer_standing");
            }
            operations.add(checks(server));
            // Without this the operation measured first pays for the JIT compiling what all of them
            // share. Claims are left out: each takes a fresh slot, and the program has a fixed number.
            for (Operation operation : operations) {
                Load.run(16, Duration.ZERO, SERVER_WARM_UP, operation.http());
            }
            operations.add(claims(server, engagements));

            List<Measured> results = new ArrayList<>();
            Duration round = MEASURED.dividedBy(ROUNDS);
            for (Operation operation : operations) {
                for (int clients : CLIENTS) {
                    // HTTP and pgbench take turns, so that a machine that gets slower or faster
                    // during a measurement (other work on its cores) moves both sides of a ratio.
                    List<Load.Stats> httpRounds = new ArrayList<>();
                    List<Load.Stats> sqlRounds = new ArrayList<>();
                    for (int r = 0; r < ROUNDS; r++) {
                        Duration warmUp = r == 0 ? WARM_UP : ROUND_WARM_UP;
                        httpRounds.add(Load.run(clients, warmUp, round, operation.http()));
                        sqlRounds.add(Pgbench.run(server.postgresPort, operation.script(), clients, warmUp, round,
                                operation.variables()));
                    }
                    Load.Stats http = Load.Stats.combine(httpRounds);
                    Load.Stats sql = Load.Stats.combine(sqlRounds);
                    results.add(new Measured(operation, http, sql));
                    System.out.println(http.row(operation.name() + " HTTP") + "\n" + sql.row(operation.name() + " pgbench"));
                }
            }
            String invariants;
            try (Connection db = server.database()) {
                invariants = invariants(db);
                BenchmarkReport.replaceSection(PLANS, plans(db, operations));
            }
            long heap = server.maxHeapUsedMb();
            BenchmarkReport.replaceSection(SECTION, report(results, invariants, heap, BenchmarkReport.machine(postgres)));

            assertThat(results).allSatisfy(m -> assertThat(m.http().failures()).as(m.operation().name()).isZero());
            assertThat(invariants).isEqualTo("intact");
            assertThat(heap).isLessThanOrEqualTo(512);
        }
    }

    // ------------------------------------------------------------------ operations

    private Operation customers(ScaleServer server, String tab, boolean deep) throws Exception {
        String path = "/api/v1/engagements/" + ENGAGEMENT + "/customers?tab=" + tab;
        String cursor = null;
        int depth = 0;
        if (deep) {
            // Walk to the deep page once; the load then asks for it again and again.
            String next = cursor(server.get(USER, path).body());
            while (next != null && depth < DEEP_PAGE) {
                cursor = next;
                depth++;
                next = cursor(server.get(USER, path + "&cursor=" + next).body());
            }
        }
        String url = cursor == null ? path : path + "&cursor=" + cursor;
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("user", USER);
        variables.put("engagement", ENGAGEMENT);
        variables.put("deep", cursor == null ? "0" : "1");
        // pgbench refuses empty values: placeholders where the first page has no cursor.
        String[] decoded = cursor == null ? new String[] {"~", "0"} : decode(cursor);
        variables.put("after_value", decoded[0]);
        variables.put("after_id", decoded[1]);
        variables.put("after_key", decoded[1].startsWith("K") ? decoded[1].substring(1) : " "); // " " sorts before every key, as "" does
        String name = "customers " + tab + (deep ? " page " + (depth + 1) : " page 1");
        return new Operation(name, client -> server.connection(client).get(url, AUTHORIZATION).status() == 200,
                "customers-" + tab + ".sql",
                variables);
    }

    private static final Pattern NEXT = Pattern.compile("\"nextCursor\":\"([^\"]+)\"");

    private static String cursor(String body) {
        Matcher m = NEXT.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** A cursor's sort value and id, as {@code shared.Cursor} encodes them. */
    private static String[] decode(String cursor) {
        String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        int colon = raw.indexOf(':');
        int length = Integer.parseInt(raw.substring(0, colon));
        return new String[] {raw.substring(colon + 1, colon + 1 + length), raw.substring(colon + 1 + length)};
    }

    private Operation checks(ScaleServer server) throws Exception {
        List<String> domains = new ArrayList<>();
        try (Connection db = server.database(); Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("select domain from bench_domain order by n")) {
            while (rs.next()) {
                domains.add(rs.getString(1));
            }
        }
        Load.Request request = client -> {
            String domain = domains.get(ThreadLocalRandom.current().nextInt(domains.size()));
            KeepAliveConnection.Response response = server.connection(client).post("/api/v1/customer-checks",
                    AUTHORIZATION,
                    "{\"locationId\":\"" + LOCATION + "\",\"identifier\":{\"type\":\"DOMAIN\",\"value\":\"" + domain + "\"}}");
            return response.status() == 200 && response.body().contains("\"engagements\":[{");
        };
        String engagementIds;
        try (Connection db = server.database()) {
            engagementIds = single(db, "select '{' || string_agg(id, ',') || '}' from engagement");
        }
        return new Operation("customer-checks", request, "customer-checks.sql",
                Map.of("user", USER, "domains", Integer.toString(domains.size()), "engagement_ids", engagementIds));
    }

    private Operation claims(ScaleServer server, long engagements) throws Exception {
        List<String> engagementIds = new ArrayList<>();
        List<String[]> tenants = new ArrayList<>();
        try (Connection db = server.database(); Statement s = db.createStatement()) {
            try (ResultSet rs = s.executeQuery("select id from bench_engagement order by n")) {
                while (rs.next()) {
                    engagementIds.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery("select tenant_id, domain from bench_fresh order by n")) {
                while (rs.next()) {
                    tenants.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        Slots slots = new Slots(server);
        Load.Request request = client -> {
            long slot = slots.next();
            String engagement = engagementIds.get((int) (slot % engagements));
            String[] tenant = tenants.get((int) (slot / engagements));
            String body = """
                    {"origin":"ADD","friendlyName":"Benchmark %d","locationId":"%s",
                     "identifier":{"type":"TENANT_ID","value":"%s"},"engagementIds":["%s"],
                     "customerContact":{"name":"Bench Customer","email":"it@%s","language":"en"},
                     "partnerContact":{"name":"Anna de Vries","email":"anna.devries@contoso-consulting.example"}}"""
                    .formatted(slot, LOCATION, tenant[0], engagement, tenant[1]);
            return server.connection(client).post("/api/v1/claims", AUTHORIZATION, body).status() == 201;
        };
        return new Operation("POST claims", request, "claims.sql",
                Map.of("user", USER, "engagements", Long.toString(engagements)));
    }

    /** Slots taken from {@code bench_slot} in blocks, so the driver does not ask the database per request. */
    private static final class Slots {
        private final ScaleServer server;
        private final AtomicLong next = new AtomicLong();
        private long end;

        Slots(ScaleServer server) {
            this.server = server;
        }

        synchronized long next() throws SQLException {
            if (next.get() >= end) {
                try (Connection db = server.database()) {
                    long start = Long.parseLong(single(db, "select nextval('bench_slot')"));
                    single(db, "select setval('bench_slot', " + (start + 999) + ")");
                    next.set(start);
                    end = start + 1000;
                }
            }
            long slot = next.getAndIncrement();
            if (slot >= capacity) {
                throw new IllegalStateException("No fresh (engagement, tenant) slots left: generate the program again");
            }
            return slot;
        }

        static long capacity = Long.MAX_VALUE;
    }

    // ------------------------------------------------------------------ data the scripts and the driver share

    /**
     * Tables the driver and the pgbench scripts draw parameters from (never read by the service):
     * {@code bench_domain}, verified domains of tenants to check; {@code bench_fresh}, tenants with no
     * claim that meet every criterion; {@code bench_engagement}, the engagements anna may nominate
     * them for at her Amsterdam location. Returns how many engagements there are.
     */
    private static long prepare(ScaleServer server, Connection db) throws Exception {
        try (Statement s = db.createStatement()) {
            s.execute("""
                    create table if not exists bench_domain as
                    select row_number() over (order by domain) - 1 as n, domain
                    from (select domain from directory_domain order by md5(domain) limit 50000) d""");
            s.execute("""
                    create table if not exists bench_fresh as
                    select row_number() over (order by d.customer_key) - 1 as n, substr(d.customer_key, 8) as tenant_id,
                           (select min(domain) from directory_domain m where m.tenant_id = substr(d.customer_key, 8)::uuid) as domain
                    from directory_customer d
                    where d.customer_key like 'TENANT:%' and (d.attributes->>'azureMonthlyConsumptionUsd')::numeric >= 20000
                      and not exists (select 1 from claim c where c.engagement_id in (select id from engagement)
                                      and c.customer_key = d.customer_key)""");
            s.execute("create sequence if not exists bench_slot minvalue 0 start 0");
            s.execute("create unique index if not exists bench_domain_n on bench_domain (n)");
            s.execute("create unique index if not exists bench_fresh_n on bench_fresh (n)");
        }
        // Kept across runs: slots already taken keep meaning the same (engagement, tenant).
        if (Long.parseLong(single(db, "select count(*) from information_schema.tables where table_name = 'bench_engagement'")) == 0) {
            // The last fresh tenant: slots are taken from the first, so it has no claim yet.
            String tenant = single(db, "select tenant_id from bench_fresh order by n desc limit 1");
            String answer = server.post(USER, "/api/v1/customer-checks", "{\"locationId\":\"" + LOCATION
                    + "\",\"identifier\":{\"type\":\"TENANT_ID\",\"value\":\"" + tenant + "\"}}").body();
            Matcher eligible = Pattern.compile("\"engagementId\":\"([^\"]+)\",\"name\":\"[^\"]*\",\"paymentModel\":\"FIXED\","
                    + "\"eligible\":true").matcher(answer);
            List<String> ids = new ArrayList<>();
            while (eligible.find()) {
                ids.add(eligible.group(1));
            }
            assertThat(ids).as("engagements a fresh tenant is eligible for").isNotEmpty();
            try (Statement s = db.createStatement()) {
                s.execute("create table bench_engagement (n int primary key, id text not null)");
                for (int i = 0; i < ids.size(); i++) {
                    s.execute("insert into bench_engagement values (" + i + ", '" + ids.get(i) + "')");
                }
            }
        }
        long engagements = Long.parseLong(single(db, "select count(*) from bench_engagement"));
        long fresh = Long.parseLong(single(db, "select count(*) from bench_fresh"));
        Slots.capacity = fresh * engagements;
        return engagements;
    }

    private static String single(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The claim invariants, checked over the whole program after the load. */
    private static String invariants(Connection db) throws SQLException {
        String active = "('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', "
                + "'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')";
        String held = "('CONSENT_RECEIVED', 'SUBMITTED', 'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', "
                + "'APPROVED')";
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("two active claims of one partner", "select count(*) from (select 1 from claim where status in "
                + active + " group by engagement_id, customer_key, partner_id having count(*) > 1) x");
        checks.put("two consent holders", "select count(*) from (select 1 from claim where status in " + held
                + " group by engagement_id, customer_key having count(*) > 1) x");
        checks.put("active-claim limit exceeded", "select count(*) from (select 1 from claim c join engagement e on"
                + " e.id = c.engagement_id where c.status in " + active
                + " group by c.engagement_id, c.customer_key having count(*) > max(e.max_active_claims)) x");
        checks.put("claims without history", "select count(*) from claim c where not exists"
                + " (select 1 from claim_history h where h.claim_id = c.id)");
        List<String> broken = new ArrayList<>();
        for (Map.Entry<String, String> check : checks.entrySet()) {
            if (!single(db, check.getValue()).equals("0")) {
                broken.add(check.getKey());
            }
        }
        return broken.isEmpty() ? "intact" : String.join(", ", broken);
    }

    // ------------------------------------------------------------------ plans

    private static final Pattern VARIABLE = Pattern.compile("(?<!:):([a-z_]+)");

    /**
     * {@code EXPLAIN (ANALYZE, BUFFERS)} of the statements each operation's script runs for the
     * server's work (the parts the page, the check and the nomination spend their time in), with the
     * run's parameters, and of one deadline job batch.
     */
    private static String plans(Connection db, List<Operation> operations) throws Exception {
        StringBuilder md = new StringBuilder("Written by `HttpLoadBenchmark` after its load, on the same database.\n");
        for (Operation operation : operations) {
            if (!operation.name().startsWith("customers")) {
                continue;
            }
            List<String> lines = java.nio.file.Files.readAllLines(Pgbench.SCRIPTS.resolve(operation.script()));
            boolean deep = "1".equals(operation.variables().get("deep"));
            String branch = null;
            for (String line : lines) {
                if (line.startsWith("\\if")) {
                    branch = "if";
                } else if (line.startsWith("\\else")) {
                    branch = "else";
                } else if (line.startsWith("\\endif")) {
                    branch = null;
                } else if ((line.startsWith("with counts") || line.startsWith("select id, engagement_id"))
                        && (branch == null || branch.equals(deep ? "if" : "else"))) {
                    md.append("\n").append(operation.name()).append(":\n\n```\n")
                            .append(explain(db, substitute(line, operation.variables()))).append("```\n");
                }
            }
        }
        md.append("\nDeadline job, one batch of due pre-consent claims:\n\n```\n").append(explain(db, """
                select c.id, c.consent_due_at, null from claim c where c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')
                and c.consent_due_at <= now() order by c.consent_due_at, c.id limit 500 for update skip locked"""))
                .append("```\n");
        return md.toString();
    }

    private static String substitute(String sql, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(sql.replaceAll(";\\s*$", ""));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : "'" + value.replace("'", "''") + "'"));
        }
        return m.appendTail(out).toString();
    }

    private static String explain(Connection db, String sql) throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("explain (analyze, buffers) " + sql)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    // ------------------------------------------------------------------ report

    private static String report(List<Measured> results, String invariants, long heapMb, String machine) {
        StringBuilder md = new StringBuilder();
        md.append("Command: `mvn -B -o test -Dtest=HttpLoadBenchmark -Dsurefire.failIfNoSpecifiedTests=false`")
                .append(" (options: `-Dmci.bench.seconds=").append(MEASURED.toSeconds()).append("`, `-Dmci.bench.rounds=")
                .append(ROUNDS).append("`, `-Dmci.bench.jfr=true` for a flight recording of the server")
                .append(" in `target/bench/server.jfr`).\n\n");
        md.append("Machine: ").append(machine).append(". Program: ").append(String.format(Locale.ROOT, "%,d", ScaleServer.SCALE))
                .append(" claims (`mci.demo.scale`); server `-Xmx512m`, user `").append(USER).append("` (Contoso), engagement `")
                .append(ENGAGEMENT).append("`; each figure ").append(MEASURED.toSeconds()).append(" s after ")
                .append(WARM_UP.toSeconds()).append(" s of warm-up, closed loop, each client on one kept HTTP/1.1 connection, after ").append(SERVER_WARM_UP.toSeconds())
                .append(" s of 16 clients on each read operation to warm the server; the measured time in ").append(ROUNDS)
                .append(" turns, HTTP and pgbench alternating (").append(ROUND_WARM_UP.toSeconds())
                .append(" s of warm-up before each later turn). pgbench runs the same statements")
                .append(" (`bench/pgbench/`) against the same database in the same run; ratio = HTTP req/s ÷ pgbench tx/s.\n\n");
        md.append("| operation | clients | HTTP req/s | p50 ms | p95 ms | p99 ms | pgbench tx/s | pgbench p99 ms | ratio |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Measured m : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.1f | %.0f | %.1f | %.2f |%n",
                    m.operation().name(), m.http().clients(), m.http().throughput(), m.http().p50(), m.http().p95(),
                    m.http().p99(), m.pgbench().throughput(), m.pgbench().p99(), m.ratio()));
        }
        md.append("\nServer heap used, highest sample (every 250 ms): ").append(heapMb).append(" MB of 512 MB. ")
                .append("Claim invariants after the load: ").append(invariants).append(".\n\n");
        md.append("Targets:\n\n| target | measured | met |\n|---|---|---|\n");
        double customersP99 = results.stream().filter(m -> m.operation().name().startsWith("customers")
                && m.http().clients() == 1).mapToDouble(m -> m.http().p99()).max().orElse(0);
        double customersRatio = results.stream().filter(m -> m.operation().name().startsWith("customers")
                && m.http().clients() == 16).mapToDouble(Measured::ratio).min().orElse(0);
        double checksP99 = results.stream().filter(m -> m.operation().name().equals("customer-checks")
                && m.http().clients() == 1).mapToDouble(m -> m.http().p99()).max().orElse(0);
        double claimsRatio = results.stream().filter(m -> m.operation().name().equals("POST claims")
                && m.http().clients() == 16).mapToDouble(Measured::ratio).min().orElse(0);
        target(md, "Customers page API p99 at 1 client, any tab and depth ≤ 50 ms", ms(customersP99) + " (worst)",
                customersP99 <= 50);
        target(md, "Customers page API at 16 clients ≥ 50% of pgbench", pct(customersRatio) + " (worst)",
                customersRatio >= 0.5);
        target(md, "customer-checks p99 at 1 client ≤ 25 ms", ms(checksP99), checksP99 <= 25);
        target(md, "POST claims at 16 clients ≥ 50% of pgbench, invariants intact", pct(claimsRatio) + ", " + invariants,
                claimsRatio >= 0.5 && invariants.equals("intact"));
        target(md, "server heap ≤ 512 MB throughout", heapMb + " MB", heapMb <= 512);
        return md.toString();
    }

    private static String ms(double millis) {
        return String.format(Locale.ROOT, "%.1f ms", millis);
    }

    private static String pct(double ratio) {
        return String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static void target(StringBuilder md, String target, String measured, boolean met) {
        md.append("| ").append(target).append(" | ").append(measured).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }
}
