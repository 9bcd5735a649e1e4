package org.mciengagements.claim;

/** The reviewer's checklist of standard reasons for asking a partner to act, or for rejecting. */
public enum ReviewReason {
    MISSING_PROOF,
    MISSING_CUSTOMER_ACKNOWLEDGEMENT,
    MISSING_OR_OLD_DATES,
    WORK_DESCRIPTION_MISSING,
    PRODUCTS_MISSING
}
