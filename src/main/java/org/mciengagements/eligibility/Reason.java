package org.mciengagements.eligibility;

import java.time.Instant;
import java.util.List;

/**
 * One reason a nomination is not possible. {@code failedCriteria} names each failed customer
 * criterion (for {@code CRITERIA_NOT_MET}); {@code until} says how long another partner's consent
 * holds (for {@code CONSENTED_TO_ANOTHER_PARTNER}); {@code limit} is the active-claim limit.
 */
public record Reason(ReasonCode code, List<FailedCriterion> failedCriteria, Instant until, Integer limit) {

    public record FailedCriterion(String name, String message) {}

    public static Reason of(ReasonCode code) {
        return new Reason(code, List.of(), null, null);
    }

    /** The message key of this reason's human text: {@code eligibility.reason.<CODE>}. */
    public String messageKey() {
        return "eligibility.reason." + code.name();
    }
}
