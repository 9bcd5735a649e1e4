package org.mciengagements.claim;

import java.util.Collection;
import java.util.Map;
import org.mciengagements.engagement.ActiveCustomerCounts;
import org.springframework.stereotype.Component;

@Component
class ActiveCustomerCountsFromClaims implements ActiveCustomerCounts {

    private final ClaimQueries queries;

    ActiveCustomerCountsFromClaims(ClaimQueries queries) {
        this.queries = queries;
    }

    @Override
    public Map<String, Integer> byEngagement(String partnerId, Collection<String> locationIds) {
        return queries.activeCountsByEngagement(new ClaimQueries.Scope(partnerId, locationIds));
    }
}
