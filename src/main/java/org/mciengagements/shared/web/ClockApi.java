package org.mciengagements.shared.web;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.mciengagements.shared.ProblemException;
import org.mciengagements.shared.ProgramClock;
import org.mciengagements.shared.ProgramClockOffsets;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Moves the program clock forward (demo only): exists only when {@code mci.clock.adjustable=true},
 * which production never sets. The offset is kept in the database, so every server moves.
 */
@RestController
@ConditionalOnBooleanProperty("mci.clock.adjustable")
class ClockApi {

    private final ProgramClockOffsets offsets;
    private final ProgramClock clock;

    ClockApi(ProgramClockOffsets offsets, ProgramClock clock) {
        this.offsets = offsets;
        this.clock = clock;
    }

    record Advance(String advance) {}

    record ClockState(Instant now, String offset) {}

    @PostMapping("/api/v1/admin/clock")
    ClockState advance(@RequestBody Advance body) {
        Duration by;
        try {
            by = Duration.parse(body.advance() == null ? "" : body.advance().strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("advance", "INVALID_DURATION", "clock.advance.invalid");
        }
        if (by.isNegative() || by.isZero()) {
            throw ProblemException.badRequest("advance", "NOT_FORWARD", "clock.advance.invalid");
        }
        Duration offset = offsets.advance(by);
        return new ClockState(clock.instant(), offset.toString());
    }
}
