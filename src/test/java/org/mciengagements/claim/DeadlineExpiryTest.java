package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.ProgramClockOffsets;
import org.mciengagements.support.ClaimJourney;
import org.mciengagements.support.Http;
import org.mciengagements.support.Multipart;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * The deadlines after consent (SPEC §10, §13) on PostgreSQL with the movable clock. Claims are
 * taken to their status through the real APIs (consent, submission, review), so their deadlines
 * are the ones the program sets. Each expiry happens at its deadline and not a minute before, with
 * one history entry and one mail, and a second run changes nothing; partners are reminded 7 days
 * and 1 day before the submission and resubmission deadlines, once each; racing runs expire every
 * due claim exactly once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=deadline-expiry", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class DeadlineExpiryTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicInteger TENANT = new AtomicInteger();
    static final String PARTNER_EMAIL = "pat@partner.example";
    static final DateTimeFormatter KEY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EngagementCatalog catalog;
    @Autowired
    ProgramClock clock;
    @Autowired
    ProgramClockOffsets offsets;
    @Autowired
    DeadlineJob job;
    Http http;
    ClaimJourney journey;
    String engagementId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        journey = new ClaimJourney(http, jdbc);
        engagementId = "deadlines-" + TENANT.incrementAndGet();
        ClaimJourney.saveWorkshop(catalog, engagementId, 3, BigDecimal.ONE, clock.instant());
    }

    // ------------------------------------------------------------------ expiries

    @Test
    void aConsentedClaimNotSubmittedByTheFirstSubmissionDeadlineExpiresOnce() {
        long claim = consented();
        Instant due = deadline(claim, "first_submission_due_at");
        assertThat(Duration.between(clock.instant(), due)).isBetween(Duration.ofDays(89), Duration.ofDays(90));

        moveTo(due.minus(Duration.ofMinutes(1)));
        job.run();
        assertThat(status(claim)).as("a minute before the deadline").isEqualTo("CONSENT_RECEIVED");

        moveTo(due.plus(Duration.ofMinutes(1)));
        job.run();
        assertExpiredOnce(claim, "CONSENT_RECEIVED", "NOT_SUBMITTED_EXPIRED", "claim-not-submitted-expired");
        assertSecondRunChangesNothing(claim);
    }

    @Test
    void aClaimWaitingForResubmissionExpiresAtItsActionDeadlineOnce() {
        long claim = actionRequired();
        Instant due = deadline(claim, "action_due_at");
        assertThat(Duration.between(clock.instant(), due)).isBetween(Duration.ofDays(13), Duration.ofDays(14));

        moveTo(due.minus(Duration.ofMinutes(1)));
        job.run();
        assertThat(status(claim)).as("a minute before the deadline").isEqualTo("PARTNER_ACTION_REQUIRED");

        moveTo(due.plus(Duration.ofMinutes(1)));
        job.run();
        assertExpiredOnce(claim, "PARTNER_ACTION_REQUIRED", "POST_SUBMISSION_EXPIRED", "claim-post-submission-expired");
        assertSecondRunChangesNothing(claim);
    }

    @Test
    void anUndisputedRejectionExpiresAtTheDisputeDeadlineOnce() {
        long claim = rejected();
        Instant due = deadline(claim, "dispute_due_at");
        assertThat(Duration.between(clock.instant(), due)).isBetween(Duration.ofDays(29), Duration.ofDays(30));

        moveTo(due.minus(Duration.ofMinutes(1)));
        job.run();
        assertThat(status(claim)).as("a minute before the deadline").isEqualTo("REJECTED");

        moveTo(due.plus(Duration.ofMinutes(1)));
        job.run();
        assertExpiredOnce(claim, "REJECTED", "DISPUTE_EXPIRED", "claim-dispute-expired");
        assertSecondRunChangesNothing(claim);
        HttpResponse<String> late = dispute(claim);
        assertThat(late.statusCode()).as("an expired claim is never revived").isEqualTo(409);
    }

    @Test
    void theExpiryMailIsInTheClaimCreatorsLanguageAndNamesTheDeadline() {
        long claim = consented("umut", "4100232"); // Umut works in Turkish
        Instant due = deadline(claim, "first_submission_due_at");
        moveTo(due.plus(Duration.ofMinutes(1)));
        job.run();
        Map<String, Object> mail = jdbc.sql("select language, subject, body_text from outbox_email where claim_id = ? and kind = ?")
                .params(claim, "claim-not-submitted-expired").query().singleRow();
        assertThat(mail.get("language")).isEqualTo("tr");
        assertThat((String) mail.get("subject")).isEqualTo("Talebin süresi doldu, gönderim yapılmadı: Journey claim");
        assertThat((String) mail.get("body_text")).contains(String.valueOf(claim))
                .contains(org.mciengagements.notification.MailDates.dateTime(due, "tr"))
                .contains("yeni bir talep başlatabilirsiniz");
    }

    // ------------------------------------------------------------------ reminders

    @Test
    void submissionRemindersGoOutSevenDaysAndOneDayBeforeTheDeadlineOnceEach() {
        long claim = consented();
        Instant due = deadline(claim, "first_submission_due_at");

        moveTo(due.minus(Duration.ofDays(8)));
        job.run();
        assertThat(reminderKeys(claim, "claim-submission-reminder")).as("8 days before").isEmpty();

        moveTo(due.minus(Duration.ofDays(6)));
        job.run();
        job.run();
        assertThat(reminderKeys(claim, "claim-submission-reminder")).as("6 days before")
                .containsExactly(key("submission-reminder", 7, claim, due));

        moveTo(due.minus(Duration.ofHours(12)));
        job.run();
        job.run();
        assertThat(reminderKeys(claim, "claim-submission-reminder")).as("half a day before").containsExactly(
                key("submission-reminder", 7, claim, due), key("submission-reminder", 1, claim, due));
        assertThat(status(claim)).isEqualTo("CONSENT_RECEIVED");
        assertThat(jdbc.sql("select body_text from outbox_email where dedupe_key = ?")
                .param(key("submission-reminder", 1, claim, due)).query(String.class).single())
                .contains(org.mciengagements.notification.MailDates.dateTime(due, "nl"));
    }

    @Test
    void resubmissionRemindersFollowEachActionDeadlineAndALateClaimGetsOnlyTheLastOne() {
        long claim = actionRequired();
        Instant first = deadline(claim, "action_due_at");

        // The job did not see the claim between 7 days and 1 day before: only the 1-day reminder.
        moveTo(first.minus(Duration.ofHours(12)));
        job.run();
        job.run();
        assertThat(reminderKeys(claim, "claim-resubmission-reminder"))
                .containsExactly(key("resubmission-reminder", 1, claim, first));

        assertThat(submit(claim).statusCode()).isEqualTo(201);
        decide(claim, "{\"decision\":\"START_REVIEW\"}");
        decide(claim, "{\"decision\":\"REQUEST_ACTION\",\"comment\":\"Still no attendee list.\"}");
        Instant second = deadline(claim, "action_due_at");
        assertThat(second).isAfter(first);

        moveTo(second.minus(Duration.ofDays(6)));
        job.run();
        job.run();
        moveTo(second.minus(Duration.ofHours(12)));
        job.run();
        job.run();
        assertThat(reminderKeys(claim, "claim-resubmission-reminder")).as("each action deadline is reminded of")
                .containsExactly(key("resubmission-reminder", 1, claim, first),
                        key("resubmission-reminder", 7, claim, second),
                        key("resubmission-reminder", 1, claim, second));
        assertThat(status(claim)).isEqualTo("PARTNER_ACTION_REQUIRED");
    }

    // ------------------------------------------------------------------ racing runs

    @Test
    void racingRunsExpireEveryDueClaimExactlyOnceWithOneHistoryEntryAndOneMail() throws Exception {
        List<Long> ours = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ours.add(consented());
            ours.add(actionRequired());
            ours.add(rejected());
            ours.add(nominate("anna", "4100231", newTenant()));
        }
        offsets.advance(Duration.ofDays(91)); // past every deadline of these claims, and many of the demo's
        Instant before = clock.instant();
        List<Long> due = jdbc.sql("""
                        select id from claim
                        where (status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT') and consent_due_at <= :now)
                           or (status = 'CONSENT_RECEIVED' and first_submission_due_at <= :now)
                           or (status = 'PARTNER_ACTION_REQUIRED' and action_due_at <= :now)
                           or (status = 'REJECTED' and dispute_due_at <= :now)""")
                .param("now", Timestamp.from(before)).query(Long.class).list();
        assertThat(due).containsAll(ours);

        int runners = 8;
        CyclicBarrier start = new CyclicBarrier(runners);
        ExecutorService pool = Executors.newFixedThreadPool(runners);
        List<Future<DeadlineJob.Result>> results = new ArrayList<>();
        for (int i = 0; i < runners; i++) {
            results.add(pool.submit(() -> {
                start.await(10, TimeUnit.SECONDS);
                return job.run();
            }));
        }
        int expired = 0;
        for (Future<DeadlineJob.Result> result : results) {
            DeadlineJob.Result r = result.get(120, TimeUnit.SECONDS);
            assertThat(r.failed()).as("failed rules in a run").isZero();
            expired += r.expired();
        }
        pool.shutdown();

        List<Long> moved = jdbc.sql("""
                        select claim_id from claim_history where actor_type = 'SYSTEM' and action = 'EXPIRED' and at >= ?""")
                .param(Timestamp.from(before)).query(Long.class).list();
        assertThat(moved).as("one history entry per expired claim").doesNotHaveDuplicates().containsAll(due);
        assertThat(expired).as("expiries reported by the racing runs").isEqualTo(moved.size());
        Map<String, String> templates = Map.of("CONSENT_EXPIRED", "consent-expired",
                "NOT_SUBMITTED_EXPIRED", "claim-not-submitted-expired",
                "POST_SUBMISSION_EXPIRED", "claim-post-submission-expired",
                "DISPUTE_EXPIRED", "claim-dispute-expired");
        for (long claim : moved) {
            String status = status(claim);
            assertThat(templates).as("status of %d", claim).containsKey(status);
            assertThat(jdbc.sql("select count(*) from claim_history where claim_id = ? and to_status = ?")
                    .params(claim, status).query(Long.class).single()).as("history of %d", claim).isEqualTo(1);
            assertThat(jdbc.sql("select count(*) from outbox_email where claim_id = ? and kind like '%expired'")
                    .param(claim).query(Long.class).single()).as("expiry mails of %d", claim).isEqualTo(1);
            assertThat(mails(claim, templates.get(status))).as("mail of %d", claim).isEqualTo(1);
        }
        assertThat(job.run().expired()).as("a run after the race").isZero();
    }

    // ------------------------------------------------------------------ assertions

    private void assertExpiredOnce(long claim, String from, String to, String template) {
        assertThat(status(claim)).isEqualTo(to);
        assertThat(jdbc.sql("select status_reason from claim where id = ?").param(claim).query(String.class).single())
                .isEqualTo("DEADLINE_PASSED");
        List<Map<String, Object>> history = jdbc.sql("""
                        select actor_type, from_status, to_status from claim_history
                        where claim_id = ? and action = 'EXPIRED'""").param(claim).query().listOfRows();
        assertThat(history).as("history of %d", claim).hasSize(1);
        assertThat(history.getFirst()).containsEntry("actor_type", "SYSTEM").containsEntry("from_status", from)
                .containsEntry("to_status", to);
        assertThat(mails(claim, template)).as("mails of %d", claim).isEqualTo(1);
        Map<String, Object> mail = jdbc.sql("select dedupe_key, to_address, subject, body_text from outbox_email where claim_id = ? and kind = ?")
                .params(claim, template).query().singleRow();
        assertThat(mail).containsEntry("dedupe_key", template + ":" + claim).containsEntry("to_address", PARTNER_EMAIL);
        assertThat((String) mail.get("subject")).endsWith(": Journey claim");
        assertThat((String) mail.get("body_text")).contains(String.valueOf(claim))
                .contains("U kunt een nieuwe claim voor deze klant starten als die nog in aanmerking komt.");
    }

    private void assertSecondRunChangesNothing(long claim) {
        Map<String, Object> row = jdbc.sql("select status, version, updated_at from claim where id = ?").param(claim)
                .query().singleRow();
        long history = count("select count(*) from claim_history where claim_id = ?", claim);
        long mails = count("select count(*) from outbox_email where claim_id = ?", claim);
        job.run();
        assertThat(jdbc.sql("select status, version, updated_at from claim where id = ?").param(claim).query().singleRow())
                .isEqualTo(row);
        assertThat(count("select count(*) from claim_history where claim_id = ?", claim)).isEqualTo(history);
        assertThat(count("select count(*) from outbox_email where claim_id = ?", claim)).isEqualTo(mails);
    }

    // ------------------------------------------------------------------ claims through the real APIs

    /** A claim of anna's (who works in Dutch) whose customer just consented: {@code CONSENT_RECEIVED}. */
    private long consented() {
        return consented("anna", "4100231");
    }

    private long consented(String user, String location) {
        long claim = nominate(user, location, newTenant());
        journey.accept(journey.sendConsent(user, claim));
        assertThat(status(claim)).isEqualTo("CONSENT_RECEIVED");
        return claim;
    }

    /** Submitted, and the reviewer asked for more: {@code PARTNER_ACTION_REQUIRED}. */
    private long actionRequired() {
        long claim = submitted();
        decide(claim, "{\"decision\":\"REQUEST_ACTION\",\"checklist\":[\"MISSING_CUSTOMER_ACKNOWLEDGEMENT\"]}");
        assertThat(status(claim)).isEqualTo("PARTNER_ACTION_REQUIRED");
        return claim;
    }

    /** Submitted and rejected, the dispute window open: {@code REJECTED}. */
    private long rejected() {
        long claim = submitted();
        decide(claim, "{\"decision\":\"REJECT\",\"comment\":\"The proof shows another customer.\"}");
        assertThat(status(claim)).isEqualTo("REJECTED");
        return claim;
    }

    private long submitted() {
        long claim = consented();
        HttpResponse<String> submitted = submit(claim);
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
        decide(claim, "{\"decision\":\"START_REVIEW\"}");
        return claim;
    }

    private long nominate(String user, String location, String tenant) {
        return journey.nominate(user, location, engagementId, tenant, "en");
    }

    private HttpResponse<String> submit(long claim) {
        return multipart("/api/v1/claims/" + claim + "/submissions", Map.of(
                "executionDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString(),
                "comments", "Workshop delivered; attendee list attached."));
    }

    private HttpResponse<String> dispute(long claim) {
        return multipart("/api/v1/claims/" + claim + "/disputes", Map.of("reason", "The list shows the customer."));
    }

    private void decide(long claim, String decision) {
        HttpResponse<String> decided = http.postJson("rita", "/api/v1/review/claims/" + claim + "/decisions", decision);
        assertThat(decided.statusCode()).as(decided.body()).isEqualTo(200);
    }

    /** A multipart POST as anna, with the fields and one small PDF. */
    private HttpResponse<String> multipart(String path, Map<String, String> fields) {
        Multipart form = new Multipart();
        fields.forEach(form::field);
        return http.send("anna", form.file("files", "attendees.pdf", "application/pdf", ProofFiles.pdf()).post(http, path));
    }

    private String newTenant() {
        return journey.newTenant("Deadline customer");
    }

    // ------------------------------------------------------------------ reading

    /** Moves the program clock forward to {@code at}. */
    private void moveTo(Instant at) {
        Duration by = Duration.between(clock.instant(), at);
        assertThat(by).as("the clock only moves forward").isPositive();
        offsets.advance(by);
    }

    private Instant deadline(long claim, String column) {
        return jdbc.sql("select " + column + " from claim where id = ?").param(claim).query(Timestamp.class).single()
                .toInstant();
    }

    /** A reminder's dedupe key: it names the deadline, to the microsecond PostgreSQL keeps. */
    private static String key(String reminder, int days, long claim, Instant deadline) {
        return reminder + "-" + days + ":" + claim + ":" + KEY_TIME.format(deadline);
    }

    private List<String> reminderKeys(long claim, String template) {
        return jdbc.sql("select dedupe_key from outbox_email where claim_id = ? and kind = ? order by id")
                .params(claim, template).query(String.class).list();
    }

    private String status(long claim) {
        return jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
    }

    private long mails(long claim, String template) {
        return count("select count(*) from outbox_email where claim_id = ? and kind = ?", claim, template);
    }

    private long count(String sql, Object... params) {
        return jdbc.sql(sql).params(params).query(Long.class).single();
    }
}
