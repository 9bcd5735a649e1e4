package org.mciengagements.claim.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.claim.ProofFiles;
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
 * The partner's submission, dispute and cancellation through the API: uploads are judged by their
 * content and limits, the execution date by the calendar and the consent, the verbs by the claim's
 * status and deadlines; a refused request stores nothing and changes nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=claim-submissions", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ClaimSubmissionApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger KEYS = new AtomicInteger();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    Http http;
    LocalDate today;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Test
    void aRenamedExecutableIsRefusedByItsContentAndNothingIsStored() {
        long claim = claimIn("CONSENT_RECEIVED");
        HttpResponse<String> response = assertRefused(claim, () -> submit(claim, new Multipart().field("executionDate", today.toString())
                .file("files", "proof.pdf", "application/pdf", ProofFiles.executable())), 400, Map.of("files[0]", "UNSUPPORTED_FILE_TYPE"));
        assertThat(response.body()).contains("proof.pdf is not a PDF, PNG, JPEG, DOCX or XLSX file");
    }

    @Test
    void oneBadFileAmongGoodOnesRefusesTheWholeSubmission() {
        long claim = claimIn("CONSENT_RECEIVED");
        HttpResponse<String> response = assertRefused(claim, () -> submit(claim, new Multipart().field("executionDate", today.toString())
                .file("files", "report.pdf", "application/pdf", ProofFiles.pdf())
                .file("files", "photo.png", "image/png", ProofFiles.png())
                .file("files", "notes.docx", "application/octet-stream", "not really a document".getBytes())), 400, Map.of("files[2]", "UNSUPPORTED_FILE_TYPE"));
    }

    @Test
    void aFileOverTenMegabytesIsRefusedNamingTheFile() {
        long claim = claimIn("CONSENT_RECEIVED");
        byte[] big = Arrays.copyOf(ProofFiles.pdf(), 10 * 1024 * 1024 + 1);
        HttpResponse<String> response = assertRefused(claim, () -> submit(claim, new Multipart().field("executionDate", today.toString())
                .file("files", "scan.pdf", "application/pdf", big)), 400, Map.of("files[0]", "FILE_TOO_LARGE"));
        assertThat(response.body()).contains("scan.pdf is 10.0 MB; each file may be at most 10 MB.");
        // Exactly at the limit is fine.
        HttpResponse<String> atLimit = submit(claim, new Multipart().field("executionDate", today.toString())
                .file("files", "scan.pdf", "application/pdf", Arrays.copyOf(ProofFiles.pdf(), 10 * 1024 * 1024)));
        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(201);
    }

    @Test
    void moreThanTenFilesAreRefused() {
        long claim = claimIn("CONSENT_RECEIVED");
        Multipart eleven = new Multipart().field("executionDate", today.toString());
        for (int i = 0; i < 11; i++) {
            eleven.file("files", "page" + i + ".png", "image/png", ProofFiles.png());
        }
        assertRefused(claim, () -> submit(claim, eleven), 400, Map.of("files", "TOO_MANY_FILES"));
    }

    @Test
    void theExecutionDateMustBeGivenValidNotInTheFutureAndNotBeforeConsent() {
        long claim = claimIn("CONSENT_RECEIVED");
        assertRefused(claim, () -> submit(claim, proof(null)), 400, Map.of("executionDate", "REQUIRED"));
        assertRefused(claim, () -> submit(claim, proof("31/12/2026")), 400, Map.of("executionDate", "INVALID_DATE"));
        assertRefused(claim, () -> submit(claim, proof(today.plusDays(1).toString())), 400, Map.of("executionDate", "IN_FUTURE"));
        assertRefused(claim, () -> submit(claim, proof(today.minusDays(11).toString())), 400,
                Map.of("executionDate", "BEFORE_CONSENT"));
        assertRefused(claim, () -> submit(claim, new Multipart().field("executionDate", today.toString())), 400,
                Map.of("files", "REQUIRED"));
        assertThat(submit(claim, proof(today.minusDays(10).toString())).statusCode()).as("the day of consent").isEqualTo(201);
    }

    @Test
    void eachAcceptedTypeIsStoredAsWhatItsContentIsWhateverItsName() {
        long claim = claimIn("CONSENT_RECEIVED");
        HttpResponse<String> response = submit(claim, new Multipart().field("executionDate", today.toString())
                .field("comments", "All proof")
                .file("files", "photo.jpg", "image/jpeg", ProofFiles.xlsx())
                .file("files", "scan", "application/octet-stream", ProofFiles.jpeg())
                .file("files", "../../etc/slides.png", "image/png", ProofFiles.png()));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonNode documents = JSON.readTree(response.body()).get("submissions").get(0).get("documents");
        assertThat(documents.valueStream().map(d -> d.get("fileName").asString() + "=" + d.get("contentType").asString()))
                .containsExactly("photo.jpg=application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        "scan=image/jpeg", "slides.png=image/png");
        assertThat(JSON.readTree(response.body()).get("executionDate").asString()).isEqualTo(today.toString());
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheFirstResultAndStoresOnce() {
        long claim = claimIn("CONSENT_RECEIVED");
        String key = "submit-" + KEYS.incrementAndGet();
        HttpResponse<String> first = http.send("anna", proof(today.toString()).post(http, path(claim, "submissions"))
                .header("Idempotency-Key", key));
        HttpResponse<String> retry = http.send("anna", proof(today.toString()).post(http, path(claim, "submissions"))
                .header("Idempotency-Key", key));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo(first.body());
        assertThat(count("claim_submission", claim)).isEqualTo(1);
        HttpResponse<String> other = http.send("anna", new Multipart().field("executionDate", today.toString())
                .file("files", "other.png", "image/png", ProofFiles.png()).post(http, path(claim, "submissions"))
                .header("Idempotency-Key", key));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.body()).contains("IDEMPOTENCY_KEY_REUSED");
        HttpResponse<String> withoutKey = submit(claim, proof(today.toString()));
        assertThat(withoutKey.statusCode()).as("already submitted").isEqualTo(409);
        assertThat(count("claim_submission", claim)).isEqualTo(1);
    }

    @Test
    void aSubmissionAfterItsDeadlineIsRefused() {
        long claim = claimIn("CONSENT_RECEIVED");
        jdbc.sql("update claim set first_submission_due_at = now() - interval '1 minute' where id = ?").param(claim).update();
        HttpResponse<String> late = assertRefused(claim, () -> submit(claim, proof(today.toString())), 409, Map.of());
        assertThat(late.body()).contains("SUBMISSION_DEADLINE_PASSED");
    }

    @Test
    void cancelingNeedsAReasonAndIsPossibleOnlyBeforeTheFirstSubmission() {
        long claim = claimIn("CONSENT_RECEIVED");
        assertRefused(claim, () -> http.postJson("anna", path(claim, "cancellation"), "{\"reason\":\"  \"}"), 400,
                Map.of("reason", "REQUIRED"));
        HttpResponse<String> canceled = http.postJson("anna", path(claim, "cancellation"),
                "{\"reason\":\"The customer postponed the workshop.\"}");
        assertThat(canceled.statusCode()).as(canceled.body()).isEqualTo(200);
        JsonNode view = JSON.readTree(canceled.body());
        assertThat(view.get("status").asString()).isEqualTo("CANCELED");
        assertThat(view.get("statusReason").asString()).isEqualTo("The customer postponed the workshop.");

        long submitted = claimIn("SUBMITTED");
        HttpResponse<String> tooLate = assertRefused(submitted, () -> http.postJson("anna", path(submitted, "cancellation"), "{\"reason\":\"Changed our mind\"}"), 409, Map.of());
        assertThat(tooLate.body()).contains("INVALID_STATUS");
    }

    @Test
    void aRejectionIsDisputedOnceWithAReasonInsideItsWindow() {
        long claim = claimIn("REJECTED");
        assertRefused(claim, () -> dispute(claim, new Multipart().field("reason", "")), 400, Map.of("reason", "REQUIRED"));
        assertRefused(claim, () -> dispute(claim, new Multipart().field("reason", "See attachment")
                .file("files", "proof.pdf", "application/pdf", ProofFiles.executable())), 400,
                Map.of("files[0]", "UNSUPPORTED_FILE_TYPE"));
        HttpResponse<String> disputed = dispute(claim, new Multipart().field("reason", "See the signed report")
                .file("files", "signed.pdf", "application/pdf", ProofFiles.pdf()));
        assertThat(disputed.statusCode()).as(disputed.body()).isEqualTo(201);
        assertThat(JSON.readTree(disputed.body()).get("submissions").get(0).get("kind").asString()).isEqualTo("DISPUTE");
        assertRefused(claim, () -> dispute(claim, new Multipart().field("reason", "Again")), 409, Map.of());

        long late = claimIn("REJECTED");
        jdbc.sql("update claim set dispute_due_at = now() - interval '1 minute' where id = ?").param(late).update();
        HttpResponse<String> closed = assertRefused(late, () -> dispute(late, new Multipart().field("reason", "Too late?")), 409, Map.of());
        assertThat(closed.body()).contains("DISPUTE_DEADLINE_PASSED");
    }

    // ------------------------------------------------------------------ helpers

    private Multipart proof(String executionDate) {
        Multipart form = new Multipart();
        if (executionDate != null) {
            form.field("executionDate", executionDate);
        }
        return form.file("files", "report.pdf", "application/pdf", ProofFiles.pdf());
    }

    private HttpResponse<String> submit(long claim, Multipart form) {
        return http.send("anna", form.post(http, path(claim, "submissions")));
    }

    private HttpResponse<String> dispute(long claim, Multipart form) {
        return http.send("anna", form.post(http, path(claim, "disputes")));
    }

    private static String path(long claim, String action) {
        return "/api/v1/claims/" + claim + "/" + action;
    }

    /** A refusal with exactly these field errors, after which the claim is as it was and nothing is stored. */
    private HttpResponse<String> assertRefused(long claim, Supplier<HttpResponse<String>> request, int status,
                                               Map<String, String> fieldCodes) {
        String before = row(claim) + stored(claim);
        HttpResponse<String> response = request.get();
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        if (!fieldCodes.isEmpty()) {
            JsonNode errors = JSON.readTree(response.body()).get("errors");
            assertThat(errors.valueStream().map(e -> e.get("field").asString() + "=" + e.get("code").asString()))
                    .containsExactlyInAnyOrderElementsOf(fieldCodes.entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue()).toList());
        }
        assertThat(row(claim) + stored(claim)).as("nothing changed or stored").isEqualTo(before);
        return response;
    }

    private String stored(long claim) {
        return "|" + count("claim_document", claim) + "|" + count("claim_submission", claim) + "|"
                + count("claim_history", claim) + "|" + count("outbox_email", claim);
    }

    /**
     * A Contoso claim of anna's in {@code status}: consent ten days ago, every deadline open. For
     * a rejected claim, as a rejection leaves it.
     */
    private long claimIn(String status) {
        long id = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            consent_received_at, first_submission_due_at, review_due_at, dispute_due_at,
                            estimated_deal_size_usd, customer_contact_name, customer_contact_email,
                            customer_contact_language, partner_contact_name, partner_contact_email, updated_at,
                            proposed_payout_usd, payout_market)
                        values ('copilot-readiness-workshop', 'contoso', '4100231', 'ADD', 'Upload claim', 'TENANT_ID',
                            :tenant, 'TENANT:' || :tenant, 'Upload Customer', :status, cast(:now as timestamptz) - interval '12 days', 'anna',
                            cast(:now as timestamptz) + interval '18 days', cast(:now as timestamptz) - interval '10 days', cast(:now as timestamptz) + interval '80 days',
                            cast(:now as timestamptz) + interval '110 days', cast(:now as timestamptz) + interval '20 days', 1000, 'Kim', 'kim@upload.example',
                            'en', 'Anna', 'anna@contoso.example', :now, 2500, 'A')
                        returning id""")
                .param("tenant", String.format("44444444-0000-4000-8000-%012d", KEYS.incrementAndGet()))
                .param("status", status).param("now", java.sql.Timestamp.from(clock.instant()))
                .query(Long.class).single();
        return id;
    }

    private String row(long claim) {
        return jdbc.sql("select row_to_json(c)::text from claim c where id = ?").param(claim).query(String.class).single();
    }

    private long count(String table, long claim) {
        return jdbc.sql("select count(*) from " + table + " where claim_id = ?").param(claim).query(Long.class).single();
    }
}
