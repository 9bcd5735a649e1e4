package org.mciengagements.eligibility;

import java.time.Instant;

/**
 * What the claims already made say about one (engagement, customer key), seen from one partner.
 *
 * @param otherConsentUntil   when another partner holds consent without having submitted yet: the
 *                            end of its submission window; null otherwise
 * @param engagedElsewhere    another partner has submitted or later (not terminal-failed)
 * @param activeClaims        non-terminal claims across all partners
 * @param nominatedByPartner  this partner already holds an active claim
 */
public record MarketFacts(Instant otherConsentUntil, boolean engagedElsewhere, int activeClaims,
                          boolean nominatedByPartner) {

    public static final MarketFacts NONE = new MarketFacts(null, false, 0, false);
}
