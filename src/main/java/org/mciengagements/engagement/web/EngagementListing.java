package org.mciengagements.engagement.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.ActiveCustomerCounts;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.engagement.EngagementCatalog;
import org.mciengagements.program.Location;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.springframework.stereotype.Component;

/** The engagements list shared by the page and the API: visibility, filters and active counts. */
@Component
class EngagementListing {

    /** One engagement in the list, with how many customers the caller's locations actively work. */
    record Item(Engagement engagement, Availability availability, int activeCustomers) {}

    private final EngagementCatalog catalog;
    private final ActiveCustomerCounts counts;

    EngagementListing(EngagementCatalog catalog, ActiveCustomerCounts counts) {
        this.catalog = catalog;
        this.counts = counts;
    }

    /**
     * @param locationId   only engagements this location of the caller qualifies for; null for all
     * @param availability only engagements in this state; null for all
     */
    List<Item> list(CurrentUser user, String locationId, Availability availability, Instant now) {
        Location location = null;
        if (locationId != null && !locationId.isBlank()) {
            location = user.access(locationId).filter(CurrentUser.LocationAccess::visible)
                    .map(CurrentUser.LocationAccess::location)
                    .orElseThrow(() -> ProblemException.badRequest("location", "UNKNOWN_LOCATION", "problem.location.unknown"));
        }
        Map<String, Integer> active = counts.byEngagement(user.partnerId(), user.visibleLocationIds());
        Location only = location;
        return catalog.visibleTo(user.partnerLocations()).stream()
                .filter(e -> only == null || e.locationEligible(only))
                .filter(e -> availability == null || e.availability(now) == availability)
                .map(e -> new Item(e, e.availability(now), active.getOrDefault(e.id(), 0)))
                .toList();
    }

    Engagement one(CurrentUser user, String engagementId) {
        return catalog.findVisible(engagementId, user.partnerLocations());
    }
}
