package org.mciengagements.claim;

import java.time.Instant;
import org.mciengagements.shared.IdentifierType;

/** One claim in a list: search results and Customers page rows. */
public record ClaimSummary(long id, String engagementId, String locationId, String friendlyName, String customerName,
                           IdentifierType identifierType, String identifierValue, String customerKey,
                           ClaimStatus status, ClaimView.Deadline nextDeadline, Instant createdAt,
                           Instant updatedAt) {}
