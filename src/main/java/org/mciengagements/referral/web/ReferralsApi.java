package org.mciengagements.referral.web;

import java.util.List;
import org.mciengagements.referral.ReferralStatus;
import org.mciengagements.referral.ReferralSummary;
import org.mciengagements.referral.ReferralView;
import org.mciengagements.referral.Referrals;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProgramClock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Referrals through the API: the caller's referrals, one referral, and decisions on it
 * ({@code {"decision":"ACCEPT"|"WON"|"LOST"|"DECLINE", "comment":"…"}}, answered with the referral).
 */
@RestController
@RequestMapping("/api/v1/referrals")
class ReferralsApi {

    private final Referrals referrals;
    private final ProgramClock clock;

    ReferralsApi(Referrals referrals, ProgramClock clock) {
        this.referrals = referrals;
        this.clock = clock;
    }

    record ReferralList(List<ReferralSummary> items, String nextCursor) {}

    @GetMapping
    ReferralList list(CurrentUser user, @RequestParam(required = false) ReferralStatus status,
                      @RequestParam(required = false) Boolean coSell, @RequestParam(required = false) String q,
                      @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Cursor.Page<ReferralSummary> page = referrals.list(user, new Referrals.Filter(status, coSell, q),
                Cursor.decode(cursor, "cursor"), Cursor.limit(limit));
        return new ReferralList(page.items(), page.nextCursor());
    }

    @GetMapping("/{referralId}")
    ReferralView one(CurrentUser user, @PathVariable long referralId) {
        return referrals.find(user, referralId);
    }

    record DecisionBody(String decision, String comment) {}

    @PostMapping("/{referralId}/decisions")
    ReferralView decide(CurrentUser user, @PathVariable long referralId, @RequestBody(required = false) DecisionBody body) {
        return referrals.decide(user, referralId, body == null ? null
                : new Referrals.DecisionRequest(body.decision(), body.comment()), clock.instant());
    }
}
