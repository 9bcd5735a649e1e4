package org.mciengagements.eligibility;

import java.util.List;

/** The answer for one (location, customer key, engagement): eligible, or every reason it is not. */
public record Decision(List<Reason> reasons) {

    public static final Decision ELIGIBLE = new Decision(List.of());

    public boolean eligible() {
        return reasons.isEmpty();
    }

    public boolean has(ReasonCode code) {
        return reasons.stream().anyMatch(r -> r.code() == code);
    }
}
