package org.mciengagements.claim;

import java.util.Optional;

/**
 * What a claim's details show about the referral created from it (SPEC §11, §12). Implemented by the
 * referral module; declared here so claims need not depend on referrals.
 */
public interface ReferralSummaries {

    Optional<ClaimView.Referral> forClaim(long claimId);
}
