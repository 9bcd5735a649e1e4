package org.mciengagements.claim.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.Nomination;
import org.mciengagements.claim.Nominations;
import org.mciengagements.claim.NotEligibleException;
import org.mciengagements.engagement.PaymentModel;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.Idempotency;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.web.ProblemHandlers;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Add customer and Claim customer through the API: the dry-run check and the nomination. */
@RestController
class NominationApi {

    private final Nominations nominations;
    private final ClaimQueries claims;
    private final ReasonTexts reasons;
    private final Idempotency idempotency;
    private final ProblemHandlers problems;
    private final JsonMapper json;
    private final ProgramClock clock;

    NominationApi(Nominations nominations, ClaimQueries claims, ReasonTexts reasons, Idempotency idempotency,
                  ProblemHandlers problems, JsonMapper json, ProgramClock clock) {
        this.nominations = nominations;
        this.claims = claims;
        this.reasons = reasons;
        this.idempotency = idempotency;
        this.problems = problems;
        this.json = json;
        this.clock = clock;
    }

    record IdentifierInput(String type, String value) {}

    record CheckRequest(String locationId, IdentifierInput identifier, String customerEmail) {}

    record EngagementAnswer(String engagementId, String name, PaymentModel paymentModel, boolean eligible,
                            List<ReasonTexts.ReasonView> reasons) {}

    record CheckResponse(String customerKey, String customerName, boolean customerFound, boolean tenantMustBeSupplied,
                         boolean domainMismatch, List<String> verifiedDomains, List<EngagementAnswer> engagements) {}

    record ClaimRequest(String origin, String friendlyName, String locationId, IdentifierInput identifier,
                        List<String> engagementIds, Integer hours, String mismatchReason, String mismatchNote,
                        Nomination.ContactInput customerContact, Nomination.ContactInput partnerContact,
                        Long previousClaimId) {}

    record ClaimsCreated(List<ClaimView> claims) {}

    @PostMapping("/api/v1/customer-checks")
    CheckResponse check(CurrentUser user, @RequestBody CheckRequest request) {
        user.requireIncentivesRole();
        IdentifierInput id = request.identifier() == null ? new IdentifierInput(null, null) : request.identifier();
        Nominations.CustomerCheck check = nominations.check(user, request.locationId(), id.type(), id.value(),
                request.customerEmail(), clock.instant());
        return new CheckResponse(check.customer().key().map(Object::toString).orElse(null),
                check.customer().entry().map(e -> e.displayName()).orElse(null), check.customer().entry().isPresent(),
                check.customer().tenantMustBeSupplied(), check.domainMismatch(), check.customer().verifiedDomains(),
                check.engagements().stream().map(c -> new EngagementAnswer(c.engagement().id(), c.engagement().name(),
                        c.engagement().paymentModel(), c.decision().eligible(),
                        reasons.describe(c.decision().reasons(), user.timeZone()))).toList());
    }

    @PostMapping("/api/v1/claims")
    ResponseEntity<String> create(CurrentUser user, @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                  @RequestBody ClaimRequest request) {
        user.requireIncentivesRole();
        IdentifierInput id = request.identifier() == null ? new IdentifierInput(null, null) : request.identifier();
        Nomination nomination = new Nomination(request.origin(), request.friendlyName(), request.locationId(), id.type(),
                id.value(), request.engagementIds(), request.hours(), request.mismatchReason(), request.mismatchNote(),
                request.customerContact(), request.partnerContact(), request.previousClaimId());
        Idempotency.Response response = idempotency.execute(user.username(), key, json.writeValueAsString(request),
                clock.instant(), () -> {
                    Nominations.Created created = nominations.nominate(user, nomination, clock.instant());
                    ClaimQueries.Scope scope = new ClaimQueries.Scope(user.partnerId(), user.visibleLocationIds());
                    List<ClaimView> views = created.claimIds().stream()
                            .map(claimId -> claims.find(claimId, scope).orElseThrow()).toList();
                    return new Idempotency.Response(201, json.writeValueAsString(new ClaimsCreated(views)));
                });
        return ResponseEntity.status(response.status()).contentType(MediaType.APPLICATION_JSON).body(response.body());
    }

    /** Not eligible: the problem lists the decision for every requested engagement. */
    @ExceptionHandler(NotEligibleException.class)
    ResponseEntity<ProblemDetail> notEligible(NotEligibleException e, HttpServletRequest request, CurrentUser user) {
        ProblemDetail detail = problems.toProblemDetail(e, request, LocaleContextHolder.getLocale());
        detail.setProperty("engagements", e.decisions().entrySet().stream()
                .map(d -> Map.of("engagementId", d.getKey(), "eligible", d.getValue().eligible(),
                        "reasons", reasons.describe(d.getValue().reasons(), user.timeZone())))
                .toList());
        return ResponseEntity.status(e.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(detail);
    }
}
