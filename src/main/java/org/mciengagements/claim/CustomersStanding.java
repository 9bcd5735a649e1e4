package org.mciengagements.claim;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.eligibility.EligibilityPolicy;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.ProgramClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps {@code known_customer_standing} (V9), the Customers page's read model of known customers:
 * per (partner, engagement, key) the market facts of all partners' claims, the verdict of the rules
 * that need the directory entry and CEL, with its reasons (V11), and whether the customer can be
 * claimed now. The database keeps the facts current
 * by triggers on {@code claim} and {@code known_customer}; this class
 * <ul>
 * <li>builds a (partner, engagement) the first time its page is asked for;</li>
 * <li>judges rows that have no verdict (new known customers) and rejudges all rows of a
 * (partner, engagement) when the engagement's rules or the directory changed since they were
 * judged ({@link EligibilityPolicy#customerVerdict}, in key order under a lock per (partner,
 * engagement), so two pages never judge the same rows at once);</li>
 * <li>sweeps, every {@code mci.jobs.standing.interval} on every server, the slots whose claims or
 * known customers changed in the last ten minutes, recomputing their facts from the claims. A
 * trigger does this at once; the sweep repairs what a trigger could not see — a change committed
 * while a page was building the same rows in another transaction. It never waits for a lock
 * ({@code lock_timeout}), so it cannot deadlock a user's transaction;</li>
 * <li>folds, on the same schedule, the deltas of the tab counts (V10) that triggers append.</li>
 * </ul>
 */
@Component
class CustomersStanding {

    private static final Logger log = LoggerFactory.getLogger(CustomersStanding.class);
    private static final int CHUNK = 5_000;
    private static final Duration SWEEP_WINDOW = Duration.ofMinutes(10);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final CustomerDirectory directory;
    private final EligibilityPolicy policy;
    private final ProgramClock clock;

    CustomersStanding(JdbcClient jdbc, TransactionTemplate transactions, CustomerDirectory directory,
                      EligibilityPolicy policy, ProgramClock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.directory = directory;
        this.policy = policy;
        this.clock = clock;
    }

    /** What the verdicts of an engagement's rows depend on: its rules and its active-claim limit. */
    static String basis(Engagement engagement) {
        return EligibilityPolicy.verdictBasis(engagement) + ":" + engagement.maxActiveClaimsPerCustomer();
    }

    private record Coverage(String basis, Long revision, boolean unjudged) {}

    /** The directory's revision now, and the coverage of a (partner, engagement) if its rows were built. */
    private record State(long revision, Optional<Coverage> coverage) {}

    /**
     * The basis of each engagement as the catalog last gave it: a hash of its rules, which every
     * page would otherwise compute anew. Kept per instance, since the catalog gives a changed
     * engagement as a new one.
     */
    private final Map<String, Map.Entry<Engagement, String>> bases = new ConcurrentHashMap<>();

    private String currentBasis(Engagement engagement) {
        Map.Entry<Engagement, String> kept = bases.get(engagement.id());
        if (kept != null && kept.getKey() == engagement) {
            return kept.getValue();
        }
        String basis = basis(engagement);
        bases.put(engagement.id(), Map.entry(engagement, basis));
        return basis;
    }

    /** Makes the rows of (partner, engagement) ready to be read: built, judged, current verdicts. */
    void prepare(String partnerId, Engagement engagement) {
        String basis = currentBasis(engagement);
        State state = state(partnerId, engagement.id());
        long revision = state.revision();
        Optional<Coverage> coverage = state.coverage();
        if (coverage.isPresent() && basis.equals(coverage.get().basis())
                && Long.valueOf(revision).equals(coverage.get().revision()) && !coverage.get().unjudged()) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))")
                    .param("standing|" + partnerId + "|" + engagement.id()).query().listOfRows();
            Optional<Coverage> current = state(partnerId, engagement.id()).coverage();
            if (current.isEmpty()) {
                build(partnerId, engagement);
            }
            boolean stale = current.isEmpty() || !basis.equals(current.get().basis())
                    || !Long.valueOf(revision).equals(current.get().revision());
            judge(partnerId, engagement, stale, revision);
            jdbc.sql("update known_customer_coverage set basis = ?, directory_revision = ? where partner_id = ? and engagement_id = ?")
                    .params(basis, revision, partnerId, engagement.id()).update();
        });
    }

    /** In one statement, since every Customers page asks. */
    private State state(String partnerId, String engagementId) {
        return jdbc.sql("""
                        select r.revision, v.partner_id is not null as built, v.basis, v.directory_revision,
                               exists (select 1 from known_customer_standing s where s.partner_id = v.partner_id
                                   and s.engagement_id = v.engagement_id and s.verdict_holds is null) as unjudged
                        from directory_revision r
                        left join known_customer_coverage v on v.partner_id = ? and v.engagement_id = ?
                        where r.id = 1""")
                .params(partnerId, engagementId)
                .query((rs, n) -> new State(rs.getLong(1), rs.getBoolean(2)
                        ? Optional.of(new Coverage(rs.getString(3), (Long) rs.getObject(4), rs.getBoolean(5)))
                        : Optional.empty()))
                .single();
    }

    /** The partner's known customers as rows of this engagement, with the facts of their claims. */
    private void build(String partnerId, Engagement engagement) {
        jdbc.sql("insert into known_customer_coverage (partner_id, engagement_id) values (?, ?) on conflict do nothing")
                .params(partnerId, engagement.id()).update();
        jdbc.sql("""
                        insert into known_customer_standing (partner_id, engagement_id, customer_key, customer_name,
                            identifier_type, identifier_value, sort_name, mine, active_claims, engaged_elsewhere, max_active)
                        select partner_id, :engagement, customer_key, customer_name, identifier_type, identifier_value,
                               lower(customer_name), false, 0, false, :max
                        from known_customer where partner_id = :partner
                        on conflict do nothing""")
                .param("partner", partnerId).param("engagement", engagement.id())
                .param("max", engagement.maxActiveClaimsPerCustomer()).update();
        jdbc.sql("""
                        select known_customer_standing_refresh(
                            array(select cast(:engagement as text) from known_customer where partner_id = :partner order by customer_key),
                            array(select customer_key from known_customer where partner_id = :partner order by customer_key))""")
                .param("partner", partnerId).param("engagement", engagement.id()).query().listOfRows();
    }

    /** Stores the verdict of the rows without one, or of all rows when {@code all}. */
    private void judge(String partnerId, Engagement engagement, boolean all, long revision) {
        List<String> keys = jdbc.sql("select customer_key from known_customer_standing where partner_id = ?"
                        + " and engagement_id = ?" + (all ? "" : " and verdict_holds is null") + " order by customer_key")
                .params(partnerId, engagement.id()).query(String.class).list();
        for (int from = 0; from < keys.size(); from += CHUNK) {
            List<CustomerKey> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK)).stream()
                    .map(CustomerKey::parse).toList();
            Map<CustomerKey, DirectoryCustomer> entries = directory.findAll(chunk);
            String[] texts = new String[chunk.size()];
            Boolean[] kindAllowed = new Boolean[chunk.size()];
            Boolean[] found = new Boolean[chunk.size()];
            Boolean[] holds = new Boolean[chunk.size()];
            // Each row's failed criteria as a text array literal ('{0,2}'): a SQL array of arrays
            // would have to be rectangular.
            String[] failed = new String[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                EligibilityPolicy.CustomerVerdict verdict = policy.customerVerdict(engagement, chunk.get(i),
                        Optional.ofNullable(entries.get(chunk.get(i))));
                texts[i] = chunk.get(i).toString();
                kindAllowed[i] = verdict.kindAllowed();
                found[i] = verdict.found();
                holds[i] = verdict.holds();
                failed[i] = verdict.failedCriteria().stream().map(String::valueOf)
                        .collect(Collectors.joining(",", "{", "}"));
            }
            jdbc.sql("""
                            update known_customer_standing s set kind_allowed = t.kind_allowed, found = t.found,
                                failed_criteria = t.failed::smallint[],
                                verdict_holds = t.holds, max_active = :max
                            from unnest(:keys, :kindAllowed, :found, :failed, :holds)
                                as t(key, kind_allowed, found, failed, holds)
                            where s.partner_id = :partner and s.engagement_id = :engagement and s.customer_key = t.key""")
                    .param("partner", partnerId).param("engagement", engagement.id())
                    .param("max", engagement.maxActiveClaimsPerCustomer()).param("keys", texts)
                    .param("kindAllowed", kindAllowed).param("found", found).param("failed", failed)
                    .param("holds", holds)
                    .update();
        }
    }

    /** Repairs the rows of slots whose claims or known customers changed lately; returns how many slots it looked at. */
    @Scheduled(fixedDelayString = "${mci.jobs.standing.interval:60s}", initialDelayString = "${mci.jobs.standing.interval:60s}")
    void scheduledSweep() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.info("Standing sweep gave way to other work and runs again later: {}", e.getMessage());
        }
    }

    int sweep() {
        Timestamp since = Timestamp.from(clock.instant().minus(SWEEP_WINDOW));
        Integer slots = transactions.execute(status -> {
            jdbc.sql("set local lock_timeout = '200ms'").update();
            jdbc.sql("""
                            insert into known_customer_standing (partner_id, engagement_id, customer_key, customer_name,
                                identifier_type, identifier_value, sort_name, mine, active_claims, engaged_elsewhere, max_active)
                            select k.partner_id, v.engagement_id, k.customer_key, k.customer_name, k.identifier_type,
                                   k.identifier_value, lower(k.customer_name), false, 0, false, e.max_active_claims
                            from known_customer k
                            join known_customer_coverage v on v.partner_id = k.partner_id
                            join engagement e on e.id = v.engagement_id
                            where k.consented_at >= :since
                            on conflict do nothing""").param("since", since).update();
            List<Map.Entry<String, String>> changed = jdbc.sql("""
                            select distinct engagement_id, customer_key from claim where updated_at >= :since
                            union
                            select v.engagement_id, k.customer_key from known_customer k
                            join known_customer_coverage v on v.partner_id = k.partner_id where k.consented_at >= :since
                            order by 1, 2""")
                    .param("since", since)
                    .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list();
            if (!changed.isEmpty()) {
                jdbc.sql("select known_customer_standing_refresh(?, ?)")
                        .params(changed.stream().map(Map.Entry::getKey).toArray(String[]::new),
                                changed.stream().map(Map.Entry::getValue).toArray(String[]::new))
                        .query().listOfRows();
            }
            return changed.size();
        });
        fold();
        return slots == null ? 0 : slots;
    }

    /**
     * Folds each (partner, engagement)'s count deltas (V10) into one row, so that a page sums a
     * handful of rows. Rows another server folds at the same time are skipped here, never summed twice.
     */
    int fold() {
        Integer folded = transactions.execute(status -> {
            jdbc.sql("set local lock_timeout = '200ms'").update();
            return jdbc.sql("""
                    with slots as (
                        select partner_id, engagement_id from known_customer_standing_count
                        group by partner_id, engagement_id having count(*) > 1),
                    gone as (
                        delete from known_customer_standing_count c using slots
                        where c.partner_id = slots.partner_id and c.engagement_id = slots.engagement_id
                        returning c.partner_id, c.engagement_id, c.eligible, c.ineligible)
                    insert into known_customer_standing_count (partner_id, engagement_id, eligible, ineligible)
                    select partner_id, engagement_id, sum(eligible), sum(ineligible) from gone
                    group by partner_id, engagement_id""").update();
        });
        return folded == null ? 0 : folded;
    }
}
