package org.mciengagements.claim;

import java.time.Instant;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;

/** A customer key that consented to this partner on an earlier claim. */
public record KnownCustomer(CustomerKey key, IdentifierType identifierType, String identifierValue,
                            String customerName, long lastClaimId, Instant consentedAt) {}
