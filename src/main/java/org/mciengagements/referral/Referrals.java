package org.mciengagements.referral;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.program.Partner;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Referrals as their users see and work them: the list, one referral, and the decisions on it.
 * Visibility is decided once, by {@link Viewer}: a partner's referral administrators see all of
 * their partner's referrals and may take every decision the status allows; sellers see co-sell
 * referrals of every partner and may only accept them. A referral outside the caller's view is
 * answered exactly as one that does not exist.
 */
@Service
public class Referrals {

    static final int MAX_COMMENT = 1000;

    private final JdbcClient jdbc;
    private final ReferralLifecycle lifecycle;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;

    Referrals(JdbcClient jdbc, ReferralLifecycle lifecycle, EngagementCatalog catalog, ProgramDirectory program) {
        this.jdbc = jdbc;
        this.lifecycle = lifecycle;
        this.catalog = catalog;
        this.program = program;
    }

    /**
     * What a caller may see and do with referrals.
     *
     * @param partnerId the partner whose referrals the caller administers, or null
     * @param seller    whether the caller sees co-sell referrals as a seller
     */
    public record Viewer(String username, String partnerId, boolean seller) {

        /** Refuses callers with neither role: partner users without it see that a referral exists, nothing more. */
        public static Viewer of(CurrentUser user) {
            String partner = user.isPartnerUser() && user.has(GlobalRole.REFERRAL_ADMIN) ? user.partnerId() : null;
            boolean seller = user.has(GlobalRole.SELLER);
            if (partner == null && !seller) {
                throw ProblemException.forbidden("REFERRAL_ROLE_REQUIRED", "problem.forbidden.referralRole");
            }
            return new Viewer(user.username(), partner, seller);
        }

        boolean administers(String referralPartnerId) {
            return referralPartnerId.equals(partnerId);
        }

        public boolean sees(String referralPartnerId, boolean coSell) {
            return administers(referralPartnerId) || (seller && coSell);
        }

        /** The decisions the caller's roles allow on a referral, whatever its status. */
        Set<ReferralDecision> mayDecide(String referralPartnerId, boolean coSell) {
            if (administers(referralPartnerId)) {
                return EnumSet.allOf(ReferralDecision.class);
            }
            return seller && coSell ? EnumSet.of(ReferralDecision.ACCEPT) : EnumSet.noneOf(ReferralDecision.class);
        }
    }

    /** List filters; null means "any". {@code q} matches customer, claim name, customer key, referral or claim ID. */
    public record Filter(ReferralStatus status, Boolean coSell, String q) {}

    /** The caller's referrals, newest first, keyset-paged by referral ID. */
    public Cursor.Page<ReferralSummary> list(CurrentUser user, Filter filter, Cursor cursor, int limit) {
        Viewer viewer = Viewer.of(user);
        StringBuilder sql = new StringBuilder("select * from referral where (");
        Map<String, Object> params = new HashMap<>(Map.of("limit", limit + 1));
        List<String> scopes = new ArrayList<>();
        if (viewer.partnerId() != null) {
            scopes.add("partner_id = :partner");
            params.put("partner", viewer.partnerId());
        }
        if (viewer.seller()) {
            scopes.add("co_sell");
        }
        sql.append(String.join(" or ", scopes)).append(')');
        if (filter.status() != null) {
            sql.append(" and status = :status");
            params.put("status", filter.status().name());
        }
        if (filter.coSell() != null) {
            sql.append(" and co_sell = :coSell");
            params.put("coSell", filter.coSell());
        }
        if (filter.q() != null && !filter.q().isBlank()) {
            String term = filter.q().strip();
            sql.append(" and (strpos(lower(customer_name), lower(:q)) > 0 or strpos(lower(claim_name), lower(:q)) > 0"
                    + " or strpos(lower(customer_key), lower(:q)) > 0");
            if (term.matches("[0-9]{1,18}")) {
                sql.append(" or id = :qId or claim_id = :qId");
                params.put("qId", Long.parseLong(term));
            }
            sql.append(')');
            params.put("q", term);
        }
        if (cursor != null) {
            sql.append(" and id < :after");
            params.put("after", parseId(cursor.id()));
        }
        sql.append(" order by id desc limit :limit");
        List<ReferralSummary> rows = jdbc.sql(sql.toString()).params(params).query(this::summary).list();
        if (rows.size() <= limit) {
            return new Cursor.Page<>(rows, null);
        }
        List<ReferralSummary> page = List.copyOf(rows.subList(0, limit));
        String last = Long.toString(page.getLast().id());
        return new Cursor.Page<>(page, new Cursor(last, last).encode());
    }

    /** One referral the caller may see, with the decisions they may take on it now; else 404. */
    public ReferralView find(CurrentUser user, long referralId) {
        Viewer viewer = Viewer.of(user);
        return read(referralId).filter(r -> viewer.sees(r.partnerId(), r.coSell()))
                .map(r -> withDecisions(r, viewer))
                .orElseThrow(() -> notFound(referralId));
    }

    /** A decision as the caller sends it. */
    public record DecisionRequest(String decision, String comment) {}

    /**
     * Takes a decision on a referral. Refused: 404 when the caller may not see it, 400 for a missing or
     * unknown decision or a too long comment, 403 when the caller's role does not allow the decision
     * (sellers only accept), 409 when the referral's status does not.
     */
    @Transactional
    public ReferralView decide(CurrentUser user, long referralId, DecisionRequest request, Instant now) {
        Viewer viewer = Viewer.of(user);
        ReferralLifecycle.Locked referral = lifecycle.lock(referralId)
                .filter(r -> viewer.sees(r.partnerId(), r.coSell()))
                .orElseThrow(() -> notFound(referralId));
        List<FieldProblem> problems = new ArrayList<>();
        ReferralDecision decision = null;
        if (request == null || request.decision() == null || request.decision().isBlank()) {
            problems.add(new FieldProblem("decision", "REQUIRED", "referral.decision.required"));
        } else {
            try {
                decision = ReferralDecision.valueOf(request.decision().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new FieldProblem("decision", "INVALID_VALUE", "referral.decision.invalid"));
            }
        }
        String comment = request == null || request.comment() == null || request.comment().isBlank() ? null
                : request.comment().strip();
        if (comment != null && comment.length() > MAX_COMMENT) {
            problems.add(new FieldProblem("comment", "TOO_LONG", "referral.comment.tooLong", List.of(MAX_COMMENT)));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        if (!viewer.mayDecide(referral.partnerId(), referral.coSell()).contains(decision)) {
            throw ProblemException.forbidden("REFERRAL_READ_ONLY", "problem.referral.readOnly");
        }
        ReferralLifecycle.Actor actor = viewer.administers(referral.partnerId())
                ? ReferralLifecycle.Actor.partner(user.username()) : ReferralLifecycle.Actor.seller(user.username());
        lifecycle.decide(referral, decision, actor, comment, now);
        return find(user, referralId);
    }

    /**
     * The referral made from a claim, without a visibility check: for the claim's details (which say
     * only that it exists and where it stands) and for the demo loader.
     */
    public Optional<ReferralSummary> ofClaim(long claimId) {
        return jdbc.sql("select * from referral where claim_id = ?").param(claimId).query(this::summary).optional();
    }

    private ReferralView withDecisions(ReferralView view, Viewer viewer) {
        List<ReferralDecision> allowed = viewer.mayDecide(view.partnerId(), view.coSell()).stream()
                .filter(d -> view.subStatus().canMoveTo(d.target())).toList();
        return new ReferralView(view.id(), view.claimId(), view.claimName(), view.engagementId(), view.engagementName(),
                view.partnerId(), view.partnerName(), view.locationId(), view.customerKey(), view.customerName(),
                view.estimatedDealSizeUsd(), view.hours(), view.partnerContact(), view.status(), view.subStatus(),
                view.coSell(), view.coSellAt(), view.createdAt(), view.createdBy(), view.updatedAt(), view.closedAt(),
                view.history(), allowed);
    }

    private Optional<ReferralView> read(long referralId) {
        return jdbc.sql("select * from referral where id = ?").param(referralId)
                .query((rs, n) -> new ReferralView(rs.getLong("id"), rs.getLong("claim_id"), rs.getString("claim_name"),
                        rs.getString("engagement_id"), engagementName(rs.getString("engagement_id")),
                        rs.getString("partner_id"), partnerName(rs.getString("partner_id")), rs.getString("location_id"),
                        rs.getString("customer_key"), rs.getString("customer_name"),
                        rs.getBigDecimal("estimated_deal_size_usd"), (Integer) rs.getObject("hours"),
                        new ReferralView.Contact(rs.getString("partner_contact_name"),
                                rs.getString("partner_contact_email"), rs.getString("partner_contact_phone")),
                        ReferralStatus.valueOf(rs.getString("status")),
                        ReferralSubStatus.valueOf(rs.getString("sub_status")), rs.getBoolean("co_sell"),
                        instant(rs, "co_sell_at"), instant(rs, "created_at"), rs.getString("created_by"),
                        instant(rs, "updated_at"), instant(rs, "closed_at"), history(referralId), List.of()))
                .optional();
    }

    private List<ReferralView.HistoryEntry> history(long referralId) {
        return jdbc.sql("""
                        select at, actor_type, actor, action, from_sub_status, to_sub_status, detail
                        from referral_history where referral_id = ? order by id""")
                .param(referralId)
                .query((rs, n) -> new ReferralView.HistoryEntry(instant(rs, "at"), rs.getString("actor_type"),
                        rs.getString("actor"), ReferralAction.valueOf(rs.getString("action")), subStatus(rs, "from_sub_status"),
                        subStatus(rs, "to_sub_status"), rs.getString("detail")))
                .list();
    }

    private ReferralSummary summary(ResultSet rs, int row) throws SQLException {
        return new ReferralSummary(rs.getLong("id"), rs.getLong("claim_id"), rs.getString("engagement_id"),
                engagementName(rs.getString("engagement_id")), rs.getString("partner_id"),
                partnerName(rs.getString("partner_id")), rs.getString("location_id"), rs.getString("customer_name"),
                rs.getString("claim_name"), rs.getBigDecimal("estimated_deal_size_usd"),
                ReferralStatus.valueOf(rs.getString("status")), ReferralSubStatus.valueOf(rs.getString("sub_status")),
                rs.getBoolean("co_sell"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private String engagementName(String engagementId) {
        return catalog.find(engagementId).map(Engagement::name).orElse(engagementId);
    }

    private String partnerName(String partnerId) {
        return program.partner(partnerId).map(Partner::name).orElse(partnerId);
    }

    static ProblemException notFound(long referralId) {
        return ProblemException.notFound("REFERRAL_NOT_FOUND", "problem.referral.notFound", String.valueOf(referralId));
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("cursor", "INVALID_CURSOR", "problem.cursor.invalid");
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static ReferralSubStatus subStatus(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : ReferralSubStatus.valueOf(value);
    }
}
