package org.mciengagements.shared;

import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the {@link ProgramClock} offset in the database, so that an operator moving the demo clock
 * on one server moves it for all of them (each server re-reads it every few seconds).
 */
@Component
public class ProgramClockOffsets {

    private final JdbcClient jdbc;
    private final ProgramClock clock;

    ProgramClockOffsets(JdbcClient jdbc, ProgramClock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        refresh();
    }

    @Scheduled(fixedDelayString = "${mci.clock.refresh:5s}")
    public void refresh() {
        long offset = jdbc.sql("select offset_ms from program_clock where id = 1").query(Long.class).single();
        clock.setOffset(Duration.ofMillis(offset));
    }

    /** Moves the program clock forward; callers must have checked that the clock is adjustable. */
    @Transactional
    public Duration advance(Duration by) {
        if (by.isNegative() || by.isZero()) {
            throw new IllegalArgumentException("The clock only moves forward");
        }
        long offset = jdbc.sql("update program_clock set offset_ms = offset_ms + :by where id = 1 returning offset_ms")
                .param("by", by.toMillis())
                .query(Long.class)
                .single();
        clock.setOffset(Duration.ofMillis(offset));
        return clock.offset();
    }
}
