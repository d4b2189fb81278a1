package io.vigil.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test moves it. */
public final class TestingClock extends Clock {
    private final ZoneId zone;
    private volatile Instant now;

    public TestingClock(Instant now) {
        this(now, ZoneOffset.UTC);
    }

    public TestingClock(Instant now, ZoneId zone) {
        this.now = requireNonNull(now, "now is null");
        this.zone = requireNonNull(zone, "zone is null");
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public void set(Instant instant) {
        now = requireNonNull(instant, "instant is null");
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId newZone) {
        return new TestingClock(now, newZone);
    }

    @Override
    public Instant instant() {
        return now;
    }
}
