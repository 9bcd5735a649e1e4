package org.mciengagements.eligibility;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.shared.CustomerKey;
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
        List<Criterion> criteria = q.engagement().criteria();
        List<Reason.FailedCriterion> failed = failedCriteria(q.engagement(), q.customer().get()).stream()
                .map(criteria::get).map(c -> new Reason.FailedCriterion(c.name(), c.message())).toList();
        return failed.isEmpty() ? null : new Reason(ReasonCode.CRITERIA_NOT_MET, failed, null, null);
    }

    /** Positions of the engagement's criteria the directory entry does not meet. */
    private List<Integer> failedCriteria(Engagement engagement, DirectoryCustomer customer) {
        Map<String, Object> view = customer.criteriaView();
        List<Integer> failed = new ArrayList<>();
        List<Criterion> criteria = engagement.criteria();
        for (int i = 0; i < criteria.size(); i++) {
            if (!expressions.holds(criteria.get(i).expression(), view, Map.of())) {
                failed.add(i);
            }
        }
        return failed;
    }

    /**
     * The part of a known customer's decision that depends only on the engagement's rules and the
     * key's directory entry (identifier kind, found, criteria), which a read model may keep until
     * either changes; see {@link #verdictBasis}.
     */
    public record CustomerVerdict(boolean kindAllowed, boolean found, List<Integer> failedCriteria) {
        public boolean holds() {
            return kindAllowed && found && failedCriteria.isEmpty();
        }
    }

    /** The {@link CustomerVerdict} of a known customer (no identifier type chosen) for an engagement. */
    public CustomerVerdict customerVerdict(Engagement engagement, CustomerKey key, Optional<DirectoryCustomer> customer) {
        Question q = new Question(engagement, null, null, key, customer, MarketFacts.NONE, null);
        return new CustomerVerdict(identifierTypeAllowed(q) == null, customerFound(q) == null,
                customer.map(c -> failedCriteria(engagement, c)).orElse(List.of()));
    }

    /**
     * What a {@link CustomerVerdict} was computed from on the engagement's side: its identifier
     * types and its criteria' expressions. Equal bases give equal verdicts for the same entry.
     */
    public static String verdictBasis(Engagement engagement) {
        StringBuilder basis = new StringBuilder();
        engagement.identifierTypes().stream().map(Enum::name).sorted().forEach(t -> basis.append(t).append(','));
        engagement.criteria().forEach(c -> basis.append('\n').append(c.expression()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(basis.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
