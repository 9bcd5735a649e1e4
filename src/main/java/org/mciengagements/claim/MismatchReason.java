package org.mciengagements.claim;

/**
 * Why a partner nominates a tenant whose verified domains do not include the customer contact's
 * email domain. {@code OTHER} needs a note.
 */
public enum MismatchReason {
    CONTACT_USES_ANOTHER_DOMAIN,
    CUSTOMER_HAS_SEVERAL_TENANTS,
    SUBSIDIARY_OR_AFFILIATE,
    DOMAIN_NOT_YET_VERIFIED,
    OTHER
}
