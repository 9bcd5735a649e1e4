package org.mciengagements.claim;

import java.util.List;
import java.util.Map;
import org.mciengagements.eligibility.Decision;
import org.mciengagements.eligibility.ReasonCode;
import org.mciengagements.shared.ProblemException;
import org.springframework.http.HttpStatus;

/**
 * A nomination refused by the eligibility re-check made atomically with the write: 409 when the
 * partner already holds an active claim for one of the pairs, 422 otherwise. Carries the decision
 * for every requested engagement so the caller sees all reasons at once.
 */
public class NotEligibleException extends ProblemException {

    private final Map<String, Decision> decisions;

    public NotEligibleException(Map<String, Decision> decisions) {
        super(alreadyNominated(decisions) ? HttpStatus.CONFLICT : HttpStatus.UNPROCESSABLE_CONTENT,
                alreadyNominated(decisions) ? "ALREADY_NOMINATED" : "NOT_ELIGIBLE",
                alreadyNominated(decisions) ? "problem.claim.alreadyNominated" : "problem.claim.notEligible",
                List.of(), List.of(), Map.of());
        this.decisions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(decisions));
    }

    private static boolean alreadyNominated(Map<String, Decision> decisions) {
        return decisions.values().stream().anyMatch(d -> d.has(ReasonCode.ALREADY_NOMINATED));
    }

    /** The decision per requested engagement, in the order requested, eligible ones included. */
    public Map<String, Decision> decisions() {
        return decisions;
    }
}
