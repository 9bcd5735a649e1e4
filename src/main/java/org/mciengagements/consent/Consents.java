package org.mciengagements.consent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mciengagements.claim.ClaimActions;
import org.mciengagements.claim.ClaimLifecycle;
import org.mciengagements.claim.ClaimLifecycle.Actor;
import org.mciengagements.claim.ClaimLifecycle.ClaimRef;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.Nomination;
import org.mciengagements.claim.Nominations;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.notification.Email;
import org.mciengagements.notification.Outbox;
import org.mciengagements.program.Partner;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The consent use cases: the partner's consent request and resend, and the customer's view of
 * and decision on a consent link. Every state change and the emails it causes commit together.
 */
@Service
public class Consents {

    private final ClaimLifecycle lifecycle;
    private final ConsentTokens tokens;
    private final Outbox outbox;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;
    private final org.mciengagements.security.UserAccounts accounts;

    Consents(ClaimLifecycle lifecycle, ConsentTokens tokens, Outbox outbox, EngagementCatalog catalog,
             ProgramDirectory program, org.mciengagements.security.UserAccounts accounts) {
        this.accounts = accounts;
        this.lifecycle = lifecycle;
        this.tokens = tokens;
        this.outbox = outbox;
        this.catalog = catalog;
        this.program = program;
    }

    /** What the partner sends with a consent request; absent contacts keep the claim's ones. */
    public record Request(BigDecimal estimatedDealSizeUsd, Nomination.ContactInput customerContact,
                          Nomination.ContactInput partnerContact, Boolean disclaimerAccepted) {}

    /**
     * Sends the customer consent email: {@code CUSTOMER_CLAIMED → AWAITING_CONSENT}. The deal
     * size must be given and is fixed from now on; the disclaimer must be accepted.
     */
    @Transactional
    public void request(CurrentUser user, long claimId, Request request, String baseUrl, Instant now) {
        ClaimRef claim = ClaimActions.actionable(user, lifecycle.lock(claimId));
        if (claim.estimatedDealSizeUsd() != null) {
            throw new ProblemException(HttpStatus.CONFLICT, "DEAL_SIZE_FIXED", "consent.dealSizeFixed", List.of(),
                    List.of(new FieldProblem("estimatedDealSizeUsd", "IMMUTABLE", "consent.dealSizeFixed")), Map.of());
        }
        List<FieldProblem> problems = new ArrayList<>();
        if (request.estimatedDealSizeUsd() == null) {
            problems.add(new FieldProblem("estimatedDealSizeUsd", "REQUIRED", "consent.dealSize.required"));
        } else if (request.estimatedDealSizeUsd().signum() < 0 || request.estimatedDealSizeUsd().scale() > 2
                || request.estimatedDealSizeUsd().precision() - request.estimatedDealSizeUsd().scale() > 12) {
            problems.add(new FieldProblem("estimatedDealSizeUsd", "OUT_OF_RANGE", "consent.dealSize.range"));
        }
        if (!Boolean.TRUE.equals(request.disclaimerAccepted())) {
            problems.add(new FieldProblem("disclaimerAccepted", "REQUIRED", "consent.disclaimer.required"));
        }
        ClaimView.Contact customer = merge(claim.customerContact(), request.customerContact(), true);
        ClaimView.Contact partner = merge(claim.partnerContact(), request.partnerContact(), false);
        problems.addAll(Nominations.contactProblems(input(customer), "customerContact", true));
        problems.addAll(Nominations.contactProblems(input(partner), "partnerContact", false));
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        lifecycle.requestConsent(claim, request.estimatedDealSizeUsd(), customer, partner, Actor.partner(user.username()), now);
        sendLink(claim, customer, baseUrl, now);
    }

    /** Sends the consent email again with a new link; the old link stops working. Once a day at most. */
    @Transactional
    public void remind(CurrentUser user, long claimId, String baseUrl, Instant now) {
        ClaimRef claim = ClaimActions.actionable(user, lifecycle.lock(claimId));
        lifecycle.recordReminder(claim, Actor.partner(user.username()), now);
        sendLink(claim, claim.customerContact(), baseUrl, now);
    }

    private void sendLink(ClaimRef claim, ClaimView.Contact customer, String baseUrl, Instant now) {
        ConsentTokens.Issued issued = tokens.issue(claim.id(), claim.consentDueAt(), now);
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("partnerName", partnerName(claim));
        model.put("engagementName", engagement.name());
        model.put("engagementDescription", engagement.description());
        model.put("contactName", customer.name());
        model.put("customerName", claim.customerName());
        model.put("link", baseUrl + "/consent/" + issued.token());
        model.put("deadline", org.mciengagements.notification.MailDates.dateTime(claim.consentDueAt(), customer.language()));
        outbox.enqueue(new Email("consent-request:" + claim.id() + ":" + issued.id(), claim.id(), "consent-request",
                customer.email(), customer.language(), model), now);
    }

    // ------------------------------------------------------------------ the customer's side

    /** Where a consent link stands. Only {@code OPEN} links can be answered. */
    public enum LinkState { OPEN, UNKNOWN, USED, REPLACED, EXPIRED, CLOSED }

    /** What the consent page shows. Empty details for an unknown link: a guessed token learns nothing. */
    public record LinkView(LinkState state, Optional<Details> details) {}

    public record Details(String partnerName, String engagementName, String engagementDescription, String customerName,
                          String contactName, String language, Instant expiresAt, ClaimStatus claimStatus) {}

    @Transactional(readOnly = true)
    public LinkView view(String token, Instant now) {
        Optional<ConsentTokens.Found> found = tokens.find(token);
        if (found.isEmpty()) {
            return new LinkView(LinkState.UNKNOWN, Optional.empty());
        }
        ClaimRef claim = lifecycle.read(found.get().claimId());
        return new LinkView(state(found.get(), claim, now), Optional.of(details(claim, found.get())));
    }

    public enum Decision { ACCEPT, DECLINE }

    /**
     * The customer's answer. Accepting moves the claim to {@code CONSENT_RECEIVED} if it is the first
     * consent for this engagement and customer; the other partners' pending claims are canceled.
     * The link is used up either way.
     */
    @Transactional
    public LinkState decide(String token, Decision decision, String reason, Instant now) {
        ConsentTokens.Found found = tokens.findForUpdate(token)
                .orElseThrow(() -> linkProblem(LinkState.UNKNOWN));
        lifecycle.lockPair(lifecycle.read(found.claimId()));
        ClaimRef claim = lifecycle.lock(found.claimId());
        LinkState state = state(found, claim, now);
        if (state != LinkState.OPEN) {
            throw linkProblem(state);
        }
        tokens.markUsed(found.id(), now);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("friendlyName", claim.friendlyName());
        model.put("customerName", claim.customerName());
        model.put("engagementName", catalog.find(claim.engagementId()).map(Engagement::name).orElse(claim.engagementId()));
        model.put("contactName", claim.partnerContact().name());
        model.put("claimId", String.valueOf(claim.id()));
        String partnerLanguage = languageOf(claim.createdBy());
        if (decision == Decision.ACCEPT) {
            for (ClaimLifecycle.Superseded lost : lifecycle.recordConsent(claim, now)) {
                Map<String, Object> lostModel = new LinkedHashMap<>(model);
                lostModel.put("friendlyName", lost.friendlyName());
                lostModel.put("contactName", lost.partnerContactName());
                lostModel.put("claimId", String.valueOf(lost.claimId()));
                outbox.enqueue(new Email("consent-superseded:" + lost.claimId(), lost.claimId(), "consent-superseded",
                        lost.partnerContactEmail(), languageOf(lost.createdBy()), lostModel), now);
            }
            outbox.enqueue(new Email("consent-received:" + claim.id(), claim.id(), "consent-received",
                    claim.partnerContact().email(), partnerLanguage, model), now);
            return LinkState.USED;
        }
        String cleanReason = reason == null || reason.isBlank() ? null : reason.strip();
        if (cleanReason != null && cleanReason.length() > 1000) {
            throw ProblemException.badRequest("reason", "TOO_LONG", "consent.reason.tooLong");
        }
        lifecycle.recordDecline(claim, cleanReason, now);
        model.put("reason", cleanReason == null ? "" : cleanReason);
        outbox.enqueue(new Email("consent-declined:" + claim.id(), claim.id(), "consent-declined",
                claim.partnerContact().email(), partnerLanguage, model), now);
        return LinkState.USED;
    }

    private static LinkState state(ConsentTokens.Found token, ClaimRef claim, Instant now) {
        if (token.usedAt() != null) {
            return LinkState.USED;
        }
        if (token.revokedAt() != null) {
            return LinkState.REPLACED;
        }
        if (!now.isBefore(token.expiresAt())) {
            return LinkState.EXPIRED;
        }
        return claim.status() == ClaimStatus.AWAITING_CONSENT ? LinkState.OPEN : LinkState.CLOSED;
    }

    private Details details(ClaimRef claim, ConsentTokens.Found token) {
        Engagement engagement = catalog.find(claim.engagementId()).orElseThrow();
        return new Details(partnerName(claim), engagement.name(), engagement.description(), claim.customerName(),
                claim.customerContact().name(), claim.customerContact().language(), token.expiresAt(), claim.status());
    }

    /** Partner mails speak the language of the user who made the claim. */
    private String languageOf(String username) {
        return accounts.currentUser(username).map(CurrentUser::language).orElse("en");
    }

    private String partnerName(ClaimRef claim) {
        return program.partner(claim.partnerId()).map(Partner::name).orElse(claim.partnerId());
    }

    static ProblemException linkProblem(LinkState state) {
        HttpStatus status = state == LinkState.UNKNOWN ? HttpStatus.NOT_FOUND : HttpStatus.GONE;
        return new ProblemException(status, "CONSENT_LINK_" + state.name(), "consent.link." + state.name(), List.of(),
                List.of(), Map.of("state", state.name()));
    }

    /** Partners act only on claims of locations they may use: enrolled, with an incentives role. */
    private static ClaimView.Contact merge(ClaimView.Contact current, Nomination.ContactInput update, boolean customer) {
        if (update == null) {
            return current;
        }
        return new ClaimView.Contact(update.name() == null ? null : update.name().strip(),
                update.email() == null ? null : update.email().strip(),
                update.phone() == null || update.phone().isBlank() ? null : update.phone().strip(),
                customer ? (update.language() == null || update.language().isBlank() ? current.language()
                        : update.language().strip().toLowerCase(java.util.Locale.ROOT)) : null);
    }

    private static Nomination.ContactInput input(ClaimView.Contact c) {
        return new Nomination.ContactInput(c.name(), c.email(), c.phone(), c.language());
    }
}
