package org.mciengagements.claim;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.shared.CustomerKey;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What existing claims say about (engagement, customer key) pairs, from one partner's point of
 * view: the facts the eligibility rules about other partners, limits and duplicates need. One
 * grouped query serves a whole page of customers.
 */
@Component
class ClaimMarket {

    /** A pair of engagement and customer key. */
    record Slot(String engagementId, CustomerKey key) {}

    private final JdbcClient jdbc;

    ClaimMarket(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Map<Slot, MarketFacts> facts(String partnerId, Collection<String> engagementIds, Collection<CustomerKey> keys) {
        Map<Slot, MarketFacts> facts = new HashMap<>();
        if (engagementIds.isEmpty() || keys.isEmpty()) {
            return facts;
        }
        String active = ClaimStatus.sqlList(ClaimStatus.active());
        String engaged = ClaimStatus.sqlList(ClaimStatus.ENGAGED);
        jdbc.sql("""
                        select engagement_id, customer_key,
                               count(*) filter (where status in %1$s) as active_claims,
                               coalesce(bool_or(partner_id = :partner and status in %1$s), false) as mine,
                               max(first_submission_due_at) filter (where partner_id <> :partner
                                   and status = 'CONSENT_RECEIVED') as other_consent_until,
                               coalesce(bool_or(partner_id <> :partner and status in %2$s), false) as engaged_elsewhere
                        from claim
                        where engagement_id = any(:engagements) and customer_key = any(:keys)
                        group by engagement_id, customer_key""".formatted(active, engaged))
                .param("partner", partnerId)
                .param("engagements", engagementIds.toArray(String[]::new))
                .param("keys", keys.stream().map(CustomerKey::toString).toArray(String[]::new))
                .query((rs, n) -> {
                    Instant until = ClaimQueries.instant(rs, "other_consent_until");
                    facts.put(new Slot(rs.getString("engagement_id"), CustomerKey.parse(rs.getString("customer_key"))),
                            new MarketFacts(until, rs.getBoolean("engaged_elsewhere"), rs.getInt("active_claims"),
                                    rs.getBoolean("mine")));
                    return null;
                })
                .list();
        return facts;
    }
}
