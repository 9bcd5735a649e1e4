package org.mciengagements.claim;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
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
 * <p>Everything is sorted, filtered and keyset-paged in one SQL statement, however many known
 * customers a partner has. The rules that need CEL (criteria) are read from {@code customer_verdict},
 * the stored {@link EligibilityPolicy.CustomerVerdict} of each (engagement, key), which this class
 * computes for the keys that have none or a stale one (the engagement's rules or the directory
 * changed) and then asks again. The other partners' claims are read live in the statement; the
 * rules of the request (the engagement's window, the location) apply to every row alike. The
 * reasons of the rows on the page come from {@link EligibilityPolicy#decide} itself.
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
    private static final String ENGAGED = ClaimStatus.sqlList(ClaimStatus.ENGAGED);
    /** The statuses of index {@code claim_market_facts}: active claims and deliveries. */
    private static final String FACT_STATUSES = ClaimStatus.sqlList(java.util.stream.Stream.concat(
            ClaimStatus.active().stream(), java.util.stream.Stream.of(ClaimStatus.COMPLETED)).toList());
    private static final int VERDICT_CHUNK = 5_000;

    private final JdbcClient jdbc;
    private final ClaimQueries claims;
    private final CustomerDirectory directory;
    private final EligibilityPolicy policy;

    CustomersPage(JdbcClient jdbc, ClaimQueries claims, CustomerDirectory directory, EligibilityPolicy policy) {
        this.jdbc = jdbc;
        this.claims = claims;
        this.directory = directory;
        this.policy = policy;
    }

    public Result show(CurrentUser user, Engagement engagement, Request request, Instant now) {
        ClaimQueries.Scope scope = new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds());
        Optional<Location> location = evaluationLocation(user, engagement);
        Statement statement = new Statement(scope, engagement, location.orElse(null), request, now);
        Answer answer = statement.run();
        if (answer.unjudged() > 0) {
            judgeKnownCustomers(user.partnerId(), engagement);
            answer = statement.run();
        }
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

    /** A row as the statement returns it, before known customers' reasons are added. */
    private record Fetched(Row row, String sortValue, MarketFacts facts) {}

    /** The tab counts and, for the Eligible and Ineligible tabs, one page more than asked for. */
    private record Answer(long activeClaims, long completeClaims, long eligibleKnown, long ineligibleKnown,
                          long unjudged, List<Fetched> rows) {}

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
            params.put("judge", location != null);
            params.put("requestRulesHold", requestRulesHold);
            params.put("maxActive", engagement.maxActiveClaimsPerCustomer());
            params.put("basis", EligibilityPolicy.verdictBasis(engagement));
            params.put("location", location == null ? "" : location.id());

            StringBuilder knownSearch = new StringBuilder();
            String q = request.q();
            if (q != null && !q.isBlank()) {
                params.put("kq", q.strip());
                knownSearch.append(" and (strpos(lower(k.customer_name), lower(:kq)) > 0"
                        + " or strpos(lower(k.identifier_value), lower(:kq)) > 0"
                        + " or strpos(lower(k.customer_key), lower(:kq)) > 0)");
            }
            StringBuilder claimFilter = new StringBuilder(
                    " from claim where partner_id = :partner and location_id = any(:locations) and engagement_id = :engagement");
            StringBuilder search = new StringBuilder();
            ClaimQueries.appendSearch(search, params, q);
            String activeClaims = claimFilter + " and status in " + ACTIVE + search;
            String completeClaims = claimFilter + " and status in " + ClaimStatus.sqlList(ClaimStatus.COMPLETE_TAB) + search;

            StringBuilder text = new StringBuilder("""
                    with known as (
                        select k.customer_key, k.identifier_type, k.identifier_value, k.customer_name
                        from known_customer k where k.partner_id = :partner and :judge %1$s
                    ), facts as (
                        select c.customer_key,
                               count(*) filter (where c.status in %2$s) as active_claims,
                               bool_or(c.partner_id = :partner and c.status in %2$s) as mine,
                               max(c.first_submission_due_at) filter (where c.partner_id <> :partner
                                   and c.status = 'CONSENT_RECEIVED') as other_consent_until,
                               bool_or(c.partner_id <> :partner and c.status in %3$s) as engaged_elsewhere
                        from claim c
                        where c.engagement_id = :engagement and c.status in %4$s
                          and c.customer_key in (select customer_key from known)
                        group by c.customer_key
                    ), judged as (
                        select k.customer_key, k.identifier_type, k.identifier_value, k.customer_name,
                               f.other_consent_until, coalesce(f.engaged_elsewhere, false) as engaged_elsewhere,
                               coalesce(f.active_claims, 0) as active_claims, v.customer_key is null as unjudged,
                               (v.customer_key is not null and :requestRulesHold and v.kind_allowed and v.found
                                   and cardinality(v.failed_criteria) = 0 and f.other_consent_until is null
                                   and not coalesce(f.engaged_elsewhere, false)
                                   and coalesce(f.active_claims, 0) < :maxActive) as eligible
                        from known k
                        left join facts f on f.customer_key = k.customer_key
                        left join customer_verdict v on v.engagement_id = :engagement and v.customer_key = k.customer_key
                            and v.basis = :basis
                            and v.directory_revision = (select revision from directory_revision where id = 1)
                        where not coalesce(f.mine, false)
                    ), counts as (
                        select count(*) filter (where eligible) as eligible_known,
                               count(*) filter (where not eligible) as ineligible_known,
                               count(*) filter (where unjudged) as unjudged
                        from judged
                    )""".formatted(knownSearch, ACTIVE, ENGAGED, FACT_STATUSES));
            String counts = "counts.*, (select count(*)" + activeClaims + ") as active_claims, (select count(*)"
                    + completeClaims + ") as complete_claims";
            if (request.tab() == Tab.COMPLETE) {
                sql = text.append(" select ").append(counts).append(" from counts").toString();
                return;
            }
            String knownRows = """
                    select ('K' || j.customer_key) collate "C" as row_id, null::bigint as claim_id, null::text as friendly_name,
                           j.customer_name, j.identifier_type, j.identifier_value, j.customer_key,
                           :location as location_id, null::text as status, null::timestamptz as consent_due_at,
                           null::timestamptz as first_submission_due_at, null::timestamptz as review_due_at,
                           null::timestamptz as action_due_at, null::timestamptz as dispute_due_at,
                           j.other_consent_until, j.engaged_elsewhere, j.active_claims::int as known_active_claims,
                           (%s) collate "C" as sort_value
                    from judged j where %s""".formatted(knownSort(request.sort()),
                    request.tab() == Tab.ELIGIBLE ? "j.eligible" : "not j.eligible");
            text.append(", rows as (").append(knownRows);
            if (request.tab() == Tab.ELIGIBLE) {
                text.append(" union all select ('C' || id) collate \"C\", id, friendly_name, customer_name, identifier_type,"
                        + " identifier_value, customer_key, location_id, status, consent_due_at, first_submission_due_at,"
                        + " review_due_at, action_due_at, dispute_due_at, null, null, null, (")
                        .append(claimSort(request.sort())).append(") collate \"C\"").append(activeClaims);
            }
            String direction = request.descending() ? " desc" : "";
            text.append("), page as (select * from rows");
            if (request.cursor() != null) {
                text.append(" where (sort_value, row_id) ").append(request.descending() ? "<" : ">")
                        .append(" (:afterValue, :afterId)");
                params.put("afterValue", request.cursor().sortValue());
                params.put("afterId", request.cursor().id());
            }
            text.append(" order by sort_value").append(direction).append(", row_id").append(direction)
                    .append(" limit :limit)");
            params.put("limit", request.limit() == Integer.MAX_VALUE ? Long.MAX_VALUE : request.limit() + 1L);
            text.append(" select ").append(counts).append(", page.* from counts left join page on true order by")
                    .append(" page.sort_value").append(direction).append(", page.row_id").append(direction);
            sql = text.toString();
        }

        Answer run() {
            List<Fetched> rows = new ArrayList<>();
            long[] counts = new long[5];
            jdbc.sql(sql).params(params).query(rs -> {
                counts[0] = rs.getLong("active_claims");
                counts[1] = rs.getLong("complete_claims");
                counts[2] = rs.getLong("eligible_known");
                counts[3] = rs.getLong("ineligible_known");
                counts[4] = rs.getLong("unjudged");
                if (withRows && rs.getString("row_id") != null) {
                    rows.add(fetched(rs));
                }
            });
            return new Answer(counts[0], counts[1], counts[2], counts[3], counts[4], rows);
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
            return new Fetched(row, rs.getString("sort_value"), null);
        }
        Row row = new Row(rowId, Row.Kind.KNOWN_CUSTOMER, null, null, rs.getString("customer_name"),
                IdentifierType.valueOf(rs.getString("identifier_type")), rs.getString("identifier_value"),
                rs.getString("customer_key"), rs.getString("location_id"), null, null, List.of());
        MarketFacts facts = new MarketFacts(ClaimQueries.instant(rs, "other_consent_until"),
                rs.getBoolean("engaged_elsewhere"), rs.getInt("known_active_claims"), false);
        return new Fetched(row, rs.getString("sort_value"), facts);
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

    private static String knownSort(Sort sort) {
        return switch (sort) {
            case NAME -> "lower(j.customer_name)";
            case IDENTIFIER -> "j.identifier_value";
            case STATUS, DEADLINE, CLAIM -> "'~'";
        };
    }

    /**
     * A page of the Eligible or Ineligible tab from the statement's rows. Known customers on it get
     * their reasons from the policy itself, with the market facts the statement read.
     */
    private Result page(Tab tab, Answer answer, Request request, Map<Tab, Long> counts, Engagement engagement,
                        Location location, Instant now) {
        List<Fetched> fetched = answer.rows();
        boolean more = request.limit() != Integer.MAX_VALUE && fetched.size() > request.limit();
        List<Fetched> items = more ? fetched.subList(0, request.limit()) : fetched;
        List<CustomerKey> keys = tab == Tab.INELIGIBLE
                ? items.stream().map(f -> CustomerKey.parse(f.row().customerKey())).toList() : List.of();
        Map<CustomerKey, DirectoryCustomer> entries = new HashMap<>();
        for (int from = 0; from < keys.size(); from += VERDICT_CHUNK) {
            entries.putAll(directory.findAll(keys.subList(from, Math.min(keys.size(), from + VERDICT_CHUNK))));
        }
        List<Row> rows = new ArrayList<>(items.size());
        for (Fetched f : items) {
            Row row = f.row();
            if (tab == Tab.INELIGIBLE && location != null) {
                CustomerKey key = CustomerKey.parse(row.customerKey());
                Decision decision = policy.decide(new Question(engagement, location, null, key,
                        Optional.ofNullable(entries.get(key)), f.facts(), now));
                row = new Row(row.rowId(), row.kind(), null, null, row.customerName(), row.identifierType(),
                        row.identifierValue(), row.customerKey(), row.locationId(), null, null, decision.reasons());
            }
            rows.add(row);
        }
        String next = more ? new Cursor(items.getLast().sortValue(), items.getLast().row().rowId()).encode() : null;
        return new Result(tab, List.copyOf(rows), next, false, counts);
    }

    /**
     * Stores the verdict of every known customer of the partner that has none for this engagement,
     * or one computed from other rules or an older directory. The revision is read before the
     * directory entries, so a verdict is never newer than the revision it is stored with.
     */
    private void judgeKnownCustomers(String partnerId, Engagement engagement) {
        String basis = EligibilityPolicy.verdictBasis(engagement);
        long revision = jdbc.sql("select revision from directory_revision where id = 1").query(Long.class).single();
        List<String> missing = jdbc.sql("""
                        select k.customer_key from known_customer k
                        where k.partner_id = :partner and not exists (select 1 from customer_verdict v
                            where v.engagement_id = :engagement and v.customer_key = k.customer_key
                              and v.basis = :basis and v.directory_revision = :revision)
                        order by k.customer_key""")
                .param("partner", partnerId).param("engagement", engagement.id()).param("basis", basis)
                .param("revision", revision)
                .query(String.class).list();
        for (int from = 0; from < missing.size(); from += VERDICT_CHUNK) {
            List<CustomerKey> keys = missing.subList(from, Math.min(missing.size(), from + VERDICT_CHUNK)).stream()
                    .map(CustomerKey::parse).toList();
            Map<CustomerKey, DirectoryCustomer> entries = directory.findAll(keys);
            String[] keyTexts = new String[keys.size()];
            Boolean[] kindAllowed = new Boolean[keys.size()];
            Boolean[] found = new Boolean[keys.size()];
            String[] failed = new String[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                EligibilityPolicy.CustomerVerdict verdict = policy.customerVerdict(engagement, keys.get(i),
                        Optional.ofNullable(entries.get(keys.get(i))));
                keyTexts[i] = keys.get(i).toString();
                kindAllowed[i] = verdict.kindAllowed();
                found[i] = verdict.found();
                failed[i] = verdict.failedCriteria().stream().map(String::valueOf).collect(Collectors.joining(","));
            }
            // In key order, so that two requests storing overlapping verdicts lock rows in the same order.
            jdbc.sql("""
                            insert into customer_verdict (engagement_id, customer_key, basis, directory_revision,
                                kind_allowed, found, failed_criteria)
                            select :engagement, t.key, :basis, :revision, t.kind_allowed, t.found,
                                   string_to_array(t.failed, ',')::int[]
                            from unnest(:keys, :kindAllowed, :found, :failed) as t(key, kind_allowed, found, failed)
                            order by t.key
                            on conflict (engagement_id, customer_key) do update set basis = excluded.basis,
                                directory_revision = excluded.directory_revision, kind_allowed = excluded.kind_allowed,
                                found = excluded.found, failed_criteria = excluded.failed_criteria""")
                    .param("engagement", engagement.id()).param("basis", basis).param("revision", revision)
                    .param("keys", keyTexts).param("kindAllowed", kindAllowed).param("found", found)
                    .param("failed", failed)
                    .update();
        }
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
