package org.mciengagements.claim.web;

import java.util.ArrayList;
import java.util.List;
import org.mciengagements.claim.Nomination;

/**
 * Everything the Add/Claim customer wizard has collected so far. The wizard keeps no server-side
 * state: each step posts all earlier answers back as hidden fields, so Back and Next keep what was
 * typed and any server can serve any step.
 */
public record NominationForm(String origin, String friendlyName, String locationId, String identifierType,
                             String identifierValue, List<String> engagementIds, Integer hours,
                             String customerName, String customerEmail, String customerPhone, String customerLanguage,
                             String partnerName, String partnerEmail, String partnerPhone, String mismatchReason,
                             String mismatchNote, Long previousClaimId) {

    public NominationForm {
        engagementIds = engagementIds == null ? new ArrayList<>() : new ArrayList<>(engagementIds);
    }

    public Nomination toNomination() {
        return new Nomination(origin, friendlyName, locationId, identifierType, identifierValue, engagementIds, hours,
                mismatchReason, mismatchNote,
                new Nomination.ContactInput(customerName, customerEmail, customerPhone, customerLanguage),
                new Nomination.ContactInput(partnerName, partnerEmail, partnerPhone, null), previousClaimId);
    }

    public boolean selected(String engagementId) {
        return engagementIds.contains(engagementId);
    }

    public boolean isClaim() {
        return "CLAIM".equals(origin);
    }

    /** A new claim started from an expired one: same customer and engagement, the old claim untouched. */
    public boolean isFollowUp() {
        return previousClaimId != null;
    }

    /** Claiming a known customer, and following an expired claim, keep the customer's identifier. */
    public boolean identifierFixed() {
        return isClaim() || isFollowUp();
    }

    /** Which wizard this is, for its title and final button: {@code ADD}, {@code CLAIM} or {@code FOLLOW_UP}. */
    public String kind() {
        return isFollowUp() ? "FOLLOW_UP" : origin;
    }
}
