package org.mciengagements.security.web;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.mciengagements.program.Enrollment;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.GlobalRole;
import org.mciengagements.security.LocationRefusal;
import org.mciengagements.security.LocationTexts;
import org.mciengagements.security.LocationRole;
import org.mciengagements.shared.ProblemException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MeApi {

    record PartnerRef(String id, String name) {}

    record LocationRoles(String locationId, Set<LocationRole> roles, boolean enrolled, boolean usable) {}

    record Me(String username, String displayName, String email, PartnerRef partner, Set<GlobalRole> roles,
              List<LocationRoles> locations, String timeZone, String language) {}

    /** Why the caller may not pick a location: a stable code and the words the pages use. */
    record Refusal(LocationRefusal code, String message) {}

    record LocationView(String locationId, String name, String country, Enrollment enrollment,
                        String enrollmentReason, Instant enrollmentChangedAt, Set<LocationRole> roles, boolean usable,
                        Refusal refusal) {}

    private final LocationTexts texts;

    MeApi(LocationTexts texts) {
        this.texts = texts;
    }

    @GetMapping("/api/v1/me")
    Me me(CurrentUser user) {
        return new Me(user.username(), user.displayName(), user.email(),
                user.isPartnerUser() ? new PartnerRef(user.partnerId(), user.partnerName()) : null, user.globalRoles(),
                user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                        .map(a -> new LocationRoles(a.location().id(), a.roles(), a.location().enrolled(), a.usable()))
                        .toList(),
                user.timeZone().getId(), user.language());
    }

    /**
     * The partner's locations, their enrollment (with the reason and time of its last change), whether
     * the caller may use each in a workflow and, when not, why.
     */
    @GetMapping("/api/v1/locations")
    List<LocationView> locations(CurrentUser user) {
        if (!user.isPartnerUser()) {
            throw ProblemException.forbidden("PARTNER_USER_REQUIRED", "problem.forbidden.partnerUser");
        }
        return user.locations().stream().map(a -> new LocationView(a.location().id(), a.location().name(),
                a.location().country(), a.location().enrollment(), a.location().enrollmentReason(),
                a.location().enrollmentChangedAt(), a.roles(), a.usable(),
                a.refusal().map(r -> new Refusal(r, texts.refusal(a, user.timeZone()).orElseThrow())).orElse(null)))
                .toList();
    }
}
