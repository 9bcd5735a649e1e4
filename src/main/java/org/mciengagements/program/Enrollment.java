package org.mciengagements.program;

/**
 * A location's MCI enrollment (SPEC §3). Only {@code ENROLLED} locations nominate customers; the
 * moves between the statuses are {@link EnrollmentAction}s.
 */
public enum Enrollment { ENROLLED, NOT_ENROLLED, SUSPENDED }
