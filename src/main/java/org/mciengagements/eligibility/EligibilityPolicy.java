package org.mciengagements.eligibility;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.mciengagements.directory.DirectoryCustomer;
import org.mciengagements.engagement.Criterion;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.program.Location;
import org.mciengagements.shared.CustomerKey;
import org.mciengagements.shared.IdentifierType;
import org.springframework.stereotype.Service;

/**
 * The eligibility rules of SPEC §6: the request's, the customer's (kind of key, directory entry,
 * criteria: a {@link CustomerVerdict}, which a read model may keep) and the market's. Every rule is
 * evaluated and every reason returned, so a partner sees at once all that stands in the way. The policy is a pure function of
 * the {@link Question}; re-checking it atomically with a write is the caller's job.
 */
@Service
public class EligibilityPolicy {

    /** Rules of the request: the engagement's window and the location. */
    private static final List<Function<Question, Reason>> REQUEST_RULES = List.of(
            EligibilityPolicy::engagementAvailable,
            EligibilityPolicy::locationEnrolled,
            EligibilityPolicy::locationEligible);
    /** Rules of the claims already made. */
    private static final List<Function<Question, Reason>> MARKET_RULES = List.of(
            EligibilityPolicy::noConsentWithAnotherPartner,
            EligibilityPolicy::notEngagedWithAnotherPartner,
            EligibilityPolicy::claimLimitNotReached,
            EligibilityPolicy::notAlreadyNominated);

    private final Expressions expressions;

    public EligibilityPolicy(Expressions expressions) {
        this.expressions = expressions;
    }

    /** Every rule, in the order of SPEC §6: the request's, the customer's, the market's. */
    public Decision decide(Question question) {
        return decide(question, verdict(question));
    }

    /**
     * {@link #decide(Question)} with the customer's part taken from a verdict kept since it was
     * computed for an engagement of the same {@link #verdictBasis} (a read model), so that neither
     * the directory entry is read nor a criterion evaluated. The question's customer is not looked at.
     */
    public Decision decide(Question question, CustomerVerdict verdict) {
        List<Reason> reasons = new ArrayList<>(2);
        REQUEST_RULES.forEach(rule -> add(reasons, rule.apply(question)));
        return decide(reasons, question, verdict);
    }

    /** The customer's and the market's rules after the request's, whose reasons {@code reasons} holds. */
    private static Decision decide(List<Reason> reasons, Question question, CustomerVerdict verdict) {
        if (!verdict.kindAllowed()) {
            reasons.add(Reason.of(ReasonCode.IDENTIFIER_TYPE_NOT_ALLOWED));
        }
        if (!verdict.found()) {
            reasons.add(Reason.of(ReasonCode.CUSTOMER_NOT_FOUND));
        }
        if (!verdict.failedCriteria().isEmpty()) {
            // Positions, not names: a criterion renamed since the verdict shows its new name.
            List<Criterion> criteria = question.engagement().criteria();
            reasons.add(new Reason(ReasonCode.CRITERIA_NOT_MET, verdict.failedCriteria().stream().map(criteria::get)
                    .map(c -> new Reason.FailedCriterion(c.name(), c.message())).toList(), null, null));
        }
        MARKET_RULES.forEach(rule -> add(reasons, rule.apply(question)));
        return reasons.isEmpty() ? Decision.ELIGIBLE : new Decision(List.copyOf(reasons));
    }

    /**
     * Decisions for the known customers of one request (a Customers page), each from its kept
     * verdict: the request's rules are judged once for all of them.
     */
    public KnownCustomerJudge knownCustomers(Engagement engagement, Location location, Instant now) {
        Question request = new Question(engagement, location, null, null, Optional.empty(), MarketFacts.NONE, now);
        List<Reason> reasons = new ArrayList<>(2);
        REQUEST_RULES.forEach(rule -> add(reasons, rule.apply(request)));
        return new KnownCustomerJudge(request, List.copyOf(reasons));
    }

    /**
     * {@link #decide(Question, CustomerVerdict)} for many known customers of one request. Customers
     * whose verdict and market facts lead to the same reasons get the same {@link Decision}, so that
     * a page puts each distinct decision in words once, not once per row. One request's: not shared
     * between threads.
     */
    public static final class KnownCustomerJudge {

        private final Question request;
        private final List<Reason> requestReasons;
        private final Map<Long, Decision> shared = new HashMap<>();

        private KnownCustomerJudge(Question request, List<Reason> requestReasons) {
            this.request = request;
            this.requestReasons = requestReasons;
        }

        public Decision decide(CustomerVerdict verdict, MarketFacts market) {
            long key = sharingKey(verdict, market);
            if (key < 0) {
                return decideNow(verdict, market);
            }
            return shared.computeIfAbsent(key, k -> decideNow(verdict, market));
        }

        private Decision decideNow(CustomerVerdict verdict, MarketFacts market) {
            Question question = new Question(request.engagement(), request.location(), null, null, Optional.empty(),
                    market, request.now());
            return EligibilityPolicy.decide(new ArrayList<>(requestReasons), question, verdict);
        }

        /**
         * Everything of a verdict and market facts the customer's and the market's rules look at, as
         * bits (a rule that looks at more must add it here; failed criteria come in ascending order);
         * -1 where that does not fit (another partner's consent carries its own date, or a failed
         * criterion beyond the 48th), and the decision is made for the customer alone.
         */
        private long sharingKey(CustomerVerdict verdict, MarketFacts market) {
            if (market.otherConsentUntil() != null) {
                return -1;
            }
            long key = (verdict.kindAllowed() ? 1 : 0) | (verdict.found() ? 2 : 0)
                    | (market.engagedElsewhere() ? 4 : 0) | (market.nominatedByPartner() ? 8 : 0)
                    | (market.activeClaims() >= request.engagement().maxActiveClaimsPerCustomer() ? 16 : 0);
            for (int position : verdict.failedCriteria()) {
                if (position >= 48) {
                    return -1;
                }
                key |= 1L << (position + 8);
            }
            return key;
        }
    }

    private static void add(List<Reason> reasons, Reason reason) {
        if (reason != null) {
            reasons.add(reason);
        }
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
        return verdict(new Question(engagement, null, null, key, customer, MarketFacts.NONE, null));
    }

    /** Criteria are read on the key's own directory entry only; an unknown key fails none of them. */
    private CustomerVerdict verdict(Question q) {
        return new CustomerVerdict(identifierTypeAllowed(q) == null, q.customer().isPresent(),
                q.customer().map(c -> failedCriteria(q.engagement(), c)).orElse(List.of()));
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
