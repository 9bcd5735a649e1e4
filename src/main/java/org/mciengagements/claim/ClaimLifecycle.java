package org.mciengagements.claim;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The guarded transitions of a claim around consent. Each verb is one conditional
 * {@code UPDATE … WHERE status = <expected>}: when two requests race, exactly one moves the claim
 * and the other finds it already moved. Every transition appends to the claim's history.
 */
@Service
public class ClaimLifecycle {

    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;

    ClaimLifecycle(JdbcClient jdbc, EngagementCatalog catalog) {
        this.jdbc = jdbc;
        this.catalog = catalog;
    }

    /** A party acting on a claim, for its history. */
    public record Actor(String type, String name) {
        public static Actor partner(String username) {
            return new Actor("PARTNER_USER", username);
        }

        public static final Actor CUSTOMER = new Actor("CUSTOMER", "customer");
        public static final Actor SYSTEM = new Actor("SYSTEM", "system");
    }

    /** A claim's facts a consent step needs. */
    public record ClaimRef(long id, String engagementId, String partnerId, String locationId, String createdBy,
                           String customerKey,
                           String customerName, String friendlyName, ClaimStatus status, Instant consentDueAt,
                           BigDecimal estimatedDealSizeUsd, Instant consentEmailSentAt,
                           ClaimView.Contact customerContact, ClaimView.Contact partnerContact) {}

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
                .query((rs, n) -> new ClaimRef(rs.getLong("id"), rs.getString("engagement_id"),
                        rs.getString("partner_id"), rs.getString("location_id"), rs.getString("created_by"),
                        rs.getString("customer_key"),
                        rs.getString("customer_name"), rs.getString("friendly_name"),
                        ClaimStatus.valueOf(rs.getString("status")), ClaimQueries.instant(rs, "consent_due_at"),
                        rs.getBigDecimal("estimated_deal_size_usd"), ClaimQueries.instant(rs, "consent_email_sent_at"),
                        new ClaimView.Contact(rs.getString("customer_contact_name"),
                                rs.getString("customer_contact_email"), rs.getString("customer_contact_phone"),
                                rs.getString("customer_contact_language")),
                        new ClaimView.Contact(rs.getString("partner_contact_name"),
                                rs.getString("partner_contact_email"), rs.getString("partner_contact_phone"), null)))
                .optional()
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound",
                        String.valueOf(claimId)));
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

    private static ProblemException invalidStatus(ClaimRef claim) {
        return new ProblemException(HttpStatus.CONFLICT, "INVALID_STATUS", "problem.claim.invalidStatus",
                List.of(claim.status().name()), List.of(), java.util.Map.of("status", claim.status().name()));
    }

    private static ProblemException refusal(String code, String key) {
        return new ProblemException(HttpStatus.CONFLICT, code, key, List.of(), List.of(), java.util.Map.of());
    }
}
