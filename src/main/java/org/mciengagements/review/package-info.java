/**
 * The reviewer's side of the claim lifecycle (SPEC §10): a queue of claims across all partners in
 * deadline order, and the decisions a {@code PROGRAM_REVIEWER} takes on a claim — start review,
 * request partner action with a checklist, approve (fixing the payout), reject — and the payout
 * record that completes it. The transitions themselves are the claim's verbs; this module checks
 * the reviewer's input and tells the partner.
 */
package org.mciengagements.review;
