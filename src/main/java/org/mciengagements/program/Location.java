package org.mciengagements.program;

/** A partner location; {@code id} is the Partner Program location ID. */
public record Location(String id, String partnerId, String name, String country, Enrollment enrollment) {

    public boolean enrolled() {
        return enrollment == Enrollment.ENROLLED;
    }
}
