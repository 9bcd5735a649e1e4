package org.mciengagements.claim;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.IdentifierType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Read models over claims. Every query is scoped by partner and by the locations the caller may
 * see; a claim outside that scope is indistinguishable from a claim that does not exist.
 */
@Service
public class ClaimQueries {

    static final String SUMMARY_COLUMNS = """
            id, engagement_id, location_id, friendly_name, customer_name, identifier_type, identifier_value,
            customer_key, status, consent_due_at, first_submission_due_at, review_due_at, action_due_at,
            dispute_due_at, created_at, updated_at""";

    private final JdbcClient jdbc;
    private final ObjectProvider<ReferralSummaries> referrals;

    ClaimQueries(JdbcClient jdbc, ObjectProvider<ReferralSummaries> referrals) {
        this.jdbc = jdbc;
        this.referrals = referrals;
    }

    /** Which claims a caller may see: one partner, some of its locations. */
    public record Scope(String partnerId, Collection<String> locationIds) {
        String[] locations() {
            return locationIds.toArray(String[]::new);
        }
    }

    public Optional<ClaimView> find(long claimId, Scope scope) {
        return jdbc.sql("""
                        select c.*, (select s.id from claim s where s.previous_claim_id = c.id) as next_claim_id
                        from claim c where id = ? and partner_id = ? and location_id = any(?)""")
                .params(claimId, scope.partnerId(), scope.locations())
                .query((rs, n) -> view(rs, history(claimId), submissions(claimId), reviewNotes(claimId),
                        referral(claimId)))
                .optional();
    }

    /** The claim's referral as its details show it, when the referral module is present and made one. */
    private ClaimView.Referral referral(long claimId) {
        ReferralSummaries summaries = referrals.getIfAvailable();
        return summaries == null ? null : summaries.forClaim(claimId).orElse(null);
    }

    /**
     * Any claim, for reviewers: they work across all partners. Reviewers have no access to referrals,
     * so the claim's referral is left out.
     */
    public Optional<ClaimView> findForReview(long claimId) {
        return jdbc.sql("""
                        select c.*, (select s.id from claim s where s.previous_claim_id = c.id) as next_claim_id
                        from claim c where id = ?""")
                .param(claimId)
                .query((rs, n) -> view(rs, history(claimId), submissions(claimId), reviewNotes(claimId), null))
                .optional();
    }

    /** Submissions, resubmissions and disputes of a claim, oldest first, each with its documents. */
    public List<ClaimView.Submission> submissions(long claimId) {
        Map<Long, List<ClaimView.Document>> documents = new java.util.HashMap<>();
        jdbc.sql("""
                        select id, submission_id, file_name, content_type, size_bytes, sha256
                        from claim_document where claim_id = ? order by id""")
                .param(claimId)
                .query((rs, n) -> documents.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>())
                        .add(new ClaimView.Document(rs.getLong(1), rs.getString(3), rs.getString(4), rs.getInt(5),
                                rs.getString(6))))
                .list();
        return jdbc.sql("""
                        select id, kind, at, by_user, execution_date, comments
                        from claim_submission where claim_id = ? order by id""")
                .param(claimId)
                .query((rs, n) -> new ClaimView.Submission(rs.getLong(1), rs.getString(2), instant(rs, "at"),
                        rs.getString(4), rs.getObject(5, java.time.LocalDate.class), rs.getString(6),
                        List.copyOf(documents.getOrDefault(rs.getLong(1), List.of()))))
                .list();
    }

    public List<ClaimView.ReviewNote> reviewNotes(long claimId) {
        return jdbc.sql("select at, reviewer, decision, checklist, comment from claim_review_note where claim_id = ? order by id")
                .param(claimId)
                .query((rs, n) -> new ClaimView.ReviewNote(instant(rs, "at"), rs.getString(2), rs.getString(3),
                        java.util.Arrays.stream((String[]) rs.getArray(4).getArray()).map(ReviewReason::valueOf).toList(),
                        rs.getString(5)))
                .list();
    }

    public List<ClaimView.HistoryEntry> history(long claimId) {
        return jdbc.sql("""
                        select at, actor_type, actor, action, from_status, to_status, detail
                        from claim_history where claim_id = ? order by id""")
                .param(claimId)
                .query((rs, n) -> new ClaimView.HistoryEntry(instant(rs, "at"), rs.getString("actor_type"),
                        rs.getString("actor"), rs.getString("action"), status(rs, "from_status"),
                        status(rs, "to_status"), rs.getString("detail")))
                .list();
    }

    /** Search filters of the claims list; null means "any". */
    public record Filter(String engagementId, ClaimStatus status, String q) {}

    /** The partner's claims, newest first, keyset-paged by claim ID. */
    public Cursor.Page<ClaimSummary> search(Scope scope, Filter filter, Cursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("select " + SUMMARY_COLUMNS
                + " from claim where partner_id = :partner and location_id = any(:locations)");
        Map<String, Object> params = new java.util.HashMap<>(Map.of("partner", scope.partnerId(),
                "locations", scope.locations(), "limit", limit + 1));
        if (filter.engagementId() != null) {
            sql.append(" and engagement_id = :engagement");
            params.put("engagement", filter.engagementId());
        }
        if (filter.status() != null) {
            sql.append(" and status = :status");
            params.put("status", filter.status().name());
        }
        appendSearch(sql, params, filter.q());
        if (cursor != null) {
            sql.append(" and id < :after");
            params.put("after", parseId(cursor.id()));
        }
        sql.append(" order by id desc limit :limit");
        List<ClaimSummary> rows = jdbc.sql(sql.toString()).params(params).query(ClaimQueries::summary).list();
        return page(rows, limit, s -> new Cursor(Long.toString(s.id()), Long.toString(s.id())));
    }

    /** The statuses in which a claim waits for a reviewer: the queue's default. */
    public static final Set<ClaimStatus> AWAITING_REVIEWER = java.util.EnumSet.of(ClaimStatus.SUBMITTED,
            ClaimStatus.UNDER_REVIEW, ClaimStatus.DISPUTED, ClaimStatus.APPROVED);

    /** The reviewer queue's filters; null means "any". Statuses default to those awaiting a reviewer. */
    public record ReviewFilter(Set<ClaimStatus> statuses, String engagementId, String partnerId, String q,
                               Instant dueBefore) {}

    /** A row of the reviewer queue: the claim, its partner, and the deadline it is worked against. */
    public record ReviewItem(ClaimSummary claim, String partnerId, Instant dueAt, Instant lastSubmittedAt) {}

    /** The deadline a claim in the queue is worked against, in SQL: the review deadline, or the partner's. */
    private static final String QUEUE_DUE = "coalesce(case status when 'PARTNER_ACTION_REQUIRED' then action_due_at"
            + " when 'REJECTED' then dispute_due_at end, review_due_at)";

    /**
     * The reviewer queue across all partners, earliest deadline first, keyset-paged on (deadline,
     * claim ID). The cursor keeps the deadline as the database printed it, so it compares exactly.
     */
    public Cursor.Page<ReviewItem> reviewQueue(ReviewFilter filter, Cursor cursor, int limit) {
        Set<ClaimStatus> statuses = filter.statuses() == null || filter.statuses().isEmpty() ? AWAITING_REVIEWER
                : filter.statuses();
        StringBuilder sql = new StringBuilder("select " + SUMMARY_COLUMNS + ", partner_id, last_submitted_at, "
                + QUEUE_DUE + " as due_at, (" + QUEUE_DUE + ")::text as due_text from claim where status = any(:statuses)");
        Map<String, Object> params = new java.util.HashMap<>(Map.of("statuses", names(statuses), "limit", limit + 1));
        if (filter.engagementId() != null) {
            sql.append(" and engagement_id = :engagement");
            params.put("engagement", filter.engagementId());
        }
        if (filter.partnerId() != null) {
            sql.append(" and partner_id = :partner");
            params.put("partner", filter.partnerId());
        }
        if (filter.dueBefore() != null) {
            sql.append(" and ").append(QUEUE_DUE).append(" < :dueBefore");
            params.put("dueBefore", Timestamp.from(filter.dueBefore()));
        }
        appendSearch(sql, params, filter.q());
        if (cursor != null) {
            sql.append(" and (").append(QUEUE_DUE).append(", id) > (cast(:afterDue as timestamptz), :afterId)");
            params.put("afterDue", cursor.sortValue());
            params.put("afterId", parseId(cursor.id()));
        }
        sql.append(" order by ").append(QUEUE_DUE).append(", id limit :limit");
        List<Map.Entry<ReviewItem, String>> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> Map.entry(new ReviewItem(summary(rs, n), rs.getString("partner_id"),
                        instant(rs, "due_at"), instant(rs, "last_submitted_at")), rs.getString("due_text")))
                .list();
        Cursor.Page<Map.Entry<ReviewItem, String>> page =
                page(rows, limit, e -> new Cursor(e.getValue(), Long.toString(e.getKey().claim().id())));
        return new Cursor.Page<>(page.items().stream().map(Map.Entry::getKey).toList(), page.nextCursor());
    }

    /** All of a partner's claims for one engagement in the given statuses (the Eligible tab's claim rows). */
    public List<ClaimSummary> forEngagement(Scope scope, String engagementId, Set<ClaimStatus> statuses, String q) {
        StringBuilder sql = new StringBuilder("select " + SUMMARY_COLUMNS + " " + """
                 from claim where partner_id = :partner and location_id = any(:locations)
                 and engagement_id = :engagement and status = any(:statuses)""");
        Map<String, Object> params = new java.util.HashMap<>(Map.of("partner", scope.partnerId(),
                "locations", scope.locations(), "engagement", engagementId, "statuses", names(statuses)));
        appendSearch(sql, params, q);
        return jdbc.sql(sql.toString()).params(params).query(ClaimQueries::summary).list();
    }

    /**
     * How claims may be ordered in a keyset page. The cursor keeps the sort value exactly as the
     * database computed it, so collation and case folding always agree with the next query.
     */
    public enum ClaimSort {
        CLAIM("id"), NAME("lower(customer_name)"), STATUS("status");

        final String sql;

        ClaimSort(String sql) {
            this.sql = sql;
        }
    }

    /**
     * A keyset page of a partner's claims for one engagement in the given statuses (the Complete
     * tab). Ordered by the sort expression, then claim ID, so the order is total and stable.
     */
    public Cursor.Page<ClaimSummary> page(Scope scope, String engagementId, Set<ClaimStatus> statuses, String q,
                                          ClaimSort sort, boolean descending, Cursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("select " + SUMMARY_COLUMNS + ", (" + sort.sql + ")::text as sort_value "
                + """
                 from claim where partner_id = :partner and location_id = any(:locations)
                 and engagement_id = :engagement and status in """ + ClaimStatus.sqlList(statuses));
        // The statuses and the page size as literals, not parameters: a plan made once for every
        // execution can then read a partial index on the statuses (claim_complete_by_name for the
        // Complete tab) in page order, knowing how few rows it needs.
        Map<String, Object> params = new java.util.HashMap<>(Map.of("partner", scope.partnerId(),
                "locations", scope.locations(), "engagement", engagementId));
        appendSearch(sql, params, q);
        String comparison = descending ? "<" : ">";
        String direction = descending ? " desc" : " asc";
        if (cursor != null) {
            long afterId = parseId(cursor.id());
            if (sort == ClaimSort.CLAIM) {
                sql.append(" and id ").append(comparison).append(" :afterId");
            } else {
                sql.append(" and (").append(sort.sql).append(", id) ").append(comparison).append(" (:afterValue, :afterId)");
                params.put("afterValue", cursor.sortValue());
            }
            params.put("afterId", afterId);
        }
        sql.append(" order by ");
        if (sort != ClaimSort.CLAIM) {
            sql.append(sort.sql).append(direction).append(", ");
        }
        sql.append("id").append(direction).append(" limit ")
                .append(limit == Integer.MAX_VALUE ? "all" : Long.toString(limit + 1L));
        List<Map.Entry<ClaimSummary, String>> rows = jdbc.sql(sql.toString()).params(params)
                .query((rs, n) -> Map.entry(summary(rs, n), rs.getString("sort_value"))).list();
        Cursor.Page<Map.Entry<ClaimSummary, String>> page =
                page(rows, limit, e -> new Cursor(e.getValue(), Long.toString(e.getKey().id())));
        return new Cursor.Page<>(page.items().stream().map(Map.Entry::getKey).toList(), page.nextCursor());
    }

    /** How many of a partner's claims for one engagement are in the given statuses. */
    public long count(Scope scope, String engagementId, Set<ClaimStatus> statuses, String q) {
        StringBuilder sql = new StringBuilder("""
                select count(*) from claim where partner_id = :partner and location_id = any(:locations)
                 and engagement_id = :engagement and status = any(:statuses)""");
        Map<String, Object> params = new java.util.HashMap<>(Map.of("partner", scope.partnerId(),
                "locations", scope.locations(), "engagement", engagementId, "statuses", names(statuses)));
        appendSearch(sql, params, q);
        return jdbc.sql(sql.toString()).params(params).query(Long.class).single();
    }

    /** Active claims per engagement of a partner, over the given locations: "active customers" counts. */
    public Map<String, Integer> activeCountsByEngagement(Scope scope) {
        Map<String, Integer> counts = new java.util.HashMap<>();
        jdbc.sql("select engagement_id, count(*) from claim where partner_id = ? and location_id = any(?) and status = any(?) group by engagement_id")
                .params(scope.partnerId(), scope.locations(), names(Set.copyOf(ClaimStatus.active())))
                .query((rs, n) -> counts.put(rs.getString(1), rs.getInt(2))).list();
        return counts;
    }

    static void appendSearch(StringBuilder sql, Map<String, Object> params, String q) {
        if (q == null || q.isBlank()) {
            return;
        }
        String term = q.strip();
        sql.append(" and (strpos(lower(customer_name), lower(:q)) > 0 or strpos(lower(friendly_name), lower(:q)) > 0"
                + " or strpos(lower(identifier_value), lower(:q)) > 0 or strpos(lower(customer_key), lower(:q)) > 0");
        if (term.matches("[0-9]{1,18}")) {
            sql.append(" or id = :qId");
            params.put("qId", Long.parseLong(term));
        }
        sql.append(')');
        params.put("q", term);
    }

    private static <T> Cursor.Page<T> page(List<T> rows, int limit, java.util.function.Function<T, Cursor> cursorOf) {
        if (rows.size() <= limit) {
            return new Cursor.Page<>(rows, null);
        }
        List<T> items = new ArrayList<>(rows.subList(0, limit));
        return new Cursor.Page<>(items, cursorOf.apply(items.get(items.size() - 1)).encode());
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw org.mciengagements.shared.ProblemException.badRequest("cursor", "INVALID_CURSOR", "problem.cursor.invalid");
        }
    }

    static String[] names(Collection<ClaimStatus> statuses) {
        return statuses.stream().map(Enum::name).toArray(String[]::new);
    }

    static ClaimSummary summary(ResultSet rs, int row) throws SQLException {
        ClaimStatus status = ClaimStatus.valueOf(rs.getString("status"));
        return new ClaimSummary(rs.getLong("id"), rs.getString("engagement_id"), rs.getString("location_id"),
                rs.getString("friendly_name"), rs.getString("customer_name"),
                IdentifierType.valueOf(rs.getString("identifier_type")), rs.getString("identifier_value"),
                rs.getString("customer_key"), status, deadlines(rs).next(status), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    static ClaimView.Deadlines deadlines(ResultSet rs) throws SQLException {
        return new ClaimView.Deadlines(instant(rs, "consent_due_at"), instant(rs, "first_submission_due_at"),
                instant(rs, "review_due_at"), instant(rs, "action_due_at"), instant(rs, "dispute_due_at"));
    }

    private static ClaimView view(ResultSet rs, List<ClaimView.HistoryEntry> history,
                                  List<ClaimView.Submission> submissions, List<ClaimView.ReviewNote> notes,
                                  ClaimView.Referral referral)
            throws SQLException {
        long previous = rs.getLong("previous_claim_id");
        Long previousId = rs.wasNull() ? null : previous;
        int hours = rs.getInt("hours");
        Integer hoursValue = rs.wasNull() ? null : hours;
        return new ClaimView(rs.getLong("id"), rs.getString("engagement_id"), rs.getString("partner_id"),
                rs.getString("location_id"), rs.getString("origin"), rs.getString("friendly_name"),
                IdentifierType.valueOf(rs.getString("identifier_type")), rs.getString("identifier_value"),
                rs.getString("customer_key"), rs.getString("customer_name"),
                ClaimStatus.valueOf(rs.getString("status")), rs.getString("status_reason"),
                instant(rs, "created_at"), rs.getString("created_by"), deadlines(rs),
                instant(rs, "consent_requested_at"), instant(rs, "consent_received_at"), instant(rs, "submitted_at"),
                rs.getBigDecimal("estimated_deal_size_usd"), hoursValue, rs.getBigDecimal("proposed_payout_usd"),
                rs.getBigDecimal("approved_payout_usd"),
                new ClaimView.Contact(rs.getString("customer_contact_name"), rs.getString("customer_contact_email"),
                        rs.getString("customer_contact_phone"), rs.getString("customer_contact_language")),
                new ClaimView.Contact(rs.getString("partner_contact_name"), rs.getString("partner_contact_email"),
                        rs.getString("partner_contact_phone"), null),
                rs.getString("mismatch_reason"), rs.getString("mismatch_note"), previousId,
                instant(rs, "updated_at"), history, rs.getObject("execution_date", java.time.LocalDate.class),
                rs.getString("payout_reference") == null ? null : new ClaimView.Payout(rs.getBigDecimal("paid_usd"),
                        rs.getObject("paid_on", java.time.LocalDate.class), rs.getString("payout_reference")),
                submissions, notes, (Long) rs.getObject("next_claim_id"), referral);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }

    private static ClaimStatus status(ResultSet rs, String column) throws SQLException {
        String value = rs.getString(column);
        return value == null ? null : ClaimStatus.valueOf(value);
    }
}
