package org.mciengagements.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single clock all deadlines are computed from. In production it is the system clock; in the
 * demo an operator may move it forward, and the offset is kept in the database so every server
 * agrees on "now" (see {@link ProgramClockOffsets}).
 */
public final class ProgramClock extends Clock {

    private final Clock base;
    private final AtomicLong offsetMillis = new AtomicLong();

    public ProgramClock(Clock base) {
        this.base = base;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new IllegalArgumentException("The program clock is always UTC; convert instants for display instead");
    }

    @Override
    public Instant instant() {
        return base.instant().plusMillis(offsetMillis.get());
    }

    public Duration offset() {
        return Duration.ofMillis(offsetMillis.get());
    }

    void setOffset(Duration offset) {
        offsetMillis.set(offset.toMillis());
    }
}
