/**
 * Claims: a partner's nomination of a customer key for an engagement, carried from
 * {@code CUSTOMER_CLAIMED} through consent, submission, review and payout. The transition table
 * lives once, in {@link org.mciengagements.claim.ClaimStatus}. Invariants across partners are
 * enforced by PostgreSQL: partial unique indexes (one active claim per partner and key, one consent
 * holder per key) and a transaction-scoped lock per (engagement, customer key) for the claim limit.
 * The Customers page of an engagement is a read model over claims and known customers.
 */
package org.mciengagements.claim;
