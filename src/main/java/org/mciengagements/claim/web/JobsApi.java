package org.mciengagements.claim.web;

import org.mciengagements.claim.DeadlineJob;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Runs the deadline job on demand, so a whole lifecycle can be tried in minutes. Exists only when
 * {@code mci.clock.adjustable=true} (the demo), which production never sets.
 */
@RestController
@ConditionalOnBooleanProperty("mci.clock.adjustable")
class JobsApi {

    private final DeadlineJob deadlines;

    JobsApi(DeadlineJob deadlines) {
        this.deadlines = deadlines;
    }

    @PostMapping("/api/v1/admin/jobs/deadlines")
    DeadlineJob.Result runDeadlines() {
        return deadlines.run();
    }
}
