package org.mciengagements.review.web;

import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.review.Reviews;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Cursor;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The reviewer's API: the queue across partners, one claim, decisions, payouts and documents. */
@RestController
class ReviewApi {

    private final Reviews reviews;
    private final ClaimQueries claims;
    private final ProofDocuments documents;
    private final ProgramClock clock;

    ReviewApi(Reviews reviews, ClaimQueries claims, ProofDocuments documents, ProgramClock clock) {
        this.reviews = reviews;
        this.claims = claims;
        this.documents = documents;
        this.clock = clock;
    }

    record Queue(List<ClaimQueries.ReviewItem> items, String nextCursor) {}

    @GetMapping("/api/v1/review/claims")
    Queue queue(@RequestParam(required = false) List<ClaimStatus> status,
                @RequestParam(required = false) String engagementId, @RequestParam(required = false) String partnerId,
                @RequestParam(required = false) String q, @RequestParam(required = false) Instant dueBefore,
                @RequestParam(required = false) String cursor, @RequestParam(required = false) Integer limit) {
        Set<ClaimStatus> statuses = status == null || status.isEmpty() ? null : EnumSet.copyOf(status);
        Cursor.Page<ClaimQueries.ReviewItem> page = claims.reviewQueue(
                new ClaimQueries.ReviewFilter(statuses, blank(engagementId), blank(partnerId), q, dueBefore),
                Cursor.decode(cursor, "cursor"), Cursor.limit(limit));
        return new Queue(page.items(), page.nextCursor());
    }

    @GetMapping("/api/v1/review/claims/{claimId}")
    ClaimView one(@PathVariable long claimId) {
        return claim(claimId);
    }

    record DecisionBody(String decision, String comment, List<String> checklist) {}

    @PostMapping("/api/v1/review/claims/{claimId}/decisions")
    ClaimView decide(CurrentUser reviewer, @PathVariable long claimId, @RequestBody DecisionBody body) {
        reviews.decide(reviewer, claimId, new Reviews.DecisionRequest(body.decision(), body.comment(), body.checklist()),
                clock.instant());
        return claim(claimId);
    }

    record PayoutBody(java.math.BigDecimal amountUsd, LocalDate paidOn, String reference) {}

    @PostMapping("/api/v1/review/claims/{claimId}/payouts")
    ClaimView payout(CurrentUser reviewer, @PathVariable long claimId, @RequestBody PayoutBody body) {
        reviews.recordPayout(reviewer, claimId, new Reviews.PayoutRequest(body.amountUsd(), body.paidOn(), body.reference()),
                clock.instant());
        return claim(claimId);
    }

    @GetMapping("/api/v1/review/claims/{claimId}/documents/{documentId}")
    ResponseEntity<byte[]> document(@PathVariable long claimId, @PathVariable long documentId) {
        claim(claimId);
        return documents.content(claimId, documentId).asAttachment();
    }

    private ClaimView claim(long claimId) {
        return claims.findForReview(claimId)
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
