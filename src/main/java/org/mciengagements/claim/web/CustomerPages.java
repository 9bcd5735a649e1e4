package org.mciengagements.claim.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.CustomersPage;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import java.util.List;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.LocationTexts;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;

/** The Customers page of an engagement, the claims search and a claim's details. */
@Controller
class CustomerPages {

    private final EngagementCatalog catalog;
    private final CustomersPage page;
    private final ClaimQueries claims;
    private final ReasonTexts reasons;
    private final CustomersCsv csv;
    private final ProgramClock clock;
    private final ProofDocuments documents;
    private final LocationTexts locationTexts;

    CustomerPages(EngagementCatalog catalog, CustomersPage page, ClaimQueries claims, ReasonTexts reasons,
                  CustomersCsv csv, ProgramClock clock, ProofDocuments documents, LocationTexts locationTexts) {
        this.documents = documents;
        this.locationTexts = locationTexts;
        this.catalog = catalog;
        this.page = page;
        this.claims = claims;
        this.reasons = reasons;
        this.csv = csv;
        this.clock = clock;
    }

    @GetMapping("/engagements/{engagementId}/customers")
    String customers(CurrentUser user, @PathVariable String engagementId, @RequestParam(required = false) String tab,
                     @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
                     @RequestParam(required = false) String order, @RequestParam(required = false) String cursor,
                     @RequestParam(required = false) Integer limit,
                     @RequestHeader(name = "HX-Request", required = false) String htmx, Model model) {
        user.requireIncentivesRole();
        Engagement engagement = catalog.findVisible(engagementId, user.partnerLocations());
        CustomersPage.Request request = CustomersRequests.of(tab, q, sort, order, cursor, limit);
        CustomersPage.Result result = page.show(user, engagement, request, clock.instant());
        model.addAttribute("me", user);
        model.addAttribute("engagement", engagement);
        model.addAttribute("result", result);
        model.addAttribute("request", request);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("reasons", reasons);
        model.addAttribute("tabs", CustomersPage.Tab.values());
        // Claim actions are offered on claims of every location the user holds a role on: claims in
        // flight continue when their location is suspended or withdrawn.
        model.addAttribute("actionableLocationIds", java.util.Set.copyOf(user.visibleLocationIds()));
        // Nominating needs an enrolled location of yours that qualifies, and an open claim window.
        boolean canNominate = engagement.acceptsClaims(clock.instant())
                && user.usableLocations().stream().anyMatch(engagement::locationEligible);
        model.addAttribute("canNominate", canNominate);
        if (!canNominate && engagement.acceptsClaims(clock.instant())) {
            model.addAttribute("nominationBlocked", whyNot(user, engagement));
        }
        // htmx asks only for the table when a tab, search, sort or page changes.
        return htmx != null ? "claim/customers :: table" : "claim/customers";
    }

    /** A location and why it cannot nominate, as the pages show it. */
    record LocationNotice(String location, String reason) {}

    /** Each of the user's locations and why it cannot nominate for this engagement. */
    private List<LocationNotice> whyNot(CurrentUser user, Engagement engagement) {
        return user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                .map(a -> new LocationNotice(LocationTexts.label(a.location()), locationTexts.refusal(a, user.timeZone())
                        .orElseGet(() -> reasons.describe(List.of(org.mciengagements.eligibility.Reason.of(
                                org.mciengagements.eligibility.ReasonCode.LOCATION_NOT_ELIGIBLE)), user.timeZone())
                                .getFirst().message())))
                .toList();
    }

    @GetMapping("/engagements/{engagementId}/customers/export")
    void export(CurrentUser user, @PathVariable String engagementId, @RequestParam(required = false) String tab,
                @RequestParam(required = false) String q, @RequestParam(required = false) String sort,
                @RequestParam(required = false) String order, HttpServletResponse response) throws IOException {
        user.requireIncentivesRole();
        CustomersApi.writeCsv(user, engagementId, tab, q, sort, order, response, catalog, page, csv, clock.instant());
    }

    @GetMapping("/claims")
    String search(CurrentUser user, @RequestParam(required = false) String q,
                  @RequestParam(required = false) String engagementId,
                  @RequestParam(required = false) ClaimStatus status, @RequestParam(required = false) String cursor,
                  Model model) {
        var result = claims.search(ClaimsApi.scope(user), new ClaimQueries.Filter(engagementId, status, q),
                org.mciengagements.shared.Cursor.decode(cursor, "cursor"), 50);
        model.addAttribute("me", user);
        model.addAttribute("result", result);
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("status", status);
        model.addAttribute("statuses", ClaimStatus.values());
        model.addAttribute("engagements", catalog.visibleTo(user.partnerLocations()));
        model.addAttribute("engagementId", engagementId);
        return "claim/search";
    }

    @GetMapping("/claims/{claimId}")
    String details(CurrentUser user, @PathVariable long claimId, Model model) {
        var claim = claims.find(claimId, ClaimsApi.scope(user))
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
        java.time.Instant now = clock.instant();
        model.addAttribute("me", user);
        model.addAttribute("claim", claim);
        // Claims in flight continue at a suspended or withdrawn location; the page says why it adds no customers.
        model.addAttribute("canAct", user.access(claim.locationId()).map(CurrentUser.LocationAccess::visible).orElse(false));
        user.access(claim.locationId()).filter(a -> !a.location().enrolled())
                .ifPresent(a -> model.addAttribute("locationNotice", new LocationNotice(LocationTexts.label(a.location()),
                        locationTexts.enrollment(a.location(), user.timeZone()))));
        model.addAttribute("engagement", catalog.find(claim.engagementId()).orElse(null));
        // What the action forms need: the dispute window, the upload limits, today for the date picker.
        model.addAttribute("disputeOpen", claim.status() == ClaimStatus.REJECTED
                && claim.deadlines().disputeDueAt() != null && now.isBefore(claim.deadlines().disputeDueAt()));
        model.addAttribute("today", java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC));
        model.addAttribute("maxFiles", ProofDocuments.MAX_FILES);
        model.addAttribute("maxFileMegabytes", ProofDocuments.MAX_BYTES / (1024 * 1024));
        // Referral administrators open the claim's referral; other partner users only learn that one exists.
        model.addAttribute("canOpenReferral", user.has(org.mciengagements.security.GlobalRole.REFERRAL_ADMIN));
        return "claim/details";
    }

    @GetMapping("/claims/{claimId}/documents/{documentId}")
    org.springframework.http.ResponseEntity<byte[]> document(CurrentUser user, @PathVariable long claimId,
                                                             @PathVariable long documentId) {
        claims.find(claimId, ClaimsApi.scope(user))
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound", String.valueOf(claimId)));
        return documents.content(claimId, documentId).asAttachment();
    }
}
