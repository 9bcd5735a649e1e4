package org.mciengagements.eligibility;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.shared.IdentifierType;
import org.springframework.stereotype.Service;

/**
 * The eligibility rules of SPEC §6 as a named list. Every rule is evaluated and every reason
 * returned, so a partner sees at once all that stands in the way. The policy is a pure function of
 * the {@link Question}; re-checking it atomically with a write is the caller's job.
 */
@Service
public class EligibilityPolicy {

    private final Expressions expressions;
    private final List<Function<Question, Reason>> rules;

    public EligibilityPolicy(Expressions expressions) {
        this.expressions = expressions;
        this.rules = List.of(
                EligibilityPolicy::engagementAvailable,
                EligibilityPolicy::locationEnrolled,
                EligibilityPolicy::locationEligible,
                EligibilityPolicy::identifierTypeAllowed,
                EligibilityPolicy::customerFound,
                this::criteriaMet,
                EligibilityPolicy::noConsentWithAnotherPartner,
                EligibilityPolicy::notEngagedWithAnotherPartner,
                EligibilityPolicy::claimLimitNotReached,
                EligibilityPolicy::notAlreadyNominated);
    }

    public Decision decide(Question question) {
        List<Reason> reasons = rules.stream().map(rule -> rule.apply(question)).filter(Objects::nonNull).toList();
        return reasons.isEmpty() ? Decision.ELIGIBLE : new Decision(reasons);
    }

    static Reason engagementAvailable(Question q) {
        return q.engagement().acceptsClaims(q.now()) ? null : Reason.of(ReasonCode.ENGAGEMENT_NOT_AVAILABLE);
    }

    static Reason locationEnrolled(Question q) {
        return q.location().enrolled() ? null : Reason.of(ReasonCode.LOCATION_NOT_ENROLLED);
    }

    static Reason locationEligible(Question q) {
        return q.engagement().locationEligible(q.location()) ? null : Reason.of(ReasonCode.LOCATION_NOT_ELIGIBLE);
    }

    static Reason identifierTypeAllowed(Question q) {
        Engagement engagement = q.engagement();
        boolean allowed = q.nominatedAs() != null
                ? engagement.identifierTypes().contains(q.nominatedAs())
                : engagement.identifierTypes().stream().map(IdentifierType::keyKind).anyMatch(q.key().kind()::equals);
        return allowed ? null : Reason.of(ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED);
    }

    static Reason customerFound(Question q) {
        return q.customer().isPresent() ? null : Reason.of(ReasonCode.CUSTOMER_NOT_FOUND);
    }

    /** Criteria are read on the key's own directory entry only; an unknown key fails none of them. */
    Reason criteriaMet(Question q) {
        if (q.customer().isEmpty()) {
            return null;
        }
        Map<String, Object> view = q.customer().get().criteriaView();
        List<Reason.FailedCriterion> failed = new ArrayList<>();
        for (Criterion criterion : q.engagement().criteria()) {
            if (!expressions.holds(criterion.expression(), view, Map.of())) {
                failed.add(new Reason.FailedCriterion(criterion.name(), criterion.message()));
            }
        }
        return failed.isEmpty() ? null : new Reason(ReasonCode.CRITERIA_NOT_MET, List.copyOf(failed), null, null);
    }

    static Reason noConsentWithAnotherPartner(Question q) {
        return q.market().otherConsentUntil() == null ? null
                : new Reason(ReasonCode.CONSENTED_TO_ANOTHER_PARTNER, List.of(), q.market().otherConsentUntil(), null);
    }

    static Reason notEngagedWithAnotherPartner(Question q) {
        return q.market().engagedElsewhere() ? Reason.of(ReasonCode.ENGAGED_WITH_ANOTHER_PARTNER) : null;
    }

    static Reason claimLimitNotReached(Question q) {
        int limit = q.engagement().maxActiveClaimsPerCustomer();
        return q.market().activeClaims() < limit ? null
                : new Reason(ReasonCode.CLAIM_LIMIT_REACHED, List.of(), null, limit);
    }

    static Reason notAlreadyNominated(Question q) {
        return q.market().nominatedByPartner() ? Reason.of(ReasonCode.ALREADY_NOMINATED) : null;
    }
}
