package org.mciengagements.engagement;

import java.util.Collection;
import java.util.Map;

/**
 * How many customers a partner actively works per engagement (non-terminal claims), over some of
 * its locations. Implemented by the claim module; declared here so the catalog pages need not
 * depend on claims.
 */
public interface ActiveCustomerCounts {

    Map<String, Integer> byEngagement(String partnerId, Collection<String> locationIds);
}
