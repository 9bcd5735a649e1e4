package org.mciengagements.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.mciengagements.support.Multipart;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Directory imports through the API as operators use them: the upload answered at once, the
 * import running in the background with visible progress, its report, and what may go wrong on
 * the way (a bad request, a killed database session, a server that died, a second import).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mci.test.isolated-context=directory-import-api", "mci.jobs.deadlines.initial-delay=1h",
        "mci.directory.import.progress-interval=100ms", "mci.directory.import.reaper-interval=200ms",
        "mci.directory.import.max-file-size=48MB"})
@DirtiesContext
class DirectoryImportApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String IMPORTS = "/api/v1/admin/directory/imports";
    static final String NORTHWIND = "321591da-f721-58aa-807d-39fa4f917473";

    @LocalServerPort int port;
    @Autowired JdbcClient jdbc;
    @Autowired DataSource dataSource;
    @Autowired CustomerDirectory directory;
    @Autowired AuditTrail audit;
    @Autowired ProgramClock clock;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    @Test
    void anUploadIsAcceptedAtOnceAndItsReportNamesEachBadRowWhileTheGoodOnesLoad() {
        HttpResponse<String> response = http.send("oscar", new Multipart().field("kind", "TENANTS")
                .file("file", "tenants-november.csv", "text/csv", """
                        tenant_id,name,country,domains,attr:paidSeats
                        aaaaaaaa-1111-4111-8111-000000000001,Good One,NL,good-one.example,10
                        not-a-guid,Bad One,NL,,5
                        aaaaaaaa-1111-4111-8111-000000000003,,Netherlands,,
                        aaaaaaaa-1111-4111-8111-000000000004,Good Two,de,=cmd.example,7
                        aaaaaaaa-1111-4111-8111-000000000005,Short Row
                        aaaaaaaa-1111-4111-8111-000000000006,Good Three,TR,,
                        """.getBytes(StandardCharsets.UTF_8)).post(http, IMPORTS));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(response.body());
        long id = accepted.get("id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue(IMPORTS + "/" + id);
        assertThat(accepted.get("kind").asString()).isEqualTo("TENANTS");
        assertThat(accepted.get("fileName").asString()).isEqualTo("tenants-november.csv");
        assertThat(accepted.get("startedBy").asString()).isEqualTo("oscar");

        JsonNode done = awaitFinished(id);
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("progressPercent").asInt()).isEqualTo(100);
        assertThat(done.get("rowsRead").asLong()).isEqualTo(6);
        assertThat(done.get("rowsImported").asLong()).isEqualTo(2);
        assertThat(done.get("rowsRejected").asLong()).isEqualTo(4);
        assertThat(done.get("problemCount").asLong()).isEqualTo(5);

        // Keyset pages of two, in file order, until there is no next cursor.
        List<String> problems = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = JSON.readTree(http.get("oscar", IMPORTS + "/" + id + "/problems?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).body());
            page.get("items").forEach(p -> problems.add(p.get("row").asInt() + " " + p.get("column").asString() + " "
                    + p.get("code").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(problems).containsExactly("3 tenant_id INVALID_IDENTIFIER", "4 name REQUIRED",
                "4 country INVALID_COUNTRY", "5 domains INVALID_IDENTIFIER", "6  MALFORMED_ROW");

        HttpResponse<String> csv = http.get("oscar", IMPORTS + "/" + id + "/problems.csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(csv.headers().firstValue("Content-Disposition").orElseThrow()).contains("attachment");
        assertThat(csv.body()).isEqualTo("""
                row,column,code,reason\r
                3,tenant_id,INVALID_IDENTIFIER,tenant_id is not a valid TENANT_ID: not-a-guid\r
                4,name,REQUIRED,name is required\r
                4,country,INVALID_COUNTRY,country must be a two-letter ISO code: Netherlands\r
                5,domains,INVALID_IDENTIFIER,domains is not a valid DOMAIN: =cmd.example\r
                6,,MALFORMED_ROW,expected 5 fields but found 2\r
                """);

        assertThat(directory.find(CustomerKey.tenant("aaaaaaaa-1111-4111-8111-000000000001"))).isPresent();
        assertThat(directory.find(CustomerKey.tenant("aaaaaaaa-1111-4111-8111-000000000006")).orElseThrow().country())
                .isEqualTo("TR");
        for (String bad : List.of("3", "4", "5")) {
            assertThat(directory.find(CustomerKey.tenant("aaaaaaaa-1111-4111-8111-00000000000" + bad))).as(bad).isEmpty();
        }
        var events = audit.of(AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(id), 10);
        assertThat(events).extracting(AuditTrail.Event::action).containsExactly("FINISHED", "STARTED");
        assertThat(events).extracting(AuditTrail.Event::actor).containsOnly("oscar");
        assertThat(events.getFirst().detail()).containsEntry("status", "SUCCEEDED").containsEntry("kind", "TENANTS")
                .containsEntry("file", "tenants-november.csv").containsEntry("rowsImported", 2)
                .containsEntry("rowsRejected", 4).containsEntry("problemCount", 5);
        assertThat(events.getLast().detail()).containsEntry("status", "QUEUED");
    }

    @Test
    void aRawCsvBodyImportsLikeAFormUploadUnderTheFileNameGiven() {
        HttpResponse<String> response = http.send("oscar", HttpRequest.newBuilder(
                        http.uri(IMPORTS + "?kind=tpids&fileName=exports%2Fnovember%2Ftpids-2026.csv"))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString("tpid,name,segment,country\n0099887766,Raw Body Group,SMB,be\n")));

        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode done = awaitFinished(JSON.readTree(response.body()).get("id").asLong());
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("kind").asString()).isEqualTo("TPIDS");
        assertThat(done.get("fileName").asString()).isEqualTo("tpids-2026.csv");
        assertThat(directory.find(new CustomerKey(CustomerKey.Kind.TPID, "99887766")).orElseThrow().country())
                .isEqualTo("BE");
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstImportAndStartsNothing() {
        String csv = "tpid,name,segment,country\n4455,Retry Group,SMB,NL\n";
        long before = imports();
        HttpResponse<String> first = rawPost("oscar", "TPIDS", csv, "retry-key-1");
        HttpResponse<String> second = rawPost("oscar", "TPIDS", csv, "retry-key-1");

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(second.body()).get("id").asLong()).isEqualTo(JSON.readTree(first.body()).get("id").asLong());
        assertThat(second.headers().firstValue("Location")).isEqualTo(first.headers().firstValue("Location"));
        assertThat(imports()).isEqualTo(before + 1);

        HttpResponse<String> otherFile = rawPost("oscar", "TPIDS", csv + "4456,Other,SMB,NL\n", "retry-key-1");
        assertThat(otherFile.statusCode()).isEqualTo(422);
        assertThat(otherFile.body()).contains("\"code\":\"IDEMPOTENCY_KEY_REUSED\"");
        assertThat(imports()).isEqualTo(before + 1);
    }

    @Test
    void badRequestsAreRefusedFieldByFieldAndCreateNothing() {
        long before = imports();

        HttpResponse<String> noFile = http.send("oscar", new Multipart().field("kind", "TENANTS").post(http, IMPORTS));
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(fieldErrors(noFile)).containsExactly("file REQUIRED");

        HttpResponse<String> unknownKind = http.send("oscar", new Multipart().field("kind", "CUSTOMERS")
                .file("file", "x.csv", "text/csv", "a\n1\n".getBytes(StandardCharsets.UTF_8)).post(http, IMPORTS));
        assertThat(unknownKind.statusCode()).isEqualTo(400);
        assertThat(fieldErrors(unknownKind)).containsExactly("kind INVALID_VALUE");

        HttpResponse<String> empty = http.send("oscar", new Multipart().field("kind", "TPIDS")
                .file("file", "x.csv", "text/csv", new byte[0]).post(http, IMPORTS));
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(fieldErrors(empty)).containsExactly("file EMPTY_FILE");

        HttpResponse<String> nothing = http.send("oscar", new Multipart().field("other", "x").post(http, IMPORTS));
        assertThat(fieldErrors(nothing)).containsExactly("kind REQUIRED", "file REQUIRED");

        HttpResponse<String> emptyBody = rawPost("oscar", "TPIDS", "", null);
        assertThat(emptyBody.statusCode()).isEqualTo(400);
        assertThat(fieldErrors(emptyBody)).containsExactly("file EMPTY_FILE");

        assertThat(http.get("oscar", IMPORTS + "/999999").statusCode()).isEqualTo(404);
        assertThat(http.get("oscar", IMPORTS + "/999999").body()).contains("\"code\":\"IMPORT_NOT_FOUND\"");
        assertThat(imports()).isEqualTo(before);
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWithoutAnImport() throws IOException {
        long before = imports();
        Path big = Files.createTempFile("too-big-", ".csv");
        try {
            byte[] line = "0012345,Name,SMB,NL\n".getBytes(StandardCharsets.UTF_8);
            try (var out = Files.newOutputStream(big)) {
                out.write("tpid,name,segment,country\n".getBytes(StandardCharsets.UTF_8));
                for (long written = 0; written <= 48L * 1024 * 1024; written += line.length) {
                    out.write(line);
                }
            }
            HttpResponse<String> response = http.send("oscar", HttpRequest.newBuilder(http.uri(IMPORTS + "?kind=TPIDS"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(big)));

            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(fieldErrors(response)).containsExactly("file FILE_TOO_LARGE");
            assertThat(imports()).isEqualTo(before);
        } finally {
            Files.delete(big);
        }
    }

    @Test
    void anImportKilledMidwayLeavesTheDirectoryExactlyAsItWasAndIsFailed() throws Exception {
        String before = directoryFingerprint();
        Path file = tenantsFile(300_000);
        long id;
        try {
            HttpResponse<String> response = http.send("oscar", HttpRequest.newBuilder(
                            http.uri(IMPORTS + "?kind=TENANTS&fileName=big-tenants.csv"))
                    .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofFile(file)));
            assertThat(response.statusCode()).isEqualTo(202);
            id = JSON.readTree(response.body()).get("id").asLong();
        } finally {
            Files.delete(file);
        }

        // Progress is visible while the import's own transaction is still open.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode now = JSON.readTree(http.get("oscar", IMPORTS + "/" + id).body());
            return now.get("status").asString().equals("RUNNING") && now.get("rowsRead").asLong() > 0;
        });
        int killed = jdbc.sql("""
                        select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
                                              where application_name = ?) killed""")
                .param("mci-directory-import-" + id).query(Integer.class).single();
        assertThat(killed).isEqualTo(1);

        JsonNode failed = awaitFinished(id);
        assertThat(failed.get("status").asString()).isEqualTo("FAILED");
        assertThat(failed.get("error").asString()).contains("nothing was applied");
        assertThat(directoryFingerprint()).isEqualTo(before);
        assertThat(jdbc.sql("select count(*) from directory_import_problem where import_id = ?").param(id)
                .query(Long.class).single()).isZero();
        assertThat(audit.of(AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(id), 10).getFirst().detail())
                .containsEntry("status", "FAILED");
    }

    @Test
    void anImportWhoseServerStoppedBeatingIsMarkedFailedByTheNextCheck() {
        var now = clock.instant();
        long stale = insertUnfinished("RUNNING", now.minus(Duration.ofMinutes(10)));
        long alive = insertUnfinished("RUNNING", now.plus(Duration.ofHours(1)));

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(stale).equals("FAILED"));

        JsonNode failed = JSON.readTree(http.get("oscar", IMPORTS + "/" + stale).body());
        assertThat(failed.get("error").asString()).isEqualTo("interrupted; nothing was applied");
        assertThat(failed.get("finishedAt").isNull()).isFalse();
        assertThat(status(alive)).as("its heartbeat is recent").isEqualTo("RUNNING");
        var finished = audit.of(AuditTrail.Subject.DIRECTORY_IMPORT, String.valueOf(stale), 10);
        assertThat(finished).singleElement().satisfies(e -> {
            assertThat(e.action()).isEqualTo("FINISHED");
            assertThat(e.actor()).isEqualTo("system");
            assertThat(e.detail()).containsEntry("status", "FAILED");
        });
        jdbc.sql("update directory_import set status = 'FAILED', error = 'test', finished_at = now() where id = ?")
                .param(alive).update();
    }

    @Test
    void importsOnAnyServerTakeTurns() throws Exception {
        HttpResponse<String> response;
        long id;
        // Another server's import holds the directory lock: this one waits, still QUEUED, applying nothing.
        try (Connection other = dataSource.getConnection(); Statement statement = other.createStatement()) {
            statement.execute("select pg_advisory_lock(" + DirectoryImport.LOCK + ")");
            response = rawPost("oscar", "TPIDS", "tpid,name,segment,country\n5566,Turn Taker,SMB,NL\n", null);
            id = JSON.readTree(response.body()).get("id").asLong();
            String name = "mci-directory-import-" + id;
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() ->
                    jdbc.sql("""
                                    select count(*) from pg_stat_activity
                                    where application_name = ? and wait_event_type = 'Lock' and wait_event = 'advisory'""")
                            .param(name).query(Integer.class).single() == 1);
            assertThat(status(id)).isEqualTo("QUEUED");
            assertThat(directory.find(new CustomerKey(CustomerKey.Kind.TPID, "5566"))).isEmpty();
            statement.execute("select pg_advisory_unlock(" + DirectoryImport.LOCK + ")");
        }
        assertThat(awaitFinished(id).get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(directory.find(new CustomerKey(CustomerKey.Kind.TPID, "5566"))).isPresent();
    }

    @Test
    void theListShowsTheNewestImportFirstAndPages() {
        long first = JSON.readTree(rawPost("oscar", "TPIDS", "tpid,name,segment,country\n6601,A,SMB,NL\n", null).body())
                .get("id").asLong();
        long second = JSON.readTree(rawPost("oscar", "TPIDS", "tpid,name,segment,country\n6602,B,SMB,NL\n", null).body())
                .get("id").asLong();
        awaitFinished(first);
        awaitFinished(second);

        JsonNode page = JSON.readTree(http.get("oscar", IMPORTS + "?limit=1").body());
        assertThat(page.get("items").get(0).get("id").asLong()).isEqualTo(second);
        JsonNode next = JSON.readTree(http.get("oscar", IMPORTS + "?limit=1&cursor="
                + page.get("nextCursor").asString()).body());
        assertThat(next.get("items").get(0).get("id").asLong()).isEqualTo(first);
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> rawPost(String user, String kind, String csv, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(IMPORTS + "?kind=" + kind))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(user, request);
    }

    private JsonNode awaitFinished(long id) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() ->
                List.of("SUCCEEDED", "FAILED").contains(status(id)));
        return JSON.readTree(http.get("oscar", IMPORTS + "/" + id).body());
    }

    private String status(long id) {
        return jdbc.sql("select status from directory_import where id = ?").param(id).query(String.class).single();
    }

    private long imports() {
        return jdbc.sql("select count(*) from directory_import").query(Long.class).single();
    }

    private long insertUnfinished(String status, java.time.Instant heartbeat) {
        return jdbc.sql("""
                        insert into directory_import (kind, file_name, size_bytes, status, started_by, created_at,
                            started_at, heartbeat_at)
                        values ('TENANTS', 'lost.csv', 10, ?, 'oscar', ?, ?, ?) returning id""")
                .params(status, Timestamp.from(heartbeat), Timestamp.from(heartbeat), Timestamp.from(heartbeat))
                .query(Long.class).single();
    }

    private List<String> fieldErrors(HttpResponse<String> response) {
        List<String> errors = new ArrayList<>();
        JSON.readTree(response.body()).get("errors").forEach(e -> errors.add(e.get("field").asString() + " "
                + e.get("code").asString()));
        return errors;
    }

    /** Every directory row and verified domain, as text: equal fingerprints mean byte-for-byte equal tables. */
    private String directoryFingerprint() {
        return jdbc.sql("""
                select (select count(*) || ':' || md5(coalesce(string_agg(c::text, '|' order by c.customer_key), ''))
                        from directory_customer c)
                    || '/' || (select count(*) || ':' || md5(coalesce(string_agg(d::text, '|' order by d.domain), ''))
                        from directory_domain d)""").query(String.class).single();
    }

    /** Tenants that rename a demo tenant first, then many new ones with domains and attributes. */
    private static Path tenantsFile(int rows) throws IOException {
        Path file = Files.createTempFile("tenants-", ".csv");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("tenant_id,name,country,tpid,domains,attr:paidSeats,attr:industry\n");
            out.write(NORTHWIND + ",Northwind Overwritten,BE,,overwritten.example,1,Nothing\n");
            for (int i = 1; i < rows; i++) {
                UUID id = new UUID(0x7e57_0000_0000_4000L, 0x8000_0000_0000_0000L | i);
                out.write(id + ",Generated " + i + ",NL," + (2_000_000 + i) + ",g" + i + ".example g" + i
                        + "-alt.example," + (i % 900) + ",Industry " + (i % 13) + "\n");
            }
        }
        return file;
    }
}
