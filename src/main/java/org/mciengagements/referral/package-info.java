/**
 * Referrals and co-sell (SPEC §11). When a partner sends the consent email of a claim for an
 * engagement whose referral policy is on, and the policy's condition holds — a CEL expression over
 * the claim ({@code estimatedDealSizeUsd} as a number, {@code engagementId}, {@code partnerId},
 * {@code locationId}, {@code customerKey}, {@code hours}) and the customer key's directory attributes
 * — a <em>partner-led</em> referral is created for the claim, {@code NEW / PENDING}, holding a
 * snapshot of the customer, engagement, deal size and partner contact. When the customer consents and
 * the co-sell condition holds for the customer key, the referral is upgraded to <em>co-sell</em>.
 * When the claim ends before anyone could work with the customer — canceled (also because another
 * partner's customer consented first), consent declined, consent expired — an open referral closes
 * as {@code EXPIRED}.
 *
 * <p>All of that happens in the transaction of the claim's move: claims publish events and this
 * module listens synchronously, so a referral exists exactly when the move that made it committed,
 * and a failing referral write refuses the move. The claim's row lock, held by every move, keeps a
 * racing consent and cancellation from leaving an open referral on a closed claim.
 *
 * <p>Statuses: {@code NEW / PENDING} → {@code ACTIVE / ACCEPTED} (accept) → {@code CLOSED / WON} or
 * {@code CLOSED / LOST}; {@code NEW / PENDING} → {@code CLOSED / DECLINED}; any open referral →
 * {@code CLOSED / EXPIRED}. The sub-status decides the status; {@link
 * org.mciengagements.referral.ReferralSubStatus} holds the one transition table.
 *
 * <p>Who sees what: a partner's referral administrators see and work all of their partner's
 * referrals; sellers see co-sell referrals of every partner and may accept them, nothing more;
 * everyone else is refused. A referral the caller may not see does not exist for them (404).
 */
package org.mciengagements.referral;
