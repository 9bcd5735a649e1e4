package org.mciengagements.security.web;

import java.time.Instant;
import java.util.List;
import org.mciengagements.program.Enrollment;
import org.mciengagements.program.EnrollmentAction;
import org.mciengagements.program.Enrollments;
import org.mciengagements.program.Location;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.AuditTrail;
import org.mciengagements.shared.ProgramClock;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators enroll, suspend, re-enroll and withdraw partner locations (SPEC §2–3). Every partner's
 * locations, one location with its recorded changes, and a move:
 * {@code {"action":"ENROLL"|"SUSPEND"|"REENROLL"|"WITHDRAW","reason":"…"}} (a reason is required to
 * suspend and to withdraw), answered with the location. {@code /api/v1/admin/**} is for operators only.
 */
@RestController
@RequestMapping("/api/v1/admin/locations")
class LocationAdminApi {

    static final int HISTORY = 100;

    private final Enrollments enrollments;
    private final AuditTrail audit;
    private final ProgramClock clock;

    LocationAdminApi(Enrollments enrollments, AuditTrail audit, ProgramClock clock) {
        this.enrollments = enrollments;
        this.audit = audit;
        this.clock = clock;
    }

    /** A location with its partner, its enrollment and the moves open to it now. */
    record LocationItem(String locationId, String name, String country, String partnerId, String partnerName,
                        Enrollment enrollment, String enrollmentReason, Instant enrollmentChangedAt,
                        String enrollmentChangedBy, List<EnrollmentAction> allowedActions) {

        static LocationItem of(Enrollments.Listing listing) {
            Location l = listing.location();
            return new LocationItem(l.id(), l.name(), l.country(), l.partnerId(), listing.partnerName(), l.enrollment(),
                    l.enrollmentReason(), l.enrollmentChangedAt(), l.enrollmentChangedBy(), listing.allowedActions());
        }
    }

    /** A location and its recorded enrollment changes, newest first. */
    record LocationDetails(LocationItem location, List<AuditTrail.Event> history) {}

    record EnrollmentBody(String action, String reason) {}

    @GetMapping
    List<LocationItem> list(@RequestParam(required = false) String partnerId,
                            @RequestParam(required = false) Enrollment enrollment,
                            @RequestParam(required = false) String q) {
        return enrollments.list(new Enrollments.Filter(partnerId, enrollment, q)).stream().map(LocationItem::of).toList();
    }

    @GetMapping("/{locationId}")
    LocationDetails one(@PathVariable String locationId) {
        return details(enrollments.find(locationId));
    }

    @PostMapping("/{locationId}/enrollment")
    LocationDetails change(CurrentUser user, @PathVariable String locationId,
                           @RequestBody(required = false) EnrollmentBody body) {
        Enrollments.Listing changed = enrollments.change(locationId,
                body == null ? null : new Enrollments.Request(body.action(), body.reason()), user.username(),
                clock.instant());
        return details(changed);
    }

    private LocationDetails details(Enrollments.Listing listing) {
        return new LocationDetails(LocationItem.of(listing),
                audit.of(AuditTrail.Subject.LOCATION, listing.location().id(), HISTORY));
    }
}
