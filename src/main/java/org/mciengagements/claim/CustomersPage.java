package org.mciengagements.claim;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.eligibility.Decision;
import org.mciengagements.eligibility.EligibilityPolicy;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.eligibility.Question;
import org.mciengagements.eligibility.Reason;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.program.Location;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.IdentifierType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Customers page of an engagement (SPEC §5), per partner and filtered to the locations the
 * caller may see.
 * <ul>
 * <li>Eligible: the partner's active claims here, and its known customers with no active claim
 * here that are eligible now (they can be claimed).</li>
 * <li>Ineligible: known customers that are not eligible, with every reason. VARIABLE engagements
 * show a notice instead (they are nominated by opportunity only).</li>
 * <li>Complete: claims in a terminal state with nothing left to do. Declined and consent-expired
 * claims leave the page; they stay reachable by ID and search.</li>
 * </ul>
 * Known customers are judged for the caller's first usable location that the engagement accepts,
 * since that is where a Claim customer would start.
 *
 * <p>Everything is counted, sorted, filtered and keyset-paged in one SQL statement that reads only
 * the page's own rows however many known customers a partner has: known customers come from the
 * read model {@link CustomersStanding} keeps (whether each can be claimed now, apart from the rules
 * of the request — the engagement's window and the location — which apply to every row alike).
 * The reasons of the known customers on an Ineligible page come from the policy itself
 * ({@link EligibilityPolicy#knownCustomers}), with the market facts and the verdict (kind of key,
 * directory entry, failed criteria) the read model holds, so a page evaluates no criterion; rows
 * with the same reasons share one decision.
 */
@Service
public class CustomersPage {

    public enum Tab { ELIGIBLE, INELIGIBLE, COMPLETE }

    public enum Sort { NAME, IDENTIFIER, STATUS, DEADLINE, CLAIM }

    /** One row: a claim of this partner, or a known customer with no claim here. */
    public record Row(String rowId, Kind kind, Long claimId, String friendlyName, String customerName,
                      IdentifierType identifierType, String identifierValue, String customerKey, String locationId,
                      ClaimStatus status, ClaimView.Deadline deadline, List<Reason> reasons) {
        public enum Kind { CLAIM, KNOWN_CUSTOMER }
    }

    /** A page of one tab, with the size of each tab for the tab headers. */
    public record Result(Tab tab, List<Row> rows, String nextCursor, boolean variableNotice,
                         Map<Tab, Long> counts) {}

    /** What the caller asked for. {@code limit} of {@link Integer#MAX_VALUE} means every row (CSV export). */
    public record Request(Tab tab, String q, Sort sort, boolean descending, Cursor cursor, int limit) {}

    private static final String ACTIVE = ClaimStatus.sqlList(ClaimStatus.active());
    private static final int DIRECTORY_CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final ClaimQueries claims;
    private final CustomerDirectory directory;
    private final EligibilityPolicy policy;
    private final CustomersStanding standing;

    CustomersPage(JdbcClient jdbc, TransactionTemplate transactions, ClaimQueries claims, CustomerDirectory directory,
                  EligibilityPolicy policy, CustomersStanding standing) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.claims = claims;
        this.directory = directory;
        this.policy = policy;
        this.standing = standing;
    }

    public Result show(CurrentUser user, Engagement engagement, Request request, Instant now) {
        ClaimQueries.Scope scope = new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds());
        Optional<Location> location = evaluationLocation(user, engagement);
        if (location.isPresent()) {
            standing.prepare(user.partnerId(), engagement);
        }
        Answer answer = new Statement(scope, engagement, location.orElse(null), request, now).run();
        Map<Tab, Long> counts = Map.of(
                Tab.ELIGIBLE, answer.activeClaims() + answer.eligibleKnown(),
                Tab.INELIGIBLE, engagement.isVariable() ? 0L : answer.ineligibleKnown(),
                Tab.COMPLETE, answer.completeClaims());
        return switch (request.tab()) {
            case ELIGIBLE -> page(Tab.ELIGIBLE, answer, request, counts, engagement, location.orElse(null), now);
            case INELIGIBLE -> engagement.isVariable()
                    ? new Result(Tab.INELIGIBLE, List.of(), null, true, counts)
                    : page(Tab.INELIGIBLE, answer, request, counts, engagement, location.orElse(null), now);
            case COMPLETE -> {
                ClaimQueries.ClaimSort sort = switch (request.sort()) {
                    case NAME -> ClaimQueries.ClaimSort.NAME;
                    case STATUS -> ClaimQueries.ClaimSort.STATUS;
                    default -> ClaimQueries.ClaimSort.CLAIM;
                };
                Cursor.Page<ClaimSummary> page = claims.page(scope, engagement.id(), ClaimStatus.COMPLETE_TAB,
                        request.q(), sort, request.descending(), request.cursor(), request.limit());
                yield new Result(Tab.COMPLETE, page.items().stream().map(CustomersPage::claimRow).toList(),
                        page.nextCursor(), false, counts);
            }
        };
    }

    /**
     * A row as the statement returns it, before known customers' reasons are added; {@code verdict}
     * is null for a claim, and for a known customer added since the page made its rows ready.
     */
    private record Fetched(Row row, String sortValue, MarketFacts facts, EligibilityPolicy.CustomerVerdict verdict) {}

    /** The tab counts and, for the Eligible and Ineligible tabs, one page more than asked for. */
    private record Answer(long activeClaims, long completeClaims, long eligibleKnown, long ineligibleKnown,
                          List<Fetched> rows) {}

    /** The one statement of a request: counts of every tab, and the rows of the Eligible or Ineligible tab. */
    private final class Statement {

        private final String sql;
        private final Map<String, Object> params = new HashMap<>();
        private final boolean withRows;

        Statement(ClaimQueries.Scope scope, Engagement engagement, Location location, Request request, Instant now) {
            this.withRows = request.tab() != Tab.COMPLETE;
            boolean requestRulesHold = location != null && engagement.acceptsClaims(now) && location.enrolled()
                    && engagement.locationEligible(location);
            params.put("partner", scope.partnerId());
            params.put("locations", scope.locations());
            params.put("engagement", engagement.id());
            // Planned once per connection, not per request (planning costs as much as running it):
            // the two flags and the page size are written into the statement, so a generic plan
            // drops the branches the flags switch off and knows how few rows it reads; the location
            // column is cast, since an untyped parameter in the select list makes the driver
            // prepare the statement anew on every execution.
            String judge = Boolean.toString(location != null);
            String limit = request.limit() == Integer.MAX_VALUE ? "all" : Long.toString(request.limit() + 1L);
            String rulesHold = Boolean.toString(requestRulesHold);
            params.put("location", location == null ? "" : location.id());

            String knownFilter = " from known_customer_standing s where s.partner_id = :partner"
                    + " and s.engagement_id = :engagement and not s.mine and " + judge;
            String q = request.q();
            if (q != null && !q.isBlank()) {
                params.put("kq", q.strip());
                knownFilter += " and (strpos(s.sort_name, lower(:kq)) > 0"
                        + " or strpos(lower(s.identifier_value), lower(:kq)) > 0"
                        + " or strpos(lower(s.customer_key), lower(:kq)) > 0)";
            }
            StringBuilder search = new StringBuilder();
            ClaimQueries.appendSearch(search, params, q);
            String claimFilter = " from claim where partner_id = :partner and location_id = any(:locations)"
                    + " and engagement_id = :engagement";
            String activeClaims = claimFilter + " and status in " + ACTIVE + search;
            String completeClaims = claimFilter + " and status in " + ClaimStatus.sqlList(ClaimStatus.COMPLETE_TAB) + search;

            // Without a search the known customers' counts are the read model's counters (V10), so a
            // page costs the same for a partner with 50 known customers and one with 50,000.
            StringBuilder text = new StringBuilder(q == null || q.isBlank()
                    ? "with counts as (select"
                    + " coalesce(sum(c.eligible) filter (where " + rulesHold + "), 0) as eligible_known,"
                    + " coalesce(sum(c.ineligible + case when " + rulesHold + " then 0 else c.eligible end), 0)"
                    + " as ineligible_known from known_customer_standing_count c where c.partner_id = :partner"
                    + " and c.engagement_id = :engagement and " + judge + ")"
                    : "with counts as (select"
                    + " count(*) filter (where s.eligible and " + rulesHold + ") as eligible_known,"
                    + " count(*) filter (where not (s.eligible and " + rulesHold + ")) as ineligible_known"
                    + knownFilter + ")");
            String counts = "counts.*, (select count(*)" + activeClaims + ") as active_claims, (select count(*)"
                    + completeClaims + ") as complete_claims";
            if (request.tab() == Tab.COMPLETE) {
                sql = text.append(" select ").append(counts).append(" from counts").toString();
                return;
            }
            // The known customers' part, in the order of an index, cut at the page size: the page
            // reads its own rows only, however many known customers the partner has.
            String column = switch (request.sort()) {
                case NAME -> "s.sort_name";
                case IDENTIFIER -> "s.identifier_value";
                case STATUS, DEADLINE, CLAIM -> "'~'";
            };
            String direction = request.descending() ? " desc" : "";
            String tabFilter = request.tab() == Tab.ELIGIBLE
                    ? (requestRulesHold ? " and s.eligible" : " and false")
                    : (requestRulesHold ? " and not s.eligible" : "");
            StringBuilder known = new StringBuilder("""
                    select ('K' || s.customer_key) collate "C" as row_id, null::bigint as claim_id, null::text as friendly_name,
                           s.customer_name, s.identifier_type, s.identifier_value::text, s.customer_key,
                           cast(:location as text) as location_id, null::text as status, null::timestamptz as consent_due_at,
                           null::timestamptz as first_submission_due_at, null::timestamptz as review_due_at,
                           null::timestamptz as action_due_at, null::timestamptz as dispute_due_at,
                           s.other_consent_until, s.engaged_elsewhere, s.active_claims as known_active_claims,
                           s.kind_allowed, s.found, s.failed_criteria, (%s) collate "C" as sort_value"""
                    .formatted(column)).append(knownFilter).append(tabFilter);
            if (request.cursor() != null) {
                // (sort, 'K' || key) against the cursor's (sort value, row id), as (sort, key): a claim's
                // row id ('C…') sorts before every known customer's ('K…').
                String id = request.cursor().id();
                params.put("afterValue", request.cursor().sortValue());
                params.put("afterKey", id.startsWith("K") ? id.substring(1) : "");
                boolean claimCursor = !id.startsWith("K");
                String comparison = request.descending() ? "<" : ">";
                if (claimCursor && request.descending()) {
                    known.append(" and (").append(column).append(") collate \"C\" < :afterValue");
                } else {
                    known.append(" and ((").append(column).append(") collate \"C\", s.customer_key collate \"C\") ")
                            .append(comparison).append(" (:afterValue, :afterKey)");
                }
            }
            known.append(" order by (").append(column).append(") collate \"C\"").append(direction)
                    .append(", s.customer_key collate \"C\"").append(direction).append(" limit ").append(limit);
            text.append(", rows as ((").append(known).append(")");
            if (request.tab() == Tab.ELIGIBLE) {
                // The claims' part cut at the page size too, in the page's own order (for names, an index's).
                String sort = "(" + claimSort(request.sort()) + ") collate \"C\"";
                text.append(" union all (select ('C' || id) collate \"C\", id, friendly_name, customer_name, identifier_type,"
                        + " identifier_value, customer_key, location_id, status, consent_due_at, first_submission_due_at,"
                        + " review_due_at, action_due_at, dispute_due_at, null, null, null, null, null, null, ")
                        .append(sort).append(activeClaims);
                if (request.cursor() != null) {
                    text.append(" and (").append(sort).append(", ('C' || id) collate \"C\") ")
                            .append(request.descending() ? "<" : ">").append(" (:afterValue, :afterId)");
                }
                text.append(" order by ").append(sort).append(direction).append(", ('C' || id) collate \"C\"")
                        .append(direction).append(" limit ").append(limit).append(")");
            }
            text.append("), page as (select * from rows");
            if (request.cursor() != null) {
                text.append(" where (sort_value, row_id) ").append(request.descending() ? "<" : ">")
                        .append(" (:afterValue, :afterId)");
                params.put("afterId", request.cursor().id());
            }
            text.append(" order by sort_value").append(direction).append(", row_id").append(direction)
                    .append(" limit ").append(limit).append(")");
            text.append(" select ").append(counts).append(", page.* from counts left join page on true order by")
                    .append(" page.sort_value").append(direction).append(", page.row_id").append(direction);
            sql = text.toString();
        }

        Answer run() {
            List<Fetched> rows = new ArrayList<>();
            long[] counts = new long[4];
            boolean[] counted = {false};
            transactions.executeWithoutResult(status -> {
                // Planned once per connection (see above). Left to itself, PostgreSQL planned the
                // Ineligible and Complete tabs' statements anew on every request, since plans for the
                // values looked a little cheaper than the generic one, which is the same plan for
                // every partner; the planning cost twice the execution.
                jdbc.sql("set local plan_cache_mode = force_generic_plan").update();
                jdbc.sql(sql).params(params).query(rs -> {
                    if (!counted[0]) { // the counts repeat on every row
                        counted[0] = true;
                        counts[0] = rs.getLong("active_claims");
                        counts[1] = rs.getLong("complete_claims");
                        counts[2] = rs.getLong("eligible_known");
                        counts[3] = rs.getLong("ineligible_known");
                    }
                    if (withRows && rs.getString("row_id") != null) {
                        rows.add(fetched(rs));
                    }
                });
            });
            return new Answer(counts[0], counts[1], counts[2], counts[3], rows);
        }
    }

    private static Fetched fetched(ResultSet rs) throws SQLException {
        String rowId = rs.getString("row_id");
        if (rowId.startsWith("C")) {
            ClaimStatus status = ClaimStatus.valueOf(rs.getString("status"));
            Row row = new Row(rowId, Row.Kind.CLAIM, rs.getLong("claim_id"), rs.getString("friendly_name"),
                    rs.getString("customer_name"), IdentifierType.valueOf(rs.getString("identifier_type")),
                    rs.getString("identifier_value"), rs.getString("customer_key"), rs.getString("location_id"), status,
                    ClaimQueries.deadlines(rs).next(status), List.of());
            return new Fetched(row, rs.getString("sort_value"), null, null);
        }
        Row row = new Row(rowId, Row.Kind.KNOWN_CUSTOMER, null, null, rs.getString("customer_name"),
                IdentifierType.valueOf(rs.getString("identifier_type")), rs.getString("identifier_value"),
                rs.getString("customer_key"), rs.getString("location_id"), null, null, List.of());
        MarketFacts facts = new MarketFacts(ClaimQueries.instant(rs, "other_consent_until"),
                rs.getBoolean("engaged_elsewhere"), rs.getInt("known_active_claims"), false);
        Array failed = rs.getArray("failed_criteria");
        EligibilityPolicy.CustomerVerdict verdict = failed == null ? null : new EligibilityPolicy.CustomerVerdict(
                rs.getBoolean("kind_allowed"), rs.getBoolean("found"),
                Arrays.stream((Object[]) failed.getArray()).map(p -> ((Number) p).intValue()).toList());
        return new Fetched(row, rs.getString("sort_value"), facts, verdict);
    }

    /**
     * A claim row's sort value in SQL, as text that orders correctly under collation "C": deadlines
     * and claim IDs zero-padded, rows without a value ("~") last. The cursor keeps it as computed.
     */
    private static String claimSort(Sort sort) {
        return switch (sort) {
            case NAME -> "lower(customer_name)";
            case IDENTIFIER -> "identifier_value";
            case STATUS -> "status";
            case DEADLINE -> "coalesce(lpad(floor(extract(epoch from case status"
                    + " when 'CUSTOMER_CLAIMED' then consent_due_at when 'AWAITING_CONSENT' then consent_due_at"
                    + " when 'CONSENT_RECEIVED' then first_submission_due_at"
                    + " when 'SUBMITTED' then review_due_at when 'UNDER_REVIEW' then review_due_at"
                    + " when 'DISPUTED' then review_due_at when 'PARTNER_ACTION_REQUIRED' then action_due_at"
                    + " when 'REJECTED' then dispute_due_at end) * 1000)::bigint::text, 20, '0'), '~')";
            case CLAIM -> "lpad(id::text, 20, '0')";
        };
    }

    /**
     * A page of the Eligible or Ineligible tab from the statement's rows. Known customers on it get
     * their reasons from the policy itself, with the market facts and the verdict the statement
     * read; the directory is read only for a row without a verdict.
     */
    private Result page(Tab tab, Answer answer, Request request, Map<Tab, Long> counts, Engagement engagement,
                        Location location, Instant now) {
        List<Fetched> fetched = answer.rows();
        boolean more = request.limit() != Integer.MAX_VALUE && fetched.size() > request.limit();
        List<Fetched> items = more ? fetched.subList(0, request.limit()) : fetched;
        List<CustomerKey> keys = tab == Tab.INELIGIBLE ? items.stream().filter(f -> f.verdict() == null)
                .map(f -> CustomerKey.parse(f.row().customerKey())).toList() : List.of();
        Map<CustomerKey, DirectoryCustomer> entries = new HashMap<>();
        for (int from = 0; from < keys.size(); from += DIRECTORY_CHUNK) {
            entries.putAll(directory.findAll(keys.subList(from, Math.min(keys.size(), from + DIRECTORY_CHUNK))));
        }
        List<Row> rows = new ArrayList<>(items.size());
        EligibilityPolicy.KnownCustomerJudge judge = tab == Tab.INELIGIBLE && location != null
                ? policy.knownCustomers(engagement, location, now) : null;
        for (Fetched f : items) {
            Row row = f.row();
            if (judge != null) {
                Decision decision;
                if (f.verdict() != null) {
                    decision = judge.decide(f.verdict(), f.facts());
                } else {
                    CustomerKey key = CustomerKey.parse(row.customerKey());
                    decision = policy.decide(new Question(engagement, location, null, key,
                            Optional.ofNullable(entries.get(key)), f.facts(), now));
                }
                row = new Row(row.rowId(), row.kind(), null, null, row.customerName(), row.identifierType(),
                        row.identifierValue(), row.customerKey(), row.locationId(), null, null, decision.reasons());
            }
            rows.add(row);
        }
        String next = more ? new Cursor(items.getLast().sortValue(), items.getLast().row().rowId()).encode() : null;
        return new Result(tab, List.copyOf(rows), next, false, counts);
    }

    private static Optional<Location> evaluationLocation(CurrentUser user, Engagement engagement) {
        List<Location> usable = user.usableLocations();
        return usable.stream().filter(engagement::locationEligible).findFirst()
                .or(() -> usable.stream().findFirst())
                .or(() -> user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                        .map(CurrentUser.LocationAccess::location).findFirst());
    }

    private static Row claimRow(ClaimSummary s) {
        return new Row("C" + s.id(), Row.Kind.CLAIM, s.id(), s.friendlyName(), s.customerName(), s.identifierType(),
                s.identifierValue(), s.customerKey(), s.locationId(), s.status(), s.nextDeadline(), List.of());
    }
}
