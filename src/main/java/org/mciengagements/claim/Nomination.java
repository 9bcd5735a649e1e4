package org.mciengagements.claim;

import java.util.List;

/**
 * What a partner submits to add or claim a customer (SPEC §7, §8), as typed: {@link Nominations}
 * validates every field and reports each problem by its field path.
 *
 * @param origin         {@code ADD} or {@code CLAIM}
 * @param mismatchReason one of {@link MismatchReason}; required when the customer contact's email
 *                       domain is not a verified domain of the tenant
 * @param previousClaimId an expired claim of the partner this new claim is started from (SPEC §10);
 *                        it must name the same engagement and customer key, and may be followed once
 */
public record Nomination(String origin, String friendlyName, String locationId, String identifierType,
                         String identifierValue, List<String> engagementIds, Integer hours, String mismatchReason,
                         String mismatchNote, ContactInput customerContact, ContactInput partnerContact,
                         Long previousClaimId) {

    /** A contact as typed; {@code language} only applies to the customer contact. */
    public record ContactInput(String name, String email, String phone, String language) {}
}
