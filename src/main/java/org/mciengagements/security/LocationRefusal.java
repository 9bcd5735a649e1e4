package org.mciengagements.security;

/**
 * Why a caller may not pick one of their partner's locations in a workflow (SPEC §2): the location
 * must be enrolled, and the caller must hold an incentives role on it. The names are the stable
 * codes the API answers with.
 */
public enum LocationRefusal {
    /** The caller holds no incentives role on the location. */
    NO_ROLE_ON_LOCATION,
    /** The location is not in MCI: never enrolled, or withdrawn. */
    LOCATION_NOT_ENROLLED,
    /** The location is in MCI but suspended for now. */
    LOCATION_SUSPENDED
}
