package org.mciengagements.security;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.mciengagements.program.Location;
import org.mciengagements.shared.ProblemException;

/**
 * The authenticated caller with their partner and roles, loaded fresh for each request so that a
 * revoked role takes effect at once.
 *
 * @param locations every location of the caller's partner, with the roles the caller holds there
 */
public record CurrentUser(String username, String displayName, String email, String partnerId, String partnerName,
                          List<LocationAccess> locations, Set<GlobalRole> globalRoles, ZoneId timeZone,
                          String language) {

    /** A location of the caller's partner and the incentives roles the caller holds on it. */
    public record LocationAccess(Location location, Set<LocationRole> roles) {

        /** The caller sees this location's claims when they hold an incentives role on it. */
        public boolean visible() {
            return !roles.isEmpty();
        }

        /** The caller may pick this location in a workflow: enrolled, and an incentives role on it. */
        public boolean usable() {
            return refusal().isEmpty();
        }

        /** Why the caller may not pick this location in a workflow; empty when they may. */
        public Optional<LocationRefusal> refusal() {
            if (!visible()) {
                return Optional.of(LocationRefusal.NO_ROLE_ON_LOCATION);
            }
            return switch (location.enrollment()) {
                case ENROLLED -> Optional.empty();
                case SUSPENDED -> Optional.of(LocationRefusal.LOCATION_SUSPENDED);
                case NOT_ENROLLED -> Optional.of(LocationRefusal.LOCATION_NOT_ENROLLED);
            };
        }
    }

    public boolean isPartnerUser() {
        return partnerId != null;
    }

    public boolean has(GlobalRole role) {
        return globalRoles.contains(role);
    }

    /** All locations of the caller's partner, whatever the caller's roles there. */
    public List<Location> partnerLocations() {
        return locations.stream().map(LocationAccess::location).toList();
    }

    /** Location IDs whose claims the caller may see. */
    public List<String> visibleLocationIds() {
        return locations.stream().filter(LocationAccess::visible).map(a -> a.location().id()).toList();
    }

    /** Locations the caller may pick in a workflow. */
    public List<Location> usableLocations() {
        return locations.stream().filter(LocationAccess::usable).map(LocationAccess::location).toList();
    }

    public Optional<LocationAccess> access(String locationId) {
        return locations.stream().filter(a -> a.location().id().equals(locationId)).findFirst();
    }

    /** Partner users without any incentives role see no Customers page and no claim data. */
    public boolean hasIncentivesRole() {
        return locations.stream().anyMatch(LocationAccess::visible);
    }

    /** Incentives administrators manage their team's roles (SPEC §2). */
    public boolean administersAnyLocation() {
        return locations.stream().anyMatch(a -> a.roles().contains(LocationRole.INCENTIVES_ADMIN));
    }

    /** Guards every partner-scoped page and endpoint that shows engagements, customers or claims. */
    public CurrentUser requireIncentivesRole() {
        if (!isPartnerUser() || !hasIncentivesRole()) {
            throw ProblemException.forbidden("INCENTIVES_ROLE_REQUIRED", "problem.forbidden.incentivesRole");
        }
        return this;
    }
}
