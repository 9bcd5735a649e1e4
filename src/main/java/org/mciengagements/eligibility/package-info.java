/**
 * Whether a partner location may nominate a customer key for an engagement, and if not, every
 * reason why. The policy is a named list of rules evaluated in full (never stopping at the first
 * failure) over facts gathered by the caller; customer criteria are CEL expressions compiled once.
 * Eligibility is looked up for exactly the key given and never cascades to other identifiers.
 */
package org.mciengagements.eligibility;
