package org.mciengagements.engagement.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.Engagement;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.security.LocationTexts;
import org.mciengagements.shared.ProgramClock;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

@Controller
class EngagementPages {

    private final EngagementListing listing;
    private final ProgramClock clock;
    private final LocationTexts locationTexts;

    EngagementPages(EngagementListing listing, ProgramClock clock, LocationTexts locationTexts) {
        this.listing = listing;
        this.clock = clock;
        this.locationTexts = locationTexts;
    }

    /** A location and why it cannot nominate. */
    record LocationNotice(String location, String reason) {}

    @GetMapping("/engagements")
    String list(CurrentUser user, @RequestParam(required = false) String location,
                @RequestParam(required = false) Availability availability, Model model) {
        user.requireIncentivesRole();
        List<EngagementListing.Item> items = listing.list(user, location, availability, clock.instant());
        Map<String, List<EngagementListing.Item>> byArea = new LinkedHashMap<>();
        items.forEach(i -> byArea.computeIfAbsent(i.engagement().solutionArea(), a -> new java.util.ArrayList<>()).add(i));
        model.addAttribute("me", user);
        model.addAttribute("byArea", byArea);
        model.addAttribute("total", items.size());
        model.addAttribute("location", location);
        model.addAttribute("availability", availability);
        model.addAttribute("availabilities", Availability.values());
        if (user.usableLocations().isEmpty()) {
            // Nothing to nominate from: say why for each location, rather than an unexplained empty page.
            model.addAttribute("noUsableLocation", user.locations().stream().filter(CurrentUser.LocationAccess::visible)
                    .map(a -> new LocationNotice(LocationTexts.label(a.location()),
                            locationTexts.refusal(a, user.timeZone()).orElse("")))
                    .toList());
        }
        return "engagement/list";
    }

    @GetMapping("/engagements/{engagementId}")
    String summary(CurrentUser user, @PathVariable String engagementId, Model model) {
        user.requireIncentivesRole();
        Engagement engagement = listing.one(user, engagementId);
        model.addAttribute("me", user);
        model.addAttribute("engagement", engagement);
        model.addAttribute("availability", engagement.availability(clock.instant()));
        model.addAttribute("eligibleLocations",
                user.partnerLocations().stream().filter(l -> l.enrolled() && engagement.locationEligible(l)).toList());
        return "engagement/summary";
    }
}
