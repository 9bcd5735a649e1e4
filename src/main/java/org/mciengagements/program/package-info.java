/**
 * Partners and their locations. A location (Partner Program location ID, 6–10 digits) has a
 * country and an MCI enrollment status; only an {@code ENROLLED} location may nominate customers.
 * Operators move a location's enrollment through {@link org.mciengagements.program.Enrollments}
 * (enroll, suspend, re-enroll, withdraw: one table, {@link org.mciengagements.program.EnrollmentAction}),
 * each move conditional on the status it was decided from and recorded in the audit trail.
 * Countries fall into payout markets A, B and C.
 */
package org.mciengagements.program;
