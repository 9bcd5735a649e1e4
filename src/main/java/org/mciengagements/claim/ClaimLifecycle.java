package org.mciengagements.claim;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.program.Market;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.shared.ProblemException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The guarded transitions of a claim (SPEC §9, §10). Each verb is one conditional
 * {@code UPDATE … WHERE status = <expected>}: when two requests race, exactly one moves the claim
 * and the other finds it already moved. Every transition appends to the claim's history.
 *
 * <p>Moves other modules react to are published as events — {@link ConsentRequested},
 * {@link ConsentReceived}, {@link ClaimClosed} — synchronously, inside the move's transaction: a
 * listener's writes (the referral of SPEC §11) commit with the move or not at all, and a listener
 * that fails refuses the move. Claims know nothing of who listens.
 */
@Service
public class ClaimLifecycle {

    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;
    private final ApplicationEventPublisher events;

    ClaimLifecycle(JdbcClient jdbc, EngagementCatalog catalog, ProgramDirectory program,
                   ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.program = program;
        this.events = events;
    }

    /** A party acting on a claim, for its history. */
    public record Actor(String type, String name) {
        public static Actor partner(String username) {
            return new Actor("PARTNER_USER", username);
        }

        public static Actor reviewer(String username) {
            return new Actor("REVIEWER", username);
        }

        public static final Actor CUSTOMER = new Actor("CUSTOMER", "customer");
        public static final Actor SYSTEM = new Actor("SYSTEM", "system");
    }

    /** A claim's facts a consent step needs. */
    public record ClaimRef(long id, String engagementId, String partnerId, String locationId, String createdBy,
                           String customerKey,
                           String customerName, String friendlyName, ClaimStatus status, Instant consentDueAt,
                           BigDecimal estimatedDealSizeUsd, Instant consentEmailSentAt,
                           ClaimView.Contact customerContact, ClaimView.Contact partnerContact,
                           Instant consentReceivedAt, ClaimView.Deadlines deadlines, Instant submittedAt,
                           Instant disputedAt, Integer hours, BigDecimal proposedPayoutUsd,
                           BigDecimal approvedPayoutUsd, String payoutMarket) {}

    /** Reads a claim for update: the row stays locked until the transaction ends. */
    @Transactional(propagation = Propagation.MANDATORY)
    public ClaimRef lock(long claimId) {
        return read(claimId, " for update");
    }

    /** Reads a claim without locking it. */
    public ClaimRef read(long claimId) {
        return read(claimId, "");
    }

    private ClaimRef read(long claimId, String lock) {
        return jdbc.sql("select * from claim where id = ?" + lock).param(claimId)
                .query(ClaimLifecycle::ref)
                .optional()
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound",
                        String.valueOf(claimId)));
    }

    /** Reads claims without locking them, in ID order; IDs of no claim are left out. */
    public List<ClaimRef> readAll(java.util.Collection<Long> claimIds) {
        return jdbc.sql("select * from claim where id = any(?) order by id").param(claimIds.toArray(Long[]::new))
                .query(ClaimLifecycle::ref).list();
    }

    private static ClaimRef ref(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new ClaimRef(rs.getLong("id"), rs.getString("engagement_id"),
                rs.getString("partner_id"), rs.getString("location_id"), rs.getString("created_by"),
                rs.getString("customer_key"),
                rs.getString("customer_name"), rs.getString("friendly_name"),
                ClaimStatus.valueOf(rs.getString("status")), ClaimQueries.instant(rs, "consent_due_at"),
                rs.getBigDecimal("estimated_deal_size_usd"), ClaimQueries.instant(rs, "consent_email_sent_at"),
                new ClaimView.Contact(rs.getString("customer_contact_name"),
                        rs.getString("customer_contact_email"), rs.getString("customer_contact_phone"),
                        rs.getString("customer_contact_language")),
                new ClaimView.Contact(rs.getString("partner_contact_name"),
                        rs.getString("partner_contact_email"), rs.getString("partner_contact_phone"), null),
                ClaimQueries.instant(rs, "consent_received_at"), ClaimQueries.deadlines(rs),
                ClaimQueries.instant(rs, "submitted_at"), ClaimQueries.instant(rs, "disputed_at"),
                (Integer) rs.getObject("hours"), rs.getBigDecimal("proposed_payout_usd"),
                rs.getBigDecimal("approved_payout_usd"), rs.getString("payout_market"));
    }

    /**
     * {@code CUSTOMER_CLAIMED → AWAITING_CONSENT}: the consent email goes out. The estimated deal
     * size is set here, once; it can never change afterwards.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requestConsent(ClaimRef claim, BigDecimal dealSizeUsd, ClaimView.Contact customer,
                               ClaimView.Contact partner, Actor actor, Instant now) {
        requireStatus(claim, ClaimStatus.CUSTOMER_CLAIMED);
        if (now.isAfter(claim.consentDueAt())) {
            throw refusal("CONSENT_DEADLINE_PASSED", "consent.deadlinePassed");
        }
        int moved = jdbc.sql("""
                        update claim set status = 'AWAITING_CONSENT', estimated_deal_size_usd = ?,
                            consent_requested_at = ?, consent_email_sent_at = ?, customer_contact_name = ?,
                            customer_contact_email = ?, customer_contact_phone = ?, customer_contact_language = ?,
                            partner_contact_name = ?, partner_contact_email = ?, partner_contact_phone = ?,
                            updated_at = ?, version = version + 1
                        where id = ? and status = 'CUSTOMER_CLAIMED' and estimated_deal_size_usd is null""")
                .params(dealSizeUsd, Timestamp.from(now), Timestamp.from(now), customer.name(), customer.email(),
                        customer.phone(), customer.language(), partner.name(), partner.email(), partner.phone(),
                        Timestamp.from(now), claim.id())
                .update();
        if (moved == 0) {
            // The deal size was already set: it is fixed once the consent email has gone out.
            throw invalidStatus(claim);
        }
        ClaimHistory.append(jdbc, claim.id(), now, actor.type(), actor.name(), "CONSENT_REQUESTED",
                ClaimStatus.CUSTOMER_CLAIMED, ClaimStatus.AWAITING_CONSENT,
                "Estimated deal size USD " + dealSizeUsd.toPlainString());
        events.publishEvent(new ConsentRequested(claim.id(), claim.engagementId(), claim.partnerId(),
                claim.locationId(), claim.customerKey(), claim.customerName(), claim.friendlyName(), dealSizeUsd,
                claim.hours(), partner, actor.name(), now));
    }

    /** A new consent email for an awaiting claim (status unchanged): at most once per 24 hours. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordReminder(ClaimRef claim, Actor actor, Instant now) {
        requireStatus(claim, ClaimStatus.AWAITING_CONSENT);
        if (claim.consentEmailSentAt() != null && now.isBefore(claim.consentEmailSentAt().plus(Duration.ofHours(24)))) {
            throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, "RESEND_TOO_SOON", "consent.resendTooSoon",
                    List.of(), List.of(), java.util.Map.of("retryAfter", claim.consentEmailSentAt().plus(Duration.ofHours(24)).toString()));
        }
        if (now.isAfter(claim.consentDueAt())) {
            throw refusal("CONSENT_DEADLINE_PASSED", "consent.deadlinePassed");
        }
        jdbc.sql("update claim set consent_email_sent_at = ?, updated_at = ?, version = version + 1 where id = ?")
                .params(Timestamp.from(now), Timestamp.from(now), claim.id()).update();
        ClaimHistory.append(jdbc, claim.id(), now, actor.type(), actor.name(), "CONSENT_REMINDER_SENT",
                ClaimStatus.AWAITING_CONSENT, ClaimStatus.AWAITING_CONSENT, null);
    }

    /** A claim canceled because another partner's customer consent came first. */
    public record Superseded(long claimId, String createdBy, String partnerContactEmail, String partnerContactName,
                             String friendlyName, String customerName) {}

    /**
     * {@code AWAITING_CONSENT → CONSENT_RECEIVED}, the first consent wins: under the lock on the
     * (engagement, customer key) pair that nominations take too, the claim must still await
     * consent and no other partner may hold consent or be engaged. The other partners' pre-consent
     * claims for the pair are canceled in the same transaction, which also kills their links. The
     * key becomes a known customer of the partner. Returns the canceled claims.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Superseded> recordConsent(ClaimRef claim, Instant now) {
        lockPair(claim.engagementId(), claim.customerKey());
        ClaimStatus current = currentStatus(claim.id());
        if (current != ClaimStatus.AWAITING_CONSENT) {
            throw refusal("CONSENT_CLOSED", "consent.closed");
        }
        long heldElsewhere = jdbc.sql("""
                        select count(*) from claim where engagement_id = ? and customer_key = ? and partner_id <> ?
                          and status in %s""".formatted(ClaimStatus.sqlList(ClaimStatus.ENGAGED_OR_CONSENTED)))
                .params(claim.engagementId(), claim.customerKey(), claim.partnerId()).query(Long.class).single();
        if (heldElsewhere > 0) {
            throw refusal("CONSENT_CLOSED", "consent.closed");
        }
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        jdbc.sql("""
                        update claim set status = 'CONSENT_RECEIVED', consent_received_at = ?, first_submission_due_at = ?,
                            review_due_at = ?, updated_at = ?, version = version + 1
                        where id = ? and status = 'AWAITING_CONSENT'""")
                .params(Timestamp.from(now), Timestamp.from(now.plus(Duration.ofDays(engagement.deadlines().firstSubmissionDays()))),
                        Timestamp.from(now.plus(Duration.ofDays(engagement.deadlines().reviewDays()))), Timestamp.from(now),
                        claim.id())
                .update();
        ClaimHistory.append(jdbc, claim.id(), now, Actor.CUSTOMER.type(), claim.customerContact().email(),
                "CONSENT_ACCEPTED", ClaimStatus.AWAITING_CONSENT, ClaimStatus.CONSENT_RECEIVED, null);
        events.publishEvent(new ConsentReceived(claim.id(), claim.engagementId(), claim.customerKey(), now));
        jdbc.sql("""
                        insert into known_customer (partner_id, customer_key, identifier_type, identifier_value,
                            customer_name, last_claim_id, consented_at)
                        select partner_id, customer_key, identifier_type, identifier_value, customer_name, id, ?
                        from claim where id = ?
                        on conflict (partner_id, customer_key) do update set identifier_type = excluded.identifier_type,
                            identifier_value = excluded.identifier_value, customer_name = excluded.customer_name,
                            last_claim_id = excluded.last_claim_id, consented_at = excluded.consented_at""")
                .params(Timestamp.from(now), claim.id()).update();

        List<Superseded> superseded = jdbc.sql("""
                        update claim set status = 'CANCELED', status_reason = 'CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER',
                            updated_at = ?, version = version + 1
                        where engagement_id = ? and customer_key = ? and partner_id <> ?
                          and status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT')
                        returning id, created_by, partner_contact_email, partner_contact_name, friendly_name, customer_name""")
                .params(Timestamp.from(now), claim.engagementId(), claim.customerKey(), claim.partnerId())
                .query((rs, n) -> new Superseded(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6)))
                .list();
        for (Superseded s : superseded) {
            ClaimHistory.append(jdbc, s.claimId(), now, Actor.SYSTEM.type(), Actor.SYSTEM.name(), "CANCELED",
                    null, ClaimStatus.CANCELED, "CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER");
            events.publishEvent(new ClaimClosed(s.claimId(), ClaimStatus.CANCELED,
                    "CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER", now));
        }
        return superseded;
    }

    /** {@code AWAITING_CONSENT → CONSENT_DECLINED}, with the customer's optional reason. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordDecline(ClaimRef claim, String reason, Instant now) {
        int moved = jdbc.sql("""
                        update claim set status = 'CONSENT_DECLINED', status_reason = ?, updated_at = ?, version = version + 1
                        where id = ? and status = 'AWAITING_CONSENT'""")
                .params(reason, Timestamp.from(now), claim.id()).update();
        if (moved == 0) {
            throw refusal("CONSENT_CLOSED", "consent.closed");
        }
        ClaimHistory.append(jdbc, claim.id(), now, Actor.CUSTOMER.type(), claim.customerContact().email(),
                "CONSENT_DECLINED", ClaimStatus.AWAITING_CONSENT, ClaimStatus.CONSENT_DECLINED, reason);
        events.publishEvent(new ClaimClosed(claim.id(), ClaimStatus.CONSENT_DECLINED, reason, now));
    }

    // ------------------------------------------------------------------ after consent

    /** {@code → CANCELED} with the partner's reason: the table allows it only before the first submission. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void cancel(ClaimRef claim, String reason, Actor actor, Instant now) {
        move(claim, ClaimStatus.CANCELED, actor, "CANCELED", reason, reason, now, "", Map.of());
    }

    /**
     * {@code CONSENT_RECEIVED → SUBMITTED} (first submission) or {@code PARTNER_ACTION_REQUIRED →
     * SUBMITTED} (resubmission), before the deadline of the status the claim is in.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void submit(ClaimRef claim, LocalDate executionDate, Actor actor, Instant now) {
        requireTransition(claim, ClaimStatus.SUBMITTED);
        boolean resubmission = claim.status() == ClaimStatus.PARTNER_ACTION_REQUIRED;
        Instant due = resubmission ? claim.deadlines().actionDueAt() : claim.deadlines().firstSubmissionDueAt();
        if (due != null && !now.isBefore(due)) {
            throw refusal("SUBMISSION_DEADLINE_PASSED", "claim.submit.deadlinePassed");
        }
        move(claim, ClaimStatus.SUBMITTED, actor, resubmission ? "RESUBMITTED" : "SUBMITTED", null,
                "Execution date " + executionDate, now,
                "submitted_at = coalesce(submitted_at, :now), last_submitted_at = :now, execution_date = :executionDate,"
                        + " action_due_at = null", Map.of("executionDate", executionDate));
    }

    /** {@code SUBMITTED} or {@code DISPUTED → UNDER_REVIEW}: a reviewer takes the claim. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void startReview(ClaimRef claim, Actor reviewer, Instant now) {
        move(claim, ClaimStatus.UNDER_REVIEW, reviewer, "REVIEW_STARTED", null, null, now, "", Map.of());
    }

    /**
     * {@code UNDER_REVIEW → PARTNER_ACTION_REQUIRED}: the partner has {@code actionRequiredDays} to
     * resubmit. The checklist and comment are kept for the partner's resubmission form.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void requestAction(ClaimRef claim, List<ReviewReason> checklist, String comment, Actor reviewer, Instant now) {
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        Instant due = now.plus(Duration.ofDays(engagement.deadlines().actionRequiredDays()));
        move(claim, ClaimStatus.PARTNER_ACTION_REQUIRED, reviewer, "ACTION_REQUESTED", comment, comment, now,
                "action_due_at = :due", Map.of("due", Timestamp.from(due)));
        note(claim, "REQUEST_ACTION", checklist, comment, reviewer, now);
    }

    /**
     * {@code UNDER_REVIEW → REJECTED}, which opens the dispute window; after a dispute the
     * rejection is final instead ({@code REJECTED_FINAL}).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public ClaimStatus reject(ClaimRef claim, List<ReviewReason> checklist, String comment, Actor reviewer, Instant now) {
        if (claim.disputedAt() != null) {
            move(claim, ClaimStatus.REJECTED_FINAL, reviewer, "REJECTED_FINAL", comment, comment, now,
                    "rejected_at = :now", Map.of());
            note(claim, "REJECT", checklist, comment, reviewer, now);
            return ClaimStatus.REJECTED_FINAL;
        }
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        Instant due = now.plus(Duration.ofDays(engagement.deadlines().disputeDays()));
        move(claim, ClaimStatus.REJECTED, reviewer, "REJECTED", comment, comment, now,
                "rejected_at = :now, dispute_due_at = :due", Map.of("due", Timestamp.from(due)));
        note(claim, "REJECT", checklist, comment, reviewer, now);
        return ClaimStatus.REJECTED;
    }

    /** {@code REJECTED → DISPUTED}, once, inside the dispute window; a rejection after it is final. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void dispute(ClaimRef claim, String reason, Actor actor, Instant now) {
        requireTransition(claim, ClaimStatus.DISPUTED);
        if (claim.disputedAt() != null) {
            throw refusal("ALREADY_DISPUTED", "claim.dispute.once");
        }
        Instant due = claim.deadlines().disputeDueAt();
        if (due != null && !now.isBefore(due)) {
            throw refusal("DISPUTE_DEADLINE_PASSED", "claim.dispute.deadlinePassed");
        }
        move(claim, ClaimStatus.DISPUTED, actor, "DISPUTED", null, reason, now, "disputed_at = :now", Map.of());
    }

    /**
     * {@code UNDER_REVIEW → APPROVED}: the payout amount is fixed now, from the amount the claim
     * snapshotted when it was created (FIXED: the market's amount; VARIABLE: hours on the rate card
     * in force then, capped). Returns the amount.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public BigDecimal approve(ClaimRef claim, String comment, Actor reviewer, Instant now) {
        requireTransition(claim, ClaimStatus.APPROVED);
        BigDecimal amount = payoutAmount(claim);
        move(claim, ClaimStatus.APPROVED, reviewer, "APPROVED", null,
                "Payout USD " + amount.toPlainString() + (comment == null ? "" : " — " + comment), now,
                "approved_at = :now, approved_payout_usd = :amount", Map.of("amount", amount));
        note(claim, "APPROVE", List.of(), comment, reviewer, now);
        return amount;
    }

    /** {@code APPROVED → COMPLETED}: the payout of the approved amount was made. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void recordPayout(ClaimRef claim, BigDecimal amount, LocalDate paidOn, String reference, Actor reviewer,
                             Instant now) {
        move(claim, ClaimStatus.COMPLETED, reviewer, "PAYOUT_RECORDED", null,
                "Paid USD " + amount.toPlainString() + " on " + paidOn + ", reference " + reference, now,
                "paid_usd = :amount, paid_on = :paidOn, payout_reference = :reference, completed_at = :now",
                Map.of("amount", amount, "paidOn", paidOn, "reference", reference));
    }

    /** The status a claim falls into when the deadline of the status it is in passes. */
    private static final Map<ClaimStatus, ClaimStatus> EXPIRES_INTO = Map.of(
            ClaimStatus.CUSTOMER_CLAIMED, ClaimStatus.CONSENT_EXPIRED,
            ClaimStatus.AWAITING_CONSENT, ClaimStatus.CONSENT_EXPIRED,
            ClaimStatus.CONSENT_RECEIVED, ClaimStatus.NOT_SUBMITTED_EXPIRED,
            ClaimStatus.PARTNER_ACTION_REQUIRED, ClaimStatus.POST_SUBMISSION_EXPIRED,
            ClaimStatus.REJECTED, ClaimStatus.DISPUTE_EXPIRED);

    /**
     * A deadline passed: the system moves the claim into {@code to}, if that is where its current
     * status expires into and the deadline of that status is due. Returns false otherwise, and
     * when another server (or the partner) moved it first.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean expire(ClaimRef claim, ClaimStatus to, Instant now) {
        return !expireAll(List.of(claim), to, now).isEmpty();
    }

    /**
     * {@link #expire} for many claims at once, as the deadline job takes them: the same guard for
     * each claim (it expires into {@code to} and its deadline is due), one conditional update for
     * all of them (each on the status it was read in), one history entry per claim moved and its
     * {@link ClaimClosed}. Returns the claims it moved, as they were read.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<ClaimRef> expireAll(List<ClaimRef> claims, ClaimStatus to, Instant now) {
        List<ClaimRef> due = claims.stream().filter(claim -> {
            ClaimView.Deadline deadline = claim.deadlines().next(claim.status());
            return EXPIRES_INTO.get(claim.status()) == to && deadline != null && !deadline.at().isAfter(now);
        }).toList();
        if (due.isEmpty()) {
            return List.of();
        }
        java.util.Set<Long> moved = new java.util.HashSet<>(jdbc.sql("""
                        update claim c set status = :to, status_reason = 'DEADLINE_PASSED', updated_at = :now,
                            version = c.version + 1
                        from unnest(:ids, :froms) as d(id, from_status)
                        where c.id = d.id and c.status = d.from_status
                        returning c.id""")
                .param("to", to.name()).param("now", Timestamp.from(now))
                .param("ids", due.stream().map(ClaimRef::id).toArray(Long[]::new))
                .param("froms", due.stream().map(c -> c.status().name()).toArray(String[]::new))
                .query(Long.class).list());
        List<ClaimRef> expired = due.stream().filter(c -> moved.contains(c.id())).toList();
        if (expired.isEmpty()) {
            return expired;
        }
        jdbc.sql("""
                        insert into claim_history (claim_id, at, actor_type, actor, action, from_status, to_status)
                        select d.id, :now, :actorType, :actor, 'EXPIRED', d.from_status, :to
                        from unnest(:ids, :froms) with ordinality as d(id, from_status, n) order by d.n""")
                .param("now", Timestamp.from(now)).param("actorType", Actor.SYSTEM.type())
                .param("actor", Actor.SYSTEM.name()).param("to", to.name())
                .param("ids", expired.stream().map(ClaimRef::id).toArray(Long[]::new))
                .param("froms", expired.stream().map(c -> c.status().name()).toArray(String[]::new))
                .update();
        expired.forEach(claim -> events.publishEvent(new ClaimClosed(claim.id(), to, "DEADLINE_PASSED", now)));
        return expired;
    }

    /** The amount an approval fixes. Claims created before amounts were snapshotted fall back to today's table. */
    public BigDecimal payoutAmount(ClaimRef claim) {
        if (claim.proposedPayoutUsd() != null) {
            return claim.proposedPayoutUsd();
        }
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        Market market = claim.payoutMarket() != null ? Market.valueOf(claim.payoutMarket())
                : program.marketOf(program.location(claim.locationId()).orElseThrow().country());
        BigDecimal amount = engagement.fixedPayouts().get(market);
        if (amount == null) {
            throw refusal("NO_PAYOUT_FOR_MARKET", "review.noPayoutForMarket");
        }
        return amount;
    }

    /**
     * The one guarded move every verb above goes through: the transition table must allow it, and
     * the conditional update proves nobody moved the claim since it was read.
     */
    private void move(ClaimRef claim, ClaimStatus to, Actor actor, String action, String reason, String detail,
                      Instant now, String set, Map<String, Object> params) {
        requireTransition(claim, to);
        JdbcClient.StatementSpec update = jdbc.sql("update claim set status = :to, status_reason = :reason,"
                        + " updated_at = :now, version = version + 1" + (set.isEmpty() ? "" : ", " + set)
                        + " where id = :id and status = :from")
                .param("to", to.name()).param("reason", reason).param("now", Timestamp.from(now))
                .param("id", claim.id()).param("from", claim.status().name());
        for (Map.Entry<String, Object> param : params.entrySet()) {
            update = update.param(param.getKey(), param.getValue());
        }
        if (update.update() == 0) {
            throw invalidStatus(claim);
        }
        ClaimHistory.append(jdbc, claim.id(), now, actor.type(), actor.name(), action, claim.status(), to, detail);
        if (to.isTerminal()) {
            events.publishEvent(new ClaimClosed(claim.id(), to, reason, now));
        }
    }

    private void note(ClaimRef claim, String decision, List<ReviewReason> checklist, String comment, Actor reviewer,
                      Instant now) {
        jdbc.sql("insert into claim_review_note (claim_id, at, reviewer, decision, checklist, comment) values (?, ?, ?, ?, ?, ?)")
                .params(claim.id(), Timestamp.from(now), reviewer.name(), decision,
                        checklist.stream().map(Enum::name).toArray(String[]::new), comment)
                .update();
    }

    private static void requireTransition(ClaimRef claim, ClaimStatus to) {
        if (!claim.status().canMoveTo(to)) {
            throw invalidStatus(claim);
        }
    }

    /**
     * Takes the (engagement, customer key) lock that nominations and consents serialize on. Take it
     * before locking any claim row: the winner of a consent race updates the other partners'
     * claims, so a loser holding its own row while waiting here would deadlock with it.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void lockPair(ClaimRef claim) {
        lockPair(claim.engagementId(), claim.customerKey());
    }

    private void lockPair(String engagementId, String customerKey) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param(engagementId + "|" + customerKey)
                .query().listOfRows();
    }

    private ClaimStatus currentStatus(long claimId) {
        return ClaimStatus.valueOf(jdbc.sql("select status from claim where id = ?").param(claimId)
                .query(String.class).single());
    }

    /** The claim (locked by {@link #lock}) must be in {@code required} for the verb to apply. */
    private static void requireStatus(ClaimRef claim, ClaimStatus required) {
        if (claim.status() != required) {
            throw invalidStatus(claim);
        }
    }

    /** The refusal for a verb the claim's status does not allow, naming the status. */
    static ProblemException invalidStatus(ClaimRef claim) {
        return new ProblemException(HttpStatus.CONFLICT, "INVALID_STATUS", "problem.claim.invalidStatus",
                List.of(claim.status().name()), List.of(), java.util.Map.of("status", claim.status().name()));
    }

    private static ProblemException refusal(String code, String key) {
        return new ProblemException(HttpStatus.CONFLICT, code, key, List.of(), List.of(), java.util.Map.of());
    }
}
