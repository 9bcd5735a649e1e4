package org.mciengagements.referral;

/** Where a referral stands: new, being worked, or closed (how it closed is its sub-status). */
public enum ReferralStatus { NEW, ACTIVE, CLOSED }
