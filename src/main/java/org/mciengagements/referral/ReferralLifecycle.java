package org.mciengagements.referral;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mciengagements.claim.ConsentRequested;
import org.mciengagements.shared.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The guarded moves of a referral. Every move of its status goes through one private {@link #move}:
 * the transition table ({@link ReferralSubStatus#canMoveTo}) must allow it, the row is locked by the
 * caller, the update is conditional on the sub-status read, and one history row records who, what,
 * before → after. The co-sell upgrade is not a status move: it sets a flag, once, on an open referral.
 */
@Component
class ReferralLifecycle {

    private final JdbcClient jdbc;

    ReferralLifecycle(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Who acted on a referral, for its history. */
    record Actor(String type, String name) {
        static Actor partner(String username) {
            return new Actor("PARTNER_USER", username);
        }

        static Actor seller(String username) {
            return new Actor("SELLER", username);
        }

        static final Actor SYSTEM = new Actor("SYSTEM", "system");
    }

    /** The facts a move needs, read under the row lock. */
    record Locked(long id, long claimId, String partnerId, ReferralSubStatus subStatus, boolean coSell) {}

    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Locked> lock(long referralId) {
        return jdbc.sql("select id, claim_id, partner_id, sub_status, co_sell from referral where id = ? for update")
                .param(referralId).query(ReferralLifecycle::locked).optional();
    }

    @Transactional(propagation = Propagation.MANDATORY)
    Optional<Locked> lockByClaim(long claimId) {
        return jdbc.sql("select id, claim_id, partner_id, sub_status, co_sell from referral where claim_id = ? for update")
                .param(claimId).query(ReferralLifecycle::locked).optional();
    }

    /** The claim facts a referral was created from, as conditions see them ({@link ReferralRules#claimFacts}). */
    Map<String, Object> facts(long referralId) {
        return jdbc.sql("""
                        select engagement_id, partner_id, location_id, customer_key, estimated_deal_size_usd, hours
                        from referral where id = ?""")
                .param(referralId)
                .query((rs, n) -> ReferralRules.claimFacts(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getBigDecimal(5), (Integer) rs.getObject(6)))
                .single();
    }

    /** A partner-led referral for the claim whose consent email just went out: {@code NEW / PENDING}. */
    @Transactional(propagation = Propagation.MANDATORY)
    long create(ConsentRequested claim, String detail) {
        Timestamp at = Timestamp.from(claim.at());
        long id = jdbc.sql("""
                        insert into referral (claim_id, engagement_id, partner_id, location_id, customer_key, customer_name,
                            claim_name, estimated_deal_size_usd, hours, partner_contact_name, partner_contact_email,
                            partner_contact_phone, status, sub_status, created_at, created_by, updated_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        returning id""")
                .params(claim.claimId(), claim.engagementId(), claim.partnerId(), claim.locationId(),
                        claim.customerKey(), claim.customerName(), claim.friendlyName(), claim.estimatedDealSizeUsd(),
                        claim.hours(), claim.partnerContact().name(), claim.partnerContact().email(),
                        claim.partnerContact().phone(), ReferralStatus.NEW.name(), ReferralSubStatus.PENDING.name(), at,
                        claim.requestedBy(), at)
                .query(Long.class).single();
        history(id, claim.at(), Actor.partner(claim.requestedBy()), ReferralAction.CREATED, null,
                ReferralSubStatus.PENDING, detail);
        return id;
    }

    /** Marks an open referral co-sell. Returns false when it is closed or already co-sell. */
    @Transactional(propagation = Propagation.MANDATORY)
    boolean upgradeToCoSell(Locked referral, String detail, Instant now) {
        int updated = jdbc.sql("""
                        update referral set co_sell = true, co_sell_at = ?, updated_at = ?, version = version + 1
                        where id = ? and not co_sell and status <> 'CLOSED'""")
                .params(Timestamp.from(now), Timestamp.from(now), referral.id()).update();
        if (updated == 0) {
            return false;
        }
        history(referral.id(), now, Actor.SYSTEM, ReferralAction.CO_SELL, referral.subStatus(), referral.subStatus(),
                detail);
        return true;
    }

    /** A decision of the people working the referral. */
    @Transactional(propagation = Propagation.MANDATORY)
    void decide(Locked referral, ReferralDecision decision, Actor actor, String comment, Instant now) {
        move(referral, decision.target(), actor, ReferralAction.of(decision), comment, now);
    }

    /** The claim ended before anyone could work with the customer: the referral closes as expired. */
    @Transactional(propagation = Propagation.MANDATORY)
    void expire(Locked referral, String reason, Instant now) {
        move(referral, ReferralSubStatus.EXPIRED, Actor.SYSTEM, ReferralAction.EXPIRED, reason, now);
    }

    private void move(Locked referral, ReferralSubStatus to, Actor actor, ReferralAction action, String detail,
                      Instant now) {
        if (!referral.subStatus().canMoveTo(to)) {
            throw invalidStatus(referral.subStatus());
        }
        int moved = jdbc.sql("""
                        update referral set status = ?, sub_status = ?, updated_at = ?, closed_at = ?,
                            version = version + 1
                        where id = ? and sub_status = ?""")
                .params(to.status().name(), to.name(), Timestamp.from(now), to.isOpen() ? null : Timestamp.from(now),
                        referral.id(), referral.subStatus().name())
                .update();
        if (moved == 0) {
            throw invalidStatus(referral.subStatus());
        }
        history(referral.id(), now, actor, action, referral.subStatus(), to, detail);
    }

    private void history(long referralId, Instant at, Actor actor, ReferralAction action, ReferralSubStatus from,
                         ReferralSubStatus to, String detail) {
        jdbc.sql("""
                        insert into referral_history (referral_id, at, actor_type, actor, action, from_sub_status,
                            to_sub_status, detail)
                        values (?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(referralId, Timestamp.from(at), actor.type(), actor.name(), action.name(),
                        from == null ? null : from.name(), to.name(), detail)
                .update();
    }

    /** The refusal for a decision the referral's sub-status does not allow, naming the status. */
    static ProblemException invalidStatus(ReferralSubStatus current) {
        return new ProblemException(HttpStatus.CONFLICT, "INVALID_STATUS", "problem.referral.invalidStatus",
                List.of(current.status().name(), current.name()), List.of(),
                Map.of("status", current.status().name(), "subStatus", current.name()));
    }

    private static Locked locked(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Locked(rs.getLong("id"), rs.getLong("claim_id"), rs.getString("partner_id"),
                ReferralSubStatus.valueOf(rs.getString("sub_status")), rs.getBoolean("co_sell"));
    }
}
