package org.mciengagements.claim.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.claim.ClaimQueries;
import org.mciengagements.claim.ClaimView;
import org.mciengagements.claim.KnownCustomers;
import org.mciengagements.claim.MismatchReason;
import org.mciengagements.claim.Nominations;
import org.mciengagements.claim.NotEligibleException;
import org.mciengagements.claim.ResolvedCustomer;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.engagement.RateCard;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.LocationTexts;
import org.mciengagements.shared.CustomerIdentifier;
import org.mciengagements.shared.IdentifierType;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProblemException.FieldProblem;
import org.mciengagements.shared.ProgramClock;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Add customer and Claim customer wizards (SPEC §7, §8), started from an engagement's
 * Customers page with that engagement preselected. Steps: 1 claim name and location, 2 customer
 * identifier, 3 engagements, 4 contacts, 5 review, then create. Each Next validates the fields of
 * the steps so far with the same rules as the API and shows each problem next to its field.
 * Started from an expired claim, the Add customer wizard is prefilled from it and creates the one
 * new claim that follows it, for the same customer and engagement.
 */
@Controller
class NominationWizard {

    static final int NAME = 1, IDENTIFIER = 2, ENGAGEMENTS = 3, CONTACTS = 4, REVIEW = 5;

    /** The fields each step owns; a field problem sends the partner back to its step. */
    private static final Map<Integer, List<String>> FIELDS = Map.of(
            NAME, List.of("origin", "friendlyName", "locationId"),
            IDENTIFIER, List.of("identifier.type", "identifier.value"),
            ENGAGEMENTS, List.of("engagementIds", "hours"),
            CONTACTS, List.of("customerContact", "partnerContact", "mismatchReason", "mismatchNote"));

    private final EngagementCatalog catalog;
    private final Nominations nominations;
    private final KnownCustomers knownCustomers;
    private final ClaimQueries claims;
    private final ReasonTexts reasons;
    private final MessageSource messages;
    private final ProgramClock clock;
    private final LocationTexts locationTexts;

    NominationWizard(EngagementCatalog catalog, Nominations nominations, KnownCustomers knownCustomers,
                     ClaimQueries claims, ReasonTexts reasons, MessageSource messages, ProgramClock clock,
                     LocationTexts locationTexts) {
        this.locationTexts = locationTexts;
        this.catalog = catalog;
        this.nominations = nominations;
        this.knownCustomers = knownCustomers;
        this.claims = claims;
        this.reasons = reasons;
        this.messages = messages;
        this.clock = clock;
    }

    @GetMapping("/engagements/{engagementId}/customers/add")
    String startAdd(CurrentUser user, @PathVariable String engagementId,
                    @RequestParam(required = false) Long previousClaimId, Model model) {
        Engagement engagement = visible(user, engagementId);
        if (previousClaimId != null) {
            return startFollowUp(user, engagement, previousClaimId, model);
        }
        List<String> locations = user.usableLocations().stream().filter(engagement::locationEligible)
                .map(l -> l.id()).toList();
        NominationForm form = new NominationForm("ADD", null, locations.size() == 1 ? locations.get(0) : null,
                engagement.isVariable() ? IdentifierType.MSX_OPPORTUNITY_ID.name() : null, null,
                List.of(engagementId), null, null, null, null, user.language(), user.displayName(), user.email(),
                null, null, null, null);
        return show(user, engagement, form, NAME, Map.of(), model);
    }

    /**
     * Start a new claim from an expired one: everything prefilled from it — name, location (if still
     * usable here), identifier, hours, both contacts, a mismatch reason — and the link to it carried
     * through every step. A claim that already has its new claim leads to that one instead.
     */
    private String startFollowUp(CurrentUser user, Engagement engagement, long previousClaimId, Model model) {
        ClaimView previous = claims.find(previousClaimId, ClaimsApi.scope(user))
                .orElseThrow(() -> ProblemException.notFound("CLAIM_NOT_FOUND", "problem.claim.notFound",
                        String.valueOf(previousClaimId)));
        if (previous.nextClaimId() != null) {
            return "redirect:/claims/" + previous.nextClaimId();
        }
        if (!previous.engagementId().equals(engagement.id())) {
            return "redirect:/engagements/" + previous.engagementId() + "/customers/add?previousClaimId=" + previousClaimId;
        }
        if (!previous.status().isExpired()) {
            throw new ProblemException(org.springframework.http.HttpStatus.CONFLICT, "PREVIOUS_CLAIM_NOT_EXPIRED",
                    "nomination.previousClaim.notExpired", List.of(String.valueOf(previousClaimId)), List.of(), Map.of());
        }
        List<String> locations = user.usableLocations().stream().filter(engagement::locationEligible)
                .map(l -> l.id()).toList();
        String location = locations.contains(previous.locationId()) ? previous.locationId()
                : locations.size() == 1 ? locations.get(0) : null;
        ClaimView.Contact customer = previous.customerContact();
        ClaimView.Contact partner = previous.partnerContact();
        NominationForm form = new NominationForm("ADD", previous.friendlyName(), location,
                previous.identifierType().name(), previous.identifierValue(), List.of(engagement.id()),
                engagement.isVariable() ? previous.hours() : null, customer.name(), customer.email(), customer.phone(),
                customer.language(), partner.name(), partner.email(), partner.phone(), previous.mismatchReason(),
                previous.mismatchNote(), previousClaimId);
        return show(user, engagement, form, NAME, Map.of(), model);
    }

    /** Claim customer: a known customer, its identifier fixed, contacts from its latest consent. */
    @GetMapping("/engagements/{engagementId}/customers/claim")
    String startClaim(CurrentUser user, @PathVariable String engagementId, @RequestParam String customerKey,
                      Model model) {
        Engagement engagement = visible(user, engagementId);
        KnownCustomers.Prefill prefill = knownCustomers.prefill(user.partnerId(), customerKey)
                .orElseThrow(() -> ProblemException.notFound("NOT_A_KNOWN_CUSTOMER", "nomination.notKnownCustomer"));
        List<String> locations = user.usableLocations().stream().filter(engagement::locationEligible)
                .map(l -> l.id()).toList();
        NominationForm form = new NominationForm("CLAIM", null, locations.size() == 1 ? locations.get(0) : null,
                prefill.identifierType().name(), prefill.identifierValue(), List.of(engagementId), null,
                prefill.customerName(), prefill.customerEmail(), prefill.customerPhone(), prefill.customerLanguage(),
                prefill.partnerName(), prefill.partnerEmail(), prefill.partnerPhone(), null, null, null);
        return show(user, engagement, form, NAME, Map.of(), model);
    }

    @PostMapping("/engagements/{engagementId}/customers/add")
    String step(CurrentUser user, @PathVariable String engagementId, @ModelAttribute NominationForm form,
                @RequestParam int step, @RequestParam String go, Model model, RedirectAttributes redirect) {
        Engagement engagement = visible(user, engagementId);
        if ("back".equals(go)) {
            return show(user, engagement, form, Math.max(NAME, step - 1), Map.of(), model);
        }
        if ("create".equals(go)) {
            return create(user, engagement, form, model, redirect);
        }
        int current = Math.min(Math.max(step, NAME), REVIEW);
        Map<String, String> errors = errorsUpTo(user, form, current);
        if (current >= IDENTIFIER && errors.isEmpty()) {
            // From here on the partner sees the identifier as the program stores it.
            form = withIdentifier(form, form.identifierType(), resolve(form).orElseThrow().identifier().value());
        }
        if (current == IDENTIFIER && errors.isEmpty()) {
            ResolvedCustomer customer = resolve(form).orElseThrow();
            if (customer.tenantMustBeSupplied()) {
                // No tenant for this domain: ask for the tenant ID or TPID instead, on the same step.
                NominationForm instead = withIdentifier(form, IdentifierType.TENANT_ID.name(), "");
                model.addAttribute("tenantNotDerived", form.identifierValue());
                return show(user, engagement, instead, IDENTIFIER, Map.of(), model);
            }
        }
        if (!errors.isEmpty()) {
            return show(user, engagement, form, firstStepWithError(errors), errors, model);
        }
        return show(user, engagement, form, current + 1, Map.of(), model);
    }

    private String create(CurrentUser user, Engagement engagement, NominationForm form, Model model,
                          RedirectAttributes redirect) {
        try {
            Nominations.Created created = nominations.nominate(user, form.toNomination(), clock.instant());
            if (form.isFollowUp()) {
                // The new claim's page shows the link to the expired claim it follows.
                long claimId = created.claimIds().get(0);
                redirect.addFlashAttribute("notice", messages.getMessage("claim.followUp.created",
                        new Object[] {String.valueOf(claimId), String.valueOf(form.previousClaimId())},
                        LocaleContextHolder.getLocale()));
                return "redirect:/claims/" + claimId;
            }
            redirect.addFlashAttribute("added", created.claimIds());
            return "redirect:/engagements/" + engagement.id() + "/customers";
        } catch (NotEligibleException e) {
            model.addAttribute("refused", e.decisions().entrySet().stream()
                    .filter(d -> !d.getValue().eligible())
                    .map(d -> Map.of("engagement", catalog.find(d.getKey()).map(Engagement::name).orElse(d.getKey()),
                            "reasons", reasons.describe(d.getValue().reasons(), user.timeZone())))
                    .toList());
            return show(user, engagement, form, ENGAGEMENTS, Map.of(), model);
        } catch (ProblemException e) {
            Map<String, String> errors = texts(e.fieldProblems());
            if (errors.isEmpty()) {
                throw e;
            }
            return show(user, engagement, form, firstStepWithError(errors), errors, model);
        }
    }

    private String show(CurrentUser user, Engagement engagement, NominationForm form, int step,
                        Map<String, String> errors, Model model) {
        model.addAttribute("me", user);
        model.addAttribute("engagement", engagement);
        model.addAttribute("form", form);
        model.addAttribute("step", step);
        model.addAttribute("errors", errors);
        // Every location the user holds a role on; those they may not pick are shown disabled, with why.
        model.addAttribute("locations", user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                .map(a -> new LocationOption(a.location().id(), LocationTexts.label(a.location()), a.usable(),
                        locationTexts.refusal(a, user.timeZone()).orElse(null)))
                .toList());
        model.addAttribute("identifierTypes", engagement.isVariable()
                ? List.of(IdentifierType.MSX_OPPORTUNITY_ID) : List.of(IdentifierType.values()));
        model.addAttribute("languages", List.of("en", "nl", "tr"));
        model.addAttribute("mismatchReasons", MismatchReason.values());
        model.addAttribute("reasons", reasons);
        Optional<ResolvedCustomer> customer = step >= ENGAGEMENTS ? resolve(form) : Optional.empty();
        customer.ifPresent(c -> model.addAttribute("customer", c));
        if (step >= ENGAGEMENTS && customer.isPresent() && customer.get().key().isPresent()) {
            Nominations.CustomerCheck check = nominations.check(user, form.locationId(), form.identifierType(),
                    form.identifierValue(), form.customerEmail(), clock.instant());
            // A claim that follows an expired one is for that claim's engagement only.
            List<Nominations.EngagementCheck> offered = check.engagements().stream()
                    .filter(c -> !form.isFollowUp() || c.engagement().id().equals(engagement.id())).toList();
            model.addAttribute("eligible", offered.stream().filter(c -> c.decision().eligible()).toList());
            model.addAttribute("ineligible", form.isClaim() ? List.of()
                    : offered.stream().filter(c -> !c.decision().eligible()).toList());
            model.addAttribute("mismatch", check.domainMismatch());
            model.addAttribute("variableMax", check.engagements().stream()
                    .filter(c -> c.engagement().isVariable() && c.decision().eligible())
                    .flatMap(c -> c.engagement().rateCardOn(java.time.LocalDate.ofInstant(clock.instant(),
                            java.time.ZoneOffset.UTC)).stream()).mapToInt(RateCard::maxHours).max().orElse(0));
            model.addAttribute("selectedEngagements", form.engagementIds().stream()
                    .map(catalog::find).flatMap(Optional::stream).toList());
            if (step == REVIEW) {
                payout(user, form, customer.get()).ifPresent(p -> model.addAttribute("payout", p));
            }
        }
        return "claim/add";
    }

    /** A location in the picker: disabled with its refusal when the user may not pick it. */
    record LocationOption(String id, String label, boolean usable, String refusal) {}

    private Optional<RateCard.Payout> payout(CurrentUser user, NominationForm form, ResolvedCustomer customer) {
        if (form.engagementIds().size() != 1 || form.hours() == null) {
            return Optional.empty();
        }
        return catalog.find(form.engagementIds().get(0)).filter(Engagement::isVariable)
                .flatMap(e -> user.access(form.locationId()).flatMap(a -> nominations.proposedPayout(e, customer,
                        a.location(), form.hours(), clock.instant())));
    }

    private Map<String, String> errorsUpTo(CurrentUser user, NominationForm form, int step) {
        Set<String> owned = new java.util.HashSet<>();
        FIELDS.forEach((s, fields) -> {
            if (s <= step) {
                owned.addAll(fields);
            }
        });
        List<FieldProblem> problems = nominations.problems(user, form.toNomination(), clock.instant()).stream()
                .filter(p -> owned.stream().anyMatch(f -> p.field().equals(f) || p.field().startsWith(f + ".")))
                .toList();
        return texts(problems);
    }

    private Map<String, String> texts(List<FieldProblem> problems) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (FieldProblem p : problems) {
            errors.putIfAbsent(p.field(), messages.getMessage(p.messageKey(), p.args().toArray(), p.messageKey(),
                    LocaleContextHolder.getLocale()));
        }
        return errors;
    }

    private static int firstStepWithError(Map<String, String> errors) {
        for (int s = NAME; s <= CONTACTS; s++) {
            for (String field : FIELDS.get(s)) {
                if (errors.keySet().stream().anyMatch(e -> e.equals(field) || e.startsWith(field + "."))) {
                    return s;
                }
            }
        }
        return REVIEW;
    }

    private Optional<ResolvedCustomer> resolve(NominationForm form) {
        try {
            return Optional.of(nominations.resolve(CustomerIdentifier.of(IdentifierType.valueOf(form.identifierType()),
                    form.identifierValue())));
        } catch (RuntimeException invalid) {
            return Optional.empty();
        }
    }

    private static NominationForm withIdentifier(NominationForm f, String type, String value) {
        return new NominationForm(f.origin(), f.friendlyName(), f.locationId(), type, value, f.engagementIds(), f.hours(),
                f.customerName(), f.customerEmail(), f.customerPhone(), f.customerLanguage(), f.partnerName(),
                f.partnerEmail(), f.partnerPhone(), f.mismatchReason(), f.mismatchNote(), f.previousClaimId());
    }

    private Engagement visible(CurrentUser user, String engagementId) {
        user.requireIncentivesRole();
        return catalog.findVisible(engagementId, user.partnerLocations());
    }
}
