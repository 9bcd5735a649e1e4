package org.mciengagements.program;

import java.time.Instant;

/**
 * A partner location; {@code id} is the Partner Program location ID. The enrollment fields say when
 * its enrollment last changed, why (the operator's reason, or none) and by whom ({@code null} when it
 * came from the program file).
 */
public record Location(String id, String partnerId, String name, String country, Enrollment enrollment,
                       String enrollmentReason, Instant enrollmentChangedAt, String enrollmentChangedBy) {

    /** A location whose enrollment has no recorded change. */
    public Location(String id, String partnerId, String name, String country, Enrollment enrollment) {
        this(id, partnerId, name, country, enrollment, null, null, null);
    }

    public boolean enrolled() {
        return enrollment == Enrollment.ENROLLED;
    }
}
