package org.mciengagements.review.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.support.Http;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reviewer's side of the claim lifecycle through the API and the page routes (SPEC §2, §10,
 * §12): the queue across partners in deadline order with its filters and keyset paging; whole
 * walks through start review, request action, reject (final after a dispute), approve and payout,
 * with their history, review notes and partner mails; refused input that changes nothing; and who
 * may do any of it.
 *
 * <p>This class moves demo claims, so it runs in a database of its own. Each test works on demo
 * claims no other test of this class moves, and the queue tests compare the API with the database
 * at the moment they ask, so the tests hold in any order:
 * <ul>
 *   <li>Contoso, Copilot workshop: Litware (SUBMITTED) is sent back to the partner; Margie's Travel
 *       (DISPUTED) is rejected for good; the Tenant d119483a claim (UNDER_REVIEW) is approved and
 *       paid; Woodgrove (CONSENT_RECEIVED) is submitted with a PDF for the document route; the
 *       REJECTED claim is the one the reviewer may not dispute; Fourth Coffee is untouched.</li>
 *   <li>Contoso: the APPROVED Yıldız Tekstil claim takes the refused payouts; the UNDER_REVIEW data
 *       modernization claim takes the refused decisions; VanArsdel (CONSENT_RECEIVED, security
 *       assessment) is the one the reviewer may not cancel.</li>
 *   <li>Fabrikam: Tailwind (UNDER_REVIEW) gets a first rejection; the SUBMITTED data modernization
 *       claim takes the wrong-status and unknown-decision attempts; the DISPUTED SAP claim is
 *       taken into review through the page form; the CONSENT_RECEIVED Copilot claim is the one the
 *       reviewer may not submit for.</li>
 * </ul>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"mci.test.isolated-context=review-api", "mci.jobs.deadlines.initial-delay=1h"})
@DirtiesContext
class ReviewApiTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String QUEUE = "/api/v1/review/claims";
    static final List<String> AWAITING_REVIEWER = List.of("SUBMITTED", "UNDER_REVIEW", "DISPUTED", "APPROVED");
    static final List<String> OPEN = List.of("SUBMITTED", "UNDER_REVIEW", "DISPUTED", "APPROVED",
            "PARTNER_ACTION_REQUIRED", "REJECTED");
    /** The deadline a queued claim is worked against, written out independently of the query under test. */
    static final String DUE = """
            case status when 'PARTNER_ACTION_REQUIRED' then action_due_at
                        when 'REJECTED' then dispute_due_at else review_due_at end""";
    static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** Everyone who is not a reviewer: partner users with and without incentives roles, operator, seller. */
    static final List<String> NOT_REVIEWERS = List.of("anna", "ruth", "umut", "farah", "noah", "oscar", "sam");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    ProgramClock clock;
    @Autowired
    org.mciengagements.engagement.EngagementCatalog catalog;
    Http http;

    @BeforeEach
    void setUp() {
        http = new Http(port);
    }

    // ------------------------------------------------------------------------------------ the queue

    @Test
    void theQueueHoldsClaimsAwaitingAReviewerFromEveryPartnerEarliestDeadlineFirst() {
        JsonNode page = ok(http.get("rita", QUEUE + "?limit=200"));
        List<JsonNode> items = items(page);
        assertThat(page.get("nextCursor").isNull()).isTrue();
        assertThat(items).extracting(i -> i.get("claim").get("status").asString())
                .isNotEmpty().allMatch(AWAITING_REVIEWER::contains)
                .as("statuses other tests of this class never move out of the queue")
                .contains("SUBMITTED", "UNDER_REVIEW", "APPROVED");
        assertNonDecreasingDeadlines(items);
        assertThat(items).extracting(i -> i.get("partnerId").asString()).contains("contoso", "fabrikam");
        assertThat(ids(items)).isEqualTo(expectedQueue("status = any(?)", (Object) AWAITING_REVIEWER.toArray(String[]::new)));
        // Each row carries the deadline it is ordered by: the review deadline while a reviewer owes the decision.
        for (JsonNode item : items) {
            Instant review = jdbc.sql("select review_due_at from claim where id = ?").param(id(item))
                    .query(java.sql.Timestamp.class).single().toInstant();
            assertThat(Instant.parse(item.get("dueAt").asString())).as("claim %d", id(item)).isEqualTo(review);
        }
    }

    @Test
    void theQueueFiltersByStatusEngagementPartnerSearchAndDeadline() {
        // Waiting for the partner: ordered by the partner's deadline, not the review deadline.
        List<JsonNode> waiting = items(ok(http.get("rita", QUEUE + "?status=PARTNER_ACTION_REQUIRED&status=REJECTED&limit=200")));
        assertThat(waiting).extracting(i -> i.get("claim").get("status").asString()).isNotEmpty()
                .allMatch(s -> s.equals("PARTNER_ACTION_REQUIRED") || s.equals("REJECTED"))
                .contains("PARTNER_ACTION_REQUIRED", "REJECTED");
        assertNonDecreasingDeadlines(waiting);
        assertThat(ids(waiting)).isEqualTo(expectedQueue("status in ('PARTNER_ACTION_REQUIRED', 'REJECTED')"));
        for (JsonNode item : waiting) {
            String column = item.get("claim").get("status").asString().equals("REJECTED") ? "dispute_due_at" : "action_due_at";
            assertThat(Instant.parse(item.get("dueAt").asString())).isEqualTo(jdbc.sql("select " + column
                    + " from claim where id = ?").param(id(item)).query(java.sql.Timestamp.class).single().toInstant());
        }

        List<JsonNode> data = items(ok(http.get("rita", QUEUE + "?engagementId=azure-data-modernization&limit=200")));
        assertThat(data).isNotEmpty().allMatch(i -> i.get("claim").get("engagementId").asString().equals("azure-data-modernization"));
        assertThat(ids(data)).isEqualTo(expectedQueue("status = any(?) and engagement_id = 'azure-data-modernization'",
                (Object) AWAITING_REVIEWER.toArray(String[]::new)));

        List<JsonNode> fabrikam = items(ok(http.get("rita", QUEUE + "?partnerId=fabrikam&status=" + String.join("&status=", OPEN) + "&limit=200")));
        assertThat(fabrikam).isNotEmpty().allMatch(i -> i.get("partnerId").asString().equals("fabrikam"));
        assertThat(ids(fabrikam)).isEqualTo(expectedQueue("status = any(?) and partner_id = 'fabrikam'",
                (Object) OPEN.toArray(String[]::new)));

        long fourthCoffee = claimId("contoso", "PARTNER_ACTION_REQUIRED", "fourthcoffee.com.tr");
        List<JsonNode> byName = items(ok(http.get("rita", QUEUE + "?status=PARTNER_ACTION_REQUIRED&q=FOURTH%20coffee")));
        assertThat(ids(byName)).containsExactly(fourthCoffee);
        List<JsonNode> byIdentifier = items(ok(http.get("rita", QUEUE + "?status=PARTNER_ACTION_REQUIRED&q=fourthcoffee.com")));
        assertThat(ids(byIdentifier)).containsExactly(fourthCoffee);
        List<JsonNode> byClaimId = items(ok(http.get("rita", QUEUE + "?status=PARTNER_ACTION_REQUIRED&q=" + fourthCoffee)));
        assertThat(ids(byClaimId)).containsExactly(fourthCoffee);
        assertThat(items(ok(http.get("rita", QUEUE + "?q=no-such-customer-anywhere")))).isEmpty();

        // Due before an instant: exactly the claims whose deadline is earlier.
        List<JsonNode> all = items(ok(http.get("rita", QUEUE + "?status=" + String.join("&status=", OPEN) + "&limit=200")));
        assertThat(all.size()).isGreaterThan(3);
        Instant cut = Instant.parse(all.get(3).get("dueAt").asString());
        List<JsonNode> before = items(ok(http.get("rita", QUEUE + "?status=" + String.join("&status=", OPEN)
                + "&limit=200&dueBefore=" + cut)));
        assertThat(ids(before)).isEqualTo(ids(all.stream().filter(i -> Instant.parse(i.get("dueAt").asString()).isBefore(cut)).toList()))
                .isNotEmpty();
        assertThat(items(ok(http.get("rita", QUEUE + "?dueBefore=" + clock.instant()))))
                .as("the demo keeps every deadline ahead of its clock, so nothing is overdue").isEmpty();

        assertThat(problem(http.get("rita", QUEUE + "?status=NOT_A_STATUS"), 400).get("code").asString()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void keysetPagingVisitsEveryRowOnceInOrder() {
        String filter = "?status=" + String.join("&status=", OPEN);
        List<Long> unpaged = ids(items(ok(http.get("rita", QUEUE + filter + "&limit=200"))));
        assertThat(unpaged.size()).isGreaterThan(7);
        List<Long> visited = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = ok(http.get("rita", QUEUE + filter + "&limit=3"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))));
            List<JsonNode> items = items(page);
            assertThat(items.size()).isBetween(1, 3);
            visited.addAll(ids(items));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 100);
        assertThat(visited).doesNotHaveDuplicates().isEqualTo(unpaged);
        assertThat(pages).isEqualTo((unpaged.size() + 2) / 3);
        assertThat(problem(http.get("rita", QUEUE + "?cursor=not-a-cursor"), 400).get("errors").get(0).get("field").asString())
                .isEqualTo("cursor");
    }

    // ------------------------------------------------------------------------------------ decisions

    @Test
    void aSubmittedClaimIsTakenIntoReviewAndSentBackToThePartnerWithAChecklist() {
        long claim = claimId("contoso", "SUBMITTED", "litware.com");
        int historyBefore = historyCount(claim);

        JsonNode started = ok(decide(claim, "{\"decision\":\"START_REVIEW\"}"));
        assertThat(started.get("status").asString()).isEqualTo("UNDER_REVIEW");
        Instant before = clock.instant();
        JsonNode sent = ok(decide(claim, """
                {"decision":"REQUEST_ACTION","checklist":["MISSING_PROOF","missing_or_old_dates"],
                 "comment":"Please add the attendee list and the dates of both sessions."}"""));
        assertThat(sent.get("status").asString()).isEqualTo("PARTNER_ACTION_REQUIRED");
        assertThat(sent.get("approvedPayoutUsd").isNull()).isTrue();

        // The partner has the engagement's action window from the request.
        Duration window = Duration.ofDays(deadlinesOf(claim).actionRequiredDays());
        Instant due = Instant.parse(sent.get("deadlines").get("actionDueAt").asString());
        assertThat(Duration.between(before, due)).isBetween(window, window.plusMinutes(1));

        JsonNode note = last(sent.get("reviewNotes"));
        assertThat(sent.get("reviewNotes").size()).isEqualTo(1);
        assertThat(note.get("decision").asString()).isEqualTo("REQUEST_ACTION");
        assertThat(note.get("reviewer").asString()).isEqualTo("rita");
        assertThat(strings(note.get("checklist"))).containsExactly("MISSING_PROOF", "MISSING_OR_OLD_DATES");
        assertThat(note.get("comment").asString()).isEqualTo("Please add the attendee list and the dates of both sessions.");

        assertThat(historyAfter(sent, historyBefore)).containsExactly(
                tuple("REVIEWER", "rita", "REVIEW_STARTED", "SUBMITTED", "UNDER_REVIEW"),
                tuple("REVIEWER", "rita", "ACTION_REQUESTED", "UNDER_REVIEW", "PARTNER_ACTION_REQUIRED"));
        assertThat(mails(claim)).extracting(m -> m.get("kind")).containsExactly("claim-action-required");
        assertThat(mails(claim).getFirst().get("to_address")).isEqualTo(partnerContact(claim));
        assertThat(mails(claim).getFirst().get("body_text")).contains("Please add the attendee list");

        // The partner sees the same state, and the claim now waits for the partner in the queue.
        JsonNode partnerView = ok(http.get("ruth", "/api/v1/claims/" + claim));
        assertThat(partnerView.get("status").asString()).isEqualTo("PARTNER_ACTION_REQUIRED");
        assertThat(strings(last(partnerView.get("reviewNotes")).get("checklist"))).containsExactly("MISSING_PROOF", "MISSING_OR_OLD_DATES");
        assertThat(ids(items(ok(http.get("rita", QUEUE + "?limit=200"))))).doesNotContain(claim);
        assertThat(ids(items(ok(http.get("rita", QUEUE + "?status=PARTNER_ACTION_REQUIRED&limit=200"))))).contains(claim);
    }

    @Test
    void aDisputedClaimRejectedAgainIsRejectedForGood() {
        long claim = claimId("contoso", "DISPUTED", "margiestravel.com");
        int historyBefore = historyCount(claim);
        assertThat(ok(decide(claim, "{\"decision\":\"START_REVIEW\"}")).get("status").asString()).isEqualTo("UNDER_REVIEW");
        JsonNode rejected = ok(decide(claim, """
                {"decision":"REJECT","checklist":["MISSING_CUSTOMER_ACKNOWLEDGEMENT"],
                 "comment":"The sign-off is not from the customer's company."}"""));
        assertThat(rejected.get("status").asString()).isEqualTo("REJECTED_FINAL");
        assertThat(rejected.get("approvedPayoutUsd").isNull()).isTrue();
        assertThat(historyAfter(rejected, historyBefore)).containsExactly(
                tuple("REVIEWER", "rita", "REVIEW_STARTED", "DISPUTED", "UNDER_REVIEW"),
                tuple("REVIEWER", "rita", "REJECTED_FINAL", "UNDER_REVIEW", "REJECTED_FINAL"));
        JsonNode note = last(rejected.get("reviewNotes"));
        assertThat(note.get("decision").asString()).isEqualTo("REJECT");
        assertThat(strings(note.get("checklist"))).containsExactly("MISSING_CUSTOMER_ACKNOWLEDGEMENT");
        assertThat(mails(claim)).extracting(m -> m.get("kind")).containsExactly("claim-rejected-final");
        assertThat(mails(claim).getFirst().get("to_address")).isEqualTo(partnerContact(claim));
        // Final: nothing is left for anybody to do.
        assertThat(problem(decide(claim, "{\"decision\":\"START_REVIEW\"}"), 409).get("code").asString()).isEqualTo("INVALID_STATUS");
    }

    @Test
    void aFirstRejectionOpensTheDisputeWindow() {
        long claim = claimId("fabrikam", "UNDER_REVIEW", "tailwindtraders.com.tr");
        int historyBefore = historyCount(claim);
        Instant before = clock.instant();
        JsonNode rejected = ok(decide(claim, "{\"decision\":\"REJECT\",\"comment\":\"No proof that the workshop took place.\"}"));
        assertThat(rejected.get("status").asString()).isEqualTo("REJECTED");
        Duration window = Duration.ofDays(deadlinesOf(claim).disputeDays());
        Instant due = Instant.parse(rejected.get("deadlines").get("disputeDueAt").asString());
        assertThat(Duration.between(before, due)).isBetween(window, window.plusMinutes(1));
        assertThat(historyAfter(rejected, historyBefore)).containsExactly(
                tuple("REVIEWER", "rita", "REJECTED", "UNDER_REVIEW", "REJECTED"));
        assertThat(strings(last(rejected.get("reviewNotes")).get("checklist"))).isEmpty();
        assertThat(mails(claim)).extracting(m -> m.get("kind")).containsExactly("claim-rejected");
    }

    @Test
    void anApprovedClaimIsPaidAndCompleted() {
        long claim = jdbc.sql("select id from claim where partner_id = 'contoso' and status = 'UNDER_REVIEW'"
                        + " and identifier_value = 'd119483a-db12-524e-8241-4fd7b18c78c7'")
                .query(Long.class).single();
        BigDecimal proposed = jdbc.sql("select proposed_payout_usd from claim where id = ?").param(claim)
                .query(BigDecimal.class).single();
        assertThat(proposed).isNotNull().isPositive();
        int historyBefore = historyCount(claim);

        JsonNode approved = ok(decide(claim, "{\"decision\":\"APPROVE\",\"comment\":\"Complete and well documented.\"}"));
        assertThat(approved.get("status").asString()).isEqualTo("APPROVED");
        assertThat(approved.get("approvedPayoutUsd").decimalValue()).isEqualByComparingTo(proposed);
        assertThat(last(approved.get("reviewNotes")).get("decision").asString()).isEqualTo("APPROVE");
        assertThat(mails(claim)).extracting(m -> m.get("kind")).containsExactly("claim-approved");
        assertThat(mails(claim).getFirst().get("body_text")).contains(proposed.toPlainString());

        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        JsonNode paid = ok(http.postJson("rita", QUEUE + "/" + claim + "/payouts",
                "{\"amountUsd\":" + proposed.toPlainString() + ",\"paidOn\":\"" + today + "\",\"reference\":\"  PAY-2026-0042 \"}"));
        assertThat(paid.get("status").asString()).isEqualTo("COMPLETED");
        assertThat(paid.get("approvedPayoutUsd").decimalValue()).isEqualByComparingTo(proposed);
        assertThat(paid.get("payout").get("paidUsd").decimalValue()).isEqualByComparingTo(proposed);
        assertThat(paid.get("payout").get("paidOn").asString()).isEqualTo(today.toString());
        assertThat(paid.get("payout").get("reference").asString()).isEqualTo("PAY-2026-0042");
        assertThat(historyAfter(paid, historyBefore)).containsExactly(
                tuple("REVIEWER", "rita", "APPROVED", "UNDER_REVIEW", "APPROVED"),
                tuple("REVIEWER", "rita", "PAYOUT_RECORDED", "APPROVED", "COMPLETED"));
        assertThat(mails(claim)).extracting(m -> m.get("kind")).containsExactly("claim-approved", "claim-paid");
        assertThat(mails(claim).get(1).get("body_text")).contains("PAY-2026-0042");
        assertThat(mails(claim)).extracting(m -> m.get("to_address")).containsOnly(partnerContact(claim));
        // Paid once: a second payout is refused.
        assertThat(problem(http.postJson("rita", QUEUE + "/" + claim + "/payouts",
                "{\"amountUsd\":" + proposed.toPlainString() + ",\"paidOn\":\"" + today + "\",\"reference\":\"AGAIN\"}"), 409)
                .get("code").asString()).isEqualTo("INVALID_STATUS");
        assertThat(mails(claim)).hasSize(2);
    }

    // ------------------------------------------------------------------------------ refused input

    @Test
    void malformedDecisionsAreRefusedFieldByFieldAndChangeNothing() {
        long submitted = claimId("fabrikam", "SUBMITTED", "7-4C9P6S3WEF");
        long underReview = claimId("contoso", "UNDER_REVIEW", "7-5D1Q7T4VGH");

        refusedUnchanged(submitted, () -> decide(submitted, "{\"decision\":\"PROMOTE\"}"), 400,
                Map.of("decision", "INVALID_VALUE"));
        refusedUnchanged(submitted, () -> decide(submitted, "{\"comment\":\"no decision\"}"), 400,
                Map.of("decision", "REQUIRED"));
        refusedUnchanged(underReview, () -> decide(underReview,
                        "{\"decision\":\"REQUEST_ACTION\",\"checklist\":[\"MISSING_PROOF\",\"NOT_A_REASON\"],\"comment\":\"x\"}"),
                400, Map.of("checklist[1]", "INVALID_VALUE"));
        refusedUnchanged(underReview, () -> decide(underReview, "{\"decision\":\"REJECT\"}"), 400,
                Map.of("checklist", "REASON_REQUIRED"));
        refusedUnchanged(underReview, () -> decide(underReview, "{\"decision\":\"REJECT\",\"checklist\":[],\"comment\":\"   \"}"),
                400, Map.of("checklist", "REASON_REQUIRED"));
        refusedUnchanged(underReview, () -> decide(underReview, "{\"decision\":\"APPROVE\",\"checklist\":[\"MISSING_PROOF\"]}"),
                400, Map.of("checklist", "NOT_APPLICABLE"));
        refusedUnchanged(underReview, () -> decide(underReview, "{\"decision\":\"REQUEST_ACTION\",\"comment\":\""
                + "x".repeat(4001) + "\"}"), 400, Map.of("comment", "TOO_LONG"));
        refusedUnchanged(underReview, () -> decide(underReview, "{\"decision\":"), 400, Map.of());
    }

    @Test
    void aDecisionTheStatusDoesNotAllowIsAConflictAndChangesNothing() {
        long submitted = claimId("fabrikam", "SUBMITTED", "7-4C9P6S3WEF");
        JsonNode conflict = refusedUnchanged(submitted, () -> decide(submitted, "{\"decision\":\"APPROVE\"}"), 409, Map.of());
        assertThat(conflict.get("code").asString()).isEqualTo("INVALID_STATUS");
        assertThat(conflict.get("status").asString()).isEqualTo("SUBMITTED");
        refusedUnchanged(submitted, () -> decide(submitted, "{\"decision\":\"REQUEST_ACTION\",\"checklist\":[\"MISSING_PROOF\"]}"),
                409, Map.of());
        refusedUnchanged(submitted, () -> http.postJson("rita", QUEUE + "/" + submitted + "/payouts",
                "{\"amountUsd\":100,\"paidOn\":\"2020-01-01\",\"reference\":\"R\"}"), 409, Map.of());
        long approved = claimId("contoso", "APPROVED", "");
        refusedUnchanged(approved, () -> decide(approved, "{\"decision\":\"START_REVIEW\"}"), 409, Map.of());
        assertThat(problem(decide(99_999_999L, "{\"decision\":\"START_REVIEW\"}"), 404).get("code").asString())
                .isEqualTo("CLAIM_NOT_FOUND");
    }

    @Test
    void aPayoutMustBeTheApprovedAmountPaidByTodayWithAReference() {
        long claim = claimId("contoso", "APPROVED", "");
        BigDecimal approved = jdbc.sql("select approved_payout_usd from claim where id = ?").param(claim)
                .query(BigDecimal.class).single();
        assertThat(approved).isNotNull();
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        String payouts = QUEUE + "/" + claim + "/payouts";

        JsonNode mismatch = refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":"
                + approved.add(BigDecimal.ONE).toPlainString() + ",\"paidOn\":\"" + today + "\",\"reference\":\"R-1\"}"),
                422, Map.of("amountUsd", "PAYOUT_AMOUNT_MISMATCH"));
        assertThat(mismatch.get("code").asString()).isEqualTo("PAYOUT_AMOUNT_MISMATCH");
        assertThat(mismatch.get("approvedPayoutUsd").decimalValue()).isEqualByComparingTo(approved);

        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":" + approved.toPlainString()
                + ",\"paidOn\":\"" + today.plusDays(1) + "\",\"reference\":\"R-1\"}"), 400, Map.of("paidOn", "IN_FUTURE"));
        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":" + approved.toPlainString()
                + ",\"paidOn\":\"" + today + "\"}"), 400, Map.of("reference", "REQUIRED"));
        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":" + approved.toPlainString()
                + ",\"paidOn\":\"" + today + "\",\"reference\":\"  \"}"), 400, Map.of("reference", "REQUIRED"));
        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{}"), 400,
                Map.of("amountUsd", "REQUIRED", "paidOn", "REQUIRED", "reference", "REQUIRED"));
        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":-5,\"paidOn\":\"" + today
                + "\",\"reference\":\"" + "R".repeat(101) + "\"}"), 400, Map.of("amountUsd", "OUT_OF_RANGE", "reference", "TOO_LONG"));
        refusedUnchanged(claim, () -> http.postJson("rita", payouts, "{\"amountUsd\":10.001,\"paidOn\":\"" + today
                + "\",\"reference\":\"R\"}"), 400, Map.of("amountUsd", "OUT_OF_RANGE"));
        assertThat(jdbc.sql("select count(*) from claim where id = ? and payout_reference is null").param(claim)
                .query(Long.class).single()).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------ documents

    @Test
    void theReviewerDownloadsTheProofDocumentsOfASubmission() {
        long claim = claimId("contoso", "CONSENT_RECEIVED", "2200009");
        HttpResponse<String> submitted = http.send("anna", multipart("/api/v1/claims/" + claim + "/submissions",
                Map.of("executionDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString(),
                        "comments", "Workshop held on site."), "attendees.pdf", PDF));
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);

        JsonNode view = ok(http.get("rita", QUEUE + "/" + claim));
        JsonNode document = view.get("submissions").get(0).get("documents").get(0);
        long documentId = document.get("id").asLong();
        assertThat(document.get("fileName").asString()).isEqualTo("attendees.pdf");

        HttpResponse<byte[]> download = bytes("rita", "/review/claims/" + claim + "/documents/" + documentId);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(PDF);
        assertThat(download.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment").contains("attendees.pdf");
        assertThat(bytes("rita", QUEUE + "/" + claim + "/documents/" + documentId).body()).isEqualTo(PDF);

        // The page shows the submission with its link to the reviewer's route.
        HttpResponse<String> page = http.page("rita", "/review/claims/" + claim);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("href=\"/review/claims/" + claim + "/documents/" + documentId + "\"")
                .contains("Workshop held on site.").contains("id=\"start-review\"");

        long other = claimId("contoso", "PARTNER_ACTION_REQUIRED", "fourthcoffee.com.tr");
        assertThat(http.page("rita", "/review/claims/" + other + "/documents/" + documentId).statusCode())
                .as("a document is reached only through its own claim").isEqualTo(404);
        assertThat(http.page("rita", "/review/claims/99999999").statusCode()).isEqualTo(404);
        for (String user : NOT_REVIEWERS) {
            assertThat(bytes(user, "/review/claims/" + claim + "/documents/" + documentId).statusCode()).as(user)
                    .isEqualTo(403);
        }
    }

    // ----------------------------------------------------------------------------------------- roles

    @Test
    void onlyReviewersReachTheReviewApiAndPages() {
        long claim = claimId("contoso", "PARTNER_ACTION_REQUIRED", "fourthcoffee.com.tr");
        List<String> gets = List.of(QUEUE, QUEUE + "?status=REJECTED", QUEUE + "/" + claim, QUEUE + "/" + claim + "/documents/1");
        List<String> pages = List.of("/review", "/review?status=WAITING_FOR_PARTNER", "/review/claims/" + claim,
                "/review/claims/" + claim + "/documents/1");
        String status = status(claim);
        int history = historyCount(claim);
        for (String user : NOT_REVIEWERS) {
            for (String path : gets) {
                HttpResponse<String> response = http.get(user, path);
                assertThat(response.statusCode()).as("%s %s", user, path).isEqualTo(403);
                assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
                assertThat(response.body()).contains("\"status\":403");
            }
            assertThat(http.postJson(user, QUEUE + "/" + claim + "/decisions", "{\"decision\":\"START_REVIEW\"}").statusCode())
                    .as(user).isEqualTo(403);
            assertThat(http.postJson(user, QUEUE + "/" + claim + "/payouts",
                    "{\"amountUsd\":1,\"paidOn\":\"2020-01-01\",\"reference\":\"R\"}").statusCode()).as(user).isEqualTo(403);
            for (String path : pages) {
                assertThat(http.page(user, path).statusCode()).as("%s %s", user, path).isEqualTo(403);
            }
        }
        for (String path : gets) {
            HttpResponse<String> response = http.get(null, path);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).contains("\"code\":\"UNAUTHENTICATED\"");
        }
        assertThat(http.postJson(null, QUEUE + "/" + claim + "/decisions", "{\"decision\":\"START_REVIEW\"}").statusCode())
                .isEqualTo(401);
        for (String path : pages) {
            HttpResponse<String> response = http.page(null, path);
            assertThat(response.statusCode()).as(path).isEqualTo(302);
            assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login");
        }
        for (String path : gets.subList(0, 3)) {
            assertThat(http.get("rita", path).statusCode()).as(path).isEqualTo(200);
        }
        for (String path : pages.subList(0, 3)) {
            assertThat(http.page("rita", path).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(status(claim)).isEqualTo(status);
        assertThat(historyCount(claim)).isEqualTo(history);
    }

    @Test
    void signedInPartnerUsersCannotPostTheReviewFormsEvenWithAValidToken() {
        long claim = claimId("fabrikam", "DISPUTED", "7-4N9Y6B3EYZ");
        int history = historyCount(claim);
        for (String user : List.of("farah", "anna", "sam")) {
            PageSession session = PageSession.signIn(http, user);
            HttpResponse<String> refused = session.post("/review/claims/" + claim + "/decisions", "decision=START_REVIEW");
            assertThat(refused.statusCode()).as(user).isEqualTo(403);
        }
        assertThat(status(claim)).isEqualTo("DISPUTED");
        assertThat(historyCount(claim)).isEqualTo(history);

        // The same form with the reviewer's session works, and comes back to the claim page with a notice.
        PageSession rita = PageSession.signIn(http, "rita");
        HttpResponse<String> done = rita.post("/review/claims/" + claim + "/decisions", "decision=START_REVIEW");
        assertThat(done.statusCode()).isEqualTo(302);
        assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/review/claims/" + claim);
        assertThat(status(claim)).isEqualTo("UNDER_REVIEW");
        assertThat(rita.get("/review/claims/" + claim).body()).contains("Review started.").contains("id=\"reject-final\"");
    }

    @Test
    void reviewersCannotActAsPartners() {
        long consented = claimId("fabrikam", "CONSENT_RECEIVED", "b21e6219-b83c-5b15-843b-94f699278fbe");
        long cancelable = claimId("contoso", "CONSENT_RECEIVED", "vanarsdel.de");
        long rejected = claimId("contoso", "REJECTED", "127745b6-294b-531e-a062-f268d0f3ced4");
        Map<Long, Integer> history = Map.of(consented, historyCount(consented), cancelable, historyCount(cancelable),
                rejected, historyCount(rejected));
        long submissionsBefore = jdbc.sql("select count(*) from claim_submission where claim_id in (?, ?)")
                .params(consented, rejected).query(Long.class).single();

        List<HttpResponse<String>> refused = List.of(
                http.send("rita", multipart("/api/v1/claims/" + consented + "/submissions",
                        Map.of("executionDate", LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString()),
                        "proof.pdf", PDF)),
                http.postJson("rita", "/api/v1/claims/" + cancelable + "/cancellation", "{\"reason\":\"Reviewer says so\"}"),
                http.send("rita", multipart("/api/v1/claims/" + rejected + "/disputes",
                        Map.of("reason", "Reviewer disputes for the partner"), "proof.pdf", PDF)),
                http.get("rita", "/api/v1/claims"),
                http.get("rita", "/api/v1/claims/" + consented));
        for (HttpResponse<String> response : refused) {
            assertThat(response.statusCode()).as(response.uri().toString()).isEqualTo(403);
            assertThat(response.body()).contains("\"code\":\"INCENTIVES_ROLE_REQUIRED\"");
        }
        assertThat(status(consented)).isEqualTo("CONSENT_RECEIVED");
        assertThat(status(cancelable)).isEqualTo("CONSENT_RECEIVED");
        assertThat(status(rejected)).isEqualTo("REJECTED");
        history.forEach((claim, count) -> assertThat(historyCount(claim)).as("claim %d", claim).isEqualTo(count));
        assertThat(jdbc.sql("select count(*) from claim_submission where claim_id in (?, ?)").params(consented, rejected)
                .query(Long.class).single()).isEqualTo(submissionsBefore);
        assertThat(http.page("rita", "/claims").statusCode()).isEqualTo(403);
        assertThat(http.page("rita", "/").headers().firstValue("Location").orElseThrow()).endsWith("/review");
    }

    // -------------------------------------------------------------------------------------- helpers

    private HttpResponse<byte[]> bytes(String user, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(http.uri(path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + Http.DEMO_PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private org.mciengagements.engagement.Deadlines deadlinesOf(long claim) {
        String engagement = jdbc.sql("select engagement_id from claim where id = ?").param(claim).query(String.class).single();
        return catalog.find(engagement).orElseThrow().deadlines();
    }

    private HttpResponse<String> decide(long claim, String body) {
        return http.postJson("rita", QUEUE + "/" + claim + "/decisions", body);
    }

    /**
     * Sends a request that must be refused with {@code status} and exactly the given field problems
     * (field → code), and proves it changed nothing: status, history, notes, payout, mails.
     */
    private JsonNode refusedUnchanged(long claim, java.util.function.Supplier<HttpResponse<String>> request, int status,
                                      Map<String, String> fieldCodes) {
        String before = snapshot(claim);
        JsonNode problem = problem(request.get(), status);
        Map<String, String> actual = new java.util.TreeMap<>();
        if (problem.has("errors")) {
            problem.get("errors").forEach(e -> actual.put(e.get("field").asString(), e.get("code").asString()));
        }
        assertThat(actual).isEqualTo(new java.util.TreeMap<>(fieldCodes));
        assertThat(snapshot(claim)).isEqualTo(before);
        return problem;
    }

    private String snapshot(long claim) {
        return jdbc.sql("""
                        select status || '|' || version || '|' || coalesce(approved_payout_usd::text, '-') || '|'
                            || coalesce(payout_reference, '-') || '|'
                            || (select count(*) from claim_history h where h.claim_id = c.id) || '|'
                            || (select count(*) from claim_review_note n where n.claim_id = c.id) || '|'
                            || (select count(*) from outbox_email o where o.claim_id = c.id)
                        from claim c where id = ?""")
                .param(claim).query(String.class).single();
    }

    private JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return JSON.readTree(response.body());
    }

    private static List<JsonNode> items(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false).toList();
    }

    private static long id(JsonNode item) {
        return item.get("claim").get("id").asLong();
    }

    private static List<Long> ids(List<JsonNode> items) {
        return items.stream().map(ReviewApiTest::id).toList();
    }

    private static List<String> strings(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asString).toList();
    }

    private static JsonNode last(JsonNode array) {
        assertThat(array.size()).isPositive();
        return array.get(array.size() - 1);
    }

    /** Deadlines never decrease down the queue, and (deadline, claim ID) strictly increases: a total order. */
    private static void assertNonDecreasingDeadlines(List<JsonNode> items) {
        for (int i = 1; i < items.size(); i++) {
            Instant previous = Instant.parse(items.get(i - 1).get("dueAt").asString());
            Instant current = Instant.parse(items.get(i).get("dueAt").asString());
            assertThat(current).as("row %d", i).isAfterOrEqualTo(previous);
            if (current.equals(previous)) {
                assertThat(id(items.get(i))).isGreaterThan(id(items.get(i - 1)));
            }
        }
    }

    private List<Long> expectedQueue(String where, Object... params) {
        return jdbc.sql("select id from claim where " + where + " order by " + DUE + ", id").params(params)
                .query(Long.class).list();
    }

    /** The one claim of a partner in a status whose identifier contains {@code identifier}. */
    private long claimId(String partner, String status, String identifier) {
        return jdbc.sql("select id from claim where partner_id = ? and status = ? and strpos(identifier_value, ?) > 0")
                .params(partner, status, identifier).query(Long.class).single();
    }

    private String status(long claim) {
        return jdbc.sql("select status from claim where id = ?").param(claim).query(String.class).single();
    }

    private int historyCount(long claim) {
        return jdbc.sql("select count(*) from claim_history where claim_id = ?").param(claim).query(Integer.class).single();
    }

    private static List<org.assertj.core.groups.Tuple> historyAfter(JsonNode view, int before) {
        List<JsonNode> history = StreamSupport.stream(view.get("history").spliterator(), false).toList();
        return history.subList(before, history.size()).stream()
                .map(h -> tuple(h.get("actorType").asString(), h.get("actor").asString(), h.get("action").asString(),
                        h.get("fromStatus").asString(), h.get("toStatus").asString()))
                .toList();
    }

    private List<Map<String, String>> mails(long claim) {
        return jdbc.sql("select kind, to_address, body_text from outbox_email where claim_id = ? order by id").param(claim)
                .query((rs, n) -> Map.of("kind", rs.getString(1), "to_address", rs.getString(2), "body_text", rs.getString(3)))
                .list();
    }

    private String partnerContact(long claim) {
        return jdbc.sql("select partner_contact_email from claim where id = ?").param(claim).query(String.class).single();
    }

    private HttpRequest.Builder multipart(String path, Map<String, String> fields, String fileName, byte[] file) {
        String boundary = "----mci-review-" + System.nanoTime();
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        fields.forEach((name, value) -> body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8)));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(http.uri(path)).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    /** A browser-like session of the page chain: form login, the session cookie, and the CSRF token of its pages. */
    record PageSession(Http http, String cookie) {

        static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

        static PageSession signIn(Http http, String user) {
            HttpResponse<String> login = http.send(null, HttpRequest.newBuilder(http.uri("/login")).GET());
            String cookie = cookie(login, null);
            HttpResponse<String> signedIn = http.send(null, HttpRequest.newBuilder(http.uri("/login"))
                    .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("username=" + user + "&password=" + Http.DEMO_PASSWORD
                            + "&_csrf=" + token(login.body()))));
            assertThat(signedIn.statusCode()).as(user).isEqualTo(302);
            assertThat(signedIn.headers().firstValue("Location").orElseThrow()).doesNotContain("error");
            return new PageSession(http, cookie(signedIn, cookie));
        }

        HttpResponse<String> get(String path) {
            return http.send(null, HttpRequest.newBuilder(http.uri(path)).header("Cookie", cookie)
                    .header("Accept", "text/html"));
        }

        /** Posts a form with the token of a page this session may open (the start page's sign-out form). */
        HttpResponse<String> post(String path, String form) {
            HttpResponse<String> page = get("/welcome");
            assertThat(page.statusCode()).isEqualTo(200);
            return http.send(null, HttpRequest.newBuilder(http.uri(path)).header("Cookie", cookie)
                    .header("Accept", "text/html").header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf=" + token(page.body()))));
        }

        private static String token(String html) {
            Matcher m = CSRF.matcher(html);
            assertThat(m.find()).as("a CSRF token on the page").isTrue();
            return URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
        }

        private static String cookie(HttpResponse<String> response, String previous) {
            return response.headers().allValues("Set-Cookie").stream()
                    .filter(c -> c.startsWith("SESSION="))
                    .map(c -> c.substring(0, c.indexOf(';')))
                    .reduce((a, b) -> b).orElse(previous);
        }
    }
}
