package org.mciengagements.engagement;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mciengagements.program.Market;
import org.mciengagements.shared.IdentifierType;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The engagements of the program. Engagements are few and read on every page, so the catalog keeps
 * them in memory and reloads when the newest {@code updated_at} in the database changes. It asks
 * the database at most once per {@code mci.engagements.freshness} (default 1 s), at once after this
 * server saved an engagement, and at once when asked for an engagement it does not know: a change
 * made through this server is seen on its next read, a new engagement made through another server
 * on the first request that names it, any other change through another server within that time.
 */
@Service
public class EngagementCatalog {

    private static final long CATALOG_WRITE_LOCK = 0x4d43_4945_4e47L; // "MCIENG"

    private final JdbcClient jdbc;
    private final long freshnessNanos;
    private volatile Snapshot snapshot = new Snapshot(null, Map.of(), 0);

    /** The engagements as of {@code version}, last confirmed current at {@code checkedAt} (nano time). */
    private record Snapshot(Instant version, Map<String, Engagement> byId, long checkedAt) {}

    EngagementCatalog(JdbcClient jdbc,
                      @Value("${mci.engagements.freshness:1s}") Duration freshness) {
        this.jdbc = jdbc;
        this.freshnessNanos = freshness.toNanos();
    }

    /** All engagements, ordered by solution area and name. */
    public List<Engagement> all() {
        return List.copyOf(current().byId().values());
    }

    /**
     * Engagements listed for a partner: those for which at least one of its enrolled locations is
     * eligible (SPEC §4).
     */
    public List<Engagement> visibleTo(Collection<org.mciengagements.program.Location> partnerLocations) {
        return all().stream()
                .filter(e -> partnerLocations.stream().anyMatch(l -> l.enrolled() && e.locationEligible(l)))
                .toList();
    }

    /**
     * An engagement a partner may see, or a 404 problem: to a partner, an engagement none of its
     * enrolled locations qualifies for does not exist.
     */
    public Engagement findVisible(String id, Collection<org.mciengagements.program.Location> partnerLocations) {
        return find(id)
                .filter(e -> partnerLocations.stream().anyMatch(l -> l.enrolled() && e.locationEligible(l)))
                .orElseThrow(() -> org.mciengagements.shared.ProblemException.notFound("ENGAGEMENT_NOT_FOUND",
                        "problem.engagement.notFound", id));
    }

    /** An engagement by ID; one this server has not seen yet makes it ask the database at once. */
    public Optional<Engagement> find(String id) {
        Engagement engagement = current().byId().get(id);
        return engagement != null ? Optional.of(engagement) : Optional.ofNullable(current(true).byId().get(id));
    }

    private Snapshot current() {
        return current(false);
    }

    private Snapshot current(boolean now) {
        Snapshot known = snapshot;
        long checkedAt = System.nanoTime();
        if (!now && known.version() != null && checkedAt - known.checkedAt() < freshnessNanos) {
            return known;
        }
        Instant version = jdbc.sql("select max(updated_at) from engagement").query(Timestamp.class).optional()
                .map(Timestamp::toInstant).orElse(null);
        Snapshot fresh = version != null && version.equals(known.version())
                ? new Snapshot(version, known.byId(), checkedAt)
                : new Snapshot(version, load(), checkedAt);
        snapshot = fresh;
        return fresh;
    }

    /** Makes the next read ask the database, now and once the saving transaction has committed. */
    private void expire() {
        snapshot = new Snapshot(null, snapshot.byId(), 0);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    snapshot = new Snapshot(null, snapshot.byId(), 0);
                }
            });
        }
    }

    private Map<String, Engagement> load() {
        Map<String, List<Criterion>> criteria = new HashMap<>();
        jdbc.sql("select engagement_id, name, expression, message from engagement_criterion order by engagement_id, position")
                .query((rs, n) -> Map.entry(rs.getString(1), new Criterion(rs.getString(2), rs.getString(3), rs.getString(4))))
                .list().forEach(e -> criteria.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, Map<Market, BigDecimal>> payouts = new HashMap<>();
        jdbc.sql("select engagement_id, market, amount_usd from engagement_fixed_payout")
                .query((rs, n) -> {
                    payouts.computeIfAbsent(rs.getString(1), k -> new EnumMap<>(Market.class))
                            .put(Market.valueOf(rs.getString(2)), rs.getBigDecimal(3));
                    return null;
                }).list();
        Map<String, List<RateCard>> rateCards = new HashMap<>();
        jdbc.sql("""
                        select engagement_id, effective_from, max_hours, cap_percent, rate_a_usd, rate_b_usd, rate_c_usd
                        from engagement_rate_card order by engagement_id, effective_from""")
                .query((rs, n) -> Map.entry(rs.getString(1), new RateCard(rs.getDate(2).toLocalDate(), rs.getInt(3),
                        rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7))))
                .list().forEach(e -> rateCards.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));

        Map<String, Engagement> byId = new LinkedHashMap<>();
        jdbc.sql("select * from engagement order by solution_area, name")
                .query((rs, n) -> map(rs, criteria, payouts, rateCards)).list()
                .forEach(e -> byId.put(e.id(), e));
        return byId;
    }

    private static Engagement map(ResultSet rs, Map<String, List<Criterion>> criteria,
                                  Map<String, Map<Market, BigDecimal>> payouts, Map<String, List<RateCard>> rateCards)
            throws SQLException {
        String id = rs.getString("id");
        Set<IdentifierType> types = EnumSet.noneOf(IdentifierType.class);
        strings(rs.getArray("identifier_types")).forEach(t -> types.add(IdentifierType.valueOf(t)));
        return new Engagement(id, rs.getString("name"), rs.getString("description"), rs.getString("solution_area"),
                EngagementType.valueOf(rs.getString("engagement_type")), rs.getDate("first_claim_day").toLocalDate(),
                rs.getDate("last_claim_day").toLocalDate(), PaymentModel.valueOf(rs.getString("payment_model")),
                Set.copyOf(types), Set.copyOf(strings(rs.getArray("allowed_countries"))),
                Set.copyOf(strings(rs.getArray("eligible_location_ids"))), rs.getInt("max_active_claims"),
                new Deadlines(rs.getInt("consent_days"), rs.getInt("first_submission_days"), rs.getInt("review_days"),
                        rs.getInt("dispute_days"), rs.getInt("action_required_days")),
                List.copyOf(criteria.getOrDefault(id, List.of())),
                Map.copyOf(payouts.getOrDefault(id, Map.of())), List.copyOf(rateCards.getOrDefault(id, List.of())),
                new ReferralPolicy(rs.getBoolean("referral_enabled"), rs.getString("referral_condition"),
                        rs.getString("cosell_condition")));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    /**
     * Creates or replaces an engagement with all its parts. Saves are serialized and each one moves
     * {@code max(updated_at)} strictly forward (by a microsecond when two land on the same instant),
     * because that maximum is what tells every server its cached catalog is stale.
     */
    @Transactional
    public void save(Engagement e, Instant now) {
        expire();
        jdbc.sql("select pg_advisory_xact_lock(?)").param(CATALOG_WRITE_LOCK).query(Object.class).single();
        Instant at = now.truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        Instant stamp = jdbc.sql("select max(updated_at) from engagement").query(Timestamp.class).optional()
                .map(Timestamp::toInstant)
                .filter(latest -> !latest.isBefore(at))
                .map(latest -> latest.plus(1, ChronoUnit.MICROS))
                .orElse(at);
        jdbc.sql("""
                        insert into engagement (id, name, description, solution_area, engagement_type, first_claim_day,
                            last_claim_day, payment_model, identifier_types, allowed_countries, eligible_location_ids,
                            max_active_claims, consent_days, first_submission_days, review_days, dispute_days,
                            action_required_days, referral_enabled, referral_condition, cosell_condition, updated_at)
                        values (:id, :name, :description, :area, :type, :first, :last, :model, :types, :countries,
                            :locations, :max, :consent, :submission, :review, :dispute, :action, :referral,
                            :referralCondition, :cosell, :now)
                        on conflict (id) do update set name = excluded.name, description = excluded.description,
                            solution_area = excluded.solution_area, engagement_type = excluded.engagement_type,
                            first_claim_day = excluded.first_claim_day, last_claim_day = excluded.last_claim_day,
                            payment_model = excluded.payment_model, identifier_types = excluded.identifier_types,
                            allowed_countries = excluded.allowed_countries,
                            eligible_location_ids = excluded.eligible_location_ids,
                            max_active_claims = excluded.max_active_claims, consent_days = excluded.consent_days,
                            first_submission_days = excluded.first_submission_days, review_days = excluded.review_days,
                            dispute_days = excluded.dispute_days, action_required_days = excluded.action_required_days,
                            referral_enabled = excluded.referral_enabled,
                            referral_condition = excluded.referral_condition,
                            cosell_condition = excluded.cosell_condition, updated_at = excluded.updated_at""")
                .param("id", e.id()).param("name", e.name()).param("description", e.description())
                .param("area", e.solutionArea()).param("type", e.type().name())
                .param("first", e.firstClaimDay()).param("last", e.lastClaimDay())
                .param("model", e.paymentModel().name())
                .param("types", names(e.identifierTypes().stream().map(Enum::name).toList()))
                .param("countries", names(e.allowedCountries()))
                .param("locations", names(e.eligibleLocationIds()))
                .param("max", e.maxActiveClaimsPerCustomer())
                .param("consent", e.deadlines().consentDays())
                .param("submission", e.deadlines().firstSubmissionDays())
                .param("review", e.deadlines().reviewDays())
                .param("dispute", e.deadlines().disputeDays())
                .param("action", e.deadlines().actionRequiredDays())
                .param("referral", e.referralPolicy().enabled())
                .param("referralCondition", e.referralPolicy().condition())
                .param("cosell", e.referralPolicy().coSellCondition())
                .param("now", Timestamp.from(stamp))
                .update();
        for (String child : List.of("engagement_criterion", "engagement_fixed_payout", "engagement_rate_card")) {
            jdbc.sql("delete from " + child + " where engagement_id = ?").param(e.id()).update();
        }
        for (int i = 0; i < e.criteria().size(); i++) {
            Criterion c = e.criteria().get(i);
            jdbc.sql("insert into engagement_criterion values (?, ?, ?, ?, ?)")
                    .params(e.id(), i, c.name(), c.expression(), c.message()).update();
        }
        e.fixedPayouts().forEach((market, amount) ->
                jdbc.sql("insert into engagement_fixed_payout values (?, ?, ?)")
                        .params(e.id(), market.name(), amount).update());
        for (RateCard card : e.rateCards()) {
            jdbc.sql("insert into engagement_rate_card values (?, ?, ?, ?, ?, ?, ?)")
                    .params(e.id(), card.effectiveFrom(), card.maxHours(), card.capPercent(), card.rateA(),
                            card.rateB(), card.rateC()).update();
        }
    }

    private static String[] names(Collection<String> values) {
        return values.stream().sorted().collect(Collectors.toList()).toArray(String[]::new);
    }
}
