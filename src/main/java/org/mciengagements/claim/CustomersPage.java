package org.mciengagements.claim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final JdbcClient jdbc;
    private final ClaimQueries claims;
    private final ClaimMarket market;
    private final CustomerDirectory directory;
    private final EligibilityPolicy policy;

    CustomersPage(JdbcClient jdbc, ClaimQueries claims, ClaimMarket market, CustomerDirectory directory,
                  EligibilityPolicy policy) {
        this.jdbc = jdbc;
        this.claims = claims;
        this.market = market;
        this.directory = directory;
        this.policy = policy;
    }

    public Result show(CurrentUser user, Engagement engagement, Request request, Instant now) {
        ClaimQueries.Scope scope = new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds());
        List<Row> activeClaims = claims.forEngagement(scope, engagement.id(), Set.copyOf(ClaimStatus.active()), request.q())
                .stream().map(CustomersPage::claimRow).toList();
        KnownCustomers known = judgeKnownCustomers(user, engagement, request.q(), now);
        long completeCount = claims.count(scope, engagement.id(), ClaimStatus.COMPLETE_TAB, request.q());
        Map<Tab, Long> counts = Map.of(
                Tab.ELIGIBLE, (long) activeClaims.size() + known.eligible().size(),
                Tab.INELIGIBLE, engagement.isVariable() ? 0L : known.ineligible().size(),
                Tab.COMPLETE, completeCount);

        return switch (request.tab()) {
            case ELIGIBLE -> {
                List<Row> rows = new ArrayList<>(activeClaims);
                rows.addAll(known.eligible());
                yield inMemoryPage(Tab.ELIGIBLE, rows, request, false, counts);
            }
            case INELIGIBLE -> engagement.isVariable()
                    ? new Result(Tab.INELIGIBLE, List.of(), null, true, counts)
                    : inMemoryPage(Tab.INELIGIBLE, known.ineligible(), request, false, counts);
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

    private record KnownCustomers(List<Row> eligible, List<Row> ineligible) {}

    private KnownCustomers judgeKnownCustomers(CurrentUser user, Engagement engagement, String q, Instant now) {
        Optional<Location> location = evaluationLocation(user, engagement);
        if (location.isEmpty()) {
            return new KnownCustomers(List.of(), List.of());
        }
        List<KnownCustomer> known = knownCustomers(user.partnerId(), q);
        List<CustomerKey> keys = known.stream().map(KnownCustomer::key).toList();
        Map<ClaimMarket.Slot, MarketFacts> facts = market.facts(user.partnerId(), List.of(engagement.id()), keys);
        Map<CustomerKey, DirectoryCustomer> entries = directory.findAll(keys);
        List<Row> eligible = new ArrayList<>();
        List<Row> ineligible = new ArrayList<>();
        for (KnownCustomer customer : known) {
            MarketFacts marketFacts = facts.getOrDefault(new ClaimMarket.Slot(engagement.id(), customer.key()), MarketFacts.NONE);
            if (marketFacts.nominatedByPartner()) {
                continue; // shown as its active claim instead
            }
            Decision decision = policy.decide(new Question(engagement, location.get(), null, customer.key(),
                    Optional.ofNullable(entries.get(customer.key())), marketFacts, now));
            Row row = new Row("K" + customer.key(), Row.Kind.KNOWN_CUSTOMER, null, null, customer.customerName(),
                    customer.identifierType(), customer.identifierValue(), customer.key().toString(),
                    location.get().id(), null, null, decision.reasons());
            (decision.eligible() ? eligible : ineligible).add(row);
        }
        return new KnownCustomers(eligible, ineligible);
    }

    private static Optional<Location> evaluationLocation(CurrentUser user, Engagement engagement) {
        List<Location> usable = user.usableLocations();
        return usable.stream().filter(engagement::locationEligible).findFirst()
                .or(() -> usable.stream().findFirst())
                .or(() -> user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                        .map(CurrentUser.LocationAccess::location).findFirst());
    }

    private List<KnownCustomer> knownCustomers(String partnerId, String q) {
        List<KnownCustomer> all = jdbc.sql("""
                        select customer_key, identifier_type, identifier_value, customer_name, last_claim_id, consented_at
                        from known_customer where partner_id = ?""")
                .param(partnerId)
                .query((rs, n) -> new KnownCustomer(CustomerKey.parse(rs.getString(1)),
                        IdentifierType.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getLong(5),
                        ClaimQueries.instant(rs, "consented_at")))
                .list();
        if (q == null || q.isBlank()) {
            return all;
        }
        String term = q.strip().toLowerCase(Locale.ROOT);
        return all.stream().filter(k -> contains(k.customerName(), term) || contains(k.identifierValue(), term)
                || contains(k.key().toString(), term)).collect(Collectors.toList());
    }

    private static boolean contains(String text, String term) {
        return text != null && text.toLowerCase(Locale.ROOT).contains(term);
    }

    private static Row claimRow(ClaimSummary s) {
        return new Row("C" + s.id(), Row.Kind.CLAIM, s.id(), s.friendlyName(), s.customerName(), s.identifierType(),
                s.identifierValue(), s.customerKey(), s.locationId(), s.status(), s.nextDeadline(), List.of());
    }

    /**
     * Sorts and pages rows computed in memory (they depend on eligibility, which SQL cannot
     * evaluate). The cursor is the last row's (sort value, row id), so paging stays correct when
     * rows come and go between requests.
     */
    private static Result inMemoryPage(Tab tab, List<Row> rows, Request request, boolean variableNotice,
                                       Map<Tab, Long> counts) {
        Comparator<Row> order = Comparator.comparing((Row r) -> sortValue(r, request.sort())).thenComparing(Row::rowId);
        if (request.descending()) {
            order = order.reversed();
        }
        List<Row> sorted = rows.stream().sorted(order).toList();
        int from = 0;
        if (request.cursor() != null) {
            from = sorted.size();
            for (int i = 0; i < sorted.size(); i++) {
                if (comesAfterCursor(sorted.get(i), request)) {
                    from = i;
                    break;
                }
            }
        }
        int to = request.limit() == Integer.MAX_VALUE ? sorted.size() : Math.min(sorted.size(), from + request.limit());
        List<Row> items = sorted.subList(from, to);
        String next = to < sorted.size() && !items.isEmpty()
                ? new Cursor(sortValue(items.get(items.size() - 1), request.sort()), items.get(items.size() - 1).rowId()).encode()
                : null;
        return new Result(tab, List.copyOf(items), next, variableNotice, counts);
    }

    /** Whether a row comes after the cursor position in the requested order. */
    private static boolean comesAfterCursor(Row row, Request request) {
        int bySort = sortValue(row, request.sort()).compareTo(request.cursor().sortValue());
        int cmp = bySort != 0 ? bySort : row.rowId().compareTo(request.cursor().id());
        return request.descending() ? cmp < 0 : cmp > 0;
    }

    /** A row's value in an ordering, as a string that sorts correctly. */
    static String sortValue(Row row, Sort sort) {
        return switch (sort) {
            case NAME -> row.customerName().toLowerCase(Locale.ROOT);
            case IDENTIFIER -> row.identifierValue();
            case STATUS -> row.status() == null ? "~" : row.status().name();
            case DEADLINE -> row.deadline() == null ? "~" : String.format("%020d", row.deadline().at().toEpochMilli());
            case CLAIM -> row.claimId() == null ? "~" : String.format("%020d", row.claimId());
        };
    }
}
