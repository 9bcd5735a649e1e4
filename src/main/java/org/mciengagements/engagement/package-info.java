/**
 * Engagements the vendor funds: claim window, payment model, accepted identifier types, partner
 * and customer eligibility criteria, the active-claim limit per customer key, deadlines (defaults
 * per engagement type from the program's published table), payouts and the referral policy.
 */
package org.mciengagements.engagement;
