package org.mciengagements.security;

/** Roles that are not tied to a location: partner-wide referral administration and vendor staff. */
public enum GlobalRole { REFERRAL_ADMIN, PROGRAM_REVIEWER, PROGRAM_OPERATOR, SELLER }
