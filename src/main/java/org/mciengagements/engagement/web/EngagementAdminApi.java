package org.mciengagements.engagement.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.mciengagements.engagement.Availability;
import org.mciengagements.engagement.EngagementConfiguration;
import org.mciengagements.engagement.EngagementConfiguration.Versioned;
import org.mciengagements.engagement.EngagementDraft;
import org.mciengagements.security.CurrentUser;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operator's engagement configuration (SPEC §4, §12): every engagement whatever its window,
 * in the shape a PUT takes back. A GET gives an {@code ETag}; a PUT with {@code If-Match} saves only
 * if nobody changed the engagement since ({@code If-Match: "new"} only creates).
 */
@RestController
@RequestMapping("/api/v1/admin/engagements")
class EngagementAdminApi {

    private final EngagementConfiguration configuration;
    private final ProgramClock clock;

    EngagementAdminApi(EngagementConfiguration configuration, ProgramClock clock) {
        this.configuration = configuration;
        this.clock = clock;
    }

    record ConfiguredEngagement(String id, String version, Availability availability, boolean hasClaims,
                                EngagementDraft configuration) {}

    record Change(Instant at, String actor, String action, Map<String, Object> detail) {}

    @GetMapping
    List<ConfiguredEngagement> list() {
        Instant now = clock.instant();
        return configuration.all().stream()
                .map(v -> view(v, now, configuration.hasClaims(v.engagement().id()))).toList();
    }

    @GetMapping("/{engagementId}")
    ResponseEntity<ConfiguredEngagement> one(@PathVariable String engagementId) {
        Versioned found = find(engagementId);
        return ResponseEntity.ok().eTag(found.version())
                .body(view(found, clock.instant(), configuration.hasClaims(engagementId)));
    }

    /** Creates (201) or replaces (200) the engagement; 400 lists every problem of the configuration. */
    @PutMapping("/{engagementId}")
    ResponseEntity<ConfiguredEngagement> put(CurrentUser user, @PathVariable String engagementId,
                                             @RequestBody EngagementDraft draft,
                                             @RequestHeader(name = "If-Match", required = false) String ifMatch) {
        Instant now = clock.instant();
        var saved = configuration.put(user.username(), engagementId, draft, unquoted(ifMatch), now);
        var body = new ConfiguredEngagement(engagementId, saved.version(), saved.engagement().availability(now),
                configuration.hasClaims(engagementId), EngagementDraft.of(saved.engagement()));
        return (saved.created() ? ResponseEntity.status(201) : ResponseEntity.ok()).eTag(saved.version()).body(body);
    }

    @GetMapping("/{engagementId}/history")
    List<Change> history(@PathVariable String engagementId) {
        find(engagementId);
        return configuration.history(engagementId, 200).stream()
                .map(e -> new Change(e.at(), e.actor(), e.action(), e.detail())).toList();
    }

    private Versioned find(String id) {
        return configuration.find(id).orElseThrow(() ->
                ProblemException.notFound("ENGAGEMENT_NOT_FOUND", "engagement.config.notFound", id));
    }

    private static ConfiguredEngagement view(Versioned v, Instant now, boolean hasClaims) {
        return new ConfiguredEngagement(v.engagement().id(), v.version(), v.engagement().availability(now), hasClaims,
                EngagementDraft.of(v.engagement()));
    }

    /** An entity tag as sent ({@code "123"} or {@code W/"123"}) without its quotes. */
    private static String unquoted(String tag) {
        if (tag == null || tag.isBlank()) {
            return null;
        }
        String t = tag.strip();
        if (t.startsWith("W/")) {
            t = t.substring(2);
        }
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }
}
