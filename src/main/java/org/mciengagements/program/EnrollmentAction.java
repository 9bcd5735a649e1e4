package org.mciengagements.program;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The one transition table of a location's enrollment, an operator's move each:
 * <pre>
 * ENROLL    NOT_ENROLLED        → ENROLLED       reason optional
 * SUSPEND   ENROLLED            → SUSPENDED      reason required
 * REENROLL  SUSPENDED           → ENROLLED       reason optional
 * WITHDRAW  ENROLLED, SUSPENDED → NOT_ENROLLED   reason required
 * </pre>
 * Suspending is temporary (the location stays in the program and comes back by re-enrolling);
 * withdrawing takes it out of the program, and it comes back by enrolling like a new location.
 * Taking a location out of service always says why, as partners are shown the reason.
 */
public enum EnrollmentAction {
    ENROLL(EnumSet.of(Enrollment.NOT_ENROLLED), Enrollment.ENROLLED, false),
    SUSPEND(EnumSet.of(Enrollment.ENROLLED), Enrollment.SUSPENDED, true),
    REENROLL(EnumSet.of(Enrollment.SUSPENDED), Enrollment.ENROLLED, false),
    WITHDRAW(EnumSet.of(Enrollment.ENROLLED, Enrollment.SUSPENDED), Enrollment.NOT_ENROLLED, true);

    private final Set<Enrollment> from;
    private final Enrollment to;
    private final boolean reasonRequired;

    EnrollmentAction(Set<Enrollment> from, Enrollment to, boolean reasonRequired) {
        this.from = from;
        this.to = to;
        this.reasonRequired = reasonRequired;
    }

    public boolean allowedFrom(Enrollment current) {
        return from.contains(current);
    }

    public Enrollment to() {
        return to;
    }

    public boolean reasonRequired() {
        return reasonRequired;
    }

    /** The moves an operator may make from a status, in table order. */
    public static List<EnrollmentAction> from(Enrollment current) {
        return Arrays.stream(values()).filter(a -> a.allowedFrom(current)).toList();
    }
}
