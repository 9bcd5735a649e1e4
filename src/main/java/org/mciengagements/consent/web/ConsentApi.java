package org.mciengagements.consent.web;

import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.time.Instant;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.Nomination;
import org.mciengagements.consent.Consents;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Consent through the API: the partner's request and resend, and the customer's link (no login). */
@RestController
class ConsentApi {

    private final Consents consents;
    private final ClaimQueries claims;
    private final ProgramClock clock;
    private final String publicUrl;

    ConsentApi(Consents consents, ClaimQueries claims, ProgramClock clock, @Value("${mci.public-url:}") String publicUrl) {
        this.consents = consents;
        this.claims = claims;
        this.clock = clock;
        this.publicUrl = publicUrl;
    }

    record ConsentRequest(BigDecimal estimatedDealSizeUsd, Nomination.ContactInput customerContact,
                          Nomination.ContactInput partnerContact, Boolean disclaimerAccepted) {}

    @PostMapping("/api/v1/claims/{claimId}/consent-request")
    ClaimView request(CurrentUser user, @PathVariable long claimId, @RequestBody ConsentRequest body,
                      HttpServletRequest request) {
        consents.request(user, claimId, new Consents.Request(body.estimatedDealSizeUsd(), body.customerContact(),
                body.partnerContact(), body.disclaimerAccepted()), baseUrl(publicUrl), clock.instant());
        return claim(user, claimId);
    }

    @PostMapping("/api/v1/claims/{claimId}/consent-request/reminders")
    ClaimView remind(CurrentUser user, @PathVariable long claimId) {
        consents.remind(user, claimId, baseUrl(publicUrl), clock.instant());
        return claim(user, claimId);
    }

    record LinkAnswer(String state, String partnerName, String engagementName, String engagementDescription,
                      String customerName, Instant expiresAt) {}

    record DecisionRequest(String decision, String reason) {}

    @GetMapping("/api/v1/consent/{token}")
    LinkAnswer view(@PathVariable String token) {
        Consents.LinkView view = consents.view(token, clock.instant());
        if (view.state() == Consents.LinkState.UNKNOWN) {
            throw ProblemException.notFound("CONSENT_LINK_UNKNOWN", "consent.link.UNKNOWN");
        }
        Consents.Details d = view.details().orElseThrow();
        return new LinkAnswer(view.state().name(), d.partnerName(), d.engagementName(), d.engagementDescription(),
                d.customerName(), d.expiresAt());
    }

    @PostMapping("/api/v1/consent/{token}")
    LinkAnswer decide(@PathVariable String token, @RequestBody DecisionRequest body) {
        Consents.Decision decision;
        try {
            decision = Consents.Decision.valueOf(body.decision() == null ? "" : body.decision().strip().toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("decision", "INVALID_VALUE", "consent.decision.invalid");
        }
        consents.decide(token, decision, body.reason(), clock.instant());
        return view(token);
    }

    private ClaimView claim(CurrentUser user, long claimId) {
        return claims.find(claimId, new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds())).orElseThrow();
    }

    /** Links in mails point at the configured public address, or else at the address this request came to. */
    static String baseUrl(String publicUrl) {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        }
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
