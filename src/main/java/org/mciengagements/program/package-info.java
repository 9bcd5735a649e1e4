/**
 * Partners and their locations. A location (Partner Program location ID, 6–10 digits) has a
 * country and an MCI enrollment status; only an {@code ENROLLED} location may nominate customers.
 * Countries fall into payout markets A, B and C.
 */
package org.mciengagements.program;
