package org.mciengagements.bootstrap;

import static org.mciengagements.claim.ClaimStatus.APPROVED;
import static org.mciengagements.claim.ClaimStatus.AWAITING_CONSENT;
import static org.mciengagements.claim.ClaimStatus.CANCELED;
import static org.mciengagements.claim.ClaimStatus.COMPLETED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_DECLINED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.CONSENT_RECEIVED;
import static org.mciengagements.claim.ClaimStatus.CUSTOMER_CLAIMED;
import static org.mciengagements.claim.ClaimStatus.DISPUTED;
import static org.mciengagements.claim.ClaimStatus.DISPUTE_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.NOT_SUBMITTED_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.PARTNER_ACTION_REQUIRED;
import static org.mciengagements.claim.ClaimStatus.POST_SUBMISSION_EXPIRED;
import static org.mciengagements.claim.ClaimStatus.REJECTED;
import static org.mciengagements.claim.ClaimStatus.REJECTED_FINAL;
import static org.mciengagements.claim.ClaimStatus.SUBMITTED;
import static org.mciengagements.claim.ClaimStatus.UNDER_REVIEW;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mciengagements.bootstrap.ProgramFiles.ClaimSpec;
import org.mciengagements.bootstrap.ProgramFiles.ContactSpec;
import org.mciengagements.bootstrap.ProgramFiles.DemoFile;
import org.mciengagements.claim.ClaimClosed;
import org.mciengagements.claim.ClaimStatus;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.ConsentReceived;
import org.mciengagements.claim.ConsentRequested;
import org.mciengagements.claim.ProofDocuments;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.referral.ReferralSummary;
import org.mciengagements.referral.Referrals;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.UserAccounts;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes the demo claims of {@code demo-claims.yaml}. Each claim is described by the status it
 * ended in; this class replays the way there from the claim's creation, step by step through the
 * {@link ClaimStatus} transition table, so that its deadlines, amounts and history are what the
 * real lifecycle would have left behind. Deadline-driven steps (the expiries) happen exactly at
 * their deadline; every other step a few days after the previous one.
 *
 * <p>A claim the program could not have produced is refused with the reason, so the demo file
 * cannot drift into nonsense: every step lies in the past and before the deadline it beat, the
 * claim was created inside the engagement's window by an enrolled, eligible location of the acting
 * user's partner, with an accepted identifier type for a directory customer, and a claim still
 * active has its next deadline ahead. The cross-partner invariants are held by the schema's unique
 * indexes and, for the active-claim limit, checked once all claims are written.
 */
@Component
class DemoClaims {

    private static final String SYSTEM_ACTOR = "system";
    private static final String CONSENTED_ELSEWHERE = "CUSTOMER_CONSENTED_TO_ANOTHER_PARTNER";

    /** Days from the previous step to this status, unless the claim's file entry says otherwise. */
    private static final Map<ClaimStatus, Integer> DEFAULT_GAPS = new EnumMap<>(Map.ofEntries(
            Map.entry(AWAITING_CONSENT, 1), Map.entry(CONSENT_RECEIVED, 3), Map.entry(CONSENT_DECLINED, 2),
            Map.entry(SUBMITTED, 14), Map.entry(UNDER_REVIEW, 2), Map.entry(PARTNER_ACTION_REQUIRED, 3),
            Map.entry(APPROVED, 5), Map.entry(REJECTED, 5), Map.entry(DISPUTED, 6), Map.entry(REJECTED_FINAL, 4),
            Map.entry(COMPLETED, 10), Map.entry(CANCELED, 2)));
    private static final int RESUBMISSION_GAP = 4;

    private static final Map<String, List<String>> CONTACT_NAMES = Map.of(
            "NL", List.of("Sanne Visser", "Daan Meijer", "Lotte Bos", "Bram Mulder", "Femke de Boer", "Thijs Smit"),
            "TR", List.of("Elif Kaya", "Mehmet Öztürk", "Zeynep Arslan", "Emre Şahin", "Ayşe Çelik", "Burak Aydın"),
            "DE", List.of("Lena Schmidt", "Jonas Becker", "Mia Wagner", "Felix Hoffmann", "Laura Koch", "Paul Richter"),
            "", List.of("Emily Carter", "James Miller", "Olivia Brooks", "Daniel Reed", "Grace Turner", "Michael Hayes"));
    private static final Map<String, String> PHONE_PREFIX = Map.of(
            "NL", "+31 20 555 ", "TR", "+90 212 555 ", "DE", "+49 30 5550 ", "GB", "+44 20 7946 ", "", "+1 425 555 ");

    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final ProgramDirectory program;
    private final CustomerDirectory directory;
    private final JsonMapper json;
    private final ProofDocuments documents;
    private final ApplicationEventPublisher events;
    private final Referrals referrals;
    private final UserAccounts accounts;

    DemoClaims(ProofDocuments documents, JdbcClient jdbc, EngagementCatalog catalog, ProgramDirectory program,
               CustomerDirectory directory, JsonMapper json, ApplicationEventPublisher events, Referrals referrals,
               UserAccounts accounts) {
        this.events = events;
        this.referrals = referrals;
        this.accounts = accounts;
        this.documents = documents;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.program = program;
        this.directory = directory;
        this.json = json;
    }

    private record User(String username, String displayName, String email, String partnerId) {}

    private record Step(Instant at, ClaimStatus from, ClaimStatus to, String actorType, String actor, String action,
                        String detail) {}

    /** Writes every claim of the file and the known customers they leave; returns the number of claims. */
    int load(DemoFile file, Instant now) {
        String reviewer = reviewer(file.reviewer());
        for (int i = 0; i < file.claims().size(); i++) {
            ClaimSpec spec = file.claims().get(i);
            try {
                write(spec, i, reviewer, now);
            } catch (RuntimeException e) {
                throw new IllegalStateException("Demo claim #" + (i + 1) + " (" + spec.engagement() + ", "
                        + spec.identifier() + ", " + spec.status() + "): " + e.getMessage(), e);
            }
        }
        checkActiveClaimLimits();
        return file.claims().size();
    }

    private String reviewer(String username) {
        if (username == null || jdbc.sql("select count(*) from user_role where username = ? and role = 'PROGRAM_REVIEWER'")
                .param(username).query(Long.class).single() == 0) {
            throw new IllegalStateException("The demo reviewer " + username + " is not a user with PROGRAM_REVIEWER");
        }
        return username;
    }

    private void write(ClaimSpec spec, int index, String reviewer, Instant now) {
        Engagement engagement = catalog.find(spec.engagement())
                .orElseThrow(() -> new IllegalStateException("no engagement " + spec.engagement()));
        Location location = program.location(spec.location())
                .orElseThrow(() -> new IllegalStateException("no location " + spec.location()));
        User user = jdbc.sql("select username, display_name, email, partner_id from app_user where username = ?")
                .param(spec.by()).query(User.class).optional()
                .orElseThrow(() -> new IllegalStateException("no user " + spec.by()));
        if (!location.partnerId().equals(user.partnerId())) {
            throw new IllegalStateException(spec.by() + " is not a user of the partner of location " + location.id());
        }
        CustomerIdentifier identifier = identifier(spec.identifier());
        CustomerKey key = identifier.type() == IdentifierType.DOMAIN
                ? directory.tenantOf(identifier.value()).map(CustomerKey::tenant)
                        .orElseThrow(() -> new IllegalStateException("no tenant has domain " + identifier.value()))
                : CustomerKey.of(identifier);
        DirectoryCustomer customer = directory.find(key)
                .orElseThrow(() -> new IllegalStateException("the directory has no " + key));

        Instant created = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(spec.daysAgo()))
                .plus(Duration.ofMinutes(8 * 60 + (index * 47L) % (9 * 60)));
        LocalDate createdDay = LocalDate.ofInstant(created, ZoneOffset.UTC);
        if (createdDay.isBefore(engagement.firstClaimDay()) || createdDay.isAfter(engagement.lastClaimDay())) {
            throw new IllegalStateException("created on " + createdDay + ", outside the engagement's claim window");
        }
        if (!location.enrolled() || !engagement.locationEligible(location)) {
            throw new IllegalStateException("location " + location.id() + " may not claim for this engagement");
        }
        if (!engagement.identifierTypes().contains(identifier.type())) {
            throw new IllegalStateException("the engagement does not accept " + identifier.type());
        }

        Market market = program.marketOf(customer.country() != null ? customer.country() : location.country());
        Integer hours = null;
        String rateCardJson = null;
        BigDecimal proposedPayout = engagement.fixedPayouts().get(market);
        if (engagement.isVariable()) {
            RateCard card = engagement.rateCardOn(createdDay)
                    .orElseThrow(() -> new IllegalStateException("no rate card in force on " + createdDay));
            hours = spec.hours();
            if (hours == null || hours < 1 || hours > card.maxHours()) {
                throw new IllegalStateException("hours must be 1 to " + card.maxHours() + ": " + hours);
            }
            rateCardJson = json.writeValueAsString(card);
            proposedPayout = card.payout(hours, market, customer.estimatedValueUsd()).amount();
        } else if (spec.hours() != null) {
            throw new IllegalStateException("hours are for VARIABLE engagements only");
        }

        Contact contact = customerContact(spec.customerContact(), customer, key, index);
        var deadlines = engagement.deadlines();
        List<ClaimStatus> path = spec.path().isEmpty() ? pathTo(spec.status()) : spec.path();
        if (path.getFirst() != CUSTOMER_CLAIMED || path.getLast() != spec.status()) {
            throw new IllegalStateException("the path must run from CUSTOMER_CLAIMED to " + spec.status());
        }

        // Replay the lifecycle.
        List<Step> steps = new ArrayList<>();
        steps.add(new Step(created, null, CUSTOMER_CLAIMED, "PARTNER_USER", user.username(),
                "CLAIM".equals(spec.origin()) ? "CUSTOMER_CLAIMED" : "CUSTOMER_ADDED", null));
        Instant at = created;
        Instant consentDue = created.plus(Duration.ofDays(deadlines.consentDays()));
        Instant consentRequested = null;
        Instant consentReceived = null;
        Instant firstSubmissionDue = null;
        Instant reviewDue = null;
        Instant actionDue = null;
        Instant disputeDue = null;
        Instant submitted = null;
        BigDecimal dealSize = null;
        BigDecimal approvedPayout = null;
        String statusReason = null;
        boolean everSubmitted = false;
        // What the real verbs stamp on the claim row as they go: the queue, the money panel and the
        // final-rejection rule read these.
        Instant lastSubmitted = null;
        LocalDate executionDate = null;
        Instant rejectedAt = null;
        Instant disputedAt = null;
        Instant approvedAt = null;
        Instant completedAt = null;
        for (int s = 1; s < path.size(); s++) {
            ClaimStatus from = path.get(s - 1);
            ClaimStatus to = path.get(s);
            if (!from.canMoveTo(to)) {
                throw new IllegalStateException(from + " cannot move to " + to);
            }
            Instant deadline = switch (to) {
                case CONSENT_EXPIRED -> consentDue;
                case NOT_SUBMITTED_EXPIRED -> firstSubmissionDue;
                case POST_SUBMISSION_EXPIRED -> actionDue;
                case DISPUTE_EXPIRED -> disputeDue;
                default -> null;
            };
            if (deadline != null) {
                at = deadline;
            } else {
                int gap = to == SUBMITTED && everSubmitted ? RESUBMISSION_GAP
                        : spec.gaps().getOrDefault(to, DEFAULT_GAPS.getOrDefault(to, 1));
                at = at.plus(Duration.ofDays(gap));
                Instant beat = switch (to) {
                    case AWAITING_CONSENT, CONSENT_RECEIVED, CONSENT_DECLINED -> consentDue;
                    case SUBMITTED -> from == PARTNER_ACTION_REQUIRED ? actionDue : firstSubmissionDue;
                    case UNDER_REVIEW, PARTNER_ACTION_REQUIRED, APPROVED, REJECTED, REJECTED_FINAL -> reviewDue;
                    case DISPUTED -> disputeDue;
                    case CANCELED -> from == CONSENT_RECEIVED ? firstSubmissionDue : consentDue;
                    default -> null;
                };
                if (beat != null && !at.isBefore(beat)) {
                    throw new IllegalStateException(to + " on day " + day(at) + " is not before its deadline " + day(beat));
                }
            }
            if (!at.isBefore(now)) {
                throw new IllegalStateException(to + " would happen on " + day(at) + ", which is not in the past; "
                        + "create the claim earlier (daysAgo)");
            }
            String actorType = "PARTNER_USER";
            String actor = user.username();
            statusReason = null; // the reason always belongs to the status the claim is in
            String action;
            String detail = null;
            switch (to) {
                case AWAITING_CONSENT -> {
                    consentRequested = at;
                    dealSize = spec.dealSize() != null ? spec.dealSize() : defaultDealSize(key);
                    action = "CONSENT_REQUESTED";
                    detail = "Consent email sent to " + contact.email();
                }
                case CONSENT_RECEIVED -> {
                    consentReceived = at;
                    firstSubmissionDue = at.plus(Duration.ofDays(deadlines.firstSubmissionDays()));
                    reviewDue = at.plus(Duration.ofDays(deadlines.reviewDays()));
                    actorType = "CUSTOMER";
                    actor = contact.email();
                    action = "CONSENT_ACCEPTED";
                }
                case CONSENT_DECLINED -> {
                    actorType = "CUSTOMER";
                    actor = contact.email();
                    action = "CONSENT_DECLINED";
                    statusReason = reason(spec, "We are already working with another partner on this.");
                    detail = statusReason;
                }
                case SUBMITTED -> {
                    submitted = at;
                    lastSubmitted = at;
                    if (!everSubmitted) {
                        executionDate = day(at.minus(Duration.ofDays(2)));
                    }
                    action = everSubmitted ? "RESUBMITTED" : "SUBMITTED";
                    detail = everSubmitted ? "Added the attendee list and the signed completion report"
                            : "Execution on " + day(at.minus(Duration.ofDays(2))) + "; proof of execution attached";
                    everSubmitted = true;
                    actionDue = null;
                }
                case UNDER_REVIEW -> {
                    actorType = "REVIEWER";
                    actor = reviewer;
                    action = "REVIEW_STARTED";
                }
                case PARTNER_ACTION_REQUIRED -> {
                    actorType = "REVIEWER";
                    actor = reviewer;
                    actionDue = at.plus(Duration.ofDays(deadlines.actionRequiredDays()));
                    action = "ACTION_REQUESTED";
                    statusReason = reason(spec, "Please add the attendee list and the customer-signed completion report.");
                    detail = statusReason;
                }
                case APPROVED -> {
                    actorType = "REVIEWER";
                    actor = reviewer;
                    approvedPayout = proposedPayout;
                    approvedAt = at;
                    action = "APPROVED";
                    detail = "Payout " + approvedPayout + " USD";
                }
                case REJECTED, REJECTED_FINAL -> {
                    actorType = "REVIEWER";
                    actor = reviewer;
                    rejectedAt = at;
                    if (to == REJECTED) {
                        disputeDue = at.plus(Duration.ofDays(deadlines.disputeDays()));
                    }
                    action = to.name();
                    statusReason = to == REJECTED_FINAL ? "The dispute does not change the assessment."
                            : reason(spec, "The proof of execution does not show the customer's participation.");
                    detail = statusReason;
                }
                case DISPUTED -> {
                    disputedAt = at;
                    action = "DISPUTED";
                    detail = "The customer's sign-off was attached to the second submission.";
                }
                case COMPLETED -> {
                    actorType = "REVIEWER";
                    actor = reviewer;
                    completedAt = at;
                    action = "PAYOUT_RECORDED";
                    detail = "Paid " + approvedPayout + " USD on " + day(at);
                }
                case CANCELED -> {
                    statusReason = reason(spec, "The customer postponed the project.");
                    if (CONSENTED_ELSEWHERE.equals(statusReason)) {
                        actorType = "SYSTEM";
                        actor = SYSTEM_ACTOR;
                    }
                    action = "CANCELED";
                    detail = statusReason;
                }
                case CONSENT_EXPIRED, NOT_SUBMITTED_EXPIRED, POST_SUBMISSION_EXPIRED, DISPUTE_EXPIRED -> {
                    actorType = "SYSTEM";
                    actor = SYSTEM_ACTOR;
                    action = "EXPIRED";
                    detail = "Deadline " + day(at) + " passed";
                }
                default -> throw new IllegalStateException("no step into " + to);
            }
            steps.add(new Step(at, from, to, actorType, actor, action, detail));
        }

        ClaimStatus status = spec.status();
        if (status.isActive()) {
            Instant next = switch (status) {
                case CUSTOMER_CLAIMED, AWAITING_CONSENT -> consentDue;
                case CONSENT_RECEIVED -> firstSubmissionDue;
                case PARTNER_ACTION_REQUIRED -> actionDue;
                case REJECTED -> disputeDue;
                case SUBMITTED, UNDER_REVIEW, DISPUTED -> reviewDue;
                default -> null;
            };
            if (next != null && !next.isAfter(now)) {
                throw new IllegalStateException("still " + status + " but its deadline " + day(next)
                        + " has passed; create it later (daysAgo)");
            }
        }

        String friendlyName = spec.friendlyName() != null ? spec.friendlyName()
                : abbreviate(customer.displayName() + " – " + engagement.name(), 100);
        String partnerPhone = index % 3 == 0 ? null : phone(location.country(), index + 17);
        long claimId = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, status_reason, created_at, created_by,
                            consent_due_at, consent_requested_at, consent_received_at, first_submission_due_at,
                            review_due_at, action_due_at, dispute_due_at, submitted_at, estimated_deal_size_usd, hours,
                            rate_card, proposed_payout_usd, approved_payout_usd, customer_contact_name,
                            customer_contact_email, customer_contact_phone, customer_contact_language,
                            partner_contact_name, partner_contact_email, partner_contact_phone, updated_at, version,
                            payout_market, last_submitted_at, execution_date, rejected_at, disputed_at, approved_at,
                            completed_at, paid_usd, paid_on)
                        values (:engagement, :partner, :location, :origin, :friendlyName, :identifierType,
                            :identifierValue, :key, :customerName, :status, :statusReason, :created, :createdBy,
                            :consentDue, :consentRequested, :consentReceived, :firstSubmissionDue, :reviewDue,
                            :actionDue, :disputeDue, :submitted, :dealSize, :hours, cast(:rateCard as jsonb),
                            :proposedPayout, :approvedPayout, :contactName, :contactEmail, :contactPhone,
                            :contactLanguage, :partnerName, :partnerEmail, :partnerPhone, :updated, :version, :market,
                            :lastSubmitted, :executionDate, :rejectedAt, :disputedAt, :approvedAt, :completedAt,
                            :paidUsd, :paidOn)
                        returning id""")
                .param("engagement", engagement.id())
                .param("partner", location.partnerId())
                .param("location", location.id())
                .param("origin", spec.origin())
                .param("friendlyName", friendlyName)
                .param("identifierType", identifier.type().name())
                .param("identifierValue", identifier.value())
                .param("key", key.toString())
                .param("customerName", customer.displayName())
                .param("status", status.name())
                .param("statusReason", statusReason)
                .param("created", ts(created))
                .param("createdBy", user.username())
                .param("consentDue", ts(consentDue))
                .param("consentRequested", ts(consentRequested))
                .param("consentReceived", ts(consentReceived))
                .param("firstSubmissionDue", ts(firstSubmissionDue))
                .param("reviewDue", ts(reviewDue))
                .param("actionDue", ts(actionDue))
                .param("disputeDue", ts(disputeDue))
                .param("submitted", ts(submitted))
                .param("dealSize", dealSize)
                .param("hours", hours)
                .param("rateCard", rateCardJson)
                .param("proposedPayout", proposedPayout)
                .param("approvedPayout", approvedPayout)
                .param("contactName", contact.name())
                .param("contactEmail", contact.email())
                .param("contactPhone", contact.phone())
                .param("contactLanguage", contact.language())
                .param("partnerName", user.displayName())
                .param("partnerEmail", user.email())
                .param("partnerPhone", partnerPhone)
                .param("updated", ts(at))
                .param("version", steps.size() - 1)
                .param("market", market.name())
                .param("lastSubmitted", ts(lastSubmitted))
                .param("executionDate", executionDate)
                .param("rejectedAt", ts(rejectedAt))
                .param("disputedAt", ts(disputedAt))
                .param("approvedAt", ts(approvedAt))
                .param("completedAt", ts(completedAt))
                .param("paidUsd", completedAt == null ? null : approvedPayout)
                .param("paidOn", completedAt == null ? null : day(completedAt))
                .query(Long.class).single();
        if (completedAt != null) {
            // The reference names the claim, which has its ID only now; the history says the same.
            jdbc.sql("update claim set payout_reference = ? where id = ?").params("MCI-PAY-" + claimId, claimId).update();
        }

        for (Step step : steps) {
            jdbc.sql("""
                            insert into claim_history (claim_id, at, actor_type, actor, action, from_status, to_status, detail)
                            values (?, ?, ?, ?, ?, ?, ?, ?)""")
                    .params(claimId, ts(step.at()), step.actorType(), step.actor(), step.action(),
                            step.from() == null ? null : step.from().name(), step.to().name(),
                            step.to() == COMPLETED ? step.detail() + ", reference MCI-PAY-" + claimId : step.detail())
                    .update();
        }

        recordSubmissionsAndReviews(claimId, steps, reviewer, user.username());

        ConsentRequested requested = new ConsentRequested(claimId, engagement.id(), location.partnerId(), location.id(),
                key.toString(), customer.displayName(), friendlyName, dealSize, hours,
                new ClaimView.Contact(user.displayName(), user.email(), partnerPhone, null), user.username(),
                consentRequested);
        replayEvents(spec, requested, steps, now);

        if (consentReceived != null) {
            // The latest consent is the one a known customer's details are prefilled from.
            jdbc.sql("""
                            insert into known_customer (partner_id, customer_key, identifier_type, identifier_value,
                                customer_name, last_claim_id, consented_at)
                            values (?, ?, ?, ?, ?, ?, ?)
                            on conflict (partner_id, customer_key) do update set identifier_type = excluded.identifier_type,
                                identifier_value = excluded.identifier_value, customer_name = excluded.customer_name,
                                last_claim_id = excluded.last_claim_id, consented_at = excluded.consented_at
                            where excluded.consented_at > known_customer.consented_at""")
                    .params(location.partnerId(), key.toString(), identifier.type().name(), identifier.value(),
                            customer.displayName(), claimId, ts(consentReceived))
                    .update();
        }
    }

    /** Something that happened to a demo claim at a time: one of its moves' events, or a referral decision. */
    private record Happening(Instant at, Runnable replay) {}

    /**
     * Tells the other modules what the claim's moves told them when they happened, at the same times:
     * the referral module makes the claim's referral from these events by its own rules, as it does
     * live. The referral decisions of the claim's file entry are taken in between, through the
     * referral module's API as the users named, so a decision the rules do not allow fails the load.
     */
    private void replayEvents(ClaimSpec spec, ConsentRequested requested, List<Step> steps, Instant now) {
        List<Happening> timeline = new ArrayList<>();
        Instant lastConsentStep = null;
        for (Step step : steps) {
            switch (step.to()) {
                case AWAITING_CONSENT -> {
                    timeline.add(new Happening(step.at(), () -> events.publishEvent(requested)));
                    lastConsentStep = step.at();
                }
                case CONSENT_RECEIVED -> {
                    timeline.add(new Happening(step.at(), () -> events.publishEvent(new ConsentReceived(
                            requested.claimId(), requested.engagementId(), requested.customerKey(), step.at()))));
                    lastConsentStep = step.at();
                }
                default -> {
                    if (step.to().isTerminal()) {
                        String reason = step.actorType().equals("SYSTEM") && step.action().equals("EXPIRED")
                                ? "DEADLINE_PASSED" : step.detail();
                        timeline.add(new Happening(step.at(), () -> events.publishEvent(
                                new ClaimClosed(requested.claimId(), step.to(), reason, step.at()))));
                    }
                }
            }
        }
        if (!spec.referral().isEmpty()) {
            if (lastConsentStep == null) {
                throw new IllegalStateException("referral decisions need a claim whose consent email went out");
            }
            Instant at = lastConsentStep;
            for (ProgramFiles.ReferralStep decision : spec.referral()) {
                at = at.plus(Duration.ofDays(decision.days()));
                if (!at.isBefore(now)) {
                    throw new IllegalStateException("the referral decision " + decision.decision() + " would happen on "
                            + day(at) + ", which is not in the past");
                }
                Instant when = at;
                timeline.add(new Happening(when, () -> decide(requested.claimId(), decision, when)));
            }
        }
        // Stable: at the same instant a move comes before a decision.
        timeline.sort(java.util.Comparator.comparing(Happening::at));
        timeline.forEach(happening -> happening.replay().run());
    }

    private void decide(long claimId, ProgramFiles.ReferralStep step, Instant at) {
        long referralId = referrals.ofClaim(claimId).map(ReferralSummary::id).orElseThrow(() ->
                new IllegalStateException("the claim made no referral to decide on: its engagement's referral policy "
                        + "did not hold when its consent email went out"));
        CurrentUser user = accounts.currentUser(step.by())
                .orElseThrow(() -> new IllegalStateException("no user " + step.by()));
        referrals.decide(user, referralId, new Referrals.DecisionRequest(step.decision().name(), step.comment()), at);
    }

    /**
     * What the steps after consent leave besides history and the claim row: each submission with
     * a small proof PDF (a dispute with its reason), and the reviewer's notes with their checklist.
     */
    private void recordSubmissionsAndReviews(long claimId, List<Step> steps, String reviewer, String partnerUser) {
        for (Step step : steps) {
            switch (step.to()) {
                case SUBMITTED -> {
                    boolean resubmission = step.from() == PARTNER_ACTION_REQUIRED;
                    LocalDate executed = LocalDate.ofInstant(step.at().minus(Duration.ofDays(2)), ZoneOffset.UTC);
                    documents.store(claimId, resubmission ? ProofDocuments.Kind.RESUBMISSION : ProofDocuments.Kind.SUBMISSION,
                            partnerUser, executed, step.detail(),
                            List.of(new ProofDocuments.Accepted(resubmission ? "signed-completion-report.pdf"
                                    : "attendee-list.pdf", ProofDocuments.Type.PDF,
                                    proofPdf("Claim " + claimId + (resubmission ? ": signed completion report" : ": attendee list")))),
                            step.at());
                }
                case DISPUTED -> {
                    documents.store(claimId, ProofDocuments.Kind.DISPUTE, partnerUser, null, step.detail(), List.of(),
                            step.at());
                }
                case PARTNER_ACTION_REQUIRED, REJECTED, REJECTED_FINAL, APPROVED -> {
                    String decision = switch (step.to()) {
                        case PARTNER_ACTION_REQUIRED -> "REQUEST_ACTION";
                        case APPROVED -> "APPROVE";
                        default -> "REJECT";
                    };
                    String[] checklist = switch (step.to()) {
                        case PARTNER_ACTION_REQUIRED -> new String[] {"MISSING_CUSTOMER_ACKNOWLEDGEMENT", "MISSING_PROOF"};
                        case REJECTED -> new String[] {"MISSING_PROOF"};
                        default -> new String[0];
                    };
                    jdbc.sql("""
                                    insert into claim_review_note (claim_id, at, reviewer, decision, checklist, comment)
                                    values (?, ?, ?, ?, ?, ?)""")
                            .params(claimId, ts(step.at()), reviewer, decision, checklist,
                                    step.to() == APPROVED ? null : step.detail())
                            .update();
                }
                default -> { }
            }
        }
    }

    /** A one-page PDF that any viewer opens, saying what it stands for. */
    static byte[] proofPdf(String text) {
        String escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)");
        String stream = "BT /F1 14 Tf 72 740 Td (" + escaped + ") Tj 0 -24 Td (Demo proof of execution) Tj ET";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                "<< /Length " + stream.length() + " >>\nstream\n" + stream + "\nendstream",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f \n");
        offsets.forEach(offset -> pdf.append(String.format("%010d 00000 n \n", offset)));
        pdf.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n").append(xref)
                .append("\n%%EOF\n");
        return pdf.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** The usual way from creation to a status, as SPEC §10 describes it. */
    static List<ClaimStatus> pathTo(ClaimStatus status) {
        List<ClaimStatus> path = new ArrayList<>(switch (status) {
            case CUSTOMER_CLAIMED -> List.<ClaimStatus>of();
            case AWAITING_CONSENT, CANCELED -> pathTo(CUSTOMER_CLAIMED);
            case CONSENT_RECEIVED, CONSENT_DECLINED, CONSENT_EXPIRED -> pathTo(AWAITING_CONSENT);
            case SUBMITTED, NOT_SUBMITTED_EXPIRED -> pathTo(CONSENT_RECEIVED);
            case UNDER_REVIEW -> pathTo(SUBMITTED);
            case PARTNER_ACTION_REQUIRED, REJECTED, APPROVED -> pathTo(UNDER_REVIEW);
            case DISPUTED, DISPUTE_EXPIRED -> pathTo(REJECTED);
            case COMPLETED -> pathTo(APPROVED);
            case POST_SUBMISSION_EXPIRED -> pathTo(PARTNER_ACTION_REQUIRED);
            case REJECTED_FINAL -> {
                List<ClaimStatus> afterDispute = new ArrayList<>(pathTo(DISPUTED));
                afterDispute.add(UNDER_REVIEW);
                yield afterDispute;
            }
        });
        path.add(status);
        return List.copyOf(path);
    }

    private void checkActiveClaimLimits() {
        List<String> over = jdbc.sql("""
                        select c.engagement_id || ' ' || c.customer_key
                        from claim c join engagement e on e.id = c.engagement_id
                        where c.status in ('CUSTOMER_CLAIMED', 'AWAITING_CONSENT', 'CONSENT_RECEIVED', 'SUBMITTED',
                            'UNDER_REVIEW', 'PARTNER_ACTION_REQUIRED', 'REJECTED', 'DISPUTED', 'APPROVED')
                        group by c.engagement_id, c.customer_key, e.max_active_claims
                        having count(*) > e.max_active_claims""")
                .query(String.class).list();
        if (!over.isEmpty()) {
            throw new IllegalStateException("Demo claims exceed maxActiveClaimsPerCustomer for " + over);
        }
    }

    private record Contact(String name, String email, String phone, String language) {}

    /** A plausible customer contact, the same on every start: a local name at the customer's own domain. */
    private Contact customerContact(ContactSpec given, DirectoryCustomer customer, CustomerKey key, int index) {
        String country = customer.country() == null ? "" : customer.country();
        List<String> names = CONTACT_NAMES.getOrDefault(country, CONTACT_NAMES.get(""));
        String name = given != null && given.name() != null ? given.name()
                : names.get(Math.floorMod(key.toString().hashCode(), names.size()));
        String email = given != null && given.email() != null ? given.email()
                : localPart(name) + "@" + contactDomain(customer, key);
        String phone = given != null && given.phone() != null ? given.phone()
                : index % 2 == 0 ? phone(country, index) : null;
        String language = given != null && given.language() != null ? given.language()
                : switch (country) {
                    case "NL" -> "nl";
                    case "TR" -> "tr";
                    default -> "en";
                };
        return new Contact(name, email, phone, language);
    }

    /** The verified domain of the tenant behind a key, found through its owner or top parent. */
    private String contactDomain(DirectoryCustomer customer, CustomerKey key) {
        String tenantId = switch (key.kind()) {
            case TENANT -> key.value();
            case SUBSCRIPTION -> customer.ownerTenantId();
            case TPID, OPPORTUNITY -> jdbc.sql("""
                            select substring(customer_key from 8) from directory_customer
                            where customer_key like 'TENANT:%' and tpid = ? order by customer_key limit 1""")
                    .param(key.kind() == CustomerKey.Kind.TPID ? Long.parseLong(key.value()) : customer.tpid())
                    .query(String.class).optional().orElse(null);
        };
        if (tenantId != null) {
            List<String> domains = directory.verifiedDomains(tenantId).stream()
                    .filter(d -> !d.startsWith("xn--")).toList();
            if (!domains.isEmpty()) {
                return domains.getFirst();
            }
        }
        return localPart(customer.displayName()).replace(".", "") + ".example";
    }

    private static String localPart(String name) {
        String ascii = Normalizer.normalize(name.replace('ı', 'i'), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        return ascii.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", ".").replaceAll("^\\.|\\.$", "");
    }

    private static String phone(String country, int seed) {
        String prefix = PHONE_PREFIX.getOrDefault(country, PHONE_PREFIX.get(""));
        return prefix + String.format(Locale.ROOT, "%04d", 100 + Math.floorMod(seed * 37, 900));
    }

    /** Deal sizes between 5,000 and 50,000 USD, fixed per customer key. */
    private static BigDecimal defaultDealSize(CustomerKey key) {
        return BigDecimal.valueOf(5000L + Math.floorMod(key.toString().hashCode(), 19) * 2500L).setScale(2);
    }

    private static String reason(ClaimSpec spec, String fallback) {
        return spec.reason() != null ? spec.reason() : fallback;
    }

    private static CustomerIdentifier identifier(String written) {
        int colon = written == null ? -1 : written.indexOf(':');
        if (colon < 1) {
            throw new IllegalStateException("identifier must be written TYPE:value: " + written);
        }
        return CustomerIdentifier.of(IdentifierType.valueOf(written.substring(0, colon).strip()),
                written.substring(colon + 1).strip());
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static LocalDate day(Instant at) {
        return LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    private static Timestamp ts(Instant at) {
        return at == null ? null : Timestamp.from(at);
    }
}
