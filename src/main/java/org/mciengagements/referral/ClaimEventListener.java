package org.mciengagements.referral;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.mciengagements.claim.ClaimClosed;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ConsentReceived;
import org.mciengagements.claim.ConsentRequested;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.shared.CustomerKey;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Referrals follow their claims. Every handler runs synchronously in the transaction of the claim's
 * move ({@code MANDATORY}: a move published outside one is a bug, not something to paper over), so
 * the referral commits or rolls back with it, and the claim's row lock, held by the move, orders
 * racing moves of one claim for its referral too.
 */
@Component
class ClaimEventListener {

    /**
     * Claim ends that close an open referral: the partner withdrew (or lost the customer to another
     * partner), or the customer declined or never answered. After consent the referral's fate belongs
     * to the people working it: a claim that later expires unsubmitted or is rejected leaves it open.
     */
    static final Set<ClaimStatus> CLOSING = EnumSet.of(ClaimStatus.CANCELED, ClaimStatus.CONSENT_DECLINED,
            ClaimStatus.CONSENT_EXPIRED);

    private final ReferralLifecycle lifecycle;
    private final ReferralRules rules;
    private final EngagementCatalog catalog;
    private final CustomerDirectory directory;

    ClaimEventListener(ReferralLifecycle lifecycle, ReferralRules rules, EngagementCatalog catalog,
                       CustomerDirectory directory) {
        this.lifecycle = lifecycle;
        this.rules = rules;
        this.catalog = catalog;
        this.directory = directory;
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentRequested claim) {
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        ReferralRules.Verdict verdict = rules.creation(engagement.referralPolicy(), customer(claim.customerKey()),
                ReferralRules.claimFacts(claim.engagementId(), claim.partnerId(), claim.locationId(),
                        claim.customerKey(), claim.estimatedDealSizeUsd(), claim.hours()));
        if (verdict.holds()) {
            lifecycle.create(claim, verdict.detail());
        }
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ConsentReceived consent) {
        lifecycle.lockByClaim(consent.claimId()).filter(r -> r.subStatus().isOpen() && !r.coSell()).ifPresent(r -> {
            Engagement engagement = catalog.find(consent.engagementId()).orElseThrow();
            ReferralRules.Verdict verdict = rules.coSell(engagement.referralPolicy(), customer(consent.customerKey()),
                    lifecycle.facts(r.id()));
            if (verdict.holds()) {
                lifecycle.upgradeToCoSell(r, verdict.detail(), consent.at());
            }
        });
    }

    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(ClaimClosed closed) {
        if (!CLOSING.contains(closed.status())) {
            return;
        }
        lifecycle.lockByClaim(closed.claimId()).filter(r -> r.subStatus().isOpen())
                .ifPresent(r -> lifecycle.expire(r, closed.status().name()
                        + (closed.reason() == null ? "" : ": " + closed.reason()), closed.at()));
    }

    /** The customer key's directory entry as criteria see it; an unknown key has no attributes. */
    private Map<String, Object> customer(String customerKey) {
        return directory.find(CustomerKey.parse(customerKey)).map(DirectoryCustomer::criteriaView).orElse(Map.of());
    }
}
