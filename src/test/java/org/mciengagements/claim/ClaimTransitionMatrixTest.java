package org.mciengagements.claim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mciengagements.claim.ClaimLifecycle.Actor;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every status of SPEC §10 against every status a verb can move a claim into: the transitions the
 * table allows succeed through the product's verbs and land exactly there; every other attempt is
 * refused and leaves the claim, its history, its review notes and its mails untouched. Each case
 * runs in a transaction that is rolled back, on a claim whose deadlines are all open (or, for the
 * expiries, all passed), so only the status decides.
 */
@SpringBootTest(properties = "mci.test.isolated-context=transition-matrix")
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClaimTransitionMatrixTest {

    private static final List<ClaimStatus> EXPIRIES = List.of(ClaimStatus.CONSENT_EXPIRED,
            ClaimStatus.NOT_SUBMITTED_EXPIRED, ClaimStatus.POST_SUBMISSION_EXPIRED, ClaimStatus.DISPUTE_EXPIRED);

    @Autowired
    JdbcClient jdbc;
    @Autowired
    ClaimLifecycle lifecycle;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    ProgramClock clock;

    long claimId;

    @BeforeAll
    void oneClaimOfItsOwn() {
        // A customer key nobody else claims, so consent never finds another partner in the way.
        claimId = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            customer_contact_name, customer_contact_email, customer_contact_language,
                            partner_contact_name, partner_contact_email, updated_at, proposed_payout_usd, payout_market)
                        values ('copilot-readiness-workshop', 'contoso', '4100231', 'ADD', 'Matrix claim', 'TENANT_ID',
                            'a0a0a0a0-0000-4000-8000-000000000001', 'TENANT:a0a0a0a0-0000-4000-8000-000000000001',
                            'Matrix Customer', 'CUSTOMER_CLAIMED', now(), 'anna', now() + interval '30 days',
                            'Kim Customer', 'kim@matrix.example', 'en', 'Anna', 'anna@contoso.example', now(), 2500, 'A')
                        returning id""")
                .query(Long.class).single();
    }

    static Stream<Arguments> everyFromAndTo() {
        List<Arguments> cases = new ArrayList<>();
        for (ClaimStatus from : ClaimStatus.values()) {
            for (ClaimStatus to : ClaimStatus.values()) {
                if (to != ClaimStatus.CUSTOMER_CLAIMED) { // only creation leads there
                    cases.add(Arguments.of(from, to));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("everyFromAndTo")
    void allowedTransitionsSucceedAndAllOthersAreRefusedWithoutChange(ClaimStatus from, ClaimStatus to) {
        boolean disputed = to == ClaimStatus.REJECTED_FINAL;
        boolean allowed = from.canMoveTo(to);
        transactions.executeWithoutResult(tx -> {
            Instant now = clock.instant();
            place(from, EXPIRIES.contains(to), disputed, now);
            Snapshot before = snapshot();
            ClaimRef claim = lifecycle.lock(claimId);
            Object outcome;
            try {
                outcome = attempt(claim, to, now);
            } catch (ProblemException e) {
                outcome = e;
            }
            if (allowed) {
                assertThat(outcome).as("%s → %s is allowed", from, to).isNotInstanceOf(ProblemException.class)
                        .isNotEqualTo(Boolean.FALSE);
                assertThat(status()).isEqualTo(to);
                assertThat(snapshot().history()).isEqualTo(before.history() + 1);
            } else {
                if (outcome instanceof ProblemException refusal) {
                    assertThat(refusal.status().value()).as("refusal of %s → %s", from, to).isEqualTo(409);
                    assertThat(refusal.code()).isIn("INVALID_STATUS", "CONSENT_CLOSED");
                } else {
                    assertThat(outcome).as("%s → %s is refused", from, to).isEqualTo(Boolean.FALSE);
                }
                assertThat(snapshot()).as("nothing changed by %s → %s", from, to).isEqualTo(before);
            }
            tx.setRollbackOnly();
        });
    }

    /** Calls the verb that moves a claim into {@code to}; expiries answer whether they moved it. */
    private Object attempt(ClaimRef claim, ClaimStatus to, Instant now) {
        Actor partner = Actor.partner("anna");
        Actor reviewer = Actor.reviewer("rita");
        switch (to) {
            case AWAITING_CONSENT -> lifecycle.requestConsent(claim, new BigDecimal("1000"), claim.customerContact(),
                    claim.partnerContact(), partner, now);
            case CONSENT_RECEIVED -> lifecycle.recordConsent(claim, now);
            case CONSENT_DECLINED -> lifecycle.recordDecline(claim, "no", now);
            case CANCELED -> lifecycle.cancel(claim, "postponed", partner, now);
            case SUBMITTED -> lifecycle.submit(claim, LocalDate.ofInstant(now, ZoneOffset.UTC), partner, now);
            case UNDER_REVIEW -> lifecycle.startReview(claim, reviewer, now);
            case PARTNER_ACTION_REQUIRED -> lifecycle.requestAction(claim, List.of(ReviewReason.MISSING_PROOF), "more",
                    reviewer, now);
            case APPROVED -> lifecycle.approve(claim, null, reviewer, now);
            case REJECTED, REJECTED_FINAL -> {
                return lifecycle.reject(claim, List.of(), "no", reviewer, now) == to ? Boolean.TRUE : Boolean.FALSE;
            }
            case DISPUTED -> lifecycle.dispute(claim, "please look again", partner, now);
            case COMPLETED -> lifecycle.recordPayout(claim, new BigDecimal("2500"), LocalDate.ofInstant(now, ZoneOffset.UTC),
                    "PAY-1", reviewer, now);
            case CONSENT_EXPIRED, NOT_SUBMITTED_EXPIRED, POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED -> {
                return lifecycle.expire(claim, to, now);
            }
            default -> throw new IllegalArgumentException("no verb leads to " + to);
        }
        return Boolean.TRUE;
    }

    /**
     * Puts the claim in {@code status} with every fact a verb may need: consent given, deadlines
     * open (or passed, for expiries), an approved amount, and a dispute behind it when asked.
     */
    private void place(ClaimStatus status, boolean deadlinesPassed, boolean disputed, Instant now) {
        Instant due = deadlinesPassed ? now.minus(Duration.ofHours(1)) : now.plus(Duration.ofDays(10));
        boolean consentSent = status != ClaimStatus.CUSTOMER_CLAIMED;
        jdbc.sql("""
                        update claim set status = :status, consent_due_at = :due, first_submission_due_at = :due,
                            review_due_at = :due, action_due_at = :due, dispute_due_at = :due,
                            consent_received_at = :consented, estimated_deal_size_usd = :dealSize,
                            consent_email_sent_at = :sent, approved_payout_usd = 2500, disputed_at = :disputedAt
                        where id = :id""")
                .param("status", status.name()).param("due", Timestamp.from(due))
                .param("consented", Timestamp.from(now.minus(Duration.ofDays(5))))
                .param("dealSize", consentSent ? new BigDecimal("1000") : null)
                .param("sent", consentSent ? Timestamp.from(now.minus(Duration.ofDays(6))) : null)
                .param("disputedAt", disputed ? Timestamp.from(now.minus(Duration.ofDays(1))) : null)
                .param("id", claimId).update();
    }

    private ClaimStatus status() {
        return ClaimStatus.valueOf(jdbc.sql("select status from claim where id = ?").param(claimId).query(String.class).single());
    }

    private record Snapshot(String row, long history, long notes, long mails, long knownCustomers) {}

    private Snapshot snapshot() {
        Map<String, Object> counts = jdbc.sql("""
                        select (select row_to_json(c)::text from claim c where id = :id) as row,
                               (select count(*) from claim_history where claim_id = :id) as history,
                               (select count(*) from claim_review_note where claim_id = :id) as notes,
                               (select count(*) from outbox_email where claim_id = :id) as mails,
                               (select count(*) from known_customer where last_claim_id = :id) as known""")
                .param("id", claimId).query().singleRow();
        return new Snapshot((String) counts.get("row"), (Long) counts.get("history"), (Long) counts.get("notes"),
                (Long) counts.get("mails"), (Long) counts.get("known"));
    }
}
