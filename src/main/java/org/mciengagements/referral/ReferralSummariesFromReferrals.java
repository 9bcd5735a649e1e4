package org.mciengagements.referral;

import java.util.Optional;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ReferralSummaries;
import org.springframework.stereotype.Component;

/** Tells the claim's details about the claim's referral, without letting claims depend on referrals. */
@Component
class ReferralSummariesFromReferrals implements ReferralSummaries {

    private final Referrals referrals;

    ReferralSummariesFromReferrals(Referrals referrals) {
        this.referrals = referrals;
    }

    @Override
    public Optional<ClaimView.Referral> forClaim(long claimId) {
        return referrals.ofClaim(claimId).map(r -> new ClaimView.Referral(r.id(), r.status().name(),
                r.subStatus().name(), r.coSell()));
    }
}
