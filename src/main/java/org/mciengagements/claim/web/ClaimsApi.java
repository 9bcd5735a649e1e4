package org.mciengagements.claim.web;

import java.util.List;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimSummary;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/claims")
class ClaimsApi {

    private final ClaimQueries claims;

    ClaimsApi(ClaimQueries claims) {
        this.claims = claims;
    }

    record ClaimList(List<ClaimSummary> items, String nextCursor) {}

    @GetMapping
    ClaimList search(CurrentUser user, @RequestParam(required = false) String engagementId,
                     @RequestParam(required = false) ClaimStatus status, @RequestParam(required = false) String q,
                     @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Cursor.Page<ClaimSummary> page = claims.search(scope(user), new ClaimQueries.Filter(engagementId, status, q),
                Cursor.decode(cursor, "cursor"), Cursor.limit(limit));
        return new ClaimList(page.items(), page.nextCursor());
    }

    @GetMapping("/{claimId}")
    ClaimView one(CurrentUser user, @PathVariable long claimId) {
        return claims.find(claimId, scope(user))
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
    }

    static ClaimQueries.Scope scope(CurrentUser user) {
        user.requireIncentivesRole();
        return new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds());
    }
}
