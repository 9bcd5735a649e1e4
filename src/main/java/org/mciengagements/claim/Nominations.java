package org.mciengagements.claim;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.mciengagements.directory.CustomerDirectory;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.directory.TenantResolver;
import org.mciengagements.eligibility.Decision;
import org.mciengagements.eligibility.EligibilityPolicy;
import org.mciengagements.eligibility.MarketFacts;
import org.mciengagements.eligibility.Question;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.Location;
import org.mciengagements.program.Market;
import org.mciengagements.program.ProgramDirectory;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Add customer and Claim customer (SPEC §6–8): the dry-run check of the wizard's steps 2–3 and the
 * nomination itself. A check is advice; {@link #nominate} re-decides eligibility inside its own
 * transaction while holding a PostgreSQL lock on every (engagement, customer key) pair it writes,
 * so concurrent nominations on any number of servers see each other: the active-claim limit and
 * "one active claim per partner and key" cannot be overrun. The partial unique indexes on
 * {@code claim} back this up.
 */
@Service
public class Nominations {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9 ()./-]{5,30}");
    private static final Set<String> LANGUAGES = Set.of("en", "nl", "tr");

    private final JdbcClient jdbc;
    private final EngagementCatalog catalog;
    private final CustomerDirectory directory;
    private final List<TenantResolver> resolvers;
    private final EligibilityPolicy policy;
    private final ClaimMarket market;
    private final ProgramDirectory program;
    private final JsonMapper json;

    Nominations(JdbcClient jdbc, EngagementCatalog catalog, CustomerDirectory directory, List<TenantResolver> resolvers,
                EligibilityPolicy policy, ClaimMarket market, ProgramDirectory program, JsonMapper json) {
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.directory = directory;
        this.resolvers = resolvers;
        this.policy = policy;
        this.market = market;
        this.program = program;
        this.json = json;
    }

    // ------------------------------------------------------------------ resolution and dry run

    /** Resolves an identifier to its customer key: a domain through the tenant resolvers, in order. */
    public ResolvedCustomer resolve(CustomerIdentifier identifier) {
        Optional<CustomerKey> key = identifier.type() == IdentifierType.DOMAIN
                ? resolvers.stream().map(r -> r.tenantOf(identifier.value())).flatMap(Optional::stream).findFirst()
                        .map(CustomerKey::tenant)
                : Optional.of(CustomerKey.of(identifier));
        Optional<DirectoryCustomer> entry = key.flatMap(directory::find);
        List<String> domains = key.filter(k -> k.kind() == CustomerKey.Kind.TENANT)
                .map(k -> directory.verifiedDomains(k.value())).orElse(List.of());
        return new ResolvedCustomer(identifier, key, entry, domains);
    }

    /** The answer of the dry run for one engagement. */
    public record EngagementCheck(Engagement engagement, Decision decision) {}

    /** The dry run of wizard steps 2–3. */
    public record CustomerCheck(ResolvedCustomer customer, boolean domainMismatch, List<EngagementCheck> engagements) {}

    /** Checks an identifier for a location against every engagement the partner sees. Changes nothing. */
    public CustomerCheck check(CurrentUser user, String locationId, String identifierType, String identifierValue,
                               String customerEmail, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        Location location = usableLocation(user, locationId, "locationId", problems);
        CustomerIdentifier identifier = identifier(identifierType, identifierValue, problems);
        if (customerEmail != null && !customerEmail.isBlank() && !EMAIL.matcher(customerEmail.strip()).matches()) {
            problems.add(new FieldProblem("customerEmail", "INVALID_EMAIL", "nomination.email.invalid"));
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        ResolvedCustomer customer = resolve(identifier);
        if (customer.key().isEmpty()) {
            return new CustomerCheck(customer, false, List.of());
        }
        List<Engagement> engagements = catalog.visibleTo(user.partnerLocations());
        Map<ClaimMarket.Slot, MarketFacts> facts = market.facts(user.partnerId(),
                engagements.stream().map(Engagement::id).toList(), List.of(customer.key().get()));
        List<EngagementCheck> checks = engagements.stream()
                .map(e -> new EngagementCheck(e, policy.decide(new Question(e, location, identifier.type(),
                        customer.key().get(), customer.entry(),
                        facts.getOrDefault(new ClaimMarket.Slot(e.id(), customer.key().get()), MarketFacts.NONE), now))))
                .toList();
        return new CustomerCheck(customer, customer.domainMismatch(customerEmail), checks);
    }

    // ------------------------------------------------------------------ nomination

    /** The claims a nomination created, one per engagement. */
    public record Created(List<Long> claimIds) {}

    /**
     * Adds or claims a customer for one or more engagements. Every field is validated first (400
     * with every field problem); then, under a lock per (engagement, key), eligibility is decided
     * again and the claims are written in the same transaction (409/422 with every reason).
     */
    @Transactional
    public Created nominate(CurrentUser user, Nomination n, Instant now) {
        Valid valid = validate(user, n, now);
        requireStillEnrolled(user, valid.location());
        ResolvedCustomer customer = resolve(valid.identifier());
        if (customer.key().isEmpty()) {
            throw new ProblemException(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "TENANT_NOT_DERIVED",
                    "nomination.tenantNotDerived", List.of(),
                    List.of(new FieldProblem("identifier.value", "TENANT_NOT_DERIVED", "nomination.tenantNotDerived")),
                    Map.of());
        }
        CustomerKey key = customer.key().get();
        List<FieldProblem> problems = new ArrayList<>();
        if (customer.domainMismatch(n.customerContact().email())) {
            requireMismatchReason(n, problems);
        }
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        if (valid.origin() == Origin.CLAIM && !isKnownCustomer(user.partnerId(), key)) {
            throw new ProblemException(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "NOT_A_KNOWN_CUSTOMER",
                    "nomination.notKnownCustomer", List.of(), List.of(), Map.of());
        }
        Predecessor previous = n.previousClaimId() == null ? null : predecessor(user, n.previousClaimId(), valid, key);

        // Locks in a fixed order, so two nominations over overlapping pairs cannot deadlock.
        new TreeSet<>(valid.engagements().stream().map(e -> e.id() + "|" + key).toList())
                .forEach(pair -> jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param(pair)
                        .query().listOfRows());

        // Under the pair lock (the successor has the predecessor's engagement and key), so two
        // attempts to follow one claim see each other; the unique index backs this up.
        if (previous != null) {
            successorOf(previous.id()).ifPresent(next -> {
                throw alreadyFollowed(previous.id(), next);
            });
        }

        Map<ClaimMarket.Slot, MarketFacts> facts = market.facts(user.partnerId(),
                valid.engagements().stream().map(Engagement::id).toList(), List.of(key));
        Map<String, Decision> decisions = new LinkedHashMap<>();
        for (Engagement e : valid.engagements()) {
            decisions.put(e.id(), policy.decide(new Question(e, valid.location(), valid.identifier().type(), key,
                    customer.entry(), facts.getOrDefault(new ClaimMarket.Slot(e.id(), key), MarketFacts.NONE), now)));
        }
        if (decisions.values().stream().anyMatch(d -> !d.eligible())) {
            throw new NotEligibleException(decisions);
        }

        List<Long> ids = new ArrayList<>();
        try {
            for (Engagement e : valid.engagements()) {
                ids.add(insert(user, n, valid, e, customer, key, previous == null ? null : previous.id(), now));
            }
        } catch (DuplicateKeyException raced) {
            // Only reachable if a writer bypassed the lock; the unique indexes still hold the line.
            if (previous != null && String.valueOf(raced.getMostSpecificCause().getMessage()).contains(ONE_SUCCESSOR)) {
                throw alreadyFollowed(previous.id(), null);
            }
            throw ProblemException.conflict("ALREADY_NOMINATED", "problem.claim.alreadyNominated");
        }
        return new Created(List.copyOf(ids));
    }

    /**
     * Every field problem of a (possibly incomplete) nomination, without writing anything: the
     * wizard shows each step the problems of its own fields. Includes the domain-mismatch rule,
     * which needs the identifier resolved.
     */
    public List<FieldProblem> problems(CurrentUser user, Nomination n, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        try {
            Valid valid = validate(user, n, now);
            ResolvedCustomer customer = resolve(valid.identifier());
            if (customer.domainMismatch(n.customerContact().email())) {
                requireMismatchReason(n, problems);
            }
        } catch (ProblemException e) {
            problems.addAll(e.fieldProblems());
        }
        return problems;
    }

    enum Origin { ADD, CLAIM }

    private record Valid(Origin origin, Location location, CustomerIdentifier identifier, List<Engagement> engagements,
                         Integer hours, String customerLanguage) {}

    private Valid validate(CurrentUser user, Nomination n, Instant now) {
        List<FieldProblem> problems = new ArrayList<>();
        Origin origin = null;
        try {
            origin = n.origin() == null ? null : Origin.valueOf(n.origin().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (origin == null) {
            problems.add(new FieldProblem("origin", "INVALID_VALUE", "nomination.origin.invalid"));
        }
        String name = n.friendlyName() == null ? "" : n.friendlyName().strip();
        // Characters, as the database's char_length counts them: an emoji is one, not two UTF-16 units.
        int characters = name.codePointCount(0, name.length());
        if (characters < 3 || characters > 100) {
            problems.add(new FieldProblem("friendlyName", "LENGTH", "nomination.friendlyName.length"));
        }
        Location location = usableLocation(user, n.locationId(), "locationId", problems);
        CustomerIdentifier identifier = identifier(n.identifierType(), n.identifierValue(), problems);
        List<Engagement> engagements = engagements(user, n.engagementIds(), problems);
        Integer hours = hours(n.hours(), engagements, now, problems);
        if (identifier != null && !engagements.isEmpty() && engagements.get(0).isVariable()
                && identifier.type() != IdentifierType.MSX_OPPORTUNITY_ID) {
            problems.add(new FieldProblem("identifier.type", "VARIABLE_NEEDS_OPPORTUNITY", "nomination.variable.opportunityOnly"));
        }
        String language = contact(n.customerContact(), "customerContact", true, problems);
        contact(n.partnerContact(), "partnerContact", false, problems);
        if (!problems.isEmpty()) {
            throw ProblemException.badRequest(problems);
        }
        return new Valid(origin, location, identifier, engagements, hours, language);
    }

    private static Location usableLocation(CurrentUser user, String locationId, String field, List<FieldProblem> problems) {
        if (locationId == null || locationId.isBlank()) {
            problems.add(new FieldProblem(field, "REQUIRED", "nomination.location.required"));
            return null;
        }
        Optional<CurrentUser.LocationAccess> access = user.access(locationId.strip());
        if (access.isEmpty() || !access.get().visible()) {
            problems.add(new FieldProblem(field, "UNKNOWN_LOCATION", "problem.location.unknown"));
            return null;
        }
        if (!access.get().usable()) {
            problems.add(notUsable(field, access.get().location(), user.timeZone()));
            return null;
        }
        return access.get().location();
    }

    /**
     * The problem of a location the caller sees but may not pick: {@code LOCATION_SUSPENDED} (with the
     * day and reason of the suspension when known) or {@code LOCATION_NOT_ENROLLED}.
     */
    private static FieldProblem notUsable(String field, Location location, ZoneId zone) {
        if (location.enrollment() != Enrollment.SUSPENDED) {
            return new FieldProblem(field, "LOCATION_NOT_ENROLLED", "nomination.location.notEnrolled");
        }
        if (location.enrollmentReason() == null || location.enrollmentChangedAt() == null) {
            return new FieldProblem(field, "LOCATION_SUSPENDED", "nomination.location.suspended",
                    List.of(location.id()));
        }
        return new FieldProblem(field, "LOCATION_SUSPENDED", "nomination.location.suspendedBecause",
                List.of(location.id(), LocalDate.ofInstant(location.enrollmentChangedAt(), zone).toString(),
                        location.enrollmentReason()));
    }

    /**
     * Reads the location's enrollment again under a share lock, so a suspension or withdrawal is
     * ordered with this nomination: one committed before is seen here, and one arriving later waits
     * until the claims are written.
     */
    private void requireStillEnrolled(CurrentUser user, Location location) {
        jdbc.sql("select id from location where id = ? for share").param(location.id()).query(String.class).single();
        Location now = program.location(location.id()).orElseThrow();
        if (!now.enrolled()) {
            throw ProblemException.badRequest(List.of(notUsable("locationId", now, user.timeZone())));
        }
    }

    private static CustomerIdentifier identifier(String type, String value, List<FieldProblem> problems) {
        IdentifierType identifierType = null;
        if (type == null || type.isBlank()) {
            problems.add(new FieldProblem("identifier.type", "REQUIRED", "identifier.type.required"));
            return null;
        }
        try {
            identifierType = IdentifierType.valueOf(type.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("identifier.type", "INVALID_VALUE", "identifier.type.required"));
            return null;
        }
        return switch (CustomerIdentifier.parse(identifierType, value)) {
            case CustomerIdentifier.Valid v -> v.identifier();
            case CustomerIdentifier.Invalid invalid -> {
                problems.add(new FieldProblem("identifier.value", "INVALID_IDENTIFIER", invalid.reason()));
                yield null;
            }
        };
    }

    private List<Engagement> engagements(CurrentUser user, List<String> ids, List<FieldProblem> problems) {
        if (ids == null || ids.isEmpty()) {
            problems.add(new FieldProblem("engagementIds", "REQUIRED", "nomination.engagements.required"));
            return List.of();
        }
        Set<String> unique = new LinkedHashSet<>(ids);
        if (unique.size() != ids.size()) {
            problems.add(new FieldProblem("engagementIds", "DUPLICATE", "nomination.engagements.duplicate"));
        }
        List<Engagement> found = new ArrayList<>();
        for (String id : unique) {
            if (id == null || id.isBlank()) { // JSON null or "": no engagement to look up
                problems.add(new FieldProblem("engagementIds", "UNKNOWN_ENGAGEMENT", "problem.engagement.notFound",
                        List.of(String.valueOf(id))));
                continue;
            }
            try {
                found.add(catalog.findVisible(id, user.partnerLocations()));
            } catch (ProblemException notVisible) {
                problems.add(new FieldProblem("engagementIds", "UNKNOWN_ENGAGEMENT", "problem.engagement.notFound",
                        List.of(String.valueOf(id))));
            }
        }
        if (found.stream().anyMatch(Engagement::isVariable) && found.size() > 1) {
            problems.add(new FieldProblem("engagementIds", "VARIABLE_ALONE", "nomination.variable.alone"));
        }
        return found;
    }

    private static Integer hours(Integer hours, List<Engagement> engagements, Instant now, List<FieldProblem> problems) {
        boolean variable = engagements.size() == 1 && engagements.get(0).isVariable();
        if (!variable) {
            if (hours != null && engagements.stream().noneMatch(Engagement::isVariable)) {
                problems.add(new FieldProblem("hours", "NOT_APPLICABLE", "nomination.hours.notApplicable"));
            }
            return null;
        }
        // The rate card in force today sets the maximum: a newer card may lower it.
        int max = engagements.get(0).rateCardOn(LocalDate.ofInstant(now, ZoneOffset.UTC)).map(RateCard::maxHours).orElse(0);
        if (hours == null) {
            problems.add(new FieldProblem("hours", "REQUIRED", "nomination.hours.required"));
        } else if (hours < 1 || hours > max) {
            problems.add(new FieldProblem("hours", "OUT_OF_RANGE", "nomination.hours.range", List.of(max)));
        }
        return hours;
    }

    /** The field problems of a contact, for steps other than nomination that take contacts. */
    public static List<FieldProblem> contactProblems(Nomination.ContactInput contact, String field, boolean customer) {
        List<FieldProblem> problems = new ArrayList<>();
        contact(contact, field, customer, problems);
        return problems;
    }

    /** Validates a contact; returns the customer contact's language (default English). */
    private static String contact(Nomination.ContactInput c, String field, boolean customer, List<FieldProblem> problems) {
        if (c == null) {
            problems.add(new FieldProblem(field, "REQUIRED", "nomination.contact.required"));
            return null;
        }
        if (c.name() == null || c.name().isBlank() || c.name().strip().length() > 200) {
            problems.add(new FieldProblem(field + ".name", "REQUIRED", "nomination.contact.name"));
        }
        if (c.email() == null || c.email().strip().length() > 254 || !EMAIL.matcher(c.email().strip()).matches()) {
            problems.add(new FieldProblem(field + ".email", "INVALID_EMAIL", "nomination.email.invalid"));
        }
        if (c.phone() != null && !c.phone().isBlank() && !PHONE.matcher(c.phone().strip()).matches()) {
            problems.add(new FieldProblem(field + ".phone", "INVALID_PHONE", "nomination.phone.invalid"));
        }
        if (!customer) {
            return null;
        }
        String language = c.language() == null || c.language().isBlank() ? "en" : c.language().strip().toLowerCase(Locale.ROOT);
        if (!LANGUAGES.contains(language)) {
            problems.add(new FieldProblem(field + ".language", "UNSUPPORTED_LANGUAGE", "nomination.language.unsupported"));
        }
        return language;
    }

    private static void requireMismatchReason(Nomination n, List<FieldProblem> problems) {
        if (n.mismatchReason() == null || n.mismatchReason().isBlank()) {
            problems.add(new FieldProblem("mismatchReason", "REQUIRED_FOR_MISMATCH", "nomination.mismatch.required"));
            return;
        }
        try {
            MismatchReason reason = MismatchReason.valueOf(n.mismatchReason().strip().toUpperCase(Locale.ROOT));
            if (reason == MismatchReason.OTHER && (n.mismatchNote() == null || n.mismatchNote().isBlank())) {
                problems.add(new FieldProblem("mismatchNote", "REQUIRED", "nomination.mismatch.noteRequired"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new FieldProblem("mismatchReason", "INVALID_VALUE", "nomination.mismatch.required"));
        }
    }

    // ------------------------------------------------------------------ a new claim started from an expired one

    /** The unique index that lets an expired claim be followed by one new claim only. */
    static final String ONE_SUCCESSOR = "claim_one_successor";

    /** The expired claim a new claim is started from, as far as the successor rules need it. */
    private record Predecessor(long id, String engagementId, String customerKey, ClaimStatus status) {}

    /**
     * The claim a nomination names as its predecessor: the caller's partner's, at a location the
     * caller sees (else it does not exist for them), expired, and for exactly the engagement and
     * customer key of this nomination. The predecessor itself is only read, never changed.
     */
    private Predecessor predecessor(CurrentUser user, long previousClaimId, Valid valid, CustomerKey key) {
        Predecessor previous = jdbc.sql("""
                        select id, engagement_id, customer_key, status from claim
                        where id = ? and partner_id = ? and location_id = any(?)""")
                .params(previousClaimId, user.partnerId(), user.visibleLocationIds().toArray(String[]::new))
                .query((rs, row) -> new Predecessor(rs.getLong(1), rs.getString(2), rs.getString(3),
                        ClaimStatus.valueOf(rs.getString(4))))
                .optional()
                .orElseThrow(() -> previousClaimProblem(org.springframework.http.HttpStatus.NOT_FOUND,
                        "PREVIOUS_CLAIM_NOT_FOUND", "nomination.previousClaim.notFound", previousClaimId));
        if (!previous.status().isExpired()) {
            throw previousClaimProblem(org.springframework.http.HttpStatus.CONFLICT, "PREVIOUS_CLAIM_NOT_EXPIRED",
                    "nomination.previousClaim.notExpired", previousClaimId);
        }
        boolean sameEngagement = valid.engagements().size() == 1
                && valid.engagements().get(0).id().equals(previous.engagementId());
        if (!sameEngagement || !key.toString().equals(previous.customerKey())) {
            throw ProblemException.badRequest(List.of(new FieldProblem("previousClaimId", "PREVIOUS_CLAIM_MISMATCH",
                    "nomination.previousClaim.mismatch", List.of(String.valueOf(previousClaimId)))));
        }
        return previous;
    }

    private Optional<Long> successorOf(long claimId) {
        return jdbc.sql("select id from claim where previous_claim_id = ?").param(claimId).query(Long.class).optional();
    }

    private static ProblemException alreadyFollowed(long previousClaimId, Long next) {
        FieldProblem field = new FieldProblem("previousClaimId", "PREVIOUS_CLAIM_ALREADY_FOLLOWED",
                "nomination.previousClaim.alreadyFollowed", List.of(String.valueOf(previousClaimId)));
        return new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "PREVIOUS_CLAIM_ALREADY_FOLLOWED",
                field.messageKey(), field.args(), List.of(field),
                next == null ? Map.of() : Map.of("nextClaimId", next));
    }

    private static ProblemException previousClaimProblem(org.springframework.http.HttpStatus status, String code,
                                                         String messageKey, long previousClaimId) {
        List<Object> args = List.of(String.valueOf(previousClaimId));
        return new ProblemException(status, code, messageKey, args,
                List.of(new FieldProblem("previousClaimId", code, messageKey, args)), Map.of());
    }

    private boolean isKnownCustomer(String partnerId, CustomerKey key) {
        return jdbc.sql("select count(*) from known_customer where partner_id = ? and customer_key = ?")
                .params(partnerId, key.toString()).query(Long.class).single() > 0;
    }

    private long insert(CurrentUser user, Nomination n, Valid valid, Engagement e, ResolvedCustomer customer,
                        CustomerKey key, Long previousClaimId, Instant now) {
        String rateCard = null;
        Market market = marketOf(customer, valid.location());
        // The payout a claim will be approved for is fixed at creation: FIXED by its market, VARIABLE
        // by the rate card in force today, which the claim keeps.
        BigDecimal proposed = e.fixedPayouts().get(market);
        if (e.isVariable()) {
            RateCard card = e.rateCardOn(LocalDate.ofInstant(now, ZoneOffset.UTC))
                    .orElseThrow(() -> ProblemException.conflict("NO_RATE_CARD", "nomination.variable.noRateCard"));
            RateCard.Payout payout = card.payout(valid.hours(), market,
                    customer.entry().map(DirectoryCustomer::estimatedValueUsd).orElse(BigDecimal.ZERO));
            rateCard = json.writeValueAsString(card);
            proposed = payout.amount();
        }
        boolean mismatch = customer.domainMismatch(n.customerContact().email());
        long id = jdbc.sql("""
                        insert into claim (engagement_id, partner_id, location_id, origin, friendly_name, identifier_type,
                            identifier_value, customer_key, customer_name, status, created_at, created_by, consent_due_at,
                            hours, rate_card, proposed_payout_usd, customer_contact_name, customer_contact_email,
                            customer_contact_phone, customer_contact_language, partner_contact_name,
                            partner_contact_email, partner_contact_phone, mismatch_reason, mismatch_note, updated_at,
                            payout_market, previous_claim_id)
                        values (:engagement, :partner, :location, :origin, :name, :type, :value, :key, :customerName,
                            'CUSTOMER_CLAIMED', :now, :user, :consentDue, :hours, cast(:rateCard as jsonb), :proposed,
                            :ccName, :ccEmail, :ccPhone, :ccLanguage, :pcName, :pcEmail, :pcPhone, :mismatch,
                            :mismatchNote, :now, :market, :previous)
                        returning id""")
                .param("engagement", e.id()).param("partner", user.partnerId())
                .param("location", valid.location().id()).param("origin", valid.origin().name())
                .param("name", n.friendlyName().strip()).param("type", valid.identifier().type().name())
                .param("value", valid.identifier().value()).param("key", key.toString())
                .param("customerName", customer.displayName()).param("now", Timestamp.from(now))
                .param("user", user.username())
                .param("consentDue", Timestamp.from(now.plus(Duration.ofDays(e.deadlines().consentDays()))))
                .param("hours", valid.hours()).param("rateCard", rateCard).param("proposed", proposed)
                .param("ccName", n.customerContact().name().strip())
                .param("ccEmail", n.customerContact().email().strip())
                .param("ccPhone", blankToNull(n.customerContact().phone()))
                .param("ccLanguage", valid.customerLanguage())
                .param("pcName", n.partnerContact().name().strip())
                .param("pcEmail", n.partnerContact().email().strip())
                .param("pcPhone", blankToNull(n.partnerContact().phone()))
                .param("mismatch", mismatch ? n.mismatchReason().strip().toUpperCase(Locale.ROOT) : null)
                .param("mismatchNote", mismatch ? blankToNull(n.mismatchNote()) : null)
                .param("market", market.name())
                .param("previous", previousClaimId, java.sql.Types.BIGINT)
                .query(Long.class).single();
        ClaimHistory.append(jdbc, id, now, "PARTNER_USER", user.username(),
                valid.origin() == Origin.CLAIM ? "CUSTOMER_CLAIMED" : "CUSTOMER_ADDED", null, ClaimStatus.CUSTOMER_CLAIMED,
                null);
        return id;
    }

    /** Payout markets follow the customer's country; without one, the location's. */
    private Market marketOf(ResolvedCustomer customer, Location location) {
        String country = customer.entry().map(DirectoryCustomer::country).orElse(null);
        return program.marketOf(country != null ? country : location.country());
    }

    /** The proposed payout a VARIABLE nomination would get today, for the review step. */
    public Optional<RateCard.Payout> proposedPayout(Engagement e, ResolvedCustomer customer, Location location, int hours,
                                                    Instant now) {
        return e.rateCardOn(LocalDate.ofInstant(now, ZoneOffset.UTC)).map(card -> card.payout(hours,
                marketOf(customer, location),
                customer.entry().map(DirectoryCustomer::estimatedValueUsd).orElse(BigDecimal.ZERO)));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
